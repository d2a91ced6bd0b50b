"""The intake reviewers' pages: the queue of public reports sent to the secretariat that
wait for someone (oldest first, paged), giving one to a member organisation's documenters
or sharing it with a named reviewer; and the superusers' page that names intake reviewers.

The queue shows no report's text (the reference, dates, country and kinds of violation);
a reviewer opens a report on its case page, an audited read. Each page's list of cases is
audited as the case list is. No answer may be cached.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.accounts.roles import Role
from hrnet.core.policies import policy_required
from hrnet.core.sensitive import records_shown_audit
from hrnet.members.models import Organisation
from hrnet.rights.audit import Action
from hrnet.rights.forms.cases import secretariat_reviewers
from hrnet.rights.forms.queue import AssignForm, IntakeReviewerForm, QueueShareForm
from hrnet.rights.models import Case
from hrnet.rights.policies import case_policy
from hrnet.rights.selectors.intake import (
    assignable_organisations,
    intake_waiting,
    secretariat_staff,
)
from hrnet.rights.services import intake as services
from hrnet.rights.views.cases import no_store

PAGE_SIZE = 25


def reviewer_choices() -> list[tuple[int, str]]:
    """The secretariat's reviewers as (id, "Name (email)"), read once per page."""
    return [
        (user.pk, f"{user.get_full_name()} ({user.email})" if user.get_full_name() else user.email)
        for user in secretariat_reviewers()
    ]


@no_store
@policy_required(case_policy, "assign")
def intake_queue(request: HttpRequest) -> HttpResponse:
    queryset = (
        intake_waiting(user=request.user)
        .select_related("country")
        .prefetch_related("violation_types")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    shown: list[Case] = list(page.object_list)
    records_shown_audit(
        actor=request.user, action=Action.CASE_LIST, records=shown, key="cases", request=request
    )
    organisations = assignable_organisations()
    reviewers = reviewer_choices()
    rows = [
        {
            "case": case,
            "assign_form": AssignForm(organisations=organisations, auto_id=f"a{case.pk}-%s"),
            "share_form": QueueShareForm(reviewers=reviewers, auto_id=f"s{case.pk}-%s"),
        }
        for case in shown
    ]
    return render(
        request,
        "rights/intake/queue.html",
        {"rows": rows, "page": page, "total": page.paginator.count},
    )


def _waiting_case(request: HttpRequest, reference: str) -> Case | None:
    """The report `reference` if it still waits; None (with a message) if not, whether
    someone else took it or it never was one: a reference reveals nothing more."""
    case = intake_waiting(user=request.user).filter(reference=reference).first()
    if case is None:
        messages.warning(
            request, _("This report no longer waits: someone assigned or shared it already.")
        )
    return case


def _refused(request: HttpRequest, exc: ValidationError, refused: str) -> None:
    messages.error(request, " ".join([refused, *exc.messages]))


@no_store
@require_POST
@policy_required(case_policy, "assign")
def intake_assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = _waiting_case(request, reference)
    if case is None:
        return redirect("rights:intake_queue")
    form = AssignForm(request.POST, organisations=assignable_organisations())
    refused = _("The report was not assigned.")
    if not form.is_valid():
        messages.error(request, " ".join([refused, _("Choose an organisation.")]))
        return redirect("rights:intake_queue")
    organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
    try:
        services.case_intake_assign(
            actor=request.user, case=case, organisation=organisation, request=request
        )
    except ValidationError as exc:
        _refused(request, exc, refused)
    except PermissionDenied:
        messages.warning(
            request, _("This report no longer waits: someone assigned or shared it already.")
        )
    else:
        messages.success(
            request,
            _("Report %(reference)s was given to the documenters of %(name)s.")
            % {"reference": case.reference, "name": organisation.name},
        )
    return redirect("rights:intake_queue")


@no_store
@require_POST
@policy_required(case_policy, "assign")
def intake_share(request: HttpRequest, reference: str) -> HttpResponse:
    case = _waiting_case(request, reference)
    if case is None:
        return redirect("rights:intake_queue")
    form = QueueShareForm(request.POST, reviewers=reviewer_choices())
    refused = _("The report was not shared.")
    if not form.is_valid():
        messages.error(request, " ".join([refused, _("Choose a reviewer.")]))
        return redirect("rights:intake_queue")
    reviewer = get_user_model().objects.get(pk=form.cleaned_data["reviewer"])
    try:
        services.case_intake_share(
            actor=request.user, case=case, reviewer=reviewer, request=request
        )
    except ValidationError as exc:
        _refused(request, exc, refused)
    except PermissionDenied:
        messages.warning(
            request, _("This report no longer waits: someone assigned or shared it already.")
        )
    else:
        messages.success(
            request,
            _("Report %(reference)s was shared with %(email)s.")
            % {"reference": case.reference, "email": reviewer.email},
        )
        if reviewer.pk == request.user.pk:
            # Taken by the reviewer themselves: on to the report.
            return redirect("rights:case_detail", reference=case.reference)
    return redirect("rights:intake_queue")


@no_store
@login_required
def intake_reviewers(request: HttpRequest) -> HttpResponse:
    """Superusers name the secretariat's staff who review public reports."""
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        form = IntakeReviewerForm(request.POST)
        user = (
            get_user_model().objects.filter(pk=form.cleaned_data["user"]).first()
            if form.is_valid()
            else None
        )
        if user is None:
            messages.error(request, _("Choose a person of the secretariat."))
        else:
            try:
                if form.cleaned_data["named"]:
                    services.intake_reviewer_add(actor=request.user, user=user, request=request)
                    done = _("%(email)s now reviews public reports.")
                else:
                    services.intake_reviewer_revoke(actor=request.user, user=user, request=request)
                    done = _("%(email)s no longer reviews public reports.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, done % {"email": user.email})
        return redirect("rights:intake_reviewers")
    staff: list[dict[str, Any]] = [
        {
            "user": user,
            "named": any(group.name == Role.INTAKE_REVIEWER for group in user.groups.all()),
        }
        for user in secretariat_staff()
    ]
    return render(request, "rights/intake/reviewers.html", {"staff": staff})


urlpatterns: list[URLPattern] = [
    path("intake/", intake_queue, name="intake_queue"),
    path("intake/reviewers/", intake_reviewers, name="intake_reviewers"),
    path("intake/<str:reference>/assign/", intake_assign, name="intake_assign"),
    path("intake/<str:reference>/share/", intake_share, name="intake_share"),
]
