"""Reads of the network's pages: what a visitor sees (a page's latest revision in their
language; a page not yet translated is shown in another language with a note), the
secretariat's drafts and history of revisions, and the comparison of two revisions.

Bodies are stored as typed and rendered through `core.rendering.body_html`, which removes
scripts and event-handler attributes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from hrnet.campaigns.models import Campaign
from hrnet.campaigns.selectors import CampaignFilters, campaign_list
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.events.models import Event
from hrnet.events.selectors.calendar import EventFilters, event_list
from hrnet.library.models import Resource
from hrnet.library.selectors import ResourceFilters, resource_list
from hrnet.network.models import Page, PageDraft, PageRevision
from hrnet.network.policies import page_policy
from hrnet.news.models import Article
from hrnet.news.selectors.articles import ArticleFilters, article_list

ISSUE_AREA_ITEMS = 5


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


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


# --- what visitors and the secretariat read -------------------------------------------


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


def page_list(*, user: Actor, language: str) -> list[PageEntry]:
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


def page_get(*, user: Actor, slug: str) -> Page:
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


def page_live(*, user: Actor, page: Page, language: str) -> PageEntry:
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


def page_draft_for_edit(*, user: Actor, page: Page, language: str) -> PageDraft:
    """The draft in `language` (unsaved), started from the latest revision in that
    language when there is no draft yet. The secretariat's only."""
    page_policy.require(user, "change")
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


def page_history(*, user: Actor, page: Page, language: str) -> list[HistoryRow]:
    """Revisions in `language`, newest first, each compared with the one before it."""
    page_policy.require(user, "history")
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


def page_revision_get(*, user: Actor, page: Page, pk: int) -> PageRevision:
    page_policy.require(user, "restore")
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
    articles: list[Article]
    resources: list[Resource]
    events: list[Event]
    campaigns: list[Campaign]

    @property
    def is_empty(self) -> bool:
        return not (self.articles or self.resources or self.events or self.campaigns)


def issue_area_items(
    *, user: Actor, issue_area: IssueArea, language: str, limit: int = ISSUE_AREA_ITEMS
) -> IssueAreaItems:
    """The latest published news, resources, upcoming events and active or concluded
    campaigns of an issue area that `user` may see, through each module's own selector."""
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
