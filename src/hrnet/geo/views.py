"""The country list and the secretariat's upload of a network's own set (the country and
sub-region pages, which count across apps, are composed in the portal app)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hrnet.core.forms import ImportForm
from hrnet.core.imports import FileUnreadable
from hrnet.core.policies import policy_required
from hrnet.core.services import import_start
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
