"""Pages of registration: the form with the event's questions, cancelling, the offer of a
freed seat (accept or decline), and the organisers' list where they approve or decline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.accounts.middleware import visitor_time_zone_known
from hrnet.core.forms import add_service_errors
from hrnet.core.types import Actor
from hrnet.events.forms.events import GuestRegistrationForm, RegistrationForm
from hrnet.events.models import Event, Registration
from hrnet.events.policies import event_policy
from hrnet.events.selectors import calendar as selectors
from hrnet.events.selectors.reports import answer_label
from hrnet.events.services import registration as services
from hrnet.events.views.zone import zone_context, zone_override
from hrnet.members.policies import person_of


def _initial(user: Actor) -> dict[str, Any]:
    """What we know of the person already: their country and organisation."""
    person = person_of(user)
    if person is None:
        return {}
    initial: dict[str, Any] = {"country": person.country_id}
    affiliation = (
        person.affiliations.select_related("organisation").order_by("-start_date", "pk").first()
    )
    if affiliation is not None:
        initial["organisation_name"] = str(affiliation.organisation)
    return initial


def status_message(registration: Registration) -> str:
    title = registration.event.title
    if registration.status == Registration.Status.CONFIRMED:
        return _("You are registered for “%(title)s”. The confirmation is in your email.") % {
            "title": title
        }
    if registration.status == Registration.Status.PENDING:
        return _(
            "Thank you. The organisers approve each registration for “%(title)s”; we will "
            "email you their answer."
        ) % {"title": title}
    if registration.status == Registration.Status.WAITING:
        return _(
            "“%(title)s” is full. You are on the waiting list (number %(position)s); when a "
            "seat frees, we offer it to you by email."
        ) % {"title": title, "position": services.waiting_position(registration)}
    return str(registration.get_status_display())


def _guest_register(request: HttpRequest, event: Event) -> HttpResponse:
    """A visitor without an account: the guest form of a public event; a members-only
    event keeps registration to people who sign in, and says so."""
    refusal = services.guest_refusal(event=event)
    context: dict[str, Any] = {
        "event": event,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}",
        **zone_context(request, event),
    }
    if refusal is not None:
        context.update(refusal=refusal.messages[0], sign_in=refusal.code == "members_only")
        with zone_override(request, event):
            return render(
                request,
                "events/event_register.html",
                context,
                status=409 if request.method == "POST" else 200,
            )
    if request.method == "POST":
        form = GuestRegistrationForm(request.POST, event=event)
        if form.is_valid():
            if form.is_bot:  # answered as for a person; nothing is stored or sent
                return redirect("events:guest_check_email", pk=event.pk)
            try:
                services.guest_registration_create(
                    event=event,
                    request=request,
                    time_zone=timezone.get_current_timezone_name()
                    if visitor_time_zone_known(request)
                    else "",
                    **form.service_arguments(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("events:guest_check_email", pk=event.pk)
    else:
        form = GuestRegistrationForm(event=event)
    context.update(form=form, seats_free=services.seats_free(event), guest=True)
    with zone_override(request, event):
        return render(request, "events/event_register.html", context)


def guest_check_email(request: HttpRequest, pk: int) -> HttpResponse:
    """After a guest's registration: the link to confirm it is in their email."""
    try:
        event = selectors.event_get(user=request.user, pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "events/guest_check_email.html", {"event": event})


def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_get(user=request.user, pk=pk)
    except Event.DoesNotExist as exc:
        if not request.user.is_authenticated:
            # A members-only event is not shown to visitors: signing in may reveal it.
            return redirect_to_login(request.get_full_path())
        raise Http404 from exc
    if not request.user.is_authenticated:
        return _guest_register(request, event)
    refusal = services.registration_refusal(event=event, user=request.user)
    if refusal is None and not event_policy.user_has_permission_for_instance(
        request.user, "register", event
    ):
        refusal = ValidationError(
            _("“%(title)s” is open to network members only.") % {"title": event.title}
        )
    if refusal is not None:
        return render(
            request,
            "events/event_register.html",
            {"event": event, "refusal": refusal.messages[0], **zone_context(request, event)},
            status=409 if request.method == "POST" else 200,
        )
    if request.method == "POST":
        form = RegistrationForm(request.POST, event=event)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    event=event,
                    user=request.user,
                    request=request,
                    **form.service_arguments(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, status_message(registration))
                return redirect("events:event_detail", pk=event.pk)
    else:
        form = RegistrationForm(event=event, initial=_initial(request.user))
    with zone_override(request, event):
        return render(
            request,
            "events/event_register.html",
            {
                "event": event,
                "form": form,
                "seats_free": services.seats_free(event),
                **zone_context(request, event),
            },
        )


def _registration_for(request: HttpRequest, pk: int, action: str) -> Registration:
    if not request.user.is_authenticated:
        raise PermissionDenied
    try:
        return selectors.registration_get(user=request.user, pk=pk, action=action)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc


def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then cancels (POST); a freed seat goes to the waiting list."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registration = _registration_for(request, pk, "cancel")
    if request.method == "POST":
        try:
            services.registration_cancel(
                registration=registration, actor=request.user, request=request
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Your registration for “%(title)s” is cancelled.")
                % {"title": registration.event.title},
            )
        return redirect("events:event_detail", pk=registration.event_id)
    return render(request, "events/registration_cancel.html", {"registration": registration})


def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The seat offered from the waiting list: accept or decline (POST); the email links
    here (a GET changes nothing: mail scanners open links)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registration = _registration_for(request, pk, "accept_offer")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.registration_offer_accept(
                    registration=registration, actor=request.user, request=request
                )
                messages.success(
                    request,
                    _("The seat is yours: you are registered for “%(title)s”.")
                    % {"title": registration.event.title},
                )
            elif action == "decline":
                services.registration_offer_decline(
                    registration=registration, actor=request.user, request=request
                )
                messages.success(
                    request, _("Thank you for telling us; the seat goes to the next person.")
                )
            else:
                return HttpResponse(status=400)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("events:event_detail", pk=registration.event_id)
    with zone_override(request, registration.event):
        return render(
            request,
            "events/offer.html",
            {
                "registration": registration,
                "event": registration.event,
                "open": registration.status == Registration.Status.OFFERED
                and (
                    registration.offer_expires_at is None
                    or registration.offer_expires_at > timezone.now()
                ),
                **zone_context(request, registration.event),
            },
        )


# --- the organisers -------------------------------------------------------------------


def _managed_event(request: HttpRequest, pk: int) -> Event:
    if not request.user.is_authenticated:
        raise PermissionDenied
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    event_policy.require(request.user, "manage", event)
    return event


def event_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone registered, by status, with their answers; approve or decline pending."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = _managed_event(request, pk)
    registrations = list(selectors.event_registrations(user=request.user, event=event))
    questions = list(event.questions.all())
    rows = [
        (
            r,
            [answer_label(q, r.answers.get(str(q.pk))) for q in questions],
            services.waiting_position(r),
        )
        for r in registrations
    ]
    return render(
        request,
        "events/event_registrations.html",
        {
            "event": event,
            "rows": rows,
            "questions": questions,
            "counts": selectors.event_counts(event),
            "seats_free": services.seats_free(event),
        },
    )


@require_POST
def registration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    registration = _registration_for(request, pk, "manage")
    _managed_event(request, registration.event_id)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            registration = services.registration_approve(
                registration=registration, actor=request.user, request=request
            )
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {
                    "name": registration.display_name,
                    "status": registration.get_status_display(),
                },
            )
        elif decision == "decline":
            services.registration_decline(
                registration=registration, actor=request.user, request=request
            )
            messages.success(
                request,
                _("%(name)s: declined.") % {"name": registration.display_name},
            )
        else:
            return HttpResponse(status=400)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("events:event_registrations", pk=registration.event_id)


urlpatterns: list[URLPattern] = [
    path("<int:pk>/register/", event_register, name="event_register"),
    path("<int:pk>/register/check-email/", guest_check_email, name="guest_check_email"),
    path("<int:pk>/registrations/", event_registrations, name="event_registrations"),
    path("registrations/<int:pk>/cancel/", registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/offer/", offer, name="offer"),
    path("registrations/<int:pk>/decide/", registration_decide, name="registration_decide"),
]
