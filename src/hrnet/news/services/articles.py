"""Writes of news: the secretariat creates, edits, publishes (now or at a set time),
unpublishes and trashes articles. Every write is audited and updates the search index."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core import images
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.models import IssueArea
from hrnet.core.trash import trash_move
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.news.audit import Action
from hrnet.news.models import IMAGE_ALT_REQUIRED, Article
from hrnet.news.policies import article_policy
from hrnet.search.services import index_update

IMAGE_MAX_BYTES = 3 * 1024 * 1024
IMAGE_MAX_PIXELS = 6000 * 6000


def image_check(upload: UploadedFile) -> str:
    """The file extension of a image that is really a PNG, JPEG or WebP image within the
    limits; ValidationError naming the `image` field otherwise."""
    return images.image_check(
        upload, field="image", max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS
    )


def _snapshot(article: Article) -> dict[str, Any]:
    return {
        "kind": article.kind,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "language": article.language,
        "image": article.image.name or "",
        "image_alt": article.image_alt,
        "image_credit": article.image_credit,
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }


def _relations(article: Article) -> dict[str, list[str]]:
    return {
        "issue_areas": sorted(article.issue_areas.values_list("code", flat=True)),
        "countries": sorted(article.countries.values_list("iso2", flat=True)),
    }


def _validate(article: Article, *, has_image: bool) -> None:
    errors: dict[str, list[str]] = {}
    if has_image and not article.image_alt:
        errors["image_alt"] = [str(IMAGE_ALT_REQUIRED)]
    twin = (
        Article.all_objects.filter(
            translation_key=article.translation_key, language=article.language
        )
        .exclude(pk=article.pk)
        .first()
    )
    if twin is not None:
        errors["language"] = [
            _("This story already has a version in %(language)s: “%(title)s”.")
            % {"language": twin.get_language_display(), "title": twin.title}
        ]
    try:
        article.full_clean(exclude=["image", "translation_key"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            known = errors.setdefault(field, [])
            known.extend(m for m in messages if m not in known)
    if errors:
        raise ValidationError(errors)


def _write(
    article: Article,
    *,
    kind: str,
    title: str,
    lead: str,
    body: str,
    language: str,
    issue_areas: Iterable[IssueArea],
    countries: Iterable[Country],
    image: UploadedFile | None,
    image_clear: bool,
    image_alt: str,
    image_credit: str,
) -> None:
    article.kind = kind
    article.title = " ".join(title.split())
    article.lead = lead.strip()
    article.body = body.strip()
    article.language = language
    article.image_alt = " ".join(image_alt.split())
    article.image_credit = " ".join(image_credit.split())
    extension = image_check(image) if image is not None else ""
    if image_clear and image is None:
        # The old file stays in storage: an earlier version in the audit log names it.
        article.image.name = ""
        article.image_width = article.image_height = None
    _validate(article, has_image=image is not None or bool(article.image))
    # The file is stored only once everything else is valid, so a refused form leaves none.
    if image is not None:
        # Without EXIF: a phone photo says where it was taken.
        name = f"{uuid.uuid4().hex}.{extension}"
        article.image.save(name, images.image_without_metadata(image, name=name), save=False)
    article.save()
    article.issue_areas.set(list(issue_areas))
    article.countries.set(list(countries))


@transaction.atomic
def article_create(
    *,
    actor: Actor,
    kind: str = Article.Kind.NEWS,
    title: str,
    lead: str,
    body: str = "",
    language: str,
    issue_areas: Iterable[IssueArea] = (),
    countries: Iterable[Country] = (),
    image: UploadedFile | None = None,
    image_alt: str = "",
    image_credit: str = "",
    translation_of: Article | None = None,
    translation_key: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Article:
    """A new draft; `translation_of` makes it another language version of that story (an
    import or the demo may give the story's `translation_key` instead)."""
    article_policy.require(actor, "add")
    article = Article(author=actor if isinstance(actor, User) else None)
    if translation_of is not None:
        article.translation_key = translation_of.translation_key
    elif translation_key is not None:
        article.translation_key = translation_key
    _write(
        article,
        kind=kind,
        title=title,
        lead=lead,
        body=body,
        language=language,
        issue_areas=issue_areas,
        countries=countries,
        image=image,
        image_clear=False,
        image_alt=image_alt,
        image_credit=image_credit,
    )
    changes = {name: {"old": None, "new": value} for name, value in _snapshot(article).items()}
    changes.update(
        {name: {"old": None, "new": value} for name, value in _relations(article).items()}
    )
    if translation_of is not None:
        changes["translation_of"] = {"old": None, "new": translation_of.pk}
    log_action(
        actor=actor, action=Action.ARTICLE_CREATE, obj=article, changes=changes, request=request
    )
    index_update(article)
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    actor: Actor,
    kind: str,
    title: str,
    lead: str,
    body: str = "",
    language: str,
    issue_areas: Iterable[IssueArea] = (),
    countries: Iterable[Country] = (),
    image: UploadedFile | None = None,
    image_clear: bool = False,
    image_alt: str = "",
    image_credit: str = "",
    request: HttpRequest | None = None,
) -> Article:
    article_policy.require(actor, "change", article)
    before = {**_snapshot(article), **_relations(article)}
    _write(
        article,
        kind=kind,
        title=title,
        lead=lead,
        body=body,
        language=language,
        issue_areas=issue_areas,
        countries=countries,
        image=image,
        image_clear=image_clear,
        image_alt=image_alt,
        image_credit=image_credit,
    )
    changes = changed_fields(before, {**_snapshot(article), **_relations(article)})
    if changes:
        log_action(
            actor=actor, action=Action.ARTICLE_CHANGE, obj=article, changes=changes, request=request
        )
    index_update(article)
    return article


@transaction.atomic
def article_publish(
    *,
    article: Article,
    actor: Actor,
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> Article:
    """Publish now, or at `at`: a time in the future schedules the article, which then
    appears by itself (and in the search) when the time comes."""
    article_policy.require(actor, "publish", article)
    if at is not None and timezone.is_naive(at):
        raise ValidationError({"published_at": _("Give the time with its time zone.")})
    before = article.published_at
    article.published_at = at or timezone.now()
    article.save(update_fields=["published_at", "updated_at"])
    action = (
        Action.ARTICLE_SCHEDULE
        if article.state == Article.State.SCHEDULED
        else Action.ARTICLE_PUBLISH
    )
    log_action(
        actor=actor,
        action=action,
        obj=article,
        changes={
            "published_at": {
                "old": before.isoformat() if before else None,
                "new": article.published_at.isoformat(),
            }
        },
        request=request,
    )
    index_update(article)
    return article


@transaction.atomic
def article_unpublish(
    *, article: Article, actor: Actor, request: HttpRequest | None = None
) -> Article:
    """Back to a draft: it leaves the listing, the feeds, the API and the search."""
    article_policy.require(actor, "unpublish", article)
    before = article.published_at
    if before is None:
        return article
    article.published_at = None
    article.save(update_fields=["published_at", "updated_at"])
    log_action(
        actor=actor,
        action=Action.ARTICLE_UNPUBLISH,
        obj=article,
        changes={"published_at": {"old": before.isoformat(), "new": None}},
        request=request,
    )
    index_update(article)
    return article


@transaction.atomic
def article_trash(*, article: Article, actor: Actor, request: HttpRequest | None = None) -> None:
    """To the trash, restorable by the secretariat; the search drops it (trash listener)."""
    article_policy.require(actor, "delete", article)
    trash_move(obj=article, actor=actor, request=request)
