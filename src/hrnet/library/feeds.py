"""Atom feed of new resources in the library, one per interface language. Feeds are read
by anonymous feed readers, so only public published resources go in (the same list as
the anonymous listing): never a members-only resource, a submission or the trash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from hrnet.core.selectors import network_get
from hrnet.library.models import Resource
from hrnet.library.selectors import ResourceFilters, resource_list

FEED_SIZE = 30


class ResourceFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return _("%(network)s: new resources") % {"network": network_get().name}

    def subtitle(self, obj: Any) -> str:
        return _("Guidance, reports, case studies and other resources of the network.")

    def link(self, obj: Any) -> str:
        return reverse("library:resource_list")

    def feed_url(self, obj: Any) -> str:
        return reverse("library:feed")

    def author_name(self, obj: Any) -> str:
        return network_get().name

    def items(self, obj: Any) -> list[Resource]:
        language = translation.get_language() or ""
        resources = resource_list(user=AnonymousUser(), filters=ResourceFilters(language=language))
        return list(resources[:FEED_SIZE])

    def item_title(self, item: Resource) -> str:
        return item.title  # a text element: the feed generator escapes it for XML

    def item_description(self, item: Resource) -> str:
        return f"<p>{escape(item.summary)}</p>"

    def item_link(self, item: Resource) -> str:
        return reverse("library:resource_detail", args=[item.pk])

    def item_pubdate(self, item: Resource) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Resource) -> datetime:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_categories(self, item: Resource) -> list[str]:
        return [str(item.get_type_display())] + [a.name for a in item.issue_areas.all()]
