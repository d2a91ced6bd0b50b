"""Pages of funding and investments: the regional table, a country's analysis with shares
by source, the transition scenario (public), and the secretariat's pages for funding
records, exchange rates, need estimates and their imports; funding records as CSV."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import ImportForm, add_service_errors
from hrnet.core.policies import policy_required
from hrnet.core.views import import_job_submit
from hrnet.evidence.forms.funding import (
    CountryRangeForm,
    ExchangeRateForm,
    FundingRecordForm,
    NeedEstimateForm,
    RecordFilterForm,
    RegionForm,
    ScenarioForm,
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


def funding_region(request: HttpRequest) -> HttpResponse:
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
    return render(
        request,
        "evidence/funding/region.html",
        {"form": form, "region": region, "may_manage": _may_manage(request)},
    )


def funding_country(request: HttpRequest, iso2: str) -> HttpResponse:
    country = _country(iso2)
    form = CountryRangeForm(request.GET or None)
    year_from = year_to = None
    if form.is_valid():
        year_from = form.cleaned_data["year_from"]
        year_to = form.cleaned_data["year_to"]
    summary = funding_selectors.country_funding_summary(
        country=country, year_from=year_from, year_to=year_to, user=request.user
    )
    return render(
        request,
        "evidence/funding/country.html",
        {
            "country": country,
            "form": form,
            "summary": summary,
            "years": [(year, share_bar(year)) for year in summary.years],
            "sources": FundingSource.choices,
            "may_manage": _may_manage(request),
        },
    )


def funding_scenario(request: HttpRequest, iso2: str) -> HttpResponse:
    country = _country(iso2)
    form = ScenarioForm(request.GET or None)
    scenario = None
    if form.is_valid():
        try:
            scenario = funding_selectors.transition_scenario(
                country=country,
                source=form.cleaned_data["source"],
                from_year=form.cleaned_data["from_year"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "evidence/funding/scenario.html",
        {"country": country, "form": form, "scenario": scenario},
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
    return render(
        request,
        "evidence/funding/record_list.html",
        {
            "form": form,
            "records": records[:1000],
            "count": records.count(),
            "query": request.GET.urlencode(),
            "may_manage": _may_manage(request),
        },
    )


def funding_record_export(request: HttpRequest) -> HttpResponse:
    """The filtered records as CSV, in the columns the importer reads (plus US dollars)."""
    _form, records = _filtered_records(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="funding.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "country",
            "year",
            "source",
            "programme_area",
            "amount",
            "currency",
            "amount_usd",
            "reference",
            "comment",
        ]
    )
    for record in records.iterator(chunk_size=1000):
        writer.writerow(
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
        )
    return response


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
]
