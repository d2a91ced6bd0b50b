"""A person's event data in their personal-data export (members.services.privacy calls it
through `personal_data_register`; the erasure is in `events.services.privacy`). A guest's
registrations (no account) are found by their email address."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hrnet.accounts.models import User
from hrnet.events.models import Certificate, Feedback, Registration


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def guest_registrations_q(emails: list[str]) -> Q:
    """Guest registrations made with any of `emails` (case does not matter)."""
    condition = Q(pk__in=[])
    for email in {e.strip().lower() for e in emails if e and e.strip()}:
        condition |= Q(user__isnull=True, guest_email__iexact=email)
    return condition


def _export(registrations: QuerySet[Registration]) -> dict[str, Any]:
    return {
        "event_registrations": [
            {
                "event": registration.event.title,
                "status": registration.status,
                "as_guest": registration.is_guest,
                "name": registration.guest_name if registration.is_guest else None,
                "email": registration.guest_email if registration.is_guest else None,
                "country": registration.country.iso2 if registration.country else None,
                "organisation": registration.organisation_name,
                "gender": registration.gender,
                "answers": registration.answers,
                "registered_at": _iso(registration.created_at),
                "email_confirmed_at": _iso(registration.email_confirmed_at),
                "attended_sessions": registration.attendances.count(),
                "feedback": {
                    "overall": feedback.overall,
                    "usefulness": feedback.usefulness,
                    "comment": feedback.comment,
                }
                if (feedback := Feedback.objects.filter(registration=registration).first())
                else None,
                "certificate": certificate.code
                if (certificate := Certificate.objects.filter(registration=registration).first())
                else None,
            }
            for registration in registrations.select_related("event", "country").order_by(
                "created_at", "pk"
            )
        ]
    }


def account_event_data(user: User) -> dict[str, Any]:
    """The account's registrations and those made as a guest with its address."""
    return _export(Registration.objects.filter(Q(user=user) | guest_registrations_q([user.email])))


def guest_event_data(email: str) -> dict[str, Any]:
    """What the events hold about a guest who registered with `email` (no account)."""
    return _export(Registration.objects.filter(guest_registrations_q([email])))
