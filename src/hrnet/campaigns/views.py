"""Pages of campaigns: the listing with filters, a campaign's public page (timeline,
outcomes, linked events and news, the statement and its verified signatures), joining and
leaving for organisation admins, and the secretariat's editors and signature queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from hrnet.campaigns import selectors, services
from hrnet.campaigns.forms import (
    ActionForm,
    CampaignFilterForm,
    CampaignForm,
    JoinForm,
    OutcomeForm,
    SignatureForm,
)
from hrnet.campaigns.models import Campaign, CampaignAction, CampaignOutcome, Signature
from hrnet.campaigns.policies import campaign_policy, signature_policy
from hrnet.core.bulk import bulk_apply, bulk_report, selected_ids
from hrnet.core.forms import add_service_errors
from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.models import IssueArea
from hrnet.core.policies import policy_required
from hrnet.core.rendering import body_html
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids, is_secretariat


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    try:
        return selectors.campaign_get(user=request.user, slug=slug)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def _campaign_for_change(request: HttpRequest, slug: str) -> Campaign:
    try:
        return selectors.campaign_for_change(user=request.user, slug=slug)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


@vary_on_headers("HX-Request")
def campaign_list(request: HttpRequest) -> HttpResponse:
    secretariat = is_secretariat(request.user)
    form = CampaignFilterForm(
        request.GET,
        show_drafts=secretariat,
        show_unsigned=bool(administered_organisation_ids(request.user)),
    )
    form.is_valid()
    filters = form.filters()
    campaigns = selectors.campaign_list(user=request.user, filters=filters)
    page = Paginator(campaigns, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "page": page,
        "may_add": secretariat,
        "may_verify": signature_policy.user_has_permission(request.user, "verify"),
    }
    if is_htmx_fragment(request):
        return render(request, "campaigns/partials/campaign_results.html", context)
    context["issue_areas"] = IssueArea.objects.all()
    return render(request, "campaigns/campaign_list.html", context)


def _detail_context(
    request: HttpRequest, campaign: Campaign, sign_form: SignatureForm | None = None
) -> dict[str, Any]:
    user = request.user
    may_sign = campaign_policy.user_has_permission_for_instance(user, "sign", campaign)
    if may_sign and sign_form is None:
        sign_form = SignatureForm(organisations=_signing_organisations(request))
    signatures = selectors.verified_signatures(campaign=campaign)
    return {
        "campaign": campaign,
        "goal": body_html(campaign.goal),
        "description": body_html(campaign.description),
        "statement": body_html(campaign.statement),
        "timeline": selectors.campaign_timeline(campaign=campaign),
        "outcomes": [
            (outcome, body_html(outcome.description), resources)
            for outcome, resources in selectors.campaign_outcomes(user=user, campaign=campaign)
        ],
        "participants": selectors.campaign_participants(campaign=campaign),
        "events": selectors.campaign_events(user=user, campaign=campaign),
        "articles": selectors.campaign_articles(user=user, campaign=campaign),
        "signatures": signatures,
        "signature_count": signatures.count(),
        "may_sign": may_sign,
        "sign_form": sign_form,
        "may_change": campaign_policy.user_has_permission_for_instance(user, "change", campaign),
        "may_join": campaign_policy.user_has_permission_for_instance(user, "join", campaign),
        "join_organisations": selectors.joinable_organisations(user=user, campaign=campaign),
        "leave_organisations": selectors.administered_participations(user=user, campaign=campaign),
    }


def _signing_organisations(request: HttpRequest) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=administered_organisation_ids(request.user)))


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    return render(request, "campaigns/campaign_detail.html", _detail_context(request, campaign))


@policy_required(campaign_policy, "add")
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaigns:campaign_detail", slug=campaign.slug)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@policy_required(campaign_policy, "change")
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign_for_change(request, slug)
    form = CampaignForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                campaign=campaign, actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaigns:campaign_detail", slug=campaign.slug)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@require_POST
@policy_required(campaign_policy, "delete")
def campaign_trash(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign_for_change(request, slug)
    services.campaign_trash(campaign=campaign, actor=request.user, request=request)
    messages.success(request, _("The campaign is in the trash; it can be restored from there."))
    return redirect("campaigns:campaign_list")


# --- timeline and outcomes --------------------------------------------------------------


@policy_required(campaign_policy, "change")
def action_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    campaign = _campaign_for_change(request, slug)
    action = get_object_or_404(CampaignAction, campaign=campaign, pk=pk) if pk else None
    form = ActionForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                services.campaign_action_create(
                    campaign=campaign,
                    actor=request.user,
                    request=request,
                    **form.service_arguments(),
                )
            else:
                services.campaign_action_update(
                    action=action, actor=request.user, request=request, **form.service_arguments()
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The timeline is saved."))
            return redirect("campaigns:campaign_detail", slug=campaign.slug)
    heading = _("Edit the action") if action else _("Add an action or milestone")
    return render(
        request,
        "campaigns/item_form.html",
        {"form": form, "campaign": campaign, "heading": heading, "item": action},
    )


@require_POST
@policy_required(campaign_policy, "change")
def action_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign_for_change(request, slug)
    action = get_object_or_404(CampaignAction, campaign=campaign, pk=pk)
    services.campaign_action_delete(action=action, actor=request.user, request=request)
    messages.success(request, _("The action is deleted."))
    return redirect("campaigns:campaign_detail", slug=campaign.slug)


@policy_required(campaign_policy, "change")
def outcome_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    campaign = _campaign_for_change(request, slug)
    outcome = get_object_or_404(CampaignOutcome, campaign=campaign, pk=pk) if pk else None
    form = OutcomeForm(request.POST or None, outcome=outcome)
    if request.method == "POST" and form.is_valid():
        try:
            if outcome is None:
                services.campaign_outcome_create(
                    campaign=campaign,
                    actor=request.user,
                    request=request,
                    **form.service_arguments(),
                )
            else:
                services.campaign_outcome_update(
                    outcome=outcome,
                    actor=request.user,
                    request=request,
                    **form.service_arguments(),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The outcome is saved."))
            return redirect("campaigns:campaign_detail", slug=campaign.slug)
    heading = _("Edit the outcome") if outcome else _("Add an outcome")
    return render(
        request,
        "campaigns/item_form.html",
        {"form": form, "campaign": campaign, "heading": heading, "item": outcome},
    )


@require_POST
@policy_required(campaign_policy, "change")
def outcome_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign_for_change(request, slug)
    outcome = get_object_or_404(CampaignOutcome, campaign=campaign, pk=pk)
    services.campaign_outcome_delete(outcome=outcome, actor=request.user, request=request)
    messages.success(request, _("The outcome is deleted."))
    return redirect("campaigns:campaign_detail", slug=campaign.slug)


# --- joining ----------------------------------------------------------------------------


@require_POST
@policy_required(campaign_policy, "join")
def campaign_join(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    form = JoinForm(
        request.POST,
        organisations=selectors.joinable_organisations(user=request.user, campaign=campaign),
    )
    if not form.is_valid():
        raise PermissionDenied
    organisation = form.cleaned_data["organisation"]
    try:
        services.campaign_join(
            campaign=campaign, organisation=organisation, actor=request.user, request=request
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(organisation)s takes part in the campaign.") % {"organisation": organisation},
        )
    return redirect("campaigns:campaign_detail", slug=campaign.slug)


@require_POST
def campaign_leave(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    campaign = _campaign(request, slug)
    form = JoinForm(
        request.POST,
        organisations=selectors.administered_participations(user=request.user, campaign=campaign),
    )
    if not form.is_valid():
        raise PermissionDenied
    organisation = form.cleaned_data["organisation"]
    services.campaign_leave(
        campaign=campaign, organisation=organisation, actor=request.user, request=request
    )
    messages.success(
        request,
        _("%(organisation)s no longer takes part in the campaign.")
        % {"organisation": organisation},
    )
    return redirect("campaigns:campaign_detail", slug=campaign.slug)


# --- the statement ----------------------------------------------------------------------


def signature_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    if not campaign_policy.user_has_permission_for_instance(request.user, "sign", campaign):
        messages.error(request, _("This statement is not open for signatures."))
        return redirect("campaigns:campaign_detail", slug=campaign.slug)
    form = SignatureForm(request.POST or None, organisations=_signing_organisations(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_create(
                campaign=campaign, actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your signature shows on the page once the secretariat has "
                    "verified it."
                ),
            )
            return redirect("campaigns:campaign_detail", slug=campaign.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "campaigns/signature_form.html",
        {"campaign": campaign, "form": form},
        status=status,
    )


@policy_required(signature_policy, "verify")
def signature_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        selectors.signature_queue(user=request.user), selectors.QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/signature_queue.html",
        {
            "signatures": page.object_list,
            "page": page,
            "bulk_actions": [("verify", _("Verify")), ("reject", _("Reject"))],
        },
    )


def _verified(count: int) -> str:
    return ngettext("%(count)s signature verified.", "%(count)s signatures verified.", count) % {
        "count": count
    }


def _rejected(count: int) -> str:
    return ngettext("%(count)s signature rejected.", "%(count)s signatures rejected.", count) % {
        "count": count
    }


@require_POST
@policy_required(signature_policy, "verify")
def signature_bulk(request: HttpRequest) -> HttpResponse:
    """Verify or reject the ticked signatures, each on its own; those that fail are named."""
    decision = request.POST.get("action")
    if decision not in ("verify", "reject"):
        messages.error(request, _("Choose to verify or to reject the signatures."))
        return redirect("campaigns:signature_queue")
    result = bulk_apply(
        # Every ticked row, also one decided meanwhile: the service refuses and names it.
        selectors.signatures_for_review(user=request.user, ids=selected_ids(request)),
        lambda signature: services.signature_review(
            signature=signature, actor=request.user, verified=decision == "verify", request=request
        ),
        label=lambda signature: signature.organisation_name,
    )
    bulk_report(request, result, done=_verified if decision == "verify" else _rejected)
    return redirect("campaigns:signature_queue")


@require_POST
@policy_required(signature_policy, "verify")
def signature_review(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        signature = selectors.signature_for_review(user=request.user, pk=pk)
    except Signature.DoesNotExist as exc:
        raise Http404 from exc
    decision = request.POST.get("decision")
    if decision not in ("verify", "reject"):
        messages.error(request, _("Choose to verify or to reject the signature."))
        return redirect("campaigns:signature_queue")
    try:
        services.signature_review(
            signature=signature, actor=request.user, verified=decision == "verify", request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("campaigns:signature_queue")
    if decision == "verify":
        message = _("The signature of %(organisation)s is verified and shows on the page.")
    else:
        message = _("The signature of %(organisation)s is rejected.")
    messages.success(request, message % {"organisation": signature.organisation_name})
    return redirect("campaigns:signature_queue")
