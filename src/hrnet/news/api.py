"""/api/v1/news: published news and announcements as JSON.

The same visibility as the pages: everyone gets published articles; the secretariat (by a
personal token, `Authorization: Bearer ...`, or the browser session) also gets drafts and
scheduled ones, each marked with its `state`. A token that is sent but not valid answers
401 rather than falling back to anonymous. Without `language`, every language version of a
story is listed; each item names its `translations`.
"""

# No `from __future__ import annotations`: @paginate's wrapper makes ninja read the list
# view's annotations in ninja.pagination's namespace, so they must be real objects.

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.core.rendering import body_html
from hrnet.core.types import Actor
from hrnet.news.models import Article
from hrnet.news.selectors import articles as selectors

news_router = Router(tags=["news"])
# The one router the API mounts at its root; it carries the news' own prefix.
router = Router()


class NewsFilters(Schema):
    issue_area: str = Field("", description="Issue-area code, e.g. HIV.")
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. MD.")
    language: str = Field("", description="Language code, e.g. ru.")
    kind: Literal["", "news", "announcement"] = Field("", description="news or announcement.")
    state: Literal["", "draft", "scheduled", "published"] = Field(
        "", description="The secretariat only; ignored for everyone else."
    )

    def to_filters(self) -> selectors.ArticleFilters:
        return selectors.ArticleFilters(
            issue_area=self.issue_area.strip(),
            country=self.country.strip().upper(),
            language=self.language.strip(),
            kind=self.kind,
            state=self.state,
        )


class CodeName(Schema):
    code: str
    name: str


class CountryOut(Schema):
    iso2: str
    name: str


class ImageOut(Schema):
    url: str
    alt: str
    credit: str
    width: int | None
    height: int | None


class TranslationOut(Schema):
    id: int
    language: str
    title: str
    url: str


class ArticleOut(Schema):
    id: int
    kind: str
    state: str = Field(description="draft, scheduled or published.")
    language: str
    title: str = Field(description="Plain text.")
    lead: str = Field(description="Plain text.")
    body_html: str = Field(description="The body as sanitised HTML.")
    image: ImageOut | None
    issue_areas: list[CodeName]
    countries: list[CountryOut]
    published_at: datetime | None
    updated_at: datetime
    url: str = Field(description="The article's page.")
    translations: list[TranslationOut]


class ErrorOut(Schema):
    detail: str


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _page_url(request: HttpRequest, pk: int) -> str:
    return request.build_absolute_uri(reverse("news:article_detail", args=[pk]))


def _translations(user: Actor, articles: list[Article]) -> dict[Any, list[Article]]:
    keys = {article.translation_key for article in articles}
    groups: dict[Any, list[Article]] = {}
    for other in (
        selectors.article_list(user=user)
        .filter(translation_key__in=keys)
        .order_by("language")
        .prefetch_related(None)
    ):
        groups.setdefault(other.translation_key, []).append(other)
    return groups


def _article_out(request: HttpRequest, article: Article, group: list[Article]) -> dict[str, Any]:
    image = None
    if article.image:
        image = {
            "url": request.build_absolute_uri(article.image.url),
            "alt": article.image_alt,
            "credit": article.image_credit,
            "width": article.image_width,
            "height": article.image_height,
        }
    return {
        "id": article.pk,
        "kind": article.kind,
        "state": article.state,
        "language": article.language,
        "title": article.title,
        "lead": article.lead,
        "body_html": str(body_html(article.body)),
        "image": image,
        "issue_areas": [{"code": a.code, "name": a.name} for a in article.issue_areas.all()],
        "countries": [{"iso2": c.iso2, "name": c.name} for c in article.countries.all()],
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "url": _page_url(request, article.pk),
        "translations": [
            {
                "id": other.pk,
                "language": other.language,
                "title": other.title,
                "url": _page_url(request, other.pk),
            }
            for other in group
            if other.pk != article.pk
        ],
    }


@news_router.get("", response=list[ArticleOut], auth=OPTIONAL_AUTH)
@paginate(LimitOffsetPagination, default_limit=20, max_limit=100)
def article_list(request: HttpRequest, filters: Query[NewsFilters]) -> Paged:
    """Articles, newest first, with the listing's filters."""
    user = _caller(request)
    articles = selectors.article_list(user=user, filters=filters.to_filters())

    def render(page: list[Article]) -> list[dict[str, Any]]:
        groups = _translations(user, page)
        return [_article_out(request, a, groups.get(a.translation_key, [])) for a in page]

    return Paged(articles, render=render)


@news_router.get("/{article_id}", response={200: ArticleOut, 404: ErrorOut}, auth=OPTIONAL_AUTH)
def article_detail(request: HttpRequest, article_id: int) -> Status:
    """One article; 404 when it does not exist or the caller may not see it (a draft)."""
    user = _caller(request)
    try:
        article = selectors.article_get(user=user, pk=article_id)
    except Article.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    group = _translations(user, [article]).get(article.translation_key, [])
    return Status(200, _article_out(request, article, group))


router.add_router("/news", news_router)
