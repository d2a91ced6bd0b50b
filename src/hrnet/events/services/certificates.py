"""Certificates of attendance: who may have one (a confirmed participant present for the
event's minimum share of its time), issuing them all at once (again: only the missing ones),
revoking one, and finding one by its verification code."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from hrnet.core.audit import log_action
from hrnet.core.i18n import localized
from hrnet.core.types import Actor
from hrnet.events.audit import Action
from hrnet.events.models import Attendance, Certificate, Event, Registration


def certificate_eligible(*, event: Event) -> QuerySet[Registration]:
    """Confirmed registrations present for at least the event's share of its time
    (`certificate_min_attendance`, per cent of the sessions' minutes); none without sessions.
    A check-in without minutes counts as the whole session."""
    lengths = {
        session.pk: max(int((session.ends_at - session.starts_at).total_seconds() // 60), 0)
        for session in event.sessions.all()
    }
    total = sum(lengths.values())
    if not lengths:
        return Registration.objects.none()
    attended: dict[int, int] = defaultdict(int)
    for attendance in Attendance.objects.filter(
        session__event=event,
        registration__status=Registration.Status.CONFIRMED,
    ).only("registration_id", "session_id", "minutes"):
        length = lengths.get(attendance.session_id, 0)
        minutes = length if attendance.minutes is None else min(attendance.minutes, length)
        attended[attendance.registration_id] += minutes
    needed = total * event.certificate_min_attendance
    # Compared in whole minutes times per cent, so 75 of a 100 is no rounding question.
    eligible = [pk for pk, minutes in attended.items() if minutes * 100 >= needed]
    return Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED, pk__in=eligible
    ).select_related("user")


@dataclass
class IssueResult:
    issued: list[Certificate] = field(default_factory=list)
    already: int = 0
    # Registrants without a name in their profile: a certificate needs one.
    without_name: list[Registration] = field(default_factory=list)


def certificates_issue(
    *, event: Event, actor: Actor, request: HttpRequest | None = None
) -> IssueResult:
    """A certificate for each eligible registration that has none yet. The holder's name
    and the event's title (in the registrant's language) are fixed now."""
    result = IssueResult(already=Certificate.objects.filter(registration__event=event).count())
    eligible = list(certificate_eligible(event=event).filter(certificate__isnull=True))
    now = timezone.now()
    for registration in eligible:
        name = registration.full_name
        if not name:
            result.without_name.append(registration)
            continue
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    registration=registration,
                    holder_name=name,
                    event_title=localized(event.titles, registration.language)[:500],
                    issued_at=now,
                )
        except IntegrityError:
            continue  # issued meanwhile by another click (or, once in ages, a code clash)
        result.issued.append(certificate)
        log_action(actor=actor, action=Action.CERTIFICATE_ISSUE, obj=certificate, request=request)
    return result


def certificate_revoke(
    *, certificate: Certificate, actor: Actor, request: HttpRequest | None = None
) -> Certificate:
    """Mark a certificate revoked; its verification page says so from now on."""
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked_at"])
        log_action(actor=actor, action=Action.CERTIFICATE_REVOKE, obj=certificate, request=request)
    return certificate


def certificate_code_normalize(code: str) -> str:
    """What people type: any case, spaces or dashes between groups."""
    return re.sub(r"[^0-9A-Za-z]", "", code).upper()


def certificate_find(*, code: str) -> Certificate | None:
    """The certificate with this code (public: anyone may verify one)."""
    normalized = certificate_code_normalize(code)
    if not normalized or len(normalized) > 16:
        return None
    return Certificate.objects.select_related("registration__event").filter(code=normalized).first()
