"""iCalendar (RFC 5545) files of events, written with the `icalendar` library: one VEVENT
per session, times in UTC, a UID that never changes (the event's uid and the session's pk)
and the event's SEQUENCE, so calendar apps update the entry they already have instead of
adding another. The library escapes the text and folds long lines.

The online link is written only when the caller says the reader may see it (a confirmed
participant's own file, the organisers); the public feed never carries it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import icalendar
from django.urls import reverse
from django.utils import timezone, translation
from icalendar.parser import Contentline

from hrnet.core.i18n import localized
from hrnet.core.links import site_url
from hrnet.events.models import Event, Session

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//hrnet//events//EN"
UID_DOMAIN = "hrnet.events"


def escape_text(value: str) -> str:
    """A TEXT value as the library writes it (RFC 5545 §3.3.11): backslash, semicolon,
    comma and newlines escaped."""
    return icalendar.vText(value).to_ical().decode()


def fold(line: str) -> str:
    """A content line as the library writes it: folded into lines of at most 75 octets
    (§3.1), never inside a UTF-8 character."""
    return Contentline(line).to_ical().decode()


def _utc(moment: datetime) -> datetime:
    """The moment in UTC to the second (written as `...Z`, never with a TZID)."""
    return moment.astimezone(UTC).replace(microsecond=0)


def session_uid(event: Event, session: Session) -> str:
    return f"{event.uid}-{session.pk}@{UID_DOMAIN}"


def event_url(event: Event) -> str:
    return site_url(reverse("events:event_detail", args=[event.pk]))


def _location(event: Event, *, with_online_link: bool) -> str:
    country = event.country.name if event.country else ""
    place = ", ".join(part for part in (event.venue, event.city, country) if part)
    if event.online_url:
        online = event.online_url if with_online_link else str(translation.gettext("Online"))
        place = f"{place} · {online}" if place else online
    return place


def _vevent(
    event: Event,
    session: Session,
    *,
    count: int,
    number: int,
    with_online_link: bool,
    stamp: datetime,
) -> icalendar.Event:
    title = event.title
    session_title = localized(session.titles)
    if count > 1:
        title = f"{title} ({number}/{count}{': ' + session_title if session_title else ''})"
    description = event.description
    if event.kind == Event.Kind.GLOBAL and localized(event.preparation_notes):
        description = f"{description}\n\n{localized(event.preparation_notes)}".strip()
    if with_online_link and event.online_url:
        online = translation.gettext("Online link: %(url)s") % {"url": event.online_url}
        description = f"{description}\n\n{online}".strip()
    url = event_url(event)
    description = f"{description}\n\n{url}".strip()
    vevent = icalendar.Event()
    vevent.add("uid", session_uid(event, session))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _utc(session.starts_at))
    vevent.add("dtend", _utc(session.ends_at))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", title)
    vevent.add("description", description)
    vevent.add("url", url)
    vevent.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    location = _location(event, with_online_link=with_online_link)
    if location:
        vevent.add("location", location)
    vevent.add("last-modified", _utc(event.updated_at))
    return vevent


def ics_calendar(
    events: Iterable[Event],
    *,
    name: str = "",
    with_online_link: bool = False,
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR of every session of `events`, in the active language, CRLF-terminated.

    Sessions are read from `event.sessions.all()` (prefetch them for a feed).
    """
    stamp = _utc(now or timezone.now())
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", icalendar.vText(name))
    for event in events:
        sessions = list(event.sessions.all())
        for number, session in enumerate(sessions, start=1):
            calendar.add_component(
                _vevent(
                    event,
                    session,
                    count=len(sessions),
                    number=number,
                    with_online_link=with_online_link,
                    stamp=stamp,
                )
            )
    return calendar.to_ical(sorted=False)


def ics_event(event: Event, *, with_online_link: bool, now: datetime | None = None) -> bytes:
    return ics_calendar([event], with_online_link=with_online_link, now=now)


def ics_filename(event: Event) -> str:
    return f"event-{event.pk}.ics"
