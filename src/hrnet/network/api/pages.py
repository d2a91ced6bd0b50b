"""/api/v1/pages: the network's published pages.

Only published revisions are served, to every caller alike (drafts are never in the API).
`lang` picks the language; a page not yet translated comes in another language, and
`language` tells which. Bodies come as sanitised HTML (`core.rendering.body_html`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.rendering import body_html
from hrnet.network.selectors import pages

router = Router(tags=["network"])


class PageSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    language: str = Field(
        description="The language of the text (another one when the page "
        "is not yet translated into the one asked for)."
    )
    translated: bool = Field(description="True when the text is in the language asked for.")
    updated: datetime = Field(description="When this text was published.")
    url: str


class PageOut(Schema):
    slug: str
    title: str
    summary: str
    body_html: str = Field(description="Sanitised HTML from the Markdown body.")
    language: str
    translated: bool
    revision: int
    published_at: datetime
    url: str


class ErrorOut(Schema):
    detail: str


def _language(lang: str) -> str:
    lang = (lang or "").strip().lower()
    if lang in pages.language_codes():
        return lang
    return translation.get_language() or settings.LANGUAGE_CODE


def _url(request: HttpRequest, slug: str, language: str) -> str:
    with translation.override(language):
        return request.build_absolute_uri(reverse("network:page_detail", args=[slug]))


@router.get("", response=list[PageSummaryOut], auth=OPTIONAL_AUTH)
def page_list(
    request: HttpRequest,
    lang: str = Query("", description="Language code, e.g. en or ru."),
) -> list[dict[str, Any]]:
    """Published pages in menu order, each in `lang` when translated."""
    language = _language(lang)
    return [
        {
            "slug": entry.slug,
            "title": entry.revision.title,
            "summary": entry.revision.summary,
            "language": entry.revision.language,
            "translated": entry.is_translated,
            "updated": entry.revision.published_at,
            "url": _url(request, entry.slug, language),
        }
        for entry in pages.published_pages(language=language)
        if entry.revision is not None
    ]


@router.get("/{slug}", response={200: PageOut, 404: ErrorOut}, auth=OPTIONAL_AUTH)
def page_detail(
    request: HttpRequest,
    slug: str,
    lang: str = Query("", description="Language code, e.g. en or ru."),
) -> Status:
    """One page's latest revision in `lang` (else in the language it has); 404 when the
    page was never published."""
    language = _language(lang)
    revision = pages.page_revision_latest(slug=slug, language=language)
    if revision is None:
        return Status(404, {"detail": _("No published page has this address.")})
    return Status(
        200,
        {
            "slug": slug,
            "title": revision.title,
            "summary": revision.summary,
            "body_html": str(body_html(revision.body)),
            "language": revision.language,
            "translated": revision.language == language,
            "revision": revision.number,
            "published_at": revision.published_at,
            "url": _url(request, slug, language),
        },
    )
