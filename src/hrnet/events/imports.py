"""Attendance from a video call's participant list (`events.attendance`).

Reads the exports people actually have: Zoom's "Participants" report (with or without the
meeting summary above it), Microsoft Teams' attendance report (UTF-16, tab-separated,
in numbered sections) and a plain sheet with an `email` column. People are matched by
email address (any case) to the event's confirmed registrations; the minutes of every
join of one person are summed. Unknown addresses are reported and never imported.

The file is read with the `core.imports` conventions (every row checked, errors with
their line, one transaction), but by its own reader: platform exports put a summary
above the participants' header and extra sections below the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.accounts.models import User
from hrnet.core.imports import (
    FileUnreadable,
    Importer,
    ImportReport,
    RowError,
    RowInvalid,
    csv_decode,
    csv_rows,
    register_importer,
)
from hrnet.core.types import Actor
from hrnet.events.models import Attendance, Registration, Session

# Header names (lower case) of each platform's columns.
EMAIL_COLUMNS = ("user email", "email", "e-mail", "email address", "электронная почта")
NAME_COLUMNS = ("name (original name)", "name", "full name", "participant", "имя")
DURATION_COLUMNS = (
    "duration (minutes)",
    "duration (mins)",
    "in-meeting duration",
    "duration",
    "minutes",
    "продолжительность (минуты)",
)
JOIN_COLUMNS = ("join time", "first join", "first join time")
LEAVE_COLUMNS = ("leave time", "last leave", "last leave time")
# Zoom's meeting summary has an email column too (the host's): its header is not ours.
SUMMARY_MARKERS = ("meeting id", "topic", "идентификатор конференции")

_TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
)
_SECTION = re.compile(r"^\d+\.\s")


@dataclass(frozen=True)
class AttendanceRow:
    """One line of the participant list: one join of one person."""

    line: int
    email: str
    name: str
    minutes: int | None


@dataclass
class Participant:
    """Everyone's joins added up: one per email address."""

    email: str
    name: str
    minutes: int | None
    lines: list[int]
    registration: Registration | None = None


@dataclass
class AttendancePreview:
    """What an import would do; nothing is written to make it."""

    rows: int = 0
    matched: list[Participant] = field(default_factory=list)
    unknown: list[Participant] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The file as a whole could not be read: there is nothing to confirm.
    unreadable: bool = False

    def entries(self) -> list[list[Any]]:
        """The cleaned people as JSON values, carried to the confirmation step."""
        return [[p.email, p.name, p.minutes, p.lines] for p in [*self.matched, *self.unknown]]


# --- reading --------------------------------------------------------------------------------


def _find(header: list[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def parse_minutes(value: str) -> int | None:
    """`45`, `45.5`, `1h 5m 30s`, `45m 12s`, `1:05:30` or `45:12` → whole minutes.

    Raises ValueError for anything else; an empty value is unknown (None).
    """
    text = value.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        return round(float(text.replace(",", ".")))
    parts = re.fullmatch(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?", text)
    if parts and any(parts.groups()):
        hours, minutes, seconds = (int(part or 0) for part in parts.groups())
        return round(hours * 60 + minutes + seconds / 60)
    clock = re.fullmatch(r"(\d+):(\d\d)(?::(\d\d))?", text)
    if clock:
        first, second, third = clock.groups()
        if third is None:  # mm:ss
            return round(int(first) + int(second) / 60)
        return round(int(first) * 60 + int(second) + int(third) / 60)
    raise ValueError(value)


def _parse_time(value: str) -> datetime | None:
    text = " ".join(value.split())
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - only differences are used
        except ValueError:
            continue
    return None


# --- the importer ---------------------------------------------------------------------------


@register_importer
class AttendanceImporter(Importer[AttendanceRow]):
    """Attendance of one session from a participant list. Needs `session`; the generic
    upload page cannot give one, so it is run from the event's import page."""

    name = "events.attendance"
    label = gettext_lazy("Attendance from a video call's participant list")
    required_columns = ("email",)
    optional_columns = ("name", "minutes", "join time", "leave time")

    def __init__(self, *, actor: Actor | None = None, session: Session | None = None) -> None:
        super().__init__(actor=actor)
        self.session = session
        self._columns: dict[str, int | None] = {}
        self._registrations: dict[str, Registration] = {}

    # -- reading the file

    def read(self, data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
        """The participants' rows (line, {column: value}) and the file's own problems."""
        try:
            rows = csv_rows(csv_decode(data))
        except FileUnreadable as exc:
            return [], [RowError(0, "", str(exc))]
        header_at = next(
            (
                index
                for index, (_line, cells) in enumerate(rows)
                if _find([c.lower() for c in cells], EMAIL_COLUMNS) is not None
                and not any(c.lower() in SUMMARY_MARKERS for c in cells)
            ),
            None,
        )
        if header_at is None:
            return [], [
                RowError(
                    1,
                    "email",
                    _("No column of email addresses was found; expected one of: %(names)s.")
                    % {"names": ", ".join(EMAIL_COLUMNS[:3])},
                )
            ]
        header = [cell.lower() for cell in rows[header_at][1]]
        self._columns = {
            "email": _find(header, EMAIL_COLUMNS),
            "name": _find(header, NAME_COLUMNS),
            "minutes": _find(header, DURATION_COLUMNS),
            "join": _find(header, JOIN_COLUMNS),
            "leave": _find(header, LEAVE_COLUMNS),
        }
        found: list[tuple[int, dict[str, str]]] = []
        for line, cells in rows[header_at + 1 :]:
            filled = [cell for cell in cells if cell]
            if not filled:
                continue
            # Teams: "3. In-Meeting Activities" starts another table (the same joins again).
            if len(filled) == 1 and _SECTION.match(filled[0]):
                break
            if [cell.lower() for cell in cells] == header:
                continue  # a header repeated further down
            values = {}
            for key, index in self._columns.items():
                values[key] = cells[index] if index is not None and index < len(cells) else ""
            found.append((line, values))
        return found, []

    # -- the framework's steps

    def prepare(self) -> None:
        if self.session is None:
            raise ValueError("AttendanceImporter needs a session")
        confirmed = Registration.objects.filter(
            event_id=self.session.event_id, status=Registration.Status.CONFIRMED
        ).select_related("user")
        self._registrations = {r.email.strip().lower(): r for r in confirmed}

    def registration_for(self, email: str) -> Registration | None:
        """The confirmed registration with this address (after `prepare`)."""
        return self._registrations.get(email.strip().lower())

    def clean_row(self, row: dict[str, str], line: int) -> AttendanceRow:
        problems: list[tuple[str, str, str]] = []
        email = row.get("email", "").strip().lower()
        if not email:
            problems.append(
                (
                    "email",
                    _("No email address: this person cannot be matched."),
                    row.get("name", ""),
                )
            )
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(("email", _("This is not an email address."), email))
        minutes: int | None = None
        raw = row.get("minutes", "")
        if raw:
            try:
                minutes = parse_minutes(raw)
            except ValueError:
                problems.append(
                    ("minutes", _("Write the duration in minutes, or as 1h 5m 30s."), raw)
                )
        elif row.get("join") and row.get("leave"):
            joined, left = _parse_time(row["join"]), _parse_time(row["leave"])
            if joined and left and left >= joined:
                minutes = round((left - joined).total_seconds() / 60)
        if problems:
            raise RowInvalid(problems)
        return AttendanceRow(line=line, email=email, name=row.get("name", ""), minutes=minutes)

    def participants(self, rows: Iterable[AttendanceRow]) -> list[Participant]:
        """One entry per email address, minutes summed over their joins."""
        people: dict[str, Participant] = {}
        for row in rows:
            person = people.get(row.email)
            if person is None:
                people[row.email] = Participant(row.email, row.name, row.minutes, [row.line])
                continue
            person.lines.append(row.line)
            if row.minutes is not None:
                person.minutes = (person.minutes or 0) + row.minutes
        for person in people.values():
            person.registration = self._registrations.get(person.email)
        return list(people.values())

    def preview(self, data: bytes) -> AttendancePreview:
        """Read and check the whole file; nothing is written."""
        preview = AttendancePreview()
        found, preview.errors = self.read(data)
        preview.rows = len(found)
        if preview.errors:
            preview.unreadable = True
            return preview
        self.prepare()
        cleaned = []
        for line, row in found:
            try:
                cleaned.append(self.clean_row(row, line))
            except RowInvalid as exc:
                preview.errors += [RowError(line, c, m, v) for c, m, v in exc.problems]
        for person in self.participants(cleaned):
            (preview.matched if person.registration else preview.unknown).append(person)
        return preview

    def write(self, rows: list[AttendanceRow]) -> int:
        """Attendance for the matched people; called inside a transaction."""
        people = [p for p in self.participants(rows) if p.registration is not None]
        return attendance_write(session=self._session(), people=people, actor=self.actor)

    def _session(self) -> Session:
        if self.session is None:
            raise ValueError("AttendanceImporter needs a session")
        return self.session

    def run(
        self, data: bytes, *, fmt: str = "csv", partial: bool = True, progress: Any = None
    ) -> ImportReport:
        """Import at once (the command line): unknown addresses and bad rows are reported,
        the matched people imported, as when an organiser confirms the preview."""
        report = ImportReport(partial=True)
        if self.session is None:
            report.errors.append(RowError(0, "", _("Choose the session of the event first.")))
            return report
        preview = self.preview(data)
        report.rows = preview.rows
        report.errors = list(preview.errors) + unknown_errors(preview.unknown)
        with transaction.atomic():
            report.written = attendance_write(
                session=self.session, people=preview.matched, actor=self.actor
            )
        return report


def unknown_errors(unknown: Iterable[Participant]) -> list[RowError]:
    """Unknown addresses in the framework's report shape, at their first line."""
    return [
        RowError(
            person.lines[0],
            "email",
            _("No confirmed registration for this event with this email address."),
            person.email,
        )
        for person in unknown
    ]


def attendance_write(
    *, session: Session, people: Iterable[Participant], actor: Actor | None
) -> int:
    """Create or update attendance of `session` for matched people (the larger minutes
    win, so importing the same list twice changes nothing). Returns rows created or
    changed."""
    people = [p for p in people if p.registration is not None]
    existing = {
        a.registration_id: a
        for a in Attendance.objects.select_for_update().filter(
            session=session, registration__in=[p.registration for p in people]
        )
    }
    now = timezone.now()
    actor_user = actor if isinstance(actor, User) else None
    create, update = [], []
    for person in people:
        registration = person.registration
        assert registration is not None  # noqa: S101 - filtered above
        attendance = existing.get(registration.pk)
        if attendance is None:
            create.append(
                Attendance(
                    registration=registration,
                    session=session,
                    source=Attendance.Source.IMPORT,
                    minutes=person.minutes,
                    recorded_at=now,
                    recorded_by=actor_user,
                )
            )
        elif person.minutes is not None and (attendance.minutes or 0) < person.minutes:
            attendance.minutes = person.minutes
            update.append(attendance)
    # A concurrent import of the same list may have created some rows meanwhile.
    Attendance.objects.bulk_create(create, ignore_conflicts=True)
    Attendance.objects.bulk_update(update, ["minutes"])
    return len(create) + len(update)
