"""Public pages of geography and the secretariat's upload of a network's own set."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hrnet.core.forms import ImportForm
from hrnet.core.imports import FileUnreadable
from hrnet.core.policies import policy_required
from hrnet.core.services import import_start
from hrnet.geo import selectors
from hrnet.geo.models import Country, SubRegion
from hrnet.geo.policies import country_policy

IMPORTERS = {"geography": "geo.geography", "aliases": "geo.aliases"}


def country_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "geo/country_list.html",
        {"subregions": selectors.subregion_list_with_countries()},
    )


def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    try:
        country = selectors.country_get(iso2=iso2)
    except Country.DoesNotExist as exc:
        raise Http404 from exc
    from hrnet.members.selectors.counts import country_individuals, country_organisations

    organisations = country_organisations(user=request.user, country=country)
    return render(
        request,
        "geo/country_detail.html",
        {
            "country": country,
            "aliases": country.aliases.all(),
            "organisations": organisations.order_by("name_key")[:20],
            "organisation_count": organisations.count(),
            "individual_count": country_individuals(user=request.user, country=country).count(),
        },
    )


def subregion_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        subregion = selectors.subregion_get(code=code)
    except SubRegion.DoesNotExist as exc:
        raise Http404 from exc
    organisations = selectors.subregion_organisations(user=request.user, subregion=subregion)
    return render(
        request,
        "geo/subregion_detail.html",
        {
            "subregion": subregion,
            "countries": list(subregion.countries.all()),
            "map": selectors.subregion_map(subregion=subregion),
            "organisations": organisations.order_by("country__position", "name_key")[:50],
            "organisation_count": organisations.count(),
            "module_counts": selectors.subregion_module_counts(
                user=request.user, subregion=subregion
            ),
        },
    )


@policy_required(country_policy, "import")
def geography_import(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in IMPORTERS:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_start(
                importer_name=IMPORTERS[kind],
                upload=form.cleaned_data["file"],
                partial=form.cleaned_data["partial"],
                actor=request.user,
            )
        except FileUnreadable as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("core:job_detail", job_id=job.pk)
    return render(request, "geo/geography_import.html", {"form": form, "kind": kind})
