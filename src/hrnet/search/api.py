"""/api/v1/search: the search of the pages as JSON, with the same visibility: anonymous
callers find public records only; a network member's token or session also finds
members-only ones."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.search import selectors

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", description='Words, "a phrase", -excluded; stemmed in EN and RU.')
    lang: str = Field("", description="Only records in this language (en, ru).")
    kind: str = Field("", description="news, announcement or a resource type, e.g. guidance.")
    issue_area: str = Field("", description="Issue-area code, e.g. HCV.")
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. UA.")
    year: int | None = Field(None, description="Year of publication.")
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


@router.get("/search", response=SearchOut, auth=OPTIONAL_AUTH)
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Search news and resources, ranked, with facets (type, language, issue area, country,
    year) counted over all results."""
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
        sort=params.sort,
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
