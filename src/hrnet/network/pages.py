"""Services and selectors of the network's pages: drafts per language, publishing as
numbered revisions, restoring and comparing revisions, and what a visitor sees.

A visitor sees a page's latest revision in their language; a page not yet translated is
shown in another language with a note. Drafts are the secretariat's only. Bodies are
stored as typed and rendered through `core.rendering.body_html`, which removes scripts
and event-handler attributes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.audit import log_action
from hrnet.core.models import IssueArea
from hrnet.network.models import Page, PageDraft, PageRevision
from hrnet.network.policies import page_policy

TITLE_MAX_LENGTH = 200
ISSUE_AREA_ITEMS = 5
# Addresses under /pages/ that are views, not pages.
RESERVED_SLUGS = frozenset({"new"})


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def _check_language(language: str) -> None:
    if language not in language_codes():
        raise ValidationError(
            {
                "language": _("“%(language)s” is not a language of the site.")
                % {"language": language}
            }
        )


# --- services -------------------------------------------------------------------------


def page_create(
    *,
    actor: Any,
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
        action="network.page.create",
        obj=page,
        changes={"slug": slug, "menu_position": menu_position, "in_menu": in_menu},
        request=request,
    )
    return page


def page_draft_save(
    *,
    actor: Any,
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
    draft, created = PageDraft.objects.get_or_create(
        page=page,
        language=language,
        defaults={"title": title, "summary": summary, "body": body, "updated_by": actor},
    )
    if not created:
        draft.title, draft.summary, draft.body, draft.updated_by = title, summary, body, actor
        draft.save(update_fields=["title", "summary", "body", "updated_by", "updated_at"])
    log_action(
        actor=actor,
        action="network.page.draft_save",
        obj=page,
        changes={"language": language, "title": title},
        request=request,
    )
    return draft


def _publish(
    *, actor: Any, page: Page, draft: PageDraft, restored_from: PageRevision | None
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
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        published_at=timezone.now(),
        restored_from=restored_from,
    )


@transaction.atomic
def page_publish(
    *, actor: Any, page: Page, language: str, request: HttpRequest | None = None
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
        action="network.page.publish",
        obj=page,
        changes={"language": language, "revision": revision.number, "title": revision.title},
        request=request,
    )
    return revision


@transaction.atomic
def page_revision_restore(
    *, actor: Any, revision: PageRevision, request: HttpRequest | None = None
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
    draft.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    draft.save(update_fields=["title", "summary", "body", "updated_by", "updated_at"])
    restored = _publish(actor=actor, page=page, draft=draft, restored_from=revision)
    log_action(
        actor=actor,
        action="network.page.restore",
        obj=page,
        changes={
            "language": revision.language,
            "restored_from": revision.number,
            "revision": restored.number,
        },
        request=request,
    )
    return restored


# --- comparing revisions --------------------------------------------------------------

_TOKENS = re.compile(r"\n|[^\S\n]+|[^\s]+")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: SafeString
    changed: bool


def _diff_html(old: str, new: str) -> SafeString:
    """Words and line breaks of `old` and `new` with removals in <del> and additions in
    <ins>; every piece of text escaped."""
    old_tokens, new_tokens = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old_tokens[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            parts.append(f"<del>{escape(''.join(old_tokens[i1:i2]))}</del>")
        if tag in ("replace", "insert"):
            parts.append(f"<ins>{escape(''.join(new_tokens[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text escaped above


COMPARED_FIELDS = (
    ("title", gettext_lazy("Title")),
    ("summary", gettext_lazy("Summary")),
    ("body", gettext_lazy("Body")),
)


def page_revisions_compare(*, old: PageRevision | None, new: PageRevision) -> list[FieldDiff]:
    """Title, summary and body of `new` against `old` (nothing before the first one)."""
    return [
        FieldDiff(
            label=str(label),
            html=_diff_html(getattr(old, name, "") if old else "", getattr(new, name)),
            changed=(getattr(old, name, "") if old else "") != getattr(new, name),
        )
        for name, label in COMPARED_FIELDS
    ]


# --- selectors ------------------------------------------------------------------------


def _fallback_languages(language: str) -> list[str]:
    """The visitor's language, then the site's default, then the others."""
    order = [language, settings.LANGUAGE_CODE, *language_codes()]
    return list(dict.fromkeys(order))


def _latest_revisions(pages: list[Page]) -> dict[tuple[int, str], PageRevision]:
    """The latest revision of each page in each language, in one query."""
    latest: dict[tuple[int, str], PageRevision] = {}
    revisions = PageRevision.objects.filter(page__in=pages).order_by(
        "page_id", "language", "-number"
    )
    for revision in revisions.defer("body"):
        latest.setdefault((revision.page_id, revision.language), revision)
    return latest


def _pick(
    latest: dict[tuple[int, str], PageRevision], page: Page, language: str
) -> PageRevision | None:
    for code in _fallback_languages(language):
        if (page.pk, code) in latest:
            return latest[(page.pk, code)]
    # A language no longer in settings still counts when nothing else exists.
    return next((rev for (pk, _code), rev in latest.items() if pk == page.pk), None)


@dataclass(frozen=True)
class PageEntry:
    """A page as listed: its text in the visitor's language or, not yet translated, in
    another one (`language` tells which)."""

    page: Page
    revision: PageRevision | None
    language: str
    is_translated: bool

    @property
    def slug(self) -> str:
        return self.page.slug

    @property
    def title(self) -> str:
        return self.revision.title if self.revision else self.page.slug


def _entries(pages: list[Page], language: str) -> list[PageEntry]:
    latest = _latest_revisions(pages)
    entries = []
    for page in pages:
        revision = _pick(latest, page, language)
        entries.append(
            PageEntry(
                page=page,
                revision=revision,
                language=revision.language if revision else language,
                is_translated=revision is not None and revision.language == language,
            )
        )
    return entries


def page_list(*, user: Any, language: str) -> list[PageEntry]:
    """The pages `user` may see in menu order (the secretariat: unpublished ones too)."""
    pages = list(
        page_policy.instances_user_has_permission_for(user, "list").order_by(
            "menu_position", "slug"
        )
    )
    return _entries(pages, language)


def page_menu(*, language: str) -> list[PageEntry]:
    """The published pages in the menu, each by its title in `language` when it has one."""
    pages = list(
        Page.objects.filter(in_menu=True, revisions__isnull=False)
        .distinct()
        .order_by("menu_position", "slug")
    )
    return _entries(pages, language)


def page_get(*, user: Any, slug: str) -> Page:
    """The page if `user` may see it; else Page.DoesNotExist (a 404 either way)."""
    page = Page.objects.select_related("issue_area").get(slug=slug)
    if not page_policy.user_has_permission_for_instance(user, "view", page):
        raise Page.DoesNotExist
    return page


def _live_revision(page: Page, language: str) -> PageRevision | None:
    """The latest revision in `language`, else in the default language, else any."""
    for code in _fallback_languages(language):
        revision = PageRevision.objects.filter(page=page, language=code).first()
        if revision is not None:
            return revision
    return PageRevision.objects.filter(page=page).first()


def page_live(*, user: Any, page: Page, language: str) -> PageEntry:
    """What a visitor of `language` reads: the latest revision in that language, else in
    another language (`is_translated` False). Without any revision only the secretariat
    gets here (`revision` None)."""
    if not page_policy.user_has_permission_for_instance(user, "view", page):
        raise Page.DoesNotExist
    revision = _live_revision(page, language)
    return PageEntry(
        page=page,
        revision=revision,
        language=revision.language if revision else language,
        is_translated=revision is not None and revision.language == language,
    )


def _require_editor(user: Any, action: str) -> None:
    if not page_policy.user_has_permission(user, action):
        raise PermissionDenied


def page_draft_for_edit(*, user: Any, page: Page, language: str) -> PageDraft:
    """The draft in `language` (unsaved), started from the latest revision in that
    language when there is no draft yet. The secretariat's only."""
    _require_editor(user, "change")
    draft = PageDraft.objects.filter(page=page, language=language).first()
    if draft is not None:
        return draft
    latest = PageRevision.objects.filter(page=page, language=language).first()
    if latest is None:
        return PageDraft(page=page, language=language, title="", summary="", body="")
    return PageDraft(
        page=page,
        language=language,
        title=latest.title,
        summary=latest.summary,
        body=latest.body,
    )


def page_draft_is_published(*, draft: PageDraft) -> bool:
    """True when the draft's text is what visitors of its language already read."""
    latest = PageRevision.objects.filter(page_id=draft.page_id, language=draft.language).first()
    return latest is not None and (latest.title, latest.summary, latest.body) == (
        draft.title,
        draft.summary,
        draft.body,
    )


@dataclass(frozen=True)
class HistoryRow:
    revision: PageRevision
    changes: list[FieldDiff] = field(default_factory=list)
    is_live: bool = False


def page_history(*, user: Any, page: Page, language: str) -> list[HistoryRow]:
    """Revisions in `language`, newest first, each compared with the one before it."""
    _require_editor(user, "history")
    revisions = list(
        PageRevision.objects.filter(page=page, language=language)
        .select_related("published_by", "restored_from")
        .order_by("-number")
    )
    rows = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1] if index + 1 < len(revisions) else None
        rows.append(
            HistoryRow(
                revision=revision,
                changes=page_revisions_compare(old=previous, new=revision),
                is_live=index == 0,
            )
        )
    return rows


def page_revision_get(*, user: Any, page: Page, pk: int) -> PageRevision:
    _require_editor(user, "restore")
    return PageRevision.objects.select_related("page").get(page=page, pk=pk)


def published_pages(*, language: str) -> list[PageEntry]:
    """Every page with a revision (for the API), in `language` where translated."""
    pages = list(
        Page.objects.filter(revisions__isnull=False).distinct().order_by("menu_position", "slug")
    )
    return [entry for entry in _entries(pages, language) if entry.revision is not None]


def page_revision_latest(*, slug: str, language: str) -> PageRevision | None:
    """The latest revision of the page in `language`, with the same fallback as the page."""
    page = Page.objects.filter(slug=slug).first()
    return None if page is None else _live_revision(page, language)


@dataclass(frozen=True)
class IssueAreaItems:
    articles: list[Any]
    resources: list[Any]
    events: list[Any]
    campaigns: list[Any]

    @property
    def is_empty(self) -> bool:
        return not (self.articles or self.resources or self.events or self.campaigns)


def issue_area_items(
    *, user: Any, issue_area: IssueArea, language: str, limit: int = ISSUE_AREA_ITEMS
) -> IssueAreaItems:
    """The latest published news, resources, upcoming events and active or concluded
    campaigns of an issue area that `user` may see, through each module's own selector."""
    from hrnet.campaigns.models import Campaign
    from hrnet.campaigns.selectors import CampaignFilters, campaign_list
    from hrnet.events.models import Event
    from hrnet.events.selectors.calendar import EventFilters, event_list
    from hrnet.library.selectors import ResourceFilters, resource_list
    from hrnet.news.models import Article
    from hrnet.news.selectors import ArticleFilters, article_list

    code = issue_area.code
    # The secretariat's selectors also return drafts: a public page lists published things.
    articles: QuerySet = article_list(
        user=user,
        filters=ArticleFilters(
            issue_area=code, state=Article.State.PUBLISHED, prefer_language=language
        ),
    ).filter(published_at__lte=timezone.now())
    resources = resource_list(user=user, filters=ResourceFilters(issue_area=code))
    events = event_list(user=user, filters=EventFilters(issue_area=code)).filter(
        status=Event.Status.PUBLISHED
    )
    campaigns = campaign_list(user=user, filters=CampaignFilters(issue_area=code)).filter(
        status__in=[Campaign.Status.ACTIVE, Campaign.Status.CONCLUDED]
    )
    return IssueAreaItems(
        articles=list(articles.order_by("-published_at", "-pk")[:limit]),
        resources=list(resources[:limit]),
        events=list(events[:limit]),
        campaigns=list(campaigns[:limit]),
    )
