"""Pages of the evidence imports: the upload of values (tidy CSV/XLSX or DHIS2 JSON) as a
background job, the templates, the export of the values one may see, and the DHIS2
mapping table."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

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

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "dhis2": "application/json",
}


def _download(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    return _download(exports.template_export(fmt=fmt), filename=f"values-template.{fmt}", fmt=fmt)


def values_export(request: HttpRequest) -> HttpResponse:
    """The values the visitor may see (the policy decides), as a file."""
    if not request.GET:
        return render(request, "evidence/imports/export.html", {"form": ExportForm()})
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "evidence/imports/export.html", {"form": form}, status=400)
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
        return _download(content, filename="dataValueSets.json", fmt=fmt)
    values = exports.export_values(
        user=request.user,
        filters=ValueFilters(
            indicator=data["indicator"].strip(),
            country=data["country"].strip(),
            period=data["period"],
        ),
    )[: exports.MAX_EXPORT_ROWS]
    return _download(
        exports.values_export(values=values, fmt=fmt), filename=f"values.{fmt}", fmt=fmt
    )


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
