"""Reads of the weekly digest: the news and library sections of a member's digest (the
sections other apps add are theirs), whether a member subscribes, and who an unsubscribe
token names. The registry of sections and the sending are in `news.services.digest`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hrnet.accounts.models import User
from hrnet.core.i18n import language_name
from hrnet.core.links import site_url
from hrnet.core.types import Actor
from hrnet.library.selectors import resources_published_between
from hrnet.news.models import Article, DigestSending, DigestSubscription
from hrnet.news.selectors.articles import articles_published_between

UNSUBSCRIBE_SALT = "hrnet.news.digest.unsubscribe"
FIRST_PERIOD = timedelta(days=7)  # a new subscriber's first digest looks this far back
LONGEST_PERIOD = timedelta(days=14)  # after a long pause, older items are not sent
SECTION_MAX_ITEMS = 25


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str  # absolute
    summary: str = ""
    when: datetime | None = None
    language: str = ""  # the item's language code when it differs from the reader's
    language_name: str = ""  # ... and its name in that language ("Русский")
    label: str = ""  # e.g. the resource type


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    items: list[DigestItem]
    more: int = 0  # items left out beyond SECTION_MAX_ITEMS
    more_url: str = ""


def _one_per_story(records: Iterable[Any], language: str) -> list[Any]:
    """One record per translation group, in `language` when the group has it; newest
    first, like the listing."""
    chosen: dict[Any, Any] = {}
    for record in records:
        key = record.translation_key
        if key not in chosen or (record.language == language and chosen[key].language != language):
            chosen[key] = record
    return sorted(chosen.values(), key=lambda r: (r.published_at, r.pk), reverse=True)


def _language_fields(code: str, reader_language: str) -> dict[str, str]:
    if code == reader_language:
        return {}
    return {"language": code, "language_name": language_name(code)}


def _section(key: str, title: str, items: list[DigestItem], more_url: str) -> DigestSection | None:
    if not items:
        return None
    return DigestSection(
        key=key,
        title=title,
        items=items[:SECTION_MAX_ITEMS],
        more=max(0, len(items) - SECTION_MAX_ITEMS),
        more_url=more_url,
    )


def news_section(*, user: Actor, start: datetime, end: datetime) -> DigestSection | None:
    language = translation.get_language() or settings.LANGUAGE_CODE
    articles: list[Article] = _one_per_story(
        articles_published_between(user=user, start=start, end=end), language
    )
    items = [
        DigestItem(
            title=article.title,
            url=site_url(reverse("news:article_detail", args=[article.pk])),
            summary=article.lead,
            when=article.published_at,
            label=str(article.get_kind_display()),
            **_language_fields(article.language, language),
        )
        for article in articles
    ]
    return _section("news", str(_("News")), items, site_url(reverse("news:article_list")))


def resources_section(*, user: Actor, start: datetime, end: datetime) -> DigestSection | None:
    language = translation.get_language() or settings.LANGUAGE_CODE
    resources = _one_per_story(
        resources_published_between(user=user, start=start, end=end), language
    )
    items = []
    for resource in resources:
        items.append(
            DigestItem(
                title=resource.title,
                url=site_url(_resource_path(resource)),
                summary=getattr(resource, "summary", "") or "",
                when=resource.published_at,
                label=str(resource.get_type_display()) if hasattr(resource, "type") else "",
                **_language_fields(resource.language, language),
            )
        )
    try:
        more_url = site_url(reverse("library:resource_list"))
    except NoReverseMatch:
        more_url = ""
    return _section("resources", str(_("New resources")), items, more_url)


def _resource_path(resource: Any) -> str:
    if hasattr(resource, "get_absolute_url"):
        return str(resource.get_absolute_url())
    return reverse("library:resource_detail", args=[resource.pk])


def digest_is_subscribed(*, user: Actor) -> bool:
    if not isinstance(user, User):
        return False
    return DigestSubscription.objects.filter(user=user).exists()


def digest_token_user(token: str) -> Any:
    """The user a genuine unsubscribe token names; None for a tampered or unknown token."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return get_user_model().objects.filter(pk=pk).first()


def digest_period_start(subscription: DigestSubscription, now: datetime) -> datetime:
    last = (
        DigestSending.objects.filter(user_id=subscription.user_id)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    if last is None:
        return now - FIRST_PERIOD
    return max(last, now - LONGEST_PERIOD)
