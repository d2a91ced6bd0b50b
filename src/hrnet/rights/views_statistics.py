"""Public pages of the anonymised rights statistics: the table with its bar chart, the CSV
of the same table and a printable report. Every number comes from
`rights.statistics.statistics_table`, already suppressed and rounded; nothing here reads
a case."""

from __future__ import annotations

import csv
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.geo.models import Country
from hrnet.rights.statistics import (
    GROUP_BY_CHOICES,
    StatisticsTable,
    statistics_countries,
    statistics_table,
    statistics_years,
)

TITLES = {
    "country": gettext_lazy("Cases by country"),
    "year": gettext_lazy("Cases by year"),
    "violation_type": gettext_lazy("Cases by violation type"),
    "perpetrator_type": gettext_lazy("Cases by perpetrator type"),
    "response": gettext_lazy("Cases by response"),
}


class StatisticsFilterForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("Group by"), required=False, choices=GROUP_BY_CHOICES.items()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = cast(forms.ChoiceField, self.fields["country"])
        year_field = cast(forms.ChoiceField, self.fields["year"])
        country_field.choices = [
            ("", _("All countries")),
            *((country.iso2, country.name) for country in statistics_countries()),
        ]
        year_field.choices = [
            ("", _("All years")),
            *((str(year), str(year)) for year in statistics_years()),
        ]


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


def bar_chart_svg(table: StatisticsTable, *, title: str, slug: str = "rights-chart") -> SafeString:
    """Horizontal bars of the published numbers only (a suppressed cell is a short hatched
    stub labelled "<5"), readable in black and white and by screen readers."""
    width, left, top, row = 720, 12, 48, 46
    height = top + row * len(table.rows) + 12
    peak = max((r.count.value or 0 for r in table.rows), default=0)
    room = width - left - 120
    scale = room / peak if peak else 0
    description = " ".join(f"{r.label}: {r.count.text}." for r in table.rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{slug}-title {slug}-desc" class="chart__svg" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{slug}-title">{escape(title)}</title>'
        f'<desc id="{slug}-desc">{escape(description)}</desc>'
        f'<defs><pattern id="{slug}-hatch" patternUnits="userSpaceOnUse" width="6" '
        f'height="6"><rect width="6" height="6" fill="#ffffff"/>'
        f'<path d="M0 6 L6 0" stroke="#1b1f24" stroke-width="1.2"/></pattern></defs>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="12" y="28" font-size="18" font-weight="700" fill="#1b1f24">'
        f"{escape(title[:80])}</text>"
    ]
    for index, item in enumerate(table.rows):
        y = top + row * index
        parts.append(
            f'<text x="{left}" y="{y + 12}" font-size="13" fill="#1b1f24">'
            f"{escape(item.label[:90])}</text>"
        )
        if item.count.value is None:
            length = 14
            fill = f"url(#{slug}-hatch)"
        else:
            length = max(int(item.count.value * scale), 2)
            fill = "#0b5c7a"
        parts.append(
            f'<rect x="{left}" y="{y + 18}" width="{length}" height="20" fill="{fill}" '
            f'stroke="#1b1f24" stroke-width="0.8"><title>{escape(item.label)}: '
            f"{escape(item.count.text)}</title></rect>"
            f'<text x="{left + length + 8}" y="{y + 33}" font-size="13" fill="#1b1f24">'
            f"{escape(item.count.text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _context(request: HttpRequest) -> dict[str, Any]:
    form, table = _table(request)
    title = _scope(table)
    return {
        "form": form,
        "table": table,
        "title": title,
        "chart": bar_chart_svg(table, title=title),
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


def _csv_cell(text: str) -> str:
    # A spreadsheet runs a cell that starts with these as a formula.
    if text[:1] in {"=", "+", "@", "-", "\t", "\r"}:
        return "'" + text
    return text


def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The aggregate table only: category labels and published counts."""
    _form, table = _table(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "-".join(
        ["rights-statistics", table.group_by]
        + ([table.country.lower()] if table.country else [])
        + ([str(table.year)] if table.year else [])
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow([_csv_cell(table.group_label), _("Cases")])
    for item in table.rows:
        writer.writerow([_csv_cell(item.label), item.count.text])
    writer.writerow([_("Total"), table.total.text])
    writer.writerow([_csv_cell(method_note(table)), ""])
    return response


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
