"""Pages of service delivery: the HIV and HCV cascades of the sites one may see, per site,
country and over the selection, with a bar chart and its data table."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from hrnet.core.charts import Chart, bar_chart
from hrnet.core.policies import policy_required
from hrnet.outreach.policies import site_policy
from hrnet.outreach.selectors import cascades


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _chart(steps: list[cascades.Step], *, title: str, slug: str) -> Chart:
    chart = bar_chart(cascades.chart_steps(steps), title=title, slug=slug)
    # The data table shows "<5" where the chart has no bar.
    rows = [[*row[:1], step.text, *row[2:3]] for row, step in zip(chart.rows, steps, strict=True)]
    return replace(chart, headers=chart.headers[:3], rows=rows)


@policy_required(site_policy, "list")
def cascade_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    error = ""
    try:
        filters = cascades.filters_for(
            site=_int(params.get("site", "")),
            organisation=_int(params.get("organisation", "")),
            country=params.get("country", ""),
            period=params.get("period", ""),
            start=_date(params.get("from", "")),
            end=_date(params.get("to", "")),
        )
    except cascades.PeriodError as exc:
        error = str(exc)
        filters = cascades.filters_for(
            site=_int(params.get("site", "")),
            organisation=_int(params.get("organisation", "")),
            country=params.get("country", ""),
        )
    report = cascades.cascade_report(user=request.user, filters=filters)
    visible = list(
        cascades.cascade_sites(user=request.user).select_related("country", "organisation")
    )
    context: dict[str, Any] = {
        "report": report,
        "threshold": settings.HRNET_SUPPRESSION_THRESHOLD,
        "error": error,
        "params": params,
        "site_choices": sorted(visible, key=lambda site: site.name),
        "organisation_choices": sorted(
            {site.organisation for site in visible}, key=lambda organisation: str(organisation)
        ),
        "country_choices": sorted(
            {site.country for site in visible}, key=lambda country: country.name
        ),
        "hiv_chart": _chart(report.total.hiv, title=_("HIV cascade"), slug="hiv-cascade"),
        "hcv_chart": _chart(report.total.hcv, title=_("HCV cascade"), slug="hcv-cascade"),
        "hiv_labels": [str(label) for _code, label in cascades.HIV_STEPS],
        "hcv_labels": [str(label) for _code, label in cascades.HCV_STEPS],
    }
    return render(request, "outreach/cascades/cascade_page.html", context)


urlpatterns: list[URLPattern] = [
    path("cascades/", cascade_page, name="cascades"),
]
