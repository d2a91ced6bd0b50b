"""Writes of the network's pages: drafts per language, publishing as numbered revisions
and restoring an earlier revision. Drafts are the secretariat's only; every write is
audited.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.network.audit import Action
from hrnet.network.models import Page, PageDraft, PageRevision
from hrnet.network.selectors.pages import language_codes, language_name

TITLE_MAX_LENGTH = 200
# Addresses under /pages/ that are views, not pages.
RESERVED_SLUGS = frozenset({"new"})


def _check_language(language: str) -> None:
    if language not in language_codes():
        raise ValidationError(
            {
                "language": _("“%(language)s” is not a language of the site.")
                % {"language": language}
            }
        )


def page_create(
    *,
    actor: Actor | None,
    slug: str,
    menu_position: int = 0,
    in_menu: bool = True,
    issue_area: IssueArea | None = None,
    request: HttpRequest | None = None,
) -> Page:
    """A new page without text; its drafts are written with `page_draft_save`."""
    slug = (slug or "").strip().lower()
    errors: dict[str, str] = {}
    try:
        validate_slug(slug)
    except ValidationError:
        errors["slug"] = _(
            "“%(slug)s” is not a valid address: use letters, digits, hyphens and underscores."
        ) % {"slug": slug}
    if "slug" not in errors and (slug in RESERVED_SLUGS or Page.objects.filter(slug=slug).exists()):
        errors["slug"] = _("The address “%(slug)s” is taken.") % {"slug": slug}
    if issue_area is not None and Page.objects.filter(issue_area=issue_area).exists():
        errors["issue_area"] = _("The issue area “%(area)s” already has a page.") % {
            "area": issue_area.name
        }
    if errors:
        raise ValidationError(errors)
    page = Page.objects.create(
        slug=slug, menu_position=menu_position, in_menu=in_menu, issue_area=issue_area
    )
    log_action(
        actor=actor,
        action=Action.PAGE_CREATE,
        obj=page,
        changes={"slug": slug, "menu_position": menu_position, "in_menu": in_menu},
        request=request,
    )
    return page


def page_draft_save(
    *,
    actor: Actor | None,
    page: Page,
    language: str,
    title: str,
    summary: str,
    body: str,
    request: HttpRequest | None = None,
) -> PageDraft:
    """Keep the text being edited in one language; visitors see nothing of it until it is
    published. The body is kept as typed (Markdown) and cleaned when shown."""
    _check_language(language)
    title = (title or "").strip()
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {
                "title": _("The title has %(count)s characters; at most %(max)s fit.")
                % {"count": len(title), "max": TITLE_MAX_LENGTH}
            }
        )
    editor = actor if isinstance(actor, User) else None
    draft, created = PageDraft.objects.get_or_create(
        page=page,
        language=language,
        defaults={"title": title, "summary": summary, "body": body, "updated_by": editor},
    )
    if not created:
        draft.title, draft.summary, draft.body, draft.updated_by = title, summary, body, editor
        draft.save(update_fields=["title", "summary", "body", "updated_by", "updated_at"])
    log_action(
        actor=actor,
        action=Action.PAGE_DRAFT_SAVE,
        obj=page,
        changes={"language": language, "title": title},
        request=request,
    )
    return draft


def _publish(
    *, actor: Actor | None, page: Page, draft: PageDraft, restored_from: PageRevision | None
) -> PageRevision:
    if not draft.title.strip():
        raise ValidationError(
            {
                "title": _("A page cannot be published without a title (%(language)s).")
                % {"language": language_name(draft.language)}
            }
        )
    # The page row lock makes two publishers in the same instant get different numbers.
    Page.objects.select_for_update().filter(pk=page.pk).first()
    last = PageRevision.objects.filter(page=page, language=draft.language).aggregate(
        number=Max("number")
    )["number"]
    return PageRevision.objects.create(
        page=page,
        language=draft.language,
        number=(last or 0) + 1,
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
        published_by=actor if isinstance(actor, User) else None,
        published_at=timezone.now(),
        restored_from=restored_from,
    )


@transaction.atomic
def page_publish(
    *, actor: Actor | None, page: Page, language: str, request: HttpRequest | None = None
) -> PageRevision:
    """Publish the draft in `language` as the next revision: that language's visitors see
    it at once; the other languages stay as they were."""
    _check_language(language)
    draft = PageDraft.objects.filter(page=page, language=language).first()
    if draft is None:
        raise ValidationError(
            {
                "title": _("There is no draft in %(language)s to publish.")
                % {"language": language_name(language)}
            }
        )
    revision = _publish(actor=actor, page=page, draft=draft, restored_from=None)
    log_action(
        actor=actor,
        action=Action.PAGE_PUBLISH,
        obj=page,
        changes={"language": language, "revision": revision.number, "title": revision.title},
        request=request,
    )
    return revision


@transaction.atomic
def page_revision_restore(
    *, actor: Actor | None, revision: PageRevision, request: HttpRequest | None = None
) -> PageRevision:
    """Put an earlier revision's text into the draft and publish it as a new revision, so
    the history keeps every version that was ever shown."""
    page = revision.page
    draft, _created = PageDraft.objects.get_or_create(
        page=page,
        language=revision.language,
        defaults={"title": revision.title, "summary": revision.summary, "body": revision.body},
    )
    draft.title, draft.summary, draft.body = revision.title, revision.summary, revision.body
    draft.updated_by = actor if isinstance(actor, User) else None
    draft.save(update_fields=["title", "summary", "body", "updated_by", "updated_at"])
    restored = _publish(actor=actor, page=page, draft=draft, restored_from=revision)
    log_action(
        actor=actor,
        action=Action.PAGE_RESTORE,
        obj=page,
        changes={
            "language": revision.language,
            "restored_from": revision.number,
            "revision": restored.number,
        },
        request=request,
    )
    return restored
