"""Pages of the evidence dashboards: the regional overview (map and comparison table) and a
country's profile, and the CSV of each chart and table, built by the same code as the page
so a download never holds more than the page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hrnet.core import charts
from hrnet.core.exports import CSV_TYPE, csv_bytes, download_response, export_throttled
from hrnet.core.htmx import is_htmx_fragment
from hrnet.evidence.models import Indicator
from hrnet.evidence.selectors import dashboards
from hrnet.geo.models import Country
from hrnet.members.selectors.directory import map_shapes

DEFAULT_MAP_INDICATOR = "NSP_COVERAGE"
DEFAULT_COLUMNS = ("PWID_SIZE_ESTIMATE", *dashboards.COVERAGE_CODES)
MAX_COLUMNS = 12


@dataclass(frozen=True)
class DataTable:
    """A table as the page shows it and its CSV writes it."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list[str]]


def _year_param(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "").strip()
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2100 else None


def _overview(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    indicators = dashboards.visible_indicators(user=user)
    by_code = {indicator.code: indicator for indicator in indicators}
    asked = request.GET.get("indicator", "").strip().upper()
    map_indicator: Indicator | None = by_code.get(asked) or by_code.get(DEFAULT_MAP_INDICATOR)
    if map_indicator is None:
        map_indicator = next((i for i in indicators if i.has_bands), None) or (
            indicators[0] if indicators else None
        )
    years = dashboards.indicator_years(user=user, indicator=map_indicator) if map_indicator else []
    year = _year_param(request) or (years[0] if years else timezone.localdate().year)
    columns = [code for code in request.GET.getlist("columns") if code in by_code][:MAX_COLUMNS]
    if not columns:
        columns = [code for code in DEFAULT_COLUMNS if code in by_code]
    codes = list(dict.fromkeys([*columns, *([map_indicator.code] if map_indicator else [])]))
    table = dashboards.regional_table(user=user, indicators=codes, year_from=year, year_to=year)
    column_indicators = [i for i in table.indicators if i.code in columns]
    rows = [
        dashboards.CountryRow(
            country=row.country,
            cells=[table.cell(i.code, row.country.iso2, year) for i in column_indicators],
        )
        for row in table.rows(year)
    ]
    map_chart = None
    if map_indicator is not None:
        map_chart = charts.choropleth(
            dashboards.map_from_table(table, indicator=map_indicator, year=year), map_shapes()
        )
    regional = DataTable(
        slug="table",
        title=_("Regional comparison, %(year)s") % {"year": year},
        headers=[
            _("Country"),
            *[
                text
                for i in column_indicators
                for text in (i.name, _("%(indicator)s: band") % {"indicator": i.name})
            ],
        ],
        rows=[
            [
                row.country.name,
                *[
                    text
                    for cell in row.cells
                    for text in (
                        charts.number_text(cell.value) if cell else "—",
                        cell.band_label if cell else "",
                    )
                ],
            ]
            for row in rows
        ],
    )
    query = urlencode(
        [
            ("indicator", map_indicator.code if map_indicator else ""),
            ("year", year),
            *[("columns", code) for code in columns],
        ]
    )
    return {
        "indicators": indicators,
        "map_indicator": map_indicator,
        "years": years,
        "year": year,
        "columns": columns,
        "column_indicators": column_indicators,
        "rows": rows,
        "map_chart": map_chart,
        "downloads": {"map": map_chart, "table": regional},
        "query": query,
    }


def overview(request: HttpRequest) -> HttpResponse:
    context = _overview(request)
    if is_htmx_fragment(request):
        return render(request, "evidence/dashboards/partials/overview_results.html", context)
    return render(request, "evidence/dashboards/overview.html", context)


def _profile(request: HttpRequest, iso2: str) -> dict[str, Any]:
    country = get_object_or_404(Country.objects.select_related("subregion"), iso2=iso2.upper())
    user = request.user
    profile = dashboards.country_profile(user=user, country=country, year=_year_param(request))
    trend_charts = [
        charts.line_chart(
            group.series,
            title=_("%(chart)s, %(country)s") % {"chart": group.title, "country": country.name},
            slug=f"trend-{group.slug}",
        )
        for group in profile.trends
    ]
    cascade_chart = None
    if profile.cascade:
        cascade_chart = charts.bar_chart(
            profile.cascade,
            title=_("Hepatitis C care cascade, %(country)s, %(year)s")
            % {"country": country.name, "year": profile.cascade_year},
            slug="cascade",
        )
    site_period, site_values = dashboards.site_values(user=user, country=country)
    downloads: dict[str, Any] = {chart.slug: chart for chart in trend_charts}
    if cascade_chart:
        downloads[cascade_chart.slug] = cascade_chart
    downloads["coverage"] = DataTable(
        slug="coverage",
        title=_("Coverage, %(country)s") % {"country": country.name},
        headers=[_("Indicator"), _("Value"), _("Band"), _("Source"), _("Year"), _("Origin")],
        rows=[
            [
                cell.label,
                charts.number_text(cell.value),
                cell.band_label,
                cell.source_label,
                cell.period,
                cell.origin_label,
            ]
            for cell in profile.cards + profile.coverage
        ],
    )
    if site_values:
        downloads["sites"] = DataTable(
            slug="sites",
            title=_("Values of sites, %(country)s, %(period)s")
            % {"country": country.name, "period": site_period},
            headers=[_("Site"), _("Organisation"), _("Indicator"), _("Period"), _("Value")],
            rows=[
                [value.site_name, value.organisation, value.label, value.period, value.text]
                for value in site_values
            ],
        )
    return {
        "country": country,
        "profile": profile,
        "trend_charts": trend_charts,
        "cascade_chart": cascade_chart,
        "site_period": site_period,
        "site_values": site_values,
        "downloads": downloads,
        "suppression_threshold": settings.HRNET_SUPPRESSION_THRESHOLD,
        "query": urlencode(
            [("country", country.iso2), *([("year", profile.year)] if profile.year else [])]
        ),
    }


def country_profile(request: HttpRequest, iso2: str) -> HttpResponse:
    return render(request, "evidence/dashboards/country_profile.html", _profile(request, iso2))


def chart_csv(request: HttpRequest, kind: str) -> HttpResponse:
    """The data of one chart or table of a dashboard page, as CSV."""
    if kind in {"map", "table"}:
        context = _overview(request)
    else:
        country = request.GET.get("country", "")
        if not country:
            raise Http404
        context = _profile(request, country)
    download = context["downloads"].get(kind)
    if download is None:
        raise Http404
    if (refused := export_throttled(request)) is not None:
        return refused
    return download_response(
        csv_bytes(download.headers, download.rows),
        filename=f"{kind}.csv",
        content_type=CSV_TYPE,
    )


urlpatterns = [
    path("", overview, name="overview"),
    path("countries/<str:iso2>/", country_profile, name="country_profile"),
    path("charts/<slug:kind>.csv", chart_csv, name="chart_csv"),
]
