"""A person's event data in their personal-data export (members.services.privacy calls it
through `personal_data_register`; the erasure is in `events.services.privacy`)."""

from __future__ import annotations

from typing import Any

from hrnet.accounts.models import User
from hrnet.events.models import Certificate, Feedback, Registration


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def account_event_data(user: User) -> dict[str, Any]:
    registrations = Registration.objects.filter(user=user).select_related("event", "country")
    return {
        "event_registrations": [
            {
                "event": registration.event.title,
                "status": registration.status,
                "country": registration.country.iso2 if registration.country else None,
                "organisation": registration.organisation_name,
                "gender": registration.gender,
                "answers": registration.answers,
                "registered_at": _iso(registration.created_at),
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
            for registration in registrations
        ]
    }
