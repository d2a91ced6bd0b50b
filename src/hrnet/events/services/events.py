"""Writes of events: the secretariat creates and edits events with their sessions and
registration questions, publishes, cancels (everyone registered is told) and trashes them.

`Event.starts_at`/`ends_at` always equal the first session's start and the last session's
end; `Event.sequence` goes up whenever a change matters to a calendar that holds the event
(time, place, online link, status), so iCalendar clients replace their copy.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.i18n import localized
from hrnet.core.trash import trash_move
from hrnet.core.types import Actor
from hrnet.events.audit import Action
from hrnet.events.models import Event, Registration, RegistrationQuestion, Session
from hrnet.events.policies import event_policy
from hrnet.events.services.registration import registrations_notify_cancelled, waiting_list_advance

# What event_create/event_update accept besides sessions and the many-to-many relations.
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        "titles",
        "descriptions",
        "preparation_notes",
        "external_url",
        "time_zone",
        "online_url",
        "venue",
        "city",
        "country",
        "languages",
        "interpretation",
        "speakers",
        "recording_url",
        "capacity",
        "waiting_list",
        "certificate_min_attendance",
        "registration_opens_at",
        "registration_closes_at",
        "approval_required",
        "visibility",
        "members_only",
    }
)
# A change to one of these is news for a calendar that holds the event.
CALENDAR_FIELDS = ("venue", "city", "country_id", "online_url", "status")


@dataclass(frozen=True)
class SessionSpec:
    """A session as the editor gives it; `pk` names an existing session to keep."""

    starts_at: Any
    ends_at: Any
    titles: dict[str, str] = field(default_factory=dict)
    pk: int | None = None


def _clean_texts(values: dict[str, str] | None) -> dict[str, str]:
    return {code: text.strip() for code, text in (values or {}).items() if text and text.strip()}


def _validate_sessions(sessions: Sequence[SessionSpec]) -> None:
    if not sessions:
        raise ValidationError({"sessions": _("An event needs at least one session.")})
    for number, spec in enumerate(sessions, start=1):
        for value in (spec.starts_at, spec.ends_at):
            if value is None or timezone.is_naive(value):
                raise ValidationError(
                    {
                        "sessions": _(
                            "Session %(number)s: give its start and end with a time zone."
                        )
                        % {"number": number}
                    }
                )
        if spec.ends_at <= spec.starts_at:
            raise ValidationError(
                {
                    "sessions": _("Session %(number)s ends (%(end)s) before it starts (%(start)s).")
                    % {
                        "number": number,
                        "start": timezone.localtime(spec.starts_at).strftime("%Y-%m-%d %H:%M"),
                        "end": timezone.localtime(spec.ends_at).strftime("%Y-%m-%d %H:%M"),
                    }
                }
            )


def _snapshot(event: Event) -> dict[str, Any]:
    data = {name: getattr(event, name) for name in EDITABLE_FIELDS if name != "country"}
    data["country"] = event.country.iso2 if event.country_id else None  # type: ignore[union-attr]
    for name in ("registration_opens_at", "registration_closes_at"):
        data[name] = data[name].isoformat() if data[name] else None
    data["status"] = event.status
    return data


def _session_times(event: Event) -> list[tuple[str, str]]:
    return [(s.starts_at.isoformat(), s.ends_at.isoformat()) for s in event.sessions.all()]


def _calendar_state(event: Event) -> tuple[Any, ...]:
    return (*(getattr(event, name) for name in CALENDAR_FIELDS), tuple(_session_times(event)))


def _apply(event: Event, fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if name in ("titles", "descriptions", "preparation_notes"):
            value = _clean_texts(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(event, name, value)
    if event.time_zone:
        try:
            zoneinfo.ZoneInfo(event.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                {"time_zone": _("“%(zone)s” is not a time zone.") % {"zone": event.time_zone}}
            ) from None
    share = event.certificate_min_attendance
    if not isinstance(share, int) or not 1 <= share <= 100:
        raise ValidationError(
            {
                "certificate_min_attendance": _(
                    "The attendance needed for a certificate is a share from 1 to 100, "
                    "not %(value)s."
                )
                % {"value": share}
            }
        )
    if event.kind == Event.Kind.GLOBAL:
        # Not ours to fill: no registration, no seats.
        event.capacity = None
        event.approval_required = False


def _sessions_write(event: Event, sessions: Sequence[SessionSpec]) -> None:
    _validate_sessions(sessions)
    existing = {s.pk: s for s in event.sessions.all()}
    kept: set[int] = set()
    for spec in sessions:
        session = existing.get(spec.pk) if spec.pk else None
        if session is None:
            session = Session(event=event)
        else:
            kept.add(session.pk)
        session.starts_at = spec.starts_at
        session.ends_at = spec.ends_at
        session.titles = _clean_texts(spec.titles)
        session.save()
    for pk, session in existing.items():
        if pk in kept:
            continue
        if session.attendances.exists():
            raise ValidationError(
                {
                    "sessions": _(
                        "The session of %(start)s has recorded attendance and cannot be removed."
                    )
                    % {"start": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")}
                }
            )
        session.delete()
    times = list(event.sessions.order_by("starts_at").values_list("starts_at", "ends_at"))
    event.starts_at = min(start for start, _end in times)
    event.ends_at = max(end for _start, end in times)


def _validate(event: Event) -> None:
    try:
        event.full_clean(exclude=["organisers", "issue_areas", "materials"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _relations(event: Event) -> dict[str, list[Any]]:
    return {
        "organisers": sorted(event.organisers.values_list("email", flat=True)),
        "issue_areas": sorted(event.issue_areas.values_list("code", flat=True)),
        "materials": sorted(event.materials.values_list("pk", flat=True)),
    }


@transaction.atomic
def event_create(
    *,
    actor: Actor,
    sessions: Sequence[SessionSpec],
    organisers: Iterable[Any] = (),
    issue_areas: Iterable[Any] = (),
    materials: Iterable[Any] = (),
    request: HttpRequest | None = None,
    **fields: Any,
) -> Event:
    """A new draft event with its sessions; `fields` are the event's own fields
    (EDITABLE_FIELDS). Publish it with event_publish."""
    event_policy.require(actor, "add")
    _validate_sessions(sessions)
    event = Event(
        created_by=actor if isinstance(actor, User) else None,
        starts_at=min(s.starts_at for s in sessions),
        ends_at=max(s.ends_at for s in sessions),
    )
    _apply(event, fields)
    _validate(event)
    event.save()
    _sessions_write(event, sessions)
    event.save(update_fields=["starts_at", "ends_at"])
    event.organisers.set(list(organisers))
    event.issue_areas.set(list(issue_areas))
    event.materials.set(list(materials))
    changes = {name: {"old": None, "new": value} for name, value in _snapshot(event).items()}
    changes["sessions"] = {"old": None, "new": _session_times(event)}
    changes.update({k: {"old": None, "new": v} for k, v in _relations(event).items()})
    log_action(actor=actor, action=Action.EVENT_CREATE, obj=event, changes=changes, request=request)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: Actor,
    sessions: Sequence[SessionSpec] | None = None,
    organisers: Iterable[Any] | None = None,
    issue_areas: Iterable[Any] | None = None,
    materials: Iterable[Any] | None = None,
    request: HttpRequest | None = None,
    now: Any = None,
    **fields: Any,
) -> Event:
    """Change an event; a larger capacity offers the new seats to the waiting list."""
    event_policy.require(actor, "change", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = {**_snapshot(event), "sessions": _session_times(event), **_relations(event)}
    calendar_before = _calendar_state(event)
    capacity_before = event.capacity
    _apply(event, fields)
    if sessions is not None:
        _sessions_write(event, sessions)
    _validate(event)
    if _calendar_state(event) != calendar_before:
        event.sequence += 1
    event.save()
    if organisers is not None:
        event.organisers.set(list(organisers))
    if issue_areas is not None:
        event.issue_areas.set(list(issue_areas))
    if materials is not None:
        event.materials.set(list(materials))
    after = {**_snapshot(event), "sessions": _session_times(event), **_relations(event)}
    changes = changed_fields(before, after)
    if changes:
        log_action(
            actor=actor, action=Action.EVENT_CHANGE, obj=event, changes=changes, request=request
        )
    more_seats = event.capacity is None or (
        capacity_before is not None and event.capacity > capacity_before
    )
    if more_seats and capacity_before != event.capacity:
        waiting_list_advance(event=event, now=now)
    return event


@transaction.atomic
def event_publish(*, event: Event, actor: Actor, request: HttpRequest | None = None) -> Event:
    event_policy.require(actor, "change", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.PUBLISHED:
        return event
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(
            {"status": _("A cancelled event cannot be published again; create a new one.")}
        )
    if not event.sessions.exists():
        raise ValidationError({"sessions": _("An event needs at least one session.")})
    event.status = Event.Status.PUBLISHED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    log_action(
        actor=actor,
        action=Action.EVENT_PUBLISH,
        obj=event,
        changes={"status": {"old": Event.Status.DRAFT, "new": Event.Status.PUBLISHED}},
        request=request,
    )
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Actor, request: HttpRequest | None = None) -> Event:
    """Cancel the event: it stays in the calendar, marked cancelled (STATUS:CANCELLED in
    iCalendar), and everyone registered or waiting gets an email in their language."""
    event_policy.require(actor, "change", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        return event
    before = event.status
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    log_action(
        actor=actor,
        action=Action.EVENT_CANCEL,
        obj=event,
        changes={"status": {"old": before, "new": Event.Status.CANCELLED}},
        request=request,
    )
    if before == Event.Status.PUBLISHED:
        registrations_notify_cancelled(event=event)
    return event


@transaction.atomic
def event_trash(*, event: Event, actor: Actor, request: HttpRequest | None = None) -> None:
    """To the trash (restorable by the secretariat); it leaves the calendar and the feed."""
    event_policy.require(actor, "delete", event)
    trash_move(obj=event, actor=actor, request=request)


# --- registration questions -----------------------------------------------------------


@transaction.atomic
def question_add(
    *,
    event: Event,
    actor: Actor,
    labels: dict[str, str],
    kind: str = RegistrationQuestion.Kind.TEXT,
    choices: Sequence[dict[str, str]] = (),
    required: bool = False,
    request: HttpRequest | None = None,
) -> RegistrationQuestion:
    event_policy.require(actor, "change", event)
    labels = _clean_texts(labels)
    if not localized(labels):
        raise ValidationError({"labels": _("Write the question.")})
    cleaned_choices = [_clean_texts(choice) for choice in choices]
    cleaned_choices = [choice for choice in cleaned_choices if choice]
    if kind == RegistrationQuestion.Kind.CHOICE and len(cleaned_choices) < 2:
        raise ValidationError({"choices": _("Give at least two answers to choose from.")})
    if kind != RegistrationQuestion.Kind.CHOICE:
        cleaned_choices = []
    last = event.questions.order_by("-position").values_list("position", flat=True).first()
    question = RegistrationQuestion.objects.create(
        event=event,
        labels=labels,
        kind=kind,
        choices=cleaned_choices,
        required=required,
        position=(last or 0) + 1,
    )
    log_action(
        actor=actor,
        action=Action.QUESTION_ADD,
        obj=event,
        changes={"question": {"old": None, "new": labels}, "required": required},
        request=request,
    )
    return question


@transaction.atomic
def question_delete(
    *, question: RegistrationQuestion, actor: Actor, request: HttpRequest | None = None
) -> None:
    """Remove a question; answers already given stay in the registrations."""
    event_policy.require(actor, "change", question.event)
    log_action(
        actor=actor,
        action=Action.QUESTION_DELETE,
        obj=question.event,
        changes={"question": {"old": question.labels, "new": None}},
        request=request,
    )
    question.delete()


def seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=Registration.HOLDS_SEAT).count()
