"""Public pages of the anonymised rights statistics: the table with its bar chart, the CSV
of the same table and a printable report. Every number comes from
`rights.selectors.statistics.statistics_table`, already suppressed and rounded; nothing here reads
a case."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.charts import Bar, Chart, bar_chart
from hrnet.core.exports import CSV_TYPE, csv_bytes, download_response, export_throttled
from hrnet.geo.models import Country
from hrnet.rights.forms.statistics import StatisticsFilterForm
from hrnet.rights.selectors.statistics import StatisticsTable, statistics_table

TITLES = {
    "country": gettext_lazy("Cases by country"),
    "year": gettext_lazy("Cases by year"),
    "violation_type": gettext_lazy("Cases by violation type"),
    "perpetrator_type": gettext_lazy("Cases by perpetrator type"),
    "response": gettext_lazy("Cases by response"),
}


def _table(request: HttpRequest) -> tuple[StatisticsFilterForm, StatisticsTable]:
    form = StatisticsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    table = statistics_table(
        country=data.get("country") or None,
        year=data.get("year") or None,
        group_by=data.get("group_by") or "violation_type",
    )
    return form, table


def _query(table: StatisticsTable) -> str:
    items: list[tuple[str, str]] = [("group_by", table.group_by)]
    if table.country:
        items.append(("country", table.country))
    if table.year:
        items.append(("year", str(table.year)))
    return urlencode(items)


def _scope(table: StatisticsTable) -> str:
    place = (
        str(Country.objects.filter(iso2=table.country).first() or table.country)
        if table.country
        else _("all countries")
    )
    period = str(table.year) if table.year else _("all years")
    return _("%(title)s: %(place)s, %(period)s") % {
        "title": TITLES[table.group_by],
        "place": place,
        "period": period,
    }


def statistics_chart(table: StatisticsTable, *, title: str, slug: str = "rights-chart") -> Chart:
    """Horizontal bars of the published numbers only (a suppressed cell is a short hatched
    stub labelled "<5"), readable in black and white and by screen readers; a wide and a
    phone layout."""
    bars = [Bar(label=r.label, value=r.count.value, text=r.count.text) for r in table.rows]
    return bar_chart(bars, title=title, slug=slug, hatch_unknown=True)


def _context(request: HttpRequest) -> dict[str, Any]:
    form, table = _table(request)
    title = _scope(table)
    return {
        "form": form,
        "table": table,
        "title": title,
        "chart": statistics_chart(table, title=title),
        "query": _query(table),
        "note": method_note(table),
    }


def statistics_page(request: HttpRequest) -> HttpResponse:
    return render(request, "rights/statistics/page.html", _context(request))


def statistics_report(request: HttpRequest) -> HttpResponse:
    return render(request, "rights/statistics/report.html", _context(request))


def statistics_report_css(request: HttpRequest) -> HttpResponse:
    # Served from here (same origin, so the CSP allows it) to keep the report self-contained.
    response = render(request, "rights/statistics/report.css", content_type="text/css")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The aggregate table only: category labels and published counts."""
    _form, table = _table(request)
    if (refused := export_throttled(request)) is not None:
        return refused
    name = "-".join(
        ["rights-statistics", table.group_by]
        + ([table.country.lower()] if table.country else [])
        + ([str(table.year)] if table.year else [])
    )
    rows = [
        *[[item.label, item.count.text] for item in table.rows],
        [_("Total"), table.total.text],
        [method_note(table), ""],
    ]
    return download_response(
        csv_bytes([table.group_label, _("Cases")], rows),
        filename=f"{name}.csv",
        content_type=CSV_TYPE,
    )


def method_note(table: StatisticsTable) -> str:
    note = _(
        "Counts are rounded down to a multiple of %(threshold)s; fewer than %(threshold)s "
        "(including none) is shown as <%(threshold)s."
    ) % {"threshold": table.threshold}
    if table.multi_valued:
        note += " " + _(
            "A case can be counted under several categories, so the rows do not add up to "
            "the total."
        )
    return note


urlpatterns: list[URLPattern] = [
    path("statistics/", statistics_page, name="statistics"),
    path("statistics.csv", statistics_csv, name="statistics_csv"),
    path("statistics/report/", statistics_report, name="statistics_report"),
    path("statistics/report.css", statistics_report_css, name="statistics_report_css"),
]
