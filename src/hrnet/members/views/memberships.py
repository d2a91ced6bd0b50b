"""Membership pages: one's own memberships, renewal, and the secretariat's override."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.accounts.models import User
from hrnet.core.forms import add_service_errors
from hrnet.core.models import AuditEntry
from hrnet.members.audit import action_label
from hrnet.members.forms.memberships import OverrideForm, RenewalForm
from hrnet.members.models import Membership
from hrnet.members.policies import (
    administered_organisation_ids,
    is_secretariat,
    membership_policy,
)
from hrnet.members.selectors.principles import renewal_needs_principles
from hrnet.members.selectors.renewals import renewals_due
from hrnet.members.services import memberships as services


def _membership_for(request: HttpRequest, pk: int, action: str) -> Membership:
    try:
        membership = Membership.objects.select_related(
            "organisation", "person", "type", "principles_version", "inherited_from__organisation"
        ).get(pk=pk)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc
    if not membership_policy.user_has_permission_for_instance(request.user, "view", membership):
        raise Http404
    if action != "view":
        membership_policy.require(request.user, action, membership)
    return membership


@login_required
def membership_mine(request: HttpRequest) -> HttpResponse:
    # One's own, also for the secretariat (who can open everyone's from the register).
    memberships = Membership.objects.filter(
        Q(person__user=request.user)
        | Q(organisation__in=administered_organisation_ids(request.user))
    ).select_related("organisation", "person", "type", "inherited_from__organisation")
    mine = list(memberships)
    # A renewal is due when the term ends within 30 days, or has ended (grace, lapsed).
    ids = [m.pk for m in mine]
    due = set(renewals_due(user=request.user).filter(pk__in=ids).values_list("pk", flat=True))
    for membership in mine:
        membership.renewal_due = not membership.inherited_from_id and (  # type: ignore[attr-defined]
            membership.pk in due
            or membership.status in (Membership.Status.GRACE, Membership.Status.LAPSED)
        )
    return render(request, "members/membership_mine.html", {"memberships": mine})


def _status_change(changes: object) -> str:
    """ "Active → Lapsed" from an entry's changes, in words; "" when it has none."""
    status = changes.get("status") if isinstance(changes, dict) else None
    if not isinstance(status, dict):
        return ""
    labels: dict[str, str] = {code: str(label) for code, label in Membership.Status.choices}
    old, new = str(status.get("old") or "—"), str(status.get("new") or "—")
    return f"{labels.get(old, old)} → {labels.get(new, new)}"


def _detail_context(request: HttpRequest, membership: Membership) -> dict[str, object]:
    context: dict[str, object] = {
        "membership": membership,
        "needs_principles": renewal_needs_principles(membership),
        "may_renew": membership_policy.user_has_permission_for_instance(
            request.user, "renew", membership
        )
        and not membership.inherited_from_id,
        "may_override": membership_policy.user_has_permission_for_instance(
            request.user, "override", membership
        )
        and not membership.inherited_from_id,
        "renewal_form": RenewalForm(),
        "override_form": OverrideForm(
            initial={"status": membership.status_override, "reason": membership.override_reason}
        ),
    }
    if is_secretariat(request.user):
        history = list(
            AuditEntry.objects.filter(
                content_type__app_label="members",
                content_type__model="membership",
                object_id=str(membership.pk),
            )[:50]
        )
        for entry in history:
            entry.label = action_label(entry.action)  # type: ignore[attr-defined]
            entry.detail = _status_change(entry.changes)  # type: ignore[attr-defined]
        context["history"] = history
    return context


@login_required
def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk, "view")
    return render(request, "members/membership_detail.html", _detail_context(request, membership))


@login_required
@require_POST
def membership_renew(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk, "renew")
    form = RenewalForm(request.POST)
    form.is_valid()
    required = renewal_needs_principles(membership)
    accepted = required if form.cleaned_data.get("accept_principles") else None
    try:
        services.membership_renew(
            membership=membership,
            actor=request.user,
            accepted_principles=accepted,
            request=request,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        context = _detail_context(request, membership)
        context["renewal_form"] = form
        return render(request, "members/membership_detail.html", context, status=400)
    messages.success(
        request,
        _("Renewed: the membership now runs until %(date)s.")
        % {"date": date_format(membership.end_date) if membership.end_date else "—"},
    )
    return redirect("members:membership_detail", pk=membership.pk)


@login_required
@require_POST
def membership_override(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk, "override")
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.membership_override(
                membership=membership,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=cast(User, request.user),  # only the secretariat may override
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The status was saved."))
            return redirect("members:membership_detail", pk=membership.pk)
    context = _detail_context(request, membership)
    context["override_form"] = form
    return render(request, "members/membership_detail.html", context, status=400)


urlpatterns: list[URLPattern] = [
    path("memberships/mine/", membership_mine, name="membership_mine"),
    path("memberships/<int:pk>/", membership_detail, name="membership_detail"),
    path("memberships/<int:pk>/renew/", membership_renew, name="membership_renew"),
    path("memberships/<int:pk>/status/", membership_override, name="membership_override"),
]
