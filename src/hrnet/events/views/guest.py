"""Pages a guest (registered without an account) reaches by the signed links in their
emails: confirm the address, answer an offered seat, cancel, download the .ics. A GET
only shows the page (mail scanners open links); the change is a POST from its button."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.events import ics
from hrnet.events.models import Registration
from hrnet.events.services import registration as services
from hrnet.events.tokens import GuestLinkInvalid, guest_registration, guest_token
from hrnet.events.views.registration import status_message
from hrnet.events.views.zone import zone_context, zone_override

Status = Registration.Status


def _invalid(request: HttpRequest, error: GuestLinkInvalid) -> HttpResponse:
    return render(request, "events/guest_link_invalid.html", {"message": error.message}, status=400)


def _page(
    request: HttpRequest,
    registration: Registration,
    template: str,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "sessions": list(event.sessions.all()),
        "cancel_token": guest_token(registration, "cancel"),
        "ics_token": guest_token(registration, "ics"),
        "active": registration.status in Registration.ACTIVE,
        "position": services.waiting_position(registration),
        **zone_context(request, event),
        **extra,
    }
    with zone_override(request, event):
        return render(request, template, context, status=status)


def guest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = guest_registration(token, "confirm")
    except GuestLinkInvalid as error:
        return _invalid(request, error)
    if request.method == "POST":
        try:
            registration = services.guest_registration_confirm(
                registration=registration, request=request
            )
        except ValidationError as exc:
            return _page(
                request, registration, "events/guest_registration.html", error=exc.messages[0]
            )
        return _page(
            request,
            registration,
            "events/guest_registration.html",
            notice=status_message(registration),
        )
    if registration.status != Status.UNVERIFIED:
        return _page(request, registration, "events/guest_registration.html")
    return _page(request, registration, "events/guest_confirm.html")


def guest_offer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = guest_registration(token, "offer")
    except GuestLinkInvalid as error:
        return _invalid(request, error)
    if request.method == "POST":
        action = request.POST.get("action")
        arguments: dict[str, Any] = {
            "registration": registration,
            "actor": AnonymousUser(),
            "request": request,
            "link_checked": True,
        }
        try:
            if action == "accept":
                registration = services.registration_offer_accept(**arguments)
                notice = _("The seat is yours: you are registered for “%(title)s”.") % {
                    "title": registration.event.title
                }
            elif action == "decline":
                registration = services.registration_offer_decline(**arguments)
                notice = _("Thank you for telling us; the seat goes to the next person.")
            else:
                return HttpResponse(status=400)
        except ValidationError as exc:
            registration.refresh_from_db()
            return _page(
                request, registration, "events/guest_registration.html", error=exc.messages[0]
            )
        return _page(request, registration, "events/guest_registration.html", notice=notice)
    is_open = registration.status == Status.OFFERED and (
        registration.offer_expires_at is None or registration.offer_expires_at > timezone.now()
    )
    return _page(request, registration, "events/offer.html", open=is_open, guest=True)


def guest_cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = guest_registration(token, "cancel")
    except GuestLinkInvalid as error:
        return _invalid(request, error)
    if request.method == "POST":
        try:
            registration = services.registration_cancel(
                registration=registration,
                actor=AnonymousUser(),
                request=request,
                link_checked=True,
            )
        except ValidationError as exc:
            return _page(
                request, registration, "events/guest_registration.html", error=exc.messages[0]
            )
        notice = _("Your registration for “%(title)s” is cancelled.") % {
            "title": registration.event.title
        }
        return _page(request, registration, "events/guest_registration.html", notice=notice)
    if registration.status not in Registration.ACTIVE:
        return _page(request, registration, "events/guest_registration.html")
    return _page(request, registration, "events/registration_cancel.html", guest=True)


def guest_ics(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = guest_registration(token, "ics")
    except GuestLinkInvalid as error:
        return _invalid(request, error)
    event = registration.event
    body = ics.ics_event(event, with_online_link=registration.status == Status.CONFIRMED)
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ics.ics_filename(event)}"'
    return response


urlpatterns: list[URLPattern] = [
    path("guest/<str:token>/confirm/", guest_confirm, name="guest_confirm"),
    path("guest/<str:token>/offer/", guest_offer, name="guest_offer"),
    path("guest/<str:token>/cancel/", guest_cancel, name="guest_cancel"),
    path("guest/<str:token>/calendar.ics", guest_ics, name="guest_ics"),
]
