"""Pages of funding and investments: the regional table, a country's analysis with shares
by source, the transition scenario (public), and the secretariat's pages for funding
records, exchange rates, need estimates and their imports; funding records as CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.charts import Bar, Chart, bar_chart, line_chart, number_text
from hrnet.core.exports import (
    CSV_TYPE,
    csv_bytes,
    csv_response,
    download_response,
    export_throttled,
)
from hrnet.core.forms import ImportForm, add_service_errors
from hrnet.core.policies import policy_required
from hrnet.core.views import import_job_submit
from hrnet.evidence.forms.funding import (
    CountryRangeForm,
    ExchangeRateForm,
    FundingRecordForm,
    NeedEstimateForm,
    ProjectionForm,
    RecordFilterForm,
    RegionForm,
)
from hrnet.evidence.models import ExchangeRate, FundingRecord, FundingSource, NeedEstimate
from hrnet.evidence.policies import (
    exchange_rate_policy,
    funding_record_policy,
    need_estimate_policy,
)
from hrnet.evidence.selectors import funding as funding_selectors
from hrnet.evidence.services import funding as funding_services
from hrnet.geo import selectors as geo_selectors
from hrnet.geo.models import Country

RECORDS_PER_PAGE = 50
MAX_EXPORT_RECORDS = 200_000
RECORD_COLUMNS = (
    "country",
    "year",
    "source",
    "programme_area",
    "amount",
    "currency",
    "amount_usd",
    "reference",
    "comment",
)
IMPORTERS = {
    "funding": "evidence.funding",
    "rates": "evidence.rates",
    "needs": "evidence.needs",
}
# Greys and one colour apart in lightness, so the bar reads in black and white too; the
# table beside it carries the numbers.
SOURCE_FILLS: dict[str, str] = {
    FundingSource.GLOBAL_FUND: "#1f4e79",
    FundingSource.DOMESTIC_PUBLIC: "#9dc3e6",
    FundingSource.PEPFAR: "#404040",
    FundingSource.OTHER_BILATERAL: "#7f7f7f",
    FundingSource.PRIVATE: "#bfbfbf",
    FundingSource.OTHER: "#e7e6e6",
}


@dataclass(frozen=True)
class BarSegment:
    label: str
    share: Decimal
    x: Decimal
    fill: str


def share_bar(summary: funding_selectors.YearSummary) -> list[BarSegment]:
    segments: list[BarSegment] = []
    x = Decimal(0)
    for share in summary.shares:
        if share.share:
            segments.append(BarSegment(share.label, share.share, x, SOURCE_FILLS[share.source]))
            x += share.share
    return segments


def _country(iso2: str) -> Country:
    try:
        return geo_selectors.country_get(iso2=iso2)
    except Country.DoesNotExist as exc:
        raise Http404 from exc


def _deny(request: HttpRequest) -> HttpResponse:
    """What `policy_required` answers: the login page for anonymous users, else 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _may_manage(request: HttpRequest) -> bool:
    return funding_record_policy.user_has_permission(request.user, "change")


# --- analysis -----------------------------------------------------------------------------


def _region_summary(
    request: HttpRequest,
) -> tuple[RegionForm, funding_selectors.RegionSummary | None]:
    years = funding_selectors.funding_years()
    form = RegionForm(request.GET or None, years=years)
    year = years[-1] if years else None
    subregion = None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        subregion = form.cleaned_data["subregion"]
    region = (
        funding_selectors.region_funding_summary(year=year, subregion=subregion, user=request.user)
        if year is not None
        else None
    )
    return form, region


def region_gap_chart(region: funding_selectors.RegionSummary) -> Chart | None:
    """The gap of each country with a need estimate, in one year."""
    rows = [row for row in region.countries if row.summary.gap_usd is not None]
    if not rows:
        return None
    # As a share of each country's need, so that small countries compare with large ones.
    chart = bar_chart(
        [_region_gap_bar(row) for row in rows],
        title=_("Funding gap as a share of the need, %(year)s") % {"year": region.year},
        slug="region-gap",
    )
    return replace(
        chart,
        headers=[_("Country"), _("Gap, USD"), _("Gap, percent of the need")],
        rows=[
            [
                row.country.name,
                number_text(round(row.summary.gap_usd or 0)),
                number_text(row.summary.gap_percent)
                if row.summary.gap_percent is not None
                else "—",
            ]
            for row in rows
        ],
    )


def _region_gap_bar(row: funding_selectors.CountryRow) -> Bar:
    summary = row.summary
    if summary.gap_usd is not None and summary.gap_usd <= 0:
        return replace(_gap_bar(summary), label=row.country.name)
    return Bar(
        label=row.country.name,
        value=summary.gap_percent,
        text=_("%(percent)s%% of the need (%(amount)s US dollars)")
        % {
            "percent": number_text(summary.gap_percent),
            "amount": number_text(round(summary.gap_usd or 0)),
        },
    )


def funding_region(request: HttpRequest) -> HttpResponse:
    form, region = _region_summary(request)
    chart = region_gap_chart(region) if region else None
    query = request.GET.urlencode()
    return render(
        request,
        "evidence/funding/region.html",
        {
            "form": form,
            "region": region,
            "chart": chart,
            "csv_url": reverse("evidence:funding_region_csv") + (f"?{query}" if query else ""),
            "may_manage": _may_manage(request),
        },
    )


def funding_region_csv(request: HttpRequest) -> HttpResponse:
    """The table behind the region's gap chart, as CSV."""
    _form, region = _region_summary(request)
    chart = region_gap_chart(region) if region else None
    if chart is None:
        raise Http404
    return _chart_csv(request, chart, filename="region-gap.csv")


def _chart_csv(request: HttpRequest, chart: Chart, *, filename: str) -> HttpResponse:
    if (refused := export_throttled(request)) is not None:
        return refused
    return download_response(
        csv_bytes(chart.headers, chart.rows), filename=filename, content_type=CSV_TYPE
    )


@dataclass(frozen=True)
class Line:
    """A series of `core.charts.line_chart`."""

    label: str
    points: list[tuple[int, Decimal]]


def funding_charts(summary: funding_selectors.CountrySummary) -> list[Chart]:
    """A country's funding as charts: by source over the years, funding against the need,
    and the gap; each with the table behind it."""
    country = summary.country.name
    years = summary.years
    if not years:
        return []
    by_source = [
        Line(
            label=str(label),
            points=[
                (year.year, _whole(share.amount_usd))
                for year in years
                for share in year.shares
                if share.source == source
            ],
        )
        for source, label in FundingSource.choices
        if any(share.source == source and share.amount_usd for y in years for share in y.shares)
    ]
    charts = [
        line_chart(
            by_source,
            title=_("Funding by source, US dollars, %(country)s") % {"country": country},
            slug="funding-sources",
        )
    ]
    needs = [(year.year, _whole(year.need_usd)) for year in years if year.need_usd is not None]
    lines = [
        Line(
            label=_("Funding available"),
            points=[(y.year, _whole(y.funding_usd)) for y in years],
        )
    ]
    if needs:
        lines.append(Line(label=_("Funding needed"), points=needs))
    charts.append(
        line_chart(
            lines,
            title=_("Funding needed and available, US dollars, %(country)s") % {"country": country},
            slug="funding-need",
        )
    )
    if needs:
        bars = [_gap_bar(year) for year in years]
        gap = bar_chart(
            bars,
            title=_("Funding gap (need minus funding), US dollars, %(country)s")
            % {"country": country},
            slug="funding-gap",
        )
        charts.append(
            replace(
                gap,
                headers=[_("Year"), _("Gap, USD"), _("Gap, percent of the need")],
                rows=[
                    [
                        str(year.year),
                        number_text(round(year.gap_usd)) if year.gap_usd is not None else "—",
                        number_text(year.gap_percent) if year.gap_percent is not None else "—",
                    ]
                    for year in years
                ],
            )
        )
    return charts


def _whole(amount: Decimal) -> Decimal:
    """Dollars without cents: charts of millions need no cents."""
    return amount.quantize(Decimal(1))


def _gap_bar(year: funding_selectors.YearSummary) -> Bar:
    label = str(year.year)
    if year.gap_usd is None:
        return Bar(label=label, value=None, text=_("need not known"))
    if year.gap_usd <= 0:
        return Bar(
            label=label,
            value=0,
            text=_("no gap: funding exceeds the need by %(amount)s")
            % {"amount": number_text(round(-year.gap_usd))},
        )
    return Bar(
        label=label,
        value=year.gap_usd,
        text=_("%(amount)s (%(percent)s%% of the need)")
        % {"amount": number_text(round(year.gap_usd)), "percent": number_text(year.gap_percent)},
    )


def _country_summary(
    request: HttpRequest, iso2: str
) -> tuple[Country, CountryRangeForm, funding_selectors.CountrySummary]:
    country = _country(iso2)
    form = CountryRangeForm(request.GET or None)
    year_from = year_to = None
    if form.is_valid():
        year_from = form.cleaned_data["year_from"]
        year_to = form.cleaned_data["year_to"]
    summary = funding_selectors.country_funding_summary(
        country=country, year_from=year_from, year_to=year_to, user=request.user
    )
    return country, form, summary


def funding_country(request: HttpRequest, iso2: str) -> HttpResponse:
    country, form, summary = _country_summary(request, iso2)
    query = request.GET.urlencode()
    return render(
        request,
        "evidence/funding/country.html",
        {
            "country": country,
            "form": form,
            "summary": summary,
            "charts": [
                (
                    chart,
                    reverse("evidence:funding_chart_csv", args=[country.iso2, chart.slug])
                    + (f"?{query}" if query else ""),
                )
                for chart in funding_charts(summary)
            ],
            "years": [(year, share_bar(year)) for year in summary.years],
            "sources": FundingSource.choices,
            "may_manage": _may_manage(request),
        },
    )


def funding_chart_csv(request: HttpRequest, iso2: str, slug: str) -> HttpResponse:
    """The table behind one funding chart of a country, as CSV."""
    _country_obj, _form, summary = _country_summary(request, iso2)
    chart = next((chart for chart in funding_charts(summary) if chart.slug == slug), None)
    if chart is None:
        raise Http404
    return _chart_csv(request, chart, filename=f"{slug}-{iso2.lower()}.csv")


def funding_scenario(request: HttpRequest, iso2: str) -> HttpResponse:
    country = _country(iso2)
    form = ProjectionForm(request.GET or None)
    scenario = None
    if form.is_valid():
        try:
            scenario = funding_selectors.transition_scenario(
                country=country,
                source=form.cleaned_data["source"],
                from_year=form.cleaned_data["from_year"],
                to_year=form.cleaned_data["to_year"],
                projection=form.cleaned_data["projection"] or funding_selectors.Projection.FLAT,
                growth_rate=form.cleaned_data["growth_rate"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    # Each year's package funding in the order of the source columns.
    by_source = (
        [
            (
                row,
                [row.package_by_source.get(code, Decimal(0)) for code, _label in scenario.sources],
            )
            for row in scenario.years
        ]
        if scenario
        else []
    )
    return render(
        request,
        "evidence/funding/scenario.html",
        {"country": country, "form": form, "scenario": scenario, "by_source": by_source},
    )


# --- funding records ----------------------------------------------------------------------


def _filtered_records(request: HttpRequest) -> tuple[RecordFilterForm, Any]:
    form = RecordFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "country": data["country"].iso2 if data["country"] else "",
            "year": data["year"],
            "source": data["source"],
        }
    return form, funding_selectors.funding_record_list(user=request.user, **filters)


def funding_record_list(request: HttpRequest) -> HttpResponse:
    form, records = _filtered_records(request)
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/funding/record_list.html",
        {
            "form": form,
            "page": page,
            # the filters, for the links to the other pages
            "filters": {key: value for key, value in request.GET.items() if key != "page"},
            "count": page.paginator.count,
            "query": request.GET.urlencode(),
            "may_manage": _may_manage(request),
        },
    )


def funding_record_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered records as CSV, in the columns the importer reads (plus US dollars),
    streamed as they are read."""
    _form, records = _filtered_records(request)
    if (refused := export_throttled(request)) is not None:
        return refused
    rows = (
        [
            record.country.iso2,
            record.year,
            record.source,
            record.programme_area,
            record.amount,
            record.currency,
            record.amount_usd,
            record.reference,
            record.comment,
        ]
        for record in records[:MAX_EXPORT_RECORDS].iterator(chunk_size=1000)
    )
    return csv_response(RECORD_COLUMNS, rows, filename="funding.csv")


@policy_required(funding_record_policy, "add")
def funding_record_add(request: HttpRequest) -> HttpResponse:
    form = FundingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            funding_services.funding_record_create(
                data=form.to_data(), actor=request.user, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The funding record is saved."))
            return redirect("evidence:funding_record_list")
    return render(request, "evidence/funding/record_form.html", {"form": form, "record": None})


@policy_required(funding_record_policy, "change")
def funding_record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(FundingRecord, pk=pk)
    form = FundingRecordForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            funding_services.funding_record_update(
                record=record, data=form.to_data(), actor=request.user, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The funding record is saved."))
            return redirect("evidence:funding_record_list")
    return render(request, "evidence/funding/record_form.html", {"form": form, "record": record})


@require_POST
@policy_required(funding_record_policy, "delete")
def funding_record_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(FundingRecord, pk=pk)
    funding_services.funding_record_delete(record=record, actor=request.user, request=request)
    messages.success(request, _("The funding record is deleted."))
    return redirect("evidence:funding_record_list")


# --- exchange rates and need estimates ----------------------------------------------------


def _list_with_form(
    request: HttpRequest,
    *,
    may_manage: bool,
    form: ExchangeRateForm | NeedEstimateForm,
    save: Callable[[], object],
    done: str,
    url_name: str,
    template: str,
    items_name: str,
    items: Callable[[], object],
) -> HttpResponse:
    """A list page with the form that sets one of its entries: a post from one who may
    not manage them gets what `policy_required` answers; a saved entry goes back to the
    list (`url_name`) with `done`; else the page again, with the form's errors."""
    if request.method == "POST":
        if not may_manage:
            return _deny(request)
        if form.is_valid():
            try:
                save()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect(url_name)
    return render(request, template, {"form": form, items_name: items(), "may_manage": may_manage})


def exchange_rate_list(request: HttpRequest) -> HttpResponse:
    form = ExchangeRateForm(request.POST or None)
    return _list_with_form(
        request,
        may_manage=exchange_rate_policy.user_has_permission(request.user, "change"),
        form=form,
        save=lambda: funding_services.exchange_rate_set(
            **form.to_data().__dict__, actor=request.user, request=request
        ),
        done=_("The rate is saved and the amounts in its currency reconverted."),
        url_name="evidence:exchange_rate_list",
        template="evidence/funding/rate_list.html",
        items_name="rates",
        items=lambda: funding_selectors.exchange_rate_list(user=request.user),
    )


@require_POST
@policy_required(exchange_rate_policy, "delete")
def exchange_rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_object_or_404(ExchangeRate, pk=pk)
    try:
        funding_services.exchange_rate_delete(rate=rate, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The rate is deleted."))
    return redirect("evidence:exchange_rate_list")


def need_estimate_list(request: HttpRequest) -> HttpResponse:
    form = NeedEstimateForm(request.POST or None)
    return _list_with_form(
        request,
        may_manage=need_estimate_policy.user_has_permission(request.user, "change"),
        form=form,
        save=lambda: funding_services.need_estimate_set(
            data=form.to_data(), actor=request.user, request=request
        ),
        done=_("The need estimate is saved."),
        url_name="evidence:need_estimate_list",
        template="evidence/funding/need_list.html",
        items_name="needs",
        items=lambda: funding_selectors.need_estimate_list(user=request.user),
    )


@require_POST
@policy_required(need_estimate_policy, "delete")
def need_estimate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(NeedEstimate, pk=pk)
    funding_services.need_estimate_delete(need=need, actor=request.user, request=request)
    messages.success(request, _("The need estimate is deleted."))
    return redirect("evidence:need_estimate_list")


@policy_required(funding_record_policy, "import")
def funding_import(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in IMPORTERS:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if started := import_job_submit(request, form, importer_name=IMPORTERS[kind]):
        return started
    return render(request, "evidence/funding/import.html", {"form": form, "kind": kind})


urlpatterns: list[URLPattern] = [
    path("funding/", funding_region, name="funding_region"),
    path("funding/charts/region-gap.csv", funding_region_csv, name="funding_region_csv"),
    path("funding/records/", funding_record_list, name="funding_record_list"),
    path("funding/records/export.csv", funding_record_export, name="funding_record_export"),
    path("funding/records/add/", funding_record_add, name="funding_record_add"),
    path("funding/records/<int:pk>/edit/", funding_record_edit, name="funding_record_edit"),
    path("funding/records/<int:pk>/delete/", funding_record_delete, name="funding_record_delete"),
    path("funding/rates/", exchange_rate_list, name="exchange_rate_list"),
    path("funding/rates/<int:pk>/delete/", exchange_rate_delete, name="exchange_rate_delete"),
    path("funding/needs/", need_estimate_list, name="need_estimate_list"),
    path("funding/needs/<int:pk>/delete/", need_estimate_delete, name="need_estimate_delete"),
    path("funding/import/<str:kind>/", funding_import, name="funding_import"),
    path("funding/<str:iso2>/", funding_country, name="funding_country"),
    path("funding/<str:iso2>/scenario/", funding_scenario, name="funding_scenario"),
    path(
        "funding/<str:iso2>/charts/<slug:slug>.csv",
        funding_chart_csv,
        name="funding_chart_csv",
    ),
]
