"""Pages of programme reporting: the forms due for a member's sites, the entry of one
form for one site and month (draft, submit, outlier confirmation), the secretariat's
reopening of a locked form and the completeness of reporting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.evidence.forms.reporting import UNKNOWN_SUFFIX, EntryForm, ReopenForm
from hrnet.evidence.models import ReportingForm
from hrnet.evidence.selectors import reporting as reporting_selectors
from hrnet.evidence.services import reporting as reporting_services
from hrnet.members.policies import is_secretariat
from hrnet.outreach.models import Site


def _login_required(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


DUE_PAGE_SIZE = 50

# `?overdue=1`, `?waiting=1`: the queues the start page links to, the oldest first.
DUE_FILTERS = {
    "overdue": reporting_selectors.forms_overdue,
    "waiting": reporting_selectors.forms_waiting,
}


def forms_due(request: HttpRequest) -> HttpResponse:
    """Each form x site x month, the newest month first; filtered, the oldest first."""
    if response := _login_required(request):
        return response
    if (
        not is_secretariat(request.user)
        and not reporting_selectors.reportable_sites(user=request.user).exists()
    ):
        raise PermissionDenied
    shown = next((name for name in DUE_FILTERS if request.GET.get(name) == "1"), "")
    if shown:
        items = DUE_FILTERS[shown](user=request.user)
    else:
        items = reporting_selectors.forms_due(user=request.user)
    page = Paginator(items, DUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/reporting/forms_due.html",
        {
            "items": page.object_list,
            "page": page,
            "shown": shown,
            "filters": {shown: "1"} if shown else {},
            "may_see_completeness": is_secretariat(request.user),
        },
    )


def _entry(
    request: HttpRequest, form_code: str, site_id: int, period: str
) -> reporting_selectors.Entry:
    try:
        form = reporting_selectors.form_get(code=form_code)
    except ReportingForm.DoesNotExist as exc:
        raise Http404 from exc
    site = get_object_or_404(Site, pk=site_id)
    try:
        return reporting_selectors.entry_get(user=request.user, form=form, site=site, period=period)
    except ValidationError as exc:
        raise Http404 from exc


def _initial(entry: reporting_selectors.Entry) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for code, value in entry.values.items():
        if value.is_unknown:
            initial[code + UNKNOWN_SUFFIX] = True
        elif value.value is not None:
            initial[code] = value.value.normalize()
    return initial


def entry(request: HttpRequest, form_code: str, site_id: int, period: str) -> HttpResponse:
    if response := _login_required(request):
        return response
    current = _entry(request, form_code, site_id, period)
    warnings: dict[str, str] = {}
    if request.method == "POST":
        form = EntryForm(request.POST, fields=current.fields, disabled=not current.may_edit)
        if not current.may_edit:
            raise PermissionDenied
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                reporting_services.form_entry_save(
                    actor=request.user,
                    form=current.form,
                    site=current.site,
                    period=period,
                    data=form.entry(submit=submit),
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except reporting_services.OutliersFound as found:
                warnings = found.warnings
            else:
                messages.success(
                    request, _("The form was submitted.") if submit else _("The draft was saved.")
                )
                return redirect(
                    "evidence:reporting_entry", form_code=form_code, site_id=site_id, period=period
                )
    else:
        form = EntryForm(
            initial=_initial(current), fields=current.fields, disabled=not current.may_edit
        )
    rows = [
        (field, value, unknown, warnings.get(field.indicator.code))
        for field, value, unknown in form.rows()
    ]
    return render(
        request,
        "evidence/reporting/entry.html",
        {
            "entry": current,
            "form": form,
            "rows": rows,
            "warnings": warnings,
            "reopen_form": ReopenForm() if is_secretariat(request.user) else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def reopen(request: HttpRequest, form_code: str, site_id: int, period: str) -> HttpResponse:
    if response := _login_required(request):
        return response
    if not is_secretariat(request.user):
        raise PermissionDenied
    current = _entry(request, form_code, site_id, period)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reporting_services.form_submission_reopen(
                actor=request.user,
                form=current.form,
                site=current.site,
                period=period,
                until=form.cleaned_data["until"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The form was reopened for the site's staff."))
            return redirect(
                "evidence:reporting_entry", form_code=form_code, site_id=site_id, period=period
            )
    entry_form = EntryForm(initial=_initial(current), fields=current.fields, disabled=True)
    return render(
        request,
        "evidence/reporting/entry.html",
        {
            "entry": current,
            "form": entry_form,
            "rows": [(*row, None) for row in entry_form.rows()],
            "warnings": {},
            "reopen_form": form,
        },
        status=400,
    )


def completeness(request: HttpRequest) -> HttpResponse:
    if response := _login_required(request):
        return response
    if not is_secretariat(request.user):
        raise PermissionDenied
    forms = list(ReportingForm.objects.filter(is_active=True))
    chosen = next((f for f in forms if f.code == request.GET.get("form")), None)
    chosen = chosen or (forms[0] if forms else None)
    months = (
        reporting_selectors.completeness(user=request.user, form=chosen)
        if chosen is not None
        else []
    )
    return render(
        request,
        "evidence/reporting/completeness.html",
        {"forms": forms, "chosen": chosen, "months": months},
    )


urlpatterns: list[URLPattern] = [
    path("reporting/", forms_due, name="reporting_due"),
    path("reporting/completeness/", completeness, name="reporting_completeness"),
    path("reporting/<slug:form_code>/<int:site_id>/<str:period>/", entry, name="reporting_entry"),
    path(
        "reporting/<slug:form_code>/<int:site_id>/<str:period>/reopen/",
        reopen,
        name="reporting_reopen",
    ),
]
