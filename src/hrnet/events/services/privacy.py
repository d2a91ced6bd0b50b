"""The erasure of a person's event data with the rest of their identity
(members.services.privacy calls it through `personal_data_register`)."""

from __future__ import annotations

from hrnet.accounts.models import User
from hrnet.events.models import Certificate, Feedback, Registration


def account_event_data_erase(user: User | None, erased_name: str, emails: list[str]) -> None:
    """What the registrations say about the person goes; the registrations stay, anonymous,
    so seats and attendance counts do not change. A certificate keeps its code (it may be
    shown to someone) but names nobody."""
    if user is None:
        return  # registrations always belong to an account
    registrations = Registration.objects.filter(user=user)
    registrations.update(answers={}, gender=Registration.Gender.UNSAID, organisation_name="")
    Feedback.objects.filter(registration__in=registrations).update(comment="")
    Certificate.objects.filter(registration__in=registrations).update(holder_name=erased_name)
