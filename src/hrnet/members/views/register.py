"""The secretariat's register tools (possible duplicates, merge, import, export,
personal-data export and erasure) and its dashboard."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.core.views import import_job_submit
from hrnet.members import imports  # importing registers the register's importers
from hrnet.members.forms.directory import DirectoryFilterForm
from hrnet.members.forms.register import IMPORTERS, MergeForm, PersonEraseForm, RegisterImportForm
from hrnet.members.models import Person
from hrnet.members.policies import (
    membership_policy,
    organisation_policy,
    person_of,
    person_policy,
)
from hrnet.members.selectors.dashboard import dashboard_get
from hrnet.members.selectors.register import duplicate_pairs, merge_plan
from hrnet.members.services import exports, privacy
from hrnet.members.services.register import (
    duplicate_dismiss,
    organisation_merge,
    person_merge,
)

# --- duplicates and merge -------------------------------------------------------------------


@policy_required(organisation_policy, "merge")
def register_duplicates(request: HttpRequest) -> HttpResponse:
    person_policy.require(request.user, "merge")
    return render(
        request,
        "members/register_duplicates.html",
        {
            "organisation_pairs": duplicate_pairs(kind="organisation"),
            "person_pairs": duplicate_pairs(kind="person"),
        },
    )


@policy_required(organisation_policy, "merge")
@require_POST
def register_not_duplicate(request: HttpRequest) -> HttpResponse:
    """Remember that a suggested pair is not one member; the pair is not suggested again."""
    person_policy.require(request.user, "merge")
    kind = request.POST.get("kind", "")
    try:
        first, second = int(request.POST.get("first", "")), int(request.POST.get("second", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Choose two different records of the register."))
    if kind not in ("organisation", "person"):
        return HttpResponseBadRequest(_("Choose two different records of the register."))
    try:
        duplicate_dismiss(
            kind=kind, first=first, second=second, actor=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as not a duplicate; this pair is not suggested again."))
    return redirect("members:register_duplicates")


@policy_required(organisation_policy, "merge")
def register_merge(request: HttpRequest) -> HttpResponse:
    person_policy.require(request.user, "merge")
    data = request.POST if request.method == "POST" else request.GET
    form = MergeForm(data if data.get("kind") else None)
    plan = None
    if form.is_valid():
        keep, merge = form.cleaned_data["keep_record"], form.cleaned_data["merge_record"]
        if request.method == "POST":
            service = (
                organisation_merge
                if form.cleaned_data["kind"] == "organisation"
                else (person_merge)
            )
            try:
                kept = service(keep=keep, merge=merge, actor=request.user, request=request)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("“%(merged)s” was merged into “%(kept)s” and moved to the trash.")
                    % {"merged": merge, "kept": kept},
                )
                return redirect("members:register_duplicates")
        plan = merge_plan(keep=keep, merge=merge)
    return render(request, "members/register_merge.html", {"form": form, "plan": plan})


# --- import and export --------------------------------------------------------------------


@policy_required(organisation_policy, "import")
def register_import(request: HttpRequest) -> HttpResponse:
    person_policy.require(request.user, "import")
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    started = import_job_submit(
        request, form, importer_name=lambda: IMPORTERS[form.cleaned_data["records"]]
    )
    if started:
        return started
    return render(
        request,
        "members/register_import.html",
        {
            "form": form,
            "organisation_columns": imports.OrganisationImporter.columns,
            "person_columns": imports.PersonImporter.columns,
        },
    )


@policy_required(organisation_policy, "export")
def register_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    records = request.GET.get("records", "organisations")
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS or records not in exports.RECORDS:
        return HttpResponseBadRequest(
            _("Ask for format=csv or xlsx, and records=organisations or people.")
        )
    if records == "people":
        person_policy.require(request.user, "export")
    # The directory's filter form reads the parameters, so the export of a filtered
    # directory has exactly the directory's filters (a value that does not fit is ignored).
    filter_form = DirectoryFilterForm(request.GET)
    filter_form.is_valid()
    export = exports.register_export(
        user=request.user,
        records=records,
        fmt=fmt,
        filters=filter_form.filters(),
        request=request,
    )
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    else:
        response = HttpResponse(b"".join(export.chunks), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- personal data ------------------------------------------------------------------------


@policy_required(person_policy, "export_personal_data")
def person_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("country", "user"), pk=pk)
    person_policy.require(request.user, "export_personal_data", person)
    data = privacy.person_data_export(person=person, actor=request.user, request=request)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@policy_required(person_policy, "export_personal_data")
def person_data_export_mine(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    return redirect("members:person_data_export", pk=person.pk)


@policy_required(person_policy, "erase")
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("country", "user"), pk=pk)
    form = PersonEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.person_erase(
                person=person,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The personal data of person #%(id)s was erased.") % {"id": person.pk},
            )
            return redirect("members:dashboard")
    context: dict[str, Any] = {
        "form": form,
        "person": person,
        "memberships": person.memberships.count(),
        "affiliations": person.affiliations.count(),
        "applications": person.applications.count(),
    }
    return render(request, "members/register_person_erase.html", context)


# --- dashboard ----------------------------------------------------------------------------


@policy_required(membership_policy, "list")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request, "members/dashboard.html", {"dashboard": dashboard_get(user=request.user)}
    )


urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboard, name="dashboard"),
    path("register/duplicates/", register_duplicates, name="register_duplicates"),
    path("register/merge/", register_merge, name="register_merge"),
    path("register/not-duplicate/", register_not_duplicate, name="register_not_duplicate"),
    path("register/import/", register_import, name="register_import"),
    path("register/export/", register_export, name="register_export"),
    path("register/my-data/", person_data_export_mine, name="person_data_export_mine"),
    path("register/people/<int:pk>/personal-data/", person_data_export, name="person_data_export"),
    path("register/people/<int:pk>/erase/", person_erase, name="person_erase"),
]
