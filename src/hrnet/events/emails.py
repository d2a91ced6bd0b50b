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
)


def _zone(user: Actor) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


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
    user = registration.user
    language = registration.language or settings.LANGUAGE_CODE
    zone = _zone(user)
    with translation.override(language), timezone.override(zone):
        context = {
            "step": step,
            "registration": registration,
            "event": event,
            "sessions": list(event.sessions.all()),
            "user": user,
            "network": network_get(),
            "zone_name": str(zone),
            "event_url": site_url(reverse("events:event_detail", args=[event.pk])),
            "offer_url": site_url(reverse("events:offer", args=[registration.pk])),
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
        to=[user.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    if attachment is not None:
        message.attach(ics_filename(event), attachment, "text/calendar")
    _schedule(message)
    return message
