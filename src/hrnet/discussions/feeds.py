"""Atom feeds of the public discussions: the newest public threads (`/<lang>/discussions/
feed/`) and those of one public category (`/<lang>/discussions/c/<slug>/feed/`). A feed is
the same for everyone who fetches it, signed in or not: only what an anonymous reader may
read goes in (`selectors.public_threads`), and a category that is not public has no feed
(404, as if it did not exist)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from hrnet.core.rendering import body_html
from hrnet.core.selectors import network_get
from hrnet.discussions import selectors
from hrnet.discussions.models import Category, Thread

ITEMS = 30


class LatestThreadsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Category | None:
        return None

    def title(self, obj: Category | None) -> str:
        return _("%(network)s: discussions") % {"network": network_get().name}

    def subtitle(self, obj: Category | None) -> str:
        return _("New threads in the network's public discussions.")

    def link(self, obj: Category | None) -> str:
        return reverse("discussions:index")

    def feed_url(self, obj: Category | None) -> str:
        return reverse("discussions:feed")

    def author_name(self, obj: Category | None) -> str:
        return network_get().name

    def items(self, obj: Category | None) -> list[Thread]:
        # Never the request's user: a members-only thread must not reach a feed reader
        # through a signed-in browser.
        threads = selectors.public_threads(category=obj, limit=ITEMS)
        opening = selectors.opening_posts(threads=threads)
        for thread in threads:  # on the rows, not the feed: one Feed serves every request
            thread.opening = opening.get(thread.pk)  # type: ignore[attr-defined]
        return threads

    def item_title(self, item: Thread) -> str:
        return item.title  # a text element: the feed generator escapes it for XML

    def item_description(self, item: Thread) -> str:
        post = getattr(item, "opening", None)
        if post is None or post.hidden_at is not None:
            return ""
        return str(body_html(post.body))

    def item_link(self, item: Thread) -> str:
        return reverse("discussions:thread", args=[item.pk])

    def item_pubdate(self, item: Thread) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Thread) -> datetime:
        return max(item.last_post_at, item.created_at)

    def item_categories(self, item: Thread) -> list[str]:
        return [item.category.name]


class CategoryFeed(LatestThreadsFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Category:
        category = selectors.category_get(user=None, slug=kwargs.get("slug", ""))
        if category is None:  # not public, or no such category: the same answer
            raise Http404
        return category

    def title(self, obj: Category | None) -> str:
        return _("%(network)s: %(category)s") % {
            "network": network_get().name,
            "category": obj.name if obj is not None else "",
        }

    def subtitle(self, obj: Category | None) -> str:
        return obj.description if obj is not None and obj.description else ""

    def link(self, obj: Category | None) -> str:
        return reverse("discussions:category", args=[obj.slug if obj is not None else ""])

    def feed_url(self, obj: Category | None) -> str:
        return reverse("discussions:category_feed", args=[obj.slug if obj is not None else ""])
