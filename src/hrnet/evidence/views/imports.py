"""Pages of the evidence imports: the upload of values (tidy CSV/XLSX or DHIS2 JSON) as a
background job, the templates, the export of the values one may see, and the DHIS2
mapping table."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hrnet.core.exports import anonymous_xlsx_too_large, download_response, export_throttled
from hrnet.core.forms import ImportForm
from hrnet.core.imports import FileUnreadable
from hrnet.core.policies import policy_required
from hrnet.core.services import import_start
from hrnet.core.views import import_job_submit
from hrnet.evidence import exports
from hrnet.evidence.dhis2 import dhis2_export, dhis2_mapping_list
from hrnet.evidence.forms.imports import ExportForm, ValuesImportForm
from hrnet.evidence.imports.values import values_importer_for
from hrnet.evidence.policies import data_value_policy
from hrnet.evidence.selectors.values import ValueFilters


@policy_required(data_value_policy, "change")
def values_import(request: HttpRequest) -> HttpResponse:
    form = ValuesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        importer_name, fmt = values_importer_for(upload.name or "", form.cleaned_data["format"])
        try:
            job = import_start(
                importer_name=importer_name,
                upload=upload,
                partial=form.cleaned_data["partial"],
                actor=request.user,
                fmt=fmt,
                options={"source": form.cleaned_data["source"].strip()},
            )
        except FileUnreadable as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("core:job_detail", job_id=job.pk)
    return render(
        request, "evidence/imports/upload.html", {"form": form, "export_form": ExportForm()}
    )


@policy_required(data_value_policy, "change")
def values_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return exports.template_export(fmt=fmt)


def values_export(request: HttpRequest) -> HttpResponseBase:
    """The values the visitor may see (the policy decides), as a file: CSV is streamed; an
    XLSX workbook is built whole, so readers who have not signed in get one only up to a
    bound (HRNET_ANONYMOUS_XLSX_MAX_ROWS). Anonymous exports count against an hourly
    allowance per address."""
    if not request.GET:
        return render(request, "evidence/imports/export.html", {"form": ExportForm()})
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "evidence/imports/export.html", {"form": form}, status=400)
    if (refused := export_throttled(request)) is not None:
        return refused
    data = form.cleaned_data
    fmt = data["format"]
    if fmt == "dhis2":
        document = dhis2_export(
            user=request.user,
            indicators=[data["indicator"]] if data["indicator"] else [],
            countries=[data["country"]] if data["country"] else [],
            periods=[data["period"]] if data["period"] else [],
        )
        content = json.dumps(document, ensure_ascii=False, indent=1).encode()
        return download_response(
            content, filename="dataValueSets.json", content_type="application/json"
        )
    values = exports.export_values(
        user=request.user,
        filters=ValueFilters(
            indicator=data["indicator"].strip(),
            country=data["country"].strip(),
            period=data["period"],
        ),
    )
    if fmt == "xlsx":
        if anonymous_xlsx_too_large(request, rows=exports.export_size(values)):
            form.add_error(
                None,
                _(
                    "An XLSX file of more than %(limit)s values is made only for those who "
                    "are signed in. Download CSV instead (any spreadsheet program opens it), "
                    "or choose an indicator, a country or a period to export fewer values."
                )
                % {"limit": number_format(settings.HRNET_ANONYMOUS_XLSX_MAX_ROWS)},
            )
            return render(request, "evidence/imports/export.html", {"form": form}, status=400)
        return exports.values_xlsx(values)
    return exports.values_csv(values)


@policy_required(data_value_policy, "change")
def dhis2_mappings(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if started := import_job_submit(request, form, importer_name="evidence.dhis2_mappings"):
        return started
    return render(
        request,
        "evidence/imports/dhis2_mappings.html",
        {
            "form": form,
            "mappings": dhis2_mapping_list(user=request.user).order_by("kind", "dhis2_id"),
            "title": _("DHIS2 mappings"),
        },
    )


urlpatterns: list[URLPattern] = [
    path("imports/", values_import, name="values_import"),
    path("imports/template.<str:fmt>", values_template, name="values_template"),
    path("imports/export/", values_export, name="values_export"),
    path("imports/dhis2-mappings/", dhis2_mappings, name="dhis2_mappings"),
]
