"""One search over everything registered as searchable (news, resources): ranked,
filtered, faceted, and limited to what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.members.policies import is_network_member
from hrnet.search import engines, highlight, text
from hrnet.search.documents import PUBLIC, searchable_models
from hrnet.search.models import SearchEntry
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
    return labels


def visible_entries(*, user: Any) -> QuerySet[SearchEntry]:
    """Entries `user` may find: published by now, and members-only ones for the network."""
    entries = SearchEntry.objects.filter(published_at__lte=timezone.now())
    if not is_network_member(user):
        entries = entries.filter(visibility=PUBLIC)
    return entries


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


def _link_counts(through: Any, column: str, ids: QuerySet) -> dict[int, int]:
    """How many of the entries `ids` link to each issue area or country."""
    rows = through.objects.filter(searchentry_id__in=ids).values(column).annotate(n=Count("id"))
    return dict(rows.values_list(column, "n"))


def _facets(entries: QuerySet[SearchEntry], filters: SearchFilters) -> dict[str, list[FacetValue]]:
    ids = entries.values("id")
    kinds = kind_labels()
    languages = dict(settings.LANGUAGES)

    def counted(column: str) -> list[tuple[Any, int]]:
        rows = entries.order_by().values(column).annotate(n=Count("id")).values_list(column, "n")
        return [(value, n) for value, n in rows if value not in (None, "")]

    area_counts = _link_counts(SearchEntry.issue_areas.through, "issuearea_id", ids)
    country_counts = _link_counts(SearchEntry.countries.through, "country_id", ids)
    areas = IssueArea.objects.filter(pk__in=area_counts)
    countries = Country.objects.filter(pk__in=country_counts)

    def by_count(values: list[FacetValue]) -> list[FacetValue]:
        return sorted(values, key=lambda v: (-v.count, v.label))

    return {
        "kind": by_count(
            [FacetValue(k, kinds.get(k, k), n, k == filters.kind) for k, n in counted("kind")]
        ),
        "language": by_count(
            [
                FacetValue(code, str(languages.get(code, code)), n, code == filters.language)
                for code, n in counted("language")
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
                for c in countries
            ]
        ),
        "year": sorted(
            [FacetValue(str(y), str(y), n, y == filters.year) for y, n in counted("year")],
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
    user: Any,
    q: str = "",
    filters: SearchFilters | None = None,
    sort: str = "",
    page: int | str = 1,
    facets: bool = True,
) -> SearchResults:
    """The entries matching `q` and `filters` that `user` may see, one page of them with
    highlighted titles and snippets, and the facet counts over all of them.

    An empty query (or one of stop words only) lists the newest entries, still filtered and
    faceted, so the search page doubles as a browser of everything published."""
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
    paginator = Paginator(
        ordered.defer("vector").prefetch_related("issue_areas", "countries"), PAGE_SIZE
    )
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
        facets=_facets(entries, filters) if facets else {},
    )
