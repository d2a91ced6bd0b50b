"""Atom feeds of published news: one per interface language (`/<lang>/news/feed/` gives
that language's articles) and one per issue area in each language. Only what an anonymous
reader sees goes in: never a draft, a scheduled article before its time, or the trash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from hrnet.core.models import IssueArea
from hrnet.core.rendering import body_html
from hrnet.core.selectors import network_get
from hrnet.news.models import Article
from hrnet.news.selectors.articles import feed_articles


class LanguageFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return _("%(network)s: news") % {"network": network_get().name}

    def subtitle(self, obj: Any) -> str:
        return _("News and announcements of the network.")

    def link(self, obj: Any) -> str:
        return reverse("news:article_list")

    def feed_url(self, obj: Any) -> str:
        return reverse("news:feed")

    def author_name(self, obj: Any) -> str:
        return network_get().name

    def items(self, obj: Any) -> list[Article]:
        return feed_articles(language=translation.get_language() or "")

    def item_title(self, item: Article) -> str:
        return item.title  # a text element: the feed generator escapes it for XML

    def item_description(self, item: Article) -> str:
        # An HTML summary: the lead is plain text, so it is escaped; the body is sanitised.
        return f"<p>{escape(item.lead)}</p>{body_html(item.body)}"

    def item_link(self, item: Article) -> str:
        return reverse("news:article_detail", args=[item.pk])

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_categories(self, item: Article) -> list[str]:
        return [area.name for area in item.issue_areas.all()]


class IssueAreaFeed(LanguageFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> IssueArea:
        area = IssueArea.objects.filter(code=kwargs.get("code", "")).first()
        if area is None:
            raise Http404
        return area

    def title(self, obj: IssueArea) -> str:
        return _("%(network)s: news on %(issue_area)s") % {
            "network": network_get().name,
            "issue_area": obj.name,
        }

    def link(self, obj: IssueArea) -> str:
        return f"{reverse('news:article_list')}?issue_area={obj.code}"

    def feed_url(self, obj: IssueArea) -> str:
        return reverse("news:feed_issue_area", args=[obj.code])

    def items(self, obj: IssueArea) -> list[Article]:
        return feed_articles(language=translation.get_language() or "", issue_area=obj.code)
