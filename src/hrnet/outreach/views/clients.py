"""Pages of client records, for the staff of sites and the managers allowed to see them
(`policies.client_policy`): finding a client by UIC with the recent clients of one's sites, a
client's record with contacts, referral follow-up and duplicate suggestions, merging.

A client one may not see answers 404, like a client that does not exist. Every page that
shows client records writes an audit entry naming the clients by id.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.policies import policy_required
from hrnet.core.sensitive import records_shown_audit
from hrnet.outreach.audit import Action
from hrnet.outreach.forms.clients import ClientMergeForm, ClientSearchForm, ReferralOutcomeForm
from hrnet.outreach.models import Client, Referral
from hrnet.outreach.policies import client_policy
from hrnet.outreach.selectors import clients as client_selectors
from hrnet.outreach.services import clients, contacts


def _client(request: HttpRequest, pk: int) -> Client:
    try:
        return client_selectors.client_get(user=request.user, pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404 from exc


@policy_required(client_policy, "list")
def client_list(request: HttpRequest) -> HttpResponse:
    # The page's form posts the code, so it stays out of access logs and browser history;
    # ?uic= works too (links, the brief's address).
    form = ClientSearchForm((request.POST if request.method == "POST" else request.GET) or None)
    found: list[Client] | None = None
    if form.is_valid() and form.cleaned_data["uic"]:
        found = client_selectors.clients_search(user=request.user, uic=form.cleaned_data["uic"])
        for client in found:
            clients.client_audit(
                actor=request.user, action=Action.CLIENT_FIND, client=client, request=request
            )
    recent = list(client_selectors.clients_recent(user=request.user))
    records_shown_audit(
        actor=request.user,
        action=Action.CLIENT_LIST,
        records=recent,
        key="clients",
        request=request,
    )
    return render(
        request,
        "outreach/clients/client_list.html",
        {"form": form, "found": found, "recent": recent, "limit": client_selectors.RECENT_LIMIT},
    )


def _labels(codes: list[str], known: dict[str, Any]) -> list[Any]:
    return [known.get(code, code) for code in codes]


def _detail_context(
    request: HttpRequest, client: Client, merge_form: ClientMergeForm | None = None
) -> dict[str, Any]:
    user = request.user
    duplicates = client_selectors.client_duplicates(user=user, client=client)
    mergeable = set(
        client_policy.instances_user_has_permission_for(user, "merge")
        .filter(pk__in=[client.pk, *(d.pk for d in duplicates)])
        .values_list("pk", flat=True)
    )
    may_merge = client.pk in mergeable
    contact_list = list(client_selectors.client_contacts(client=client))
    may_follow_up = client_policy.user_has_permission_for_instance(user, "change", client)
    for contact in contact_list:
        for referral in contact.referrals.all():
            referral.form = _outcome_form(referral) if may_follow_up else None  # type: ignore[attr-defined]
    return {
        "client": client,
        "substances": _labels(client.substances, clients.SUBSTANCES),
        "key_populations": _labels(client.key_populations, clients.KEY_POPULATIONS),
        "contacts": contact_list,
        "duplicates": [
            {
                "client": duplicate,
                "may_merge": may_merge and duplicate.pk in mergeable,
                "form": merge_form
                if merge_form is not None and merge_form["other"].value() == str(duplicate.pk)
                else ClientMergeForm(initial={"other": duplicate.pk}),
            }
            for duplicate in duplicates
        ],
        "may_follow_up": may_follow_up,
    }


def _outcome_form(referral: Referral) -> ReferralOutcomeForm:
    return ReferralOutcomeForm(
        initial={
            "outcome": referral.outcome,
            "outcome_on": referral.outcome_on,
            "cured": referral.cured,
        },
        prefix=f"referral-{referral.pk}",
    )


@policy_required(client_policy, "view")
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    if client.merged_into_id is not None:
        kept = client_selectors.client_resolve(client)
        return redirect("outreach:client_detail", pk=kept.pk)
    clients.client_audit(
        actor=request.user, action=Action.CLIENT_VIEW, client=client, request=request
    )
    return render(request, "outreach/clients/client_detail.html", _detail_context(request, client))


@require_POST
@policy_required(client_policy, "merge")
def client_merge(request: HttpRequest, pk: int) -> HttpResponse:
    this = _client(request, pk)
    form = ClientMergeForm(request.POST)
    if form.is_valid():
        try:
            other = client_selectors.client_get(user=request.user, pk=form.cleaned_data["other"])
        except Client.DoesNotExist:
            form.add_error("other", _("This client cannot be merged."))
        else:
            keep, merge = (
                (other, this) if form.cleaned_data["keep"] == form.KEEP_OTHER else (this, other)
            )
            try:
                clients.clients_merge(
                    actor=request.user,
                    keep=keep,
                    merge=merge,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The two records are now one: %(uic)s is kept.") % {"uic": keep.uic},
                )
                return redirect("outreach:client_detail", pk=keep.pk)
    messages.error(request, _("The records were not merged."))
    context = _detail_context(request, this, merge_form=form)
    context["merge_errors"] = [str(error) for errors in form.errors.values() for error in errors]
    return render(request, "outreach/clients/client_detail.html", context, status=400)


@require_POST
@policy_required(client_policy, "change")
def referral_outcome(request: HttpRequest, pk: int, referral_id: int) -> HttpResponse:
    client = _client(request, pk)
    referral = get_object_or_404(
        Referral.objects.select_related("contact"), pk=referral_id, contact__client=client
    )
    form = ReferralOutcomeForm(request.POST, prefix=f"referral-{referral.pk}")
    saved = False
    if form.is_valid():
        try:
            contacts.referral_outcome_set(
                actor=request.user,
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                outcome_on=form.cleaned_data["outcome_on"],
                cured=form.cleaned_data["cured"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = True
    if not is_htmx_fragment(request):
        if saved:
            messages.success(request, _("The outcome was saved."))
        else:
            messages.error(request, _("The outcome was not saved."))
        return redirect("outreach:client_detail", pk=client.pk)
    if saved:
        referral.refresh_from_db()
        form = _outcome_form(referral)
    referral.form = form  # type: ignore[attr-defined]
    return render(
        request,
        "outreach/clients/partials/referral_row.html",
        {"client": client, "referral": referral, "may_follow_up": True, "saved": saved},
    )


urlpatterns: list[URLPattern] = [
    path("clients/", client_list, name="client_list"),
    path("clients/<int:pk>/", client_detail, name="client_detail"),
    path("clients/<int:pk>/merge/", client_merge, name="client_merge"),
    path(
        "clients/<int:pk>/referrals/<int:referral_id>/",
        referral_outcome,
        name="client_referral_outcome",
    ),
]
