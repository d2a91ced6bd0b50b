"""/api/v1/search: the search of the pages as JSON, with the same visibility: anonymous
callers find public records only; a network member's token or session also finds
members-only ones."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.search import selectors

router = Router(tags=["search"])
# The years a publication may have (as on the search page).
FIRST_YEAR, LAST_YEAR = 1900, 2200


class SearchParams(Schema):
    q: str = Field("", description='Words, "a phrase", -excluded; stemmed in EN and RU.')
    lang: str = Field("", description="Only records in this language (en, ru).")
    kind: str = Field("", description="news, announcement or a resource type, e.g. guidance.")
    issue_area: str = Field("", description="Issue-area code, e.g. HCV.")
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. UA.")
    year: int | None = Field(None, description=f"Year of publication, {FIRST_YEAR} to {LAST_YEAR}.")
    sort: str = Field("", description="relevance (default with q) or newest.")
    page: int = Field(1, ge=1)


class HitOut(Schema):
    type: str
    type_label: str
    id: int = Field(description="The record's id in its own endpoint (news or resources).")
    title: str
    summary: str
    snippet_html: str = Field(description="A passage with the matched words in <mark>.")
    url: str
    language: str
    visibility: str
    published_at: datetime
    issue_areas: list[str]
    countries: list[str]


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    q: str
    searched: bool = Field(description="False when the query had no words to search for.")
    count: int
    page: int
    pages: int
    results: list[HitOut]
    facets: dict[str, list[FacetOut]]


class ErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


def _params_errors(params: SearchParams) -> dict[str, list[str]]:
    """What in the parameters cannot mean anything, per parameter, in words."""
    errors: dict[str, list[str]] = {}
    languages = [code for code, _name in settings.LANGUAGES]
    if params.lang.strip() and params.lang.strip() not in languages:
        errors["lang"] = [_("Write a language code: %(codes)s.") % {"codes": ", ".join(languages)}]
    if params.sort.strip() not in ("", selectors.RELEVANCE, selectors.NEWEST):
        errors["sort"] = [_("Sort by relevance or newest.")]
    if params.year is not None and not FIRST_YEAR <= params.year <= LAST_YEAR:
        errors["year"] = [
            _("Write a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    return errors


@router.get("/search", response={200: SearchOut, 400: ErrorsOut}, auth=OPTIONAL_AUTH)
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut | Status:
    """Search news and resources, ranked, with facets (type, language, issue area, country,
    year) counted over all results. A page past the last answers the last page; unknown
    `lang`, `sort` or a year out of range answer 400 with the reason per parameter."""
    errors = _params_errors(params)
    if errors:
        detail = " ".join(message for messages in errors.values() for message in messages)
        return Status(400, {"detail": detail, "errors": errors})
    results = selectors.search(
        user=request.user,
        q=params.q,
        filters=selectors.SearchFilters(
            kind=params.kind.strip(),
            language=params.lang.strip(),
            issue_area=params.issue_area.strip(),
            country=params.country.strip().upper(),
            year=params.year,
        ),
        sort=params.sort.strip(),
        page=params.page,
        with_links=True,
    )
    return SearchOut(
        q=params.q,
        searched=results.searched,
        count=results.count,
        page=results.page.number,
        pages=results.page.paginator.num_pages,
        results=[
            HitOut(
                type=hit.entry.kind,
                type_label=hit.kind_label,
                id=hit.entry.object_id,
                title=hit.entry.title,
                summary=hit.entry.summary,
                snippet_html=str(hit.snippet),
                url=request.build_absolute_uri(hit.url) if hit.url else "",
                language=hit.entry.language,
                visibility=hit.entry.visibility,
                published_at=hit.entry.published_at,
                issue_areas=[a.code for a in hit.entry.issue_areas.all()],
                countries=[c.iso2 for c in hit.entry.countries.all()],
            )
            for hit in results.hits
        ],
        facets={
            name: [FacetOut(value=v.value, label=v.label, count=v.count) for v in values]
            for name, values in results.facets.items()
        },
    )
