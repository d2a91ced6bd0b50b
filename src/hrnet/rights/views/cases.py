"""Pages of the rights cases for documenters, named reviewers and administrators who broke
the glass: the cases one may read, recording and editing a case, a case with its
responses (referrals followed through edits that keep history), evidence files,
sharing, closing and reopening with a reason, and the break-glass form.

A case one may not read answers 404, like a case that does not exist, whoever asks (a
member or a documenter of another organisation alike), so a reference reveals nothing;
the lists answer 403 (or the sign-in page) to those who may see no case at all. Every
read of a case goes through `services.cases.case_read` (audited), every file through
`services.cases.case_file_read`. No answer of these pages may be cached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.policies import policy_required
from hrnet.core.sensitive import records_shown_audit
from hrnet.core.types import Actor
from hrnet.members.models import Organisation
from hrnet.rights import crypto
from hrnet.rights.audit import Action
from hrnet.rights.forms.cases import (
    BreakGlassForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    EvidenceForm,
    ReopenForm,
    ResponseForm,
    ShareForm,
)
from hrnet.rights.forms.queue import AssignForm
from hrnet.rights.models import BreakGlass, Case, CaseFile, CaseResponse
from hrnet.rights.policies import (
    case_policy,
    case_queryset_for,
    documenter_organisation_ids,
    may_break_glass,
)
from hrnet.rights.selectors import cases as case_selectors
from hrnet.rights.selectors.intake import assignable_organisations
from hrnet.rights.services import cases as services
from hrnet.rights.vocabulary import key_population_label, perpetrator_label

PAGE_SIZE = 25
logger = logging.getLogger(__name__)


def key_missing_page(request: HttpRequest, exc: crypto.DecryptionError) -> HttpResponse:
    """A case this server cannot decrypt (its key is not in HRNET_RIGHTS_KEYS, e.g. a server
    not yet given a new key): 503 with what to tell the administrator, not a server error.
    Nothing is lost; the page works again once the key is configured."""
    fingerprints = getattr(exc, "fingerprints", ())
    logger.error(
        "Rights data cannot be decrypted on %s (%s): missing key fingerprints %s",
        request.path,
        type(exc).__name__,
        ", ".join(fingerprints) or "unknown",
    )
    response = render(
        request,
        "rights/key_missing.html",
        {"fingerprints": fingerprints, "damaged": not isinstance(exc, crypto.KeyMissingError)},
        status=503,
    )
    response["Retry-After"] = "300"
    return response


def no_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every answer of a case page, refusals included, is kept out of every cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exc:
            response = defaults.page_not_found(request, exc)
        except PermissionDenied as exc:
            response = defaults.permission_denied(request, exc)
        except crypto.DecryptionError as exc:
            response = key_missing_page(request, exc)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, private, max-age=0"
        return response

    return wrapped


def _case_for(request: HttpRequest, reference: str, action: str = "view") -> Case:
    """The case `reference` if the user may do `action` on it; 404 when they may not even
    read it (existence is not revealed), 403 when they read it but may not do `action`."""
    readable = case_queryset_for(request.user)
    case = readable.filter(reference=reference).first()
    if case is None:
        raise Http404
    if action != "view" and not case_policy.user_has_permission_for_instance(
        request.user, action, case
    ):
        raise PermissionDenied
    return case


def _organisation_choices(user: Actor) -> list[tuple[int, str]]:
    ids = documenter_organisation_ids(user)
    choices = [(org.pk, org.name) for org in Organisation.objects.filter(pk__in=ids)]
    return sorted(choices, key=lambda choice: choice[1])


@no_store
@policy_required(case_policy, "list")
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    status, country = "", None
    if form.is_valid():
        if form.cleaned_data["status"]:
            status = form.cleaned_data["status"]
            filters["status"] = status
        if form.cleaned_data["country"]:
            country = form.cleaned_data["country"]
            filters["country"] = str(country.pk)
    sort = request.GET.get("sort", "")
    if sort in case_selectors.SORTS:
        filters["sort"] = sort
    else:
        # A status filter makes the list a queue: what waits longest comes first.
        sort = case_selectors.SORT_OLDEST if status else case_selectors.SORT_NEWEST
    queryset = case_selectors.case_list(
        user=request.user, status=status, country=country, sort=sort
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    records_shown_audit(
        actor=request.user, action=Action.CASE_LIST, records=shown, key="cases", request=request
    )
    return render(
        request,
        "rights/cases/case_list.html",
        {
            "form": form,
            "cases": shown,
            "page": page,
            "filters": filters,
            "sort": sort,
            "sorts": (
                (case_selectors.SORT_OLDEST, _("Waiting longest first")),
                (case_selectors.SORT_NEWEST, _("Most recent incident first")),
            ),
            "may_add": case_policy.user_has_permission(request.user, "add"),
        },
    )


def _case_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "date_from": data["date_from"],
        "date_to": data["date_to"],
        "country": data["country"],
        "locality": data["locality"],
        "age_group": data["age_group"],
        "gender": data["gender"],
        "key_populations": data["key_populations"],
        "violation_types": list(data["violation_types"]),
        "perpetrator_types": data["perpetrator_types"],
        "narrative": data["narrative"],
        "person_description": data["person_description"],
        "consent_to_record": data["consent_to_record"],
        "consent_to_share": data["consent_to_share"],
        "consent_to_advocacy": data["consent_to_advocacy"],
        "consent_date": data["consent_date"],
    }


@no_store
@policy_required(case_policy, "add")
def case_new(request: HttpRequest) -> HttpResponse:
    organisations = _organisation_choices(request.user)
    form = CaseForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
        try:
            # One transaction: a refused evidence file leaves no case behind, and the
            # documenter sees the whole form again.
            with transaction.atomic():
                case = services.case_create(
                    actor=request.user,
                    organisation=organisation,
                    request=request,
                    **_case_fields(form.cleaned_data),
                )
                if form.cleaned_data.get("evidence"):
                    try:
                        services.case_file_add(
                            actor=request.user,
                            case=case,
                            upload=form.cleaned_data["evidence"],
                            request=request,
                        )
                    except ValidationError as exc:
                        form.add_error("evidence", exc.messages)
                        raise _EvidenceRefusedError from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        except _EvidenceRefusedError:
            pass
        else:
            messages.success(request, _("The case was recorded."))
            return redirect("rights:case_detail", reference=case.reference)
    status = 400 if form.errors else 200
    return render(request, "rights/cases/case_form.html", {"form": form}, status=status)


class _EvidenceRefusedError(Exception):
    """Rolls back the case whose evidence file was refused."""


@no_store
@login_required
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference, "change")
    case = services.case_read(actor=request.user, case=case, request=request)
    form = CaseForm(
        request.POST or None,
        initial=CaseForm.initial_for(case),
        organisations=[],
        with_file=False,
    )
    # A case stays with its organisation (or the secretariat's, for an intake case).
    del form.fields["organisation"]
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user, case=case, request=request, **_case_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("rights:case_detail", reference=case.reference)
    status = 400 if form.errors else 200
    return render(
        request, "rights/cases/case_form.html", {"form": form, "case": case}, status=status
    )


def _detail_context(
    request: HttpRequest,
    case: Case,
    *,
    response_form: ResponseForm | None = None,
    evidence_form: EvidenceForm | None = None,
    share_form: ShareForm | None = None,
    close_form: CloseForm | None = None,
    reopen_form: ReopenForm | None = None,
) -> dict[str, Any]:
    user = request.user
    may_change = case_policy.user_has_permission_for_instance(user, "change", case)
    may_share = case_policy.user_has_permission_for_instance(user, "share", case)
    # An intake reviewer on a report that waits: give it away or share it from here too.
    may_assign = case_policy.user_has_permission_for_instance(user, "assign", case)
    is_open = case.status != Case.Status.CLOSED
    return {
        "case": case,
        "key_populations": [key_population_label(c) for c in case.key_populations],
        "perpetrators": [perpetrator_label(c) for c in case.perpetrator_types],
        "violations": list(case.violation_types.all()),
        "responses": _responses(case),
        "files": list(case.files.all()),
        "shares": list(case.shares.select_related("reviewer")) if may_share else [],
        "may_change": may_change,
        "may_share": may_share,
        "may_assign": may_assign,
        "assign_form": AssignForm(organisations=assignable_organisations()) if may_assign else None,
        # A closed case takes no response until it is reopened.
        "response_form": (response_form or ResponseForm()) if may_change and is_open else None,
        "evidence_form": (evidence_form or EvidenceForm()) if may_change else None,
        "share_form": share_form or ShareForm(),
        "close_form": (close_form or CloseForm()) if may_change and is_open else None,
        "reopen_form": (reopen_form or ReopenForm()) if may_change and not is_open else None,
        "break_glass": BreakGlass.objects.filter(
            case=case, user=user.pk, expires_at__gt=timezone.now()
        ).first()
        if may_break_glass(user)
        else None,
    }


def _responses(case: Case) -> list[CaseResponse]:
    """The case's responses, each with its earlier versions (newest first)."""
    return list(case.responses.select_related("created_by").prefetch_related("versions"))


def _render_detail(
    request: HttpRequest, case: Case, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "rights/cases/case_detail.html",
        _detail_context(request, case, **forms),
        status=status,
    )


@no_store
@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference)
    case = services.case_read(actor=request.user, case=case, request=request)
    return _render_detail(request, case)


@no_store
@require_POST
@login_required
def case_response_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference, "change")
    form = ResponseForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.case_response_add(
                actor=request.user, case=case, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = True
    if not is_htmx_fragment(request):
        if saved:
            messages.success(request, _("The response was added."))
            return redirect("rights:case_detail", reference=case.reference)
        # A refusal for no field (a closed case) has no form to stand on: say it above.
        for error in form.non_field_errors():
            messages.error(request, str(error))
        case = services.case_read(actor=request.user, case=case, request=request)
        return _render_detail(request, case, status=400, response_form=form)
    # The fragment shows the case's responses: a read, audited like the page.
    case = services.case_read(actor=request.user, case=case, request=request)
    return render(
        request,
        "rights/cases/partials/responses.html",
        {
            "case": case,
            "responses": _responses(case),
            "may_change": True,
            "response_form": ResponseForm() if saved else form,
            "saved": saved,
        },
        status=200 if saved else 400,
    )


@no_store
@login_required
def case_response_edit(request: HttpRequest, reference: str, response_id: int) -> HttpResponse:
    """Change a response (a referral's status and outcome as it is followed); the version
    replaced stays listed under it."""
    case = _case_for(request, reference, "change")
    response = get_object_or_404(CaseResponse, pk=response_id, case=case)
    case = services.case_read(actor=request.user, case=case, request=request)
    initial = {name: getattr(response, name) for name in services.RESPONSE_FIELDS}
    form = ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_response_update(
                actor=request.user, response=response, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The response was saved."))
            return redirect(f"{case_detail_url(case)}#response-{response.pk}")
    return render(
        request,
        "rights/cases/response_form.html",
        {
            "case": case,
            "response": response,
            "versions": list(response.versions.select_related("changed_by")),
            "form": form,
            "is_closed": case.status == Case.Status.CLOSED,
        },
        status=400 if form.errors else 200,
    )


def case_detail_url(case: Case) -> str:
    return reverse("rights:case_detail", args=[case.reference])


def _case_form_post(
    request: HttpRequest,
    *,
    case: Case,
    form: EvidenceForm | ShareForm | CloseForm | ReopenForm,
    form_name: str,
    save: Callable[[dict[str, Any]], object],
    done: str,
    refused: str,
    errors_on: str | None = None,
) -> HttpResponse:
    """The post of a form of the case page: `save(cleaned_data)` and back to the case with
    `done`; else the case page again (an audited read) with the form (`form_name`) and its
    errors, `refused` and status 400. A service's refusal goes on the field `errors_on`
    when given, else where the service names it."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            if errors_on:
                form.add_error(errors_on, exc.messages)
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("rights:case_detail", reference=case.reference)
    messages.error(request, refused)
    case = services.case_read(actor=request.user, case=case, request=request)
    return _render_detail(request, case, status=400, **{form_name: form})


@no_store
@require_POST
@login_required
def case_file_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference, "change")
    return _case_form_post(
        request,
        case=case,
        form=EvidenceForm(request.POST, request.FILES),
        form_name="evidence_form",
        save=lambda data: services.case_file_add(
            actor=request.user, case=case, upload=data["evidence"], request=request
        ),
        done=_("The file was added."),
        refused=_("The file was not added."),
        errors_on="evidence",
    )


@no_store
@login_required
def case_file(request: HttpRequest, reference: str, file_id: int) -> HttpResponse:
    case = _case_for(request, reference)
    case_file = get_object_or_404(CaseFile, pk=file_id, case=case)
    content = services.case_file_read(actor=request.user, case_file=case_file, request=request)
    response = HttpResponse(content, content_type=case_file.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=case_file.original_name)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@no_store
@require_POST
@login_required
def case_share(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference, "share")
    return _case_form_post(
        request,
        case=case,
        form=ShareForm(request.POST),
        form_name="share_form",
        save=lambda data: services.case_share(
            actor=request.user, case=case, reviewer=data["reviewer"], request=request
        ),
        done=_("The case was shared with the reviewer you named."),
        refused=_("The case was not shared."),
    )


@no_store
@require_POST
@login_required
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference, "change")
    return _case_form_post(
        request,
        case=case,
        form=CloseForm(request.POST),
        form_name="close_form",
        save=lambda data: services.case_close(
            actor=request.user, case=case, reason=data["reason"], request=request
        ),
        done=_("The case was closed."),
        refused=_("The case was not closed."),
    )


@no_store
@require_POST
@login_required
def case_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference, "change")
    return _case_form_post(
        request,
        case=case,
        form=ReopenForm(request.POST),
        form_name="reopen_form",
        save=lambda data: services.case_reopen(
            actor=request.user, case=case, reason=data["reason"], request=request
        ),
        done=_("The case was reopened."),
        refused=_("The case was not reopened."),
    )


@no_store
@login_required
def case_break_glass(request: HttpRequest, reference: str) -> HttpResponse:
    # Only administrators learn that a reference exists here.
    if not may_break_glass(request.user):
        raise Http404
    case = get_object_or_404(Case, reference=reference)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_break_glass(
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.warning(
                request, _("The case is open to you for 24 hours. The organisation was told.")
            )
            return redirect("rights:case_detail", reference=case.reference)
    status = 400 if form.errors else 200
    return render(
        request,
        "rights/cases/break_glass.html",
        {"form": form, "reference": case.reference},
        status=status,
    )


def rights_start(request: HttpRequest) -> HttpResponse:
    """/rights/ (the address the README gives): the cases for those who may list them,
    else the public page for reporting a violation."""
    if case_policy.user_has_permission(request.user, "list"):
        return redirect("rights:case_list")
    return redirect("rights:intake")


urlpatterns: list[URLPattern] = [
    path("", rights_start, name="start"),
    path("cases/", case_list, name="case_list"),
    path("cases/new/", case_new, name="case_new"),
    path("cases/<str:reference>/", case_detail, name="case_detail"),
    path("cases/<str:reference>/edit/", case_edit, name="case_edit"),
    path("cases/<str:reference>/responses/", case_response_add, name="case_response_add"),
    path(
        "cases/<str:reference>/responses/<int:response_id>/edit/",
        case_response_edit,
        name="case_response_edit",
    ),
    path("cases/<str:reference>/files/", case_file_add, name="case_file_add"),
    path("cases/<str:reference>/files/<int:file_id>/", case_file, name="case_file"),
    path("cases/<str:reference>/share/", case_share, name="case_share"),
    path("cases/<str:reference>/close/", case_close, name="case_close"),
    path("cases/<str:reference>/reopen/", case_reopen, name="case_reopen"),
    path("cases/<str:reference>/break-glass/", case_break_glass, name="case_break_glass"),
]
