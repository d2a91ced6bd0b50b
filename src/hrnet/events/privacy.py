"""A person's event data in their personal-data export, and its erasure with the rest of
their identity (members.services.privacy calls these through `personal_data_register`)."""

from __future__ import annotations

from typing import Any

from hrnet.events.models import Certificate, Feedback, Registration


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def account_event_data(user: Any) -> dict[str, Any]:
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


def account_event_data_erase(user: Any, erased_name: str, emails: list[str]) -> None:
    """What the registrations say about the person goes; the registrations stay, anonymous,
    so seats and attendance counts do not change. A certificate keeps its code (it may be
    shown to someone) but names nobody."""
    if user is None:
        return  # registrations always belong to an account
    registrations = Registration.objects.filter(user=user)
    registrations.update(answers={}, gender=Registration.Gender.UNSAID, organisation_name="")
    Feedback.objects.filter(registration__in=registrations).update(comment="")
    Certificate.objects.filter(registration__in=registrations).update(holder_name=erased_name)
