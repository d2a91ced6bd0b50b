"""Writes of attendance: checking people in at the door (or in the call), and importing a
video call's participant list in two steps, a preview that writes nothing and the import
the organiser confirms."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.types import Actor
from hrnet.events.audit import Action
from hrnet.events.imports import (
    AttendanceImporter,
    AttendancePreview,
    Participant,
    attendance_write,
)
from hrnet.events.models import Attendance, Registration, Session

IMPORT_SALT = "hrnet.events.attendance-import"
# The organiser confirms the preview they just read; an older one is read again.
IMPORT_TOKEN_MAX_AGE = 2 * 60 * 60


def _check(registration: Registration, session: Session) -> None:
    if session.event_id != registration.event_id:
        raise ValidationError(_("This session belongs to another event."))
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("Only confirmed participants can be checked in; this registration is “%(status)s”.")
            % {"status": registration.get_status_display()}
        )


def attendance_check_in(
    *,
    registration: Registration,
    session: Session,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Attendance:
    """Mark a confirmed participant present at a session (again: no change)."""
    _check(registration, session)
    attendance, created = Attendance.objects.get_or_create(
        registration=registration,
        session=session,
        defaults={
            "source": Attendance.Source.CHECK_IN,
            "recorded_at": timezone.now(),
            "recorded_by": actor if isinstance(actor, User) else None,
        },
    )
    if created:
        log_action(
            actor=actor,
            action=Action.ATTENDANCE_CHECK_IN,
            obj=registration,
            changes={"session": session.pk},
            request=request,
        )
    return attendance


def attendance_undo(
    *,
    registration: Registration,
    session: Session,
    actor: Actor,
    request: HttpRequest | None = None,
) -> bool:
    """Take back a check-in (or an imported presence); True when there was one."""
    if session.event_id != registration.event_id:
        raise ValidationError(_("This session belongs to another event."))
    deleted, _rows = Attendance.objects.filter(registration=registration, session=session).delete()
    if deleted:
        log_action(
            actor=actor,
            action=Action.ATTENDANCE_UNDO,
            obj=registration,
            changes={"session": session.pk},
            request=request,
        )
    return bool(deleted)


# --- import from a participant list ---------------------------------------------------------


def attendance_import_preview(*, session: Session, data: bytes, actor: Actor) -> AttendancePreview:
    """Read the file and match its people; writes nothing."""
    return AttendanceImporter(actor=actor, session=session).preview(data)


def attendance_import_token(*, session: Session, preview: AttendancePreview) -> str:
    """The checked rows, signed, for the confirmation form (the file is not kept)."""
    return signing.dumps(
        {"session": session.pk, "people": preview.entries()}, salt=IMPORT_SALT, compress=True
    )


@dataclass
class AttendanceImportResult:
    written: int = 0
    matched: int = 0
    unknown: list[str] = field(default_factory=list)


def attendance_import(
    *,
    session: Session,
    token: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> AttendanceImportResult:
    """Import what the organiser saw in the preview: attendance for the people who have a
    confirmed registration now; unknown addresses are reported, not imported. Atomic."""
    try:
        payload = signing.loads(token, salt=IMPORT_SALT, max_age=IMPORT_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("The preview is too old; upload the file again."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("The preview could not be read; upload the file again.")) from exc
    if payload.get("session") != session.pk:
        raise ValidationError(_("The preview was made for another session; upload the file again."))
    importer = AttendanceImporter(actor=actor, session=session)
    importer.prepare()
    people = [
        Participant(email=str(email), name=str(name), minutes=minutes, lines=list(lines))
        for email, name, minutes, lines in payload.get("people", [])
    ]
    for person in people:
        person.registration = importer.registration_for(person.email)
    matched = [p for p in people if p.registration is not None]
    result = AttendanceImportResult(
        matched=len(matched), unknown=[p.email for p in people if p.registration is None]
    )
    with transaction.atomic():
        result.written = attendance_write(session=session, people=matched, actor=actor)
        log_action(
            actor=actor,
            action=Action.ATTENDANCE_IMPORT,
            obj=session.event,
            changes={
                "session": session.pk,
                "matched": result.matched,
                "written": result.written,
                "unknown": len(result.unknown),
            },
            request=request,
        )
    return result
