"""Reads of the calendar: lists, the month grid, one event, the public iCalendar feed and
"my events". Every read takes the acting user and goes through the event policy, so the
pages, the API and the feed show the same events."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.core.types import Actor
from hrnet.events.models import Event, Registration, Session
from hrnet.events.policies import event_policy, registration_policy

PAGE_SIZE = 20
FEED_PAST_DAYS = 90  # the public feed keeps recent events so calendars can show them


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""
    language: str = ""  # events held in (or interpreted into) this language
    issue_area: str = ""  # IssueArea code
    when: str = "upcoming"  # upcoming, past

    def as_query(self) -> dict[str, str]:
        return {name: value for name, value in asdict(self).items() if value}


def _with_relations(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("country").prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk")),
        "issue_areas",
    )


def _filtered(events: QuerySet[Event], filters: EventFilters) -> QuerySet[Event]:
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.language:
        # JSON list containment differs by database; a LIKE on the JSON text is portable
        # (language codes are short, quoted and unambiguous).
        events = events.filter(languages__icontains=f'"{filters.language}"')
    if filters.issue_area:
        events = events.filter(issue_areas__code=filters.issue_area)
    return events


def visible_events(*, user: Actor) -> QuerySet[Event]:
    """Events `user` may read: published and cancelled ones (members-only ones for network
    members), drafts for the secretariat and the event's organisers."""
    ids = event_policy.instances_user_has_permission_for(user, "list").values("pk")
    return Event.objects.filter(pk__in=ids)


def event_list(
    *, user: Actor, filters: EventFilters | None = None, now: datetime | None = None
) -> QuerySet[Event]:
    """Upcoming events (not yet ended), soonest first; or past ones, latest first."""
    filters = filters or EventFilters()
    now = now or timezone.now()
    events = _filtered(visible_events(user=user), filters)
    if filters.when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return _with_relations(events)


@dataclass
class MonthDay:
    day: date
    in_month: bool
    is_today: bool
    entries: list[tuple[Session, Event]] = field(default_factory=list)


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[MonthDay]]
    previous: date
    next: date
    count: int


def event_month(
    *, user: Actor, year: int, month: int, filters: EventFilters | None = None
) -> Month:
    """A month grid (weeks from Monday) of sessions by their day in the current time
    zone: a session at 23:30 UTC is on the next day in Almaty."""
    filters = filters or EventFilters()
    zone = timezone.get_current_timezone()
    first = date(year, month, 1)
    grid = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start = datetime.combine(grid[0][0], datetime.min.time(), tzinfo=zone)
    end = datetime.combine(grid[-1][-1] + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    events = _filtered(visible_events(user=user), filters)
    sessions = (
        Session.objects.filter(event__in=events, starts_at__lt=end, ends_at__gt=start)
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    by_day: dict[date, list[tuple[Session, Event]]] = {}
    for session in sessions:
        local_day = timezone.localtime(session.starts_at, zone).date()
        by_day.setdefault(local_day, []).append((session, session.event))
    today = timezone.localdate()
    weeks = [
        [
            MonthDay(
                day=day,
                in_month=day.month == month,
                is_today=day == today,
                entries=by_day.get(day, []),
            )
            for day in week
        ]
        for week in grid
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    count = sum(len(d.entries) for w in weeks for d in w if d.in_month)
    return Month(year, month, weeks, previous, following, count)


def event_get(*, user: Actor, pk: int) -> Event:
    """One event `user` may read; Event.DoesNotExist otherwise."""
    return _with_relations(visible_events(user=user)).select_related("created_by").get(pk=pk)


def feed_events(*, now: datetime | None = None) -> list[Event]:
    """What the public iCalendar feed holds: public events an anonymous visitor sees, from
    FEED_PAST_DAYS ago on (cancelled ones too, so calendars drop them)."""
    now = now or timezone.now()
    events = visible_events(user=AnonymousUser()).filter(
        ends_at__gte=now - timedelta(days=FEED_PAST_DAYS)
    )
    return list(_with_relations(events).order_by("starts_at", "pk"))


def my_registrations(*, user: Actor, include_past: bool = True) -> QuerySet[Registration]:
    """`user`'s own registrations (not those of events in the trash), soonest event first."""
    if not isinstance(user, User):
        return Registration.objects.none()
    registrations = Registration.objects.filter(user=user, event__deleted_at__isnull=True)
    if not include_past:
        registrations = registrations.filter(event__ends_at__gte=timezone.now())
    return registrations.select_related("event").order_by("event__starts_at", "pk")


def my_registration(*, user: Actor, event: Event) -> Registration | None:
    """`user`'s latest registration for `event` (a live one if there is one)."""
    if not isinstance(user, User):
        return None
    registrations = Registration.objects.filter(user=user, event=event)
    live = registrations.filter(status__in=Registration.ACTIVE).first()
    return live or registrations.order_by("-created_at", "-pk").first()


def registration_get(*, user: Actor, pk: int, action: str = "view") -> Registration:
    """A registration `user` may act on (their own, or one of an event they manage)."""
    registration = (
        Registration.objects.select_related("event", "user", "country")
        .filter(event__deleted_at__isnull=True)
        .get(pk=pk)
    )
    if not registration_policy.user_has_permission_for_instance(user, action, registration):
        raise Registration.DoesNotExist
    return registration


def event_registrations(*, user: Actor, event: Event) -> QuerySet[Registration]:
    """The registrations of an event, for those who manage it; none for anyone else."""
    if not event_policy.user_has_permission_for_instance(user, "manage", event):
        return Registration.objects.none()
    return (
        Registration.objects.filter(event=event)
        .select_related("user", "country")
        .order_by("status", "waiting_since", "created_at", "pk")
    )


def event_counts(event: Event) -> dict[str, int]:
    """How many registrations are in each status."""
    rows = (
        Registration.objects.filter(event=event).values("status").annotate(n=Count("pk")).order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def sees_online_link(*, user: Actor, event: Event) -> bool:
    """Confirmed participants, the organisers and the secretariat see the online link."""
    if not getattr(user, "is_authenticated", False) or not event.online_url:
        return False
    if event_policy.user_has_permission_for_instance(user, "manage", event):
        return True
    return Registration.objects.filter(
        Q(event=event, user=user, status=Registration.Status.CONFIRMED)
    ).exists()
