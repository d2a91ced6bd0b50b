"""Emails to registrants, each in the registrant's language and time zone, sent after the
change commits (a mail server that is down must not undo a registration; the failure is
logged). Confirmations and reminders carry the person's own .ics, with the online link."""

from __future__ import annotations

import logging
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hrnet.core.links import site_url
from hrnet.core.selectors import network_get
from hrnet.core.types import Actor
from hrnet.events.ics import ics_event, ics_filename
from hrnet.events.models import Registration
from hrnet.events.tokens import guest_url

logger = logging.getLogger(__name__)

# The steps the templates know (events/email/subject.txt and body.txt).
STEPS = (
    "confirmed",
    "pending",
    "waiting",
    "offered",
    "offer_expired",
    "declined",
    "event_cancelled",
    "reminder",
    # Guests only: the link that confirms their address; "you are already registered".
    "guest_confirm",
    "guest_already",
)


def _zone_of(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _zone(user: Actor) -> zoneinfo.ZoneInfo:
    return _zone_of(getattr(user, "time_zone", "") or settings.TIME_ZONE) or zoneinfo.ZoneInfo(
        "UTC"
    )


def registrant_zone(registration: Registration) -> tuple[zoneinfo.ZoneInfo, bool]:
    """The zone a registrant's emails show times in, and whether it is their own: the
    profile's zone, a guest's browser zone, else the organisers' zone (named as such)."""
    if registration.user is not None:
        return _zone(registration.user), True
    own = _zone_of(registration.guest_time_zone)
    if own is not None:
        return own, True
    return _zone_of(registration.event.time_zone) or zoneinfo.ZoneInfo("UTC"), False


def _send(message: EmailMessage) -> None:
    message.send()


def _schedule(message: EmailMessage) -> None:
    """Send once the transaction commits (at once outside one); a failure is logged."""
    transaction.on_commit(lambda: _send(message), robust=True)


def registration_email(
    registration: Registration, step: str, *, with_ics: bool = False, **extra: Any
) -> EmailMessage:
    """Render the email for `step` now and send it once the transaction commits."""
    if step not in STEPS:
        raise ValueError(step)
    event = registration.event
    language = registration.language or settings.LANGUAGE_CODE
    zone, own_zone = registrant_zone(registration)
    guest = registration.is_guest
    with translation.override(language), timezone.override(zone):
        context = {
            "step": step,
            "registration": registration,
            "event": event,
            "sessions": list(event.sessions.all()),
            "name": registration.display_name,
            "guest": guest,
            "network": network_get(),
            "zone_name": str(zone),
            "own_zone": own_zone,
            "event_url": site_url(reverse("events:event_detail", args=[event.pk])),
            "offer_url": guest_url(registration, "offer")
            if guest
            else site_url(reverse("events:offer", args=[registration.pk])),
            "confirm_url": guest_url(registration, "confirm") if guest else "",
            "cancel_url": guest_url(registration, "cancel") if guest else "",
            "ics_url": guest_url(registration, "ics") if guest else "",
            "my_events_url": site_url(reverse("events:my_events")),
            "online_url": event.online_url if registration.status == "confirmed" else "",
            **extra,
        }
        subject = render_to_string("events/email/subject.txt", context)
        body = render_to_string("events/email/body.txt", context)
        attachment = (
            ics_event(event, with_online_link=registration.status == "confirmed")
            if with_ics
            else None
        )
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[registration.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    if attachment is not None:
        message.attach(ics_filename(event), attachment, "text/calendar")
    _schedule(message)
    return message
