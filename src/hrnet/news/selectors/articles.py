"""Reads of news: each takes the acting user and returns only what that user may see
(published articles for everyone; drafts and scheduled ones too for the secretariat)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hrnet.core.types import Actor
from hrnet.news.models import Article
from hrnet.news.policies import article_policy, is_secretariat, published

PAGE_SIZE = 12
FEED_SIZE = 30


@dataclass(frozen=True)
class ArticleFilters:
    issue_area: str = ""  # IssueArea code
    country: str = ""  # ISO2
    language: str = ""  # only articles in this language
    kind: str = ""
    state: str = ""  # draft, scheduled, published: the secretariat's filter
    # Without `language`: one article per story, in this language when it has one.
    prefer_language: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for pagination links)."""
        data = asdict(self)
        data.pop("prefer_language")
        return {name: value for name, value in data.items() if value}

    @property
    def is_empty(self) -> bool:
        return not self.as_query()


def _with_state(articles: QuerySet[Article], state: str) -> QuerySet[Article]:
    now = timezone.now()
    if state == Article.State.DRAFT:
        return articles.filter(published_at__isnull=True)
    if state == Article.State.SCHEDULED:
        return articles.filter(published_at__gt=now)
    if state == Article.State.PUBLISHED:
        return articles.filter(published_at__lte=now)
    return articles


def _with_relations(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.prefetch_related("issue_areas", "countries__subregion")


def article_list(*, user: Actor, filters: ArticleFilters | None = None) -> QuerySet[Article]:
    """Articles `user` may see, newest first (drafts first for the secretariat)."""
    filters = filters or ArticleFilters()
    articles = article_policy.instances_user_has_permission_for(user, "list")
    if filters.state and is_secretariat(user):
        articles = _with_state(articles, filters.state)
    if filters.issue_area:
        articles = articles.filter(issue_areas__code=filters.issue_area)
    if filters.country:
        articles = articles.filter(countries__iso2=filters.country.upper())
    if filters.kind:
        articles = articles.filter(kind=filters.kind)
    if filters.language:
        articles = articles.filter(language=filters.language)
    elif filters.prefer_language:
        # A story told in several languages shows once: in the reader's language if it is
        # among the matching articles, else in each language it has.
        preferred = articles.filter(
            translation_key=OuterRef("translation_key"), language=filters.prefer_language
        )
        articles = articles.exclude(~Q(language=filters.prefer_language) & Exists(preferred))
    return _with_relations(articles)


def article_get(*, user: Actor, pk: int) -> Article:
    """One article `user` may see; Article.DoesNotExist otherwise (drafts for the public)."""
    articles = article_policy.instances_user_has_permission_for(user, "view")
    return _with_relations(articles.select_related("author")).get(pk=pk)


def article_translations(*, user: Actor, article: Article) -> list[Article]:
    """The other language versions of the article that `user` may see."""
    articles = article_policy.instances_user_has_permission_for(user, "view")
    return list(
        articles.filter(translation_key=article.translation_key)
        .exclude(pk=article.pk)
        .order_by("language")
    )


def article_for_translation(*, user: Actor, pk: int) -> Article:
    """The article a new translation starts from (the secretariat's)."""
    return article_policy.instances_user_has_permission_for(user, "add").get(pk=pk)


def articles_published_between(*, user: Actor, start: datetime, end: datetime) -> list[Article]:
    """Articles with `start <= published_at < end` that `user` may see, oldest first (the
    digest's news; consecutive digests cover consecutive periods without gap or overlap)."""
    articles = published(article_policy.instances_user_has_permission_for(user, "list"))
    return list(
        _with_relations(articles.filter(published_at__gte=start, published_at__lt=end)).order_by(
            "published_at", "pk"
        )
    )


def feed_articles(*, language: str, issue_area: str = "") -> list[Article]:
    """The latest articles an anonymous reader sees, in one language (Atom feeds)."""
    filters = ArticleFilters(language=language, issue_area=issue_area)
    return list(article_list(user=AnonymousUser(), filters=filters)[:FEED_SIZE])


def sitemap_articles() -> QuerySet[Article]:
    return published(Article.objects.all()).order_by("-published_at", "pk")
