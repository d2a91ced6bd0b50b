"""The country list and the secretariat's upload of a network's own set (the country and
sub-region pages, which count across apps, are composed in the portal app)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from hrnet.core.forms import ImportForm
from hrnet.core.policies import policy_required
from hrnet.core.views import import_job_submit
from hrnet.geo import selectors
from hrnet.geo.policies import country_policy

IMPORTERS = {"geography": "geo.geography", "aliases": "geo.aliases"}


def country_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "geo/country_list.html",
        {"subregions": selectors.subregion_list_with_countries()},
    )


@policy_required(country_policy, "import")
def geography_import(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in IMPORTERS:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if started := import_job_submit(request, form, importer_name=IMPORTERS[kind]):
        return started
    return render(request, "geo/geography_import.html", {"form": form, "kind": kind})
