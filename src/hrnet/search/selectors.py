"""One search over everything registered as searchable (news, resources): ranked,
filtered, faceted, and limited to what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.policies import is_network_member
from hrnet.search import engines, highlight, text
from hrnet.search.documents import (
    GROUP,
    MEMBERS,
    PUBLIC,
    audiences_of,
    registered_kind_labels,
    searchable_models,
)
from hrnet.search.models import SearchAudience, SearchEntry
from hrnet.search.query import query_parse, query_was_cut

PAGE_SIZE = 20
RELEVANCE = "relevance"
NEWEST = "newest"


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    language: str = ""
    issue_area: str = ""  # IssueArea code
    country: str = ""  # ISO2
    year: int | None = None

    def as_params(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if value}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    url: str
    title: SafeString
    snippet: SafeString
    kind_label: str


@dataclass
class SearchResults:
    q: str
    query_cut: bool
    searched: bool  # False: no searchable words, so the newest items are listed
    sort: str
    filters: SearchFilters
    page: Page
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def kind_labels() -> dict[str, str]:
    """Labels of the kinds of searchable records, from their models' `kind`/`type` choices."""
    labels: dict[str, str] = {}
    for model in searchable_models():
        for model_field in model._meta.concrete_fields:
            if model_field.name in ("kind", "type") and model_field.choices:
                labels.update({str(value): str(label) for value, label in model_field.choices})
    labels.update(registered_kind_labels())
    return labels


def visible_entries(*, user: Actor | None) -> QuerySet[SearchEntry]:
    """Entries `user` may find: published by now; members-only ones for the network; those
    of named groups for readers holding one of their audience keys."""
    entries = SearchEntry.objects.filter(published_at__lte=timezone.now())
    visible = Q(visibility=PUBLIC)
    if is_network_member(user):
        visible |= Q(visibility=MEMBERS)
    keys = audiences_of(user)
    if keys:
        visible |= Q(
            visibility=GROUP,
            pk__in=SearchAudience.objects.filter(key__in=sorted(keys)).values("entry_id"),
        )
    return entries.filter(visible)


def _filtered(entries: QuerySet[SearchEntry], filters: SearchFilters) -> QuerySet[SearchEntry]:
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.language:
        entries = entries.filter(language=filters.language)
    if filters.issue_area:
        entries = entries.filter(issue_areas__code=filters.issue_area)
    if filters.country:
        entries = entries.filter(countries__iso2=filters.country.upper())
    if filters.year:
        entries = entries.filter(year=filters.year)
    return entries


def _counts(entries: QuerySet[SearchEntry]) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of `entries` and, per facet, how many have each value: one statement,
    so the full-text match runs once (the CTE is materialised: it is read six times).
    CROSS JOIN makes SQLite walk the matches and look up their links, not the reverse
    (PostgreSQL plans it as an inner join either way)."""
    try:
        sql, params = (
            entries.order_by().values("id", "kind", "language", "year").query.sql_with_params()
        )
    except EmptyResultSet:  # a filter no row can match, e.g. a year out of the field's range
        return 0, {}
    areas = SearchEntry.issue_areas.through._meta.db_table
    countries = SearchEntry.countries.through._meta.db_table
    statement = f"""
        WITH m AS MATERIALIZED ({sql})
        SELECT 'total', NULL, COUNT(*) FROM m
        UNION ALL SELECT 'kind', kind, COUNT(*) FROM m GROUP BY kind
        UNION ALL SELECT 'language', language, COUNT(*) FROM m GROUP BY language
        UNION ALL SELECT 'year', CAST(year AS VARCHAR(10)), COUNT(*) FROM m GROUP BY year
        UNION ALL SELECT 'issue_area', CAST(t.issuearea_id AS VARCHAR(20)), COUNT(*)
            FROM m CROSS JOIN {areas} t WHERE t.searchentry_id = m.id GROUP BY t.issuearea_id
        UNION ALL SELECT 'country', CAST(t.country_id AS VARCHAR(20)), COUNT(*)
            FROM m CROSS JOIN {countries} t WHERE t.searchentry_id = m.id
            GROUP BY t.country_id
    """  # noqa: S608 - table names from the models; values are parameters
    total = 0
    counts: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for facet, value, n in cursor.fetchall():
            if facet == "total":
                total = n
            elif value not in (None, ""):
                counts.setdefault(facet, {})[str(value)] = n
    return total, counts


def _facets(
    counts: dict[str, dict[str, int]], filters: SearchFilters
) -> dict[str, list[FacetValue]]:
    kinds = kind_labels()
    languages = dict(settings.LANGUAGES)
    area_counts = {int(pk): n for pk, n in counts.get("issue_area", {}).items()}
    country_counts = {int(pk): n for pk, n in counts.get("country", {}).items()}
    areas = IssueArea.objects.filter(pk__in=area_counts)
    countries_found = Country.objects.filter(pk__in=country_counts)

    def by_count(values: list[FacetValue]) -> list[FacetValue]:
        return sorted(values, key=lambda v: (-v.count, v.label))

    return {
        "kind": by_count(
            [
                FacetValue(k, kinds.get(k, k), n, k == filters.kind)
                for k, n in counts.get("kind", {}).items()
            ]
        ),
        "language": by_count(
            [
                FacetValue(code, str(languages.get(code, code)), n, code == filters.language)
                for code, n in counts.get("language", {}).items()
            ]
        ),
        "issue_area": by_count(
            [
                FacetValue(a.code, str(a), area_counts[a.pk], a.code == filters.issue_area)
                for a in areas
            ]
        ),
        "country": by_count(
            [
                FacetValue(c.iso2, c.name, country_counts[c.pk], c.iso2 == filters.country.upper())
                for c in countries_found
            ]
        ),
        "year": sorted(
            [
                FacetValue(y, y, n, y == str(filters.year))
                for y, n in counts.get("year", {}).items()
            ],
            key=lambda v: v.value,
            reverse=True,
        ),
    }


def _snippet(entry: SearchEntry, stems: set[str]) -> SafeString:
    """From the summary if the query's words are in it, else from the text; when neither
    has them (a browse, or a match on the title only), the start of the summary."""
    for source in (entry.summary, entry.body):
        scanned = source[: highlight.SCANNED_CHARS]
        if stems and stems & set(text.stems(scanned)):
            return highlight.snippet(source, stems)
    return highlight.snippet(entry.summary or entry.body, stems)


def _url(entry: SearchEntry) -> str:
    try:
        return reverse(entry.url_name, args=[entry.object_id])
    except NoReverseMatch:
        return ""


def search(
    *,
    user: Actor | None,
    q: str = "",
    filters: SearchFilters | None = None,
    sort: str = "",
    page: int | str = 1,
    facets: bool = True,
    with_links: bool = False,
) -> SearchResults:
    """The entries matching `q` and `filters` that `user` may see, one page of them with
    highlighted titles and snippets, and the facet counts over all of them.

    An empty query (or one of stop words only) lists the newest entries, still filtered and
    faceted, so the search page doubles as a browser of everything published.
    `with_links` fetches each hit's issue areas and countries (the API lists them)."""
    filters = filters or SearchFilters()
    query = query_parse(q)
    entries = _filtered(visible_entries(user=user), filters)
    if sort not in (RELEVANCE, NEWEST):
        sort = RELEVANCE if query else NEWEST
    if query and sort == RELEVANCE:
        ordered = engines.ranked(entries, query).order_by("-score", "-published_at", "pk")
    elif query:
        ordered = engines.matching(entries, query).order_by("-published_at", "pk")
    else:
        ordered = entries.order_by("-published_at", "pk")
    if query:
        entries = engines.matching(entries, query)
    ordered = ordered.defer("vector")
    if with_links:
        ordered = ordered.prefetch_related("issue_areas", "countries")
    paginator = Paginator(ordered, PAGE_SIZE)
    facet_values: dict[str, list[FacetValue]] = {}
    if facets:
        total, counts = _counts(entries)
        paginator.__dict__["count"] = total  # counted already; Paginator caches `count`
        facet_values = _facets(counts, filters)
    result_page = paginator.get_page(page)
    stems = query.stems
    kinds = kind_labels()
    hits = [
        Hit(
            entry=entry,
            url=_url(entry),
            title=highlight.highlight(entry.title, stems),
            snippet=_snippet(entry, stems),
            kind_label=kinds.get(entry.kind, entry.kind),
        )
        for entry in result_page.object_list
    ]
    return SearchResults(
        q=q,
        query_cut=query_was_cut(q),
        searched=bool(query),
        sort=sort,
        filters=filters,
        page=result_page,
        hits=hits,
        facets=facet_values,
    )
