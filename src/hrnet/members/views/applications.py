"""Pages of applications to join and of the principles: the public application form, the
applicant's status page, the secretariat's review queue with decisions and the committee
vote, and the versioned principles."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hrnet.accounts.models import User
from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.members.forms.applications import (
    APPLICATION_FORMS,
    DecisionForm,
    InformationAnswerForm,
    PrinciplesForm,
    VoteForm,
)
from hrnet.members.models import Application, PrinciplesVersion
from hrnet.members.policies import application_policy, principles_policy
from hrnet.members.selectors import applications as selectors
from hrnet.members.selectors.principles import principles_current
from hrnet.members.services import applications as services

QUEUE_PAGE_SIZE = 50
# Only the secretariat publishes the principles; the application policy answers for them
# (any action but "add" and "view" is the secretariat's).


def _message_error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- the principles -------------------------------------------------------------------


def principles(request: HttpRequest) -> HttpResponse:
    """The current principles, for anyone."""
    return render(
        request,
        "members/principles_detail.html",
        {"version": principles_current(), "is_current": True},
    )


def principles_version(request: HttpRequest, number: int) -> HttpResponse:
    """One published version, e.g. the one an applicant accepted."""
    try:
        version = selectors.principles_version_get(number=number)
    except PrinciplesVersion.DoesNotExist as exc:
        raise Http404 from exc
    current = principles_current()
    return render(
        request,
        "members/principles_detail.html",
        {"version": version, "is_current": current is not None and current.pk == version.pk},
    )


@policy_required(principles_policy, "add")
def principles_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "members/principles_list.html",
        {"versions": selectors.principles_version_list(), "current": principles_current()},
    )


@policy_required(principles_policy, "add")
@require_http_methods(["GET", "POST"])
def principles_publish(request: HttpRequest) -> HttpResponse:
    """A new version, starting from the current text."""
    current = principles_current()
    initial = {f"text_{code}": text for code, text in (current.texts if current else {}).items()}
    form = PrinciplesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.principles_version_publish(
                texts=form.texts(), actor=request.user, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s of the principles is published.")
                % {"number": version.number},
            )
            return redirect("members:principles_list")
    return render(request, "members/principles_publish.html", {"form": form, "current": current})


# --- applying -------------------------------------------------------------------------


def _kind(value: str | None) -> str:
    return value if value in APPLICATION_FORMS else Application.Kind.ORGANISATION


@policy_required(application_policy, "add")
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public application form, for an organisation or an individual (`kind`)."""
    kind = _kind(request.POST.get("kind") if request.method == "POST" else request.GET.get("kind"))
    current = principles_current()
    number = current.number if current else None
    data = None
    shown_number: int | None = None
    if request.method == "POST":
        data = request.POST.copy()
        try:
            shown_number = int(data.get("principles_version") or "")
        except ValueError:
            shown_number = None
        # The form as shown again carries the current version; a changed version must be
        # read and accepted again.
        data["principles_version"] = "" if number is None else str(number)
        if shown_number != number:
            data.pop("accept_principles", None)
    initial = {}
    user = request.user
    if user.is_authenticated:  # the signed-in person is probably who writes to us
        name, email = getattr(user, "full_name", ""), getattr(user, "email", "")
        initial = {"full_name": name, "email": email, "contact_name": name, "contact_email": email}
    form = APPLICATION_FORMS[kind](data, principles_number=number, initial=initial)
    if data is not None and form.is_valid():
        try:
            application = services.application_submit(
                kind=kind,
                details=form.details(),
                principles_number=shown_number,
                principles_accepted=form.cleaned_data["accept_principles"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
                applicant_user=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you, your application was received. We sent a link to this page "
                    "to %(email)s."
                )
                % {"email": application.contact_email},
            )
            return redirect("members:application_status", token=application.access_token)
    elif data is not None and None not in (shown_number, number) and shown_number != number:
        form.errors["accept_principles"] = form.error_class(
            [
                _(
                    "The principles changed to version %(number)s while you filled in the "
                    "form. Please read them and accept them again."
                )
                % {"number": number}
            ]
        )
    context = {"form": form, "kind": kind, "principles": current, "kinds": Application.Kind}
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "members/partials/application_form.html", context)
    return render(request, "members/application_apply.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def application_status(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's page behind the secret link: status, reason, and answering a
    request for information."""
    try:
        application = selectors.application_get_by_token(token=token)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    asks = application.status == Application.Status.INFO_REQUESTED
    form = InformationAnswerForm(request.POST or None) if asks else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("No information was asked for, or it was already sent."))
            return redirect("members:application_status", token=token)
        if form.is_valid():
            try:
                services.application_answer(
                    application=application,
                    answer=form.cleaned_data["answer"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you. Your answer was added to your application.")
                )
                return redirect("members:application_status", token=token)
    return render(
        request, "members/application_status.html", {"application": application, "form": form}
    )


def application_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant, holding the secret link, withdraws an open application."""
    if request.method != "POST":
        return redirect("members:application_status", token=token)
    try:
        application = selectors.application_get_by_token(token=token)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    try:
        services.application_withdraw(application=application, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("members:application_status", token=token)


@login_required
def application_mine(request: HttpRequest) -> HttpResponse:
    """The applications the signed-in person made."""
    return render(
        request,
        "members/application_mine.html",
        {"applications": selectors.application_list_mine(user=request.user)},
    )


# --- reviewing ------------------------------------------------------------------------


def _queue_filters(request: HttpRequest) -> dict[str, str]:
    kind = request.GET.get("kind", "")
    awaiting_my_vote = request.GET.get("awaiting_my_vote", "") == "1"
    # Waiting for my vote means in a vote: the status filter says so too.
    status = (
        Application.Status.IN_VOTE
        if awaiting_my_vote
        else request.GET.get("status", selectors.OPEN)
    )
    filters = {
        "kind": kind if kind in Application.Kind.values else "",
        "country": request.GET.get("country", "").strip()[:2].upper(),
        "status": status if status in (selectors.OPEN, *Application.Status.values) else "",
    }
    if awaiting_my_vote:
        filters["awaiting_my_vote"] = "1"
    return filters


@policy_required(application_policy, "list")
def application_queue(request: HttpRequest) -> HttpResponse:
    """Open applications, oldest first, with filters."""
    filters = _queue_filters(request)
    applications = selectors.application_queue(
        user=request.user,
        kind=filters["kind"],
        country=filters["country"],
        status=filters["status"],
        awaiting_my_vote=bool(filters.get("awaiting_my_vote")),
    )
    page = Paginator(applications, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/application_queue.html",
        {
            "page": page,
            "filters": filters,
            "kinds": Application.Kind.choices,
            "statuses": Application.Status.choices,
            "countries": selectors.country_choices(),
            "committee_vote": settings.HRNET_COMMITTEE_VOTE,
        },
    )


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_get(user=request.user, pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def _detail(
    request: HttpRequest, application: Application, *, bound: Form | None = None
) -> HttpResponse:
    decision_forms = {decision: DecisionForm(decision=decision) for decision in services.DECISIONS}
    vote_form = VoteForm()
    if isinstance(bound, DecisionForm):
        decision_forms[bound.initial["decision"]] = bound
    elif isinstance(bound, VoteForm):
        vote_form = bound
    own_vote = next((v for v in application.votes.all() if v.reviewer_id == request.user.pk), None)
    if own_vote is not None and bound is None:
        vote_form = VoteForm(initial={"choice": own_vote.choice, "comment": own_vote.comment})
    member = application.organisation or application.person
    return render(
        request,
        "members/application_detail.html",
        {
            "application": application,
            "member": member,
            "issue_areas": list(member.issue_areas.all()) if member is not None else [],
            "decision_forms": decision_forms,
            "vote_form": vote_form,
            "own_vote": own_vote,
            "tally": selectors.vote_tally(application=application),
            "duplicates": selectors.application_duplicates(application=application),
            "duplicate_kind": "organisation" if application.organisation_id else "person",
            "history": selectors.application_history(application=application),
            "committee_vote": settings.HRNET_COMMITTEE_VOTE,
            "quorum": settings.HRNET_COMMITTEE_QUORUM,
        },
        status=200 if bound is None else 422,
    )


@policy_required(application_policy, "view")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything an application holds, its votes and history, and the decisions."""
    application = _application_or_404(request, pk)
    if not application_policy.user_has_permission_for_instance(request.user, "decide", application):
        # The applicant follows their application on their own page.
        return redirect("members:application_status", token=application.access_token)
    return _detail(request, application)


@policy_required(application_policy, "decide")
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    decision = request.POST.get("decision", "")
    if decision not in services.DECISIONS:
        messages.error(request, _("Choose a decision."))
        return redirect("members:application_detail", pk=pk)
    form = DecisionForm(request.POST, decision=decision)
    if form.is_valid():
        try:
            services.application_decide(
                application=application,
                decision=decision,
                reason=form.cleaned_data["reason"],
                actor=cast(User, request.user),  # policy_required let the secretariat in only
                request=request,
            )
        except ValidationError as error:
            if "reason" not in getattr(error, "error_dict", {}):
                _message_error(request, error)
                return redirect("members:application_detail", pk=pk)
            add_service_errors(form, error)
        else:
            done = {
                "approve": _("“%(name)s” was approved and is now a member."),
                "reject": _("“%(name)s” was rejected; the applicant was told why."),
                "request_info": _("The applicant of “%(name)s” was asked for more information."),
            }[decision]
            messages.success(request, done % {"name": application.applicant_name})
            return redirect("members:application_queue")
    return _detail(request, application, bound=form)


@policy_required(application_policy, "decide")
@require_POST
def application_vote_start(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    try:
        services.application_vote_start(
            application=application, actor=request.user, request=request
        )
    except ValidationError as error:
        _message_error(request, error)
    else:
        messages.success(request, _("The application is before the committee now."))
    return redirect("members:application_detail", pk=pk)


@policy_required(application_policy, "vote")
@require_POST
def application_vote(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, bound=form)
    try:
        services.application_vote_cast(
            application=application,
            reviewer=cast(User, request.user),  # policy_required let the secretariat in only
            choice=form.cleaned_data["choice"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except ValidationError as error:
        _message_error(request, error)
        return redirect("members:application_detail", pk=pk)
    if application.status == Application.Status.APPROVED:
        messages.success(
            request, _("Your vote was recorded. The committee approved the application.")
        )
    elif application.status == Application.Status.REJECTED:
        messages.success(
            request, _("Your vote was recorded. The committee rejected the application.")
        )
    else:
        messages.success(request, _("Your vote was recorded."))
    return redirect("members:application_detail", pk=pk)


urlpatterns: list[URLPattern] = [
    path("principles/", principles, name="principles"),
    path("principles/<int:number>/", principles_version, name="principles_version"),
    path("principles/versions/", principles_list, name="principles_list"),
    path("principles/versions/new/", principles_publish, name="principles_publish"),
    path("apply/", apply, name="apply"),
    path("applications/", application_queue, name="application_queue"),
    path("applications/mine/", application_mine, name="application_mine"),
    path("applications/status/<str:token>/", application_status, name="application_status"),
    path(
        "applications/status/<str:token>/withdraw/",
        application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path("applications/<int:pk>/decide/", application_decide, name="application_decide"),
    path(
        "applications/<int:pk>/vote/start/",
        application_vote_start,
        name="application_vote_start",
    ),
    path("applications/<int:pk>/vote/", application_vote, name="application_vote"),
]
