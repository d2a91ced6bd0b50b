"""iCalendar (RFC 5545) files of events, written by hand: one VEVENT per session, times in
UTC, a UID that never changes (the event's uid and the session's pk) and the event's
SEQUENCE, so calendar apps update the entry they already have instead of adding another.

The online link is written only when the caller says the reader may see it (a confirmed
participant's own file, the organisers); the public feed never carries it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from hrnet.core.i18n import localized
from hrnet.events.models import Event, Session

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//hrnet//events//EN"
UID_DOMAIN = "hrnet.events"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets (§3.1), never inside a UTF-8
    character; continuation lines start with one space, which counts in their 75."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_uid(event: Event, session: Session) -> str:
    return f"{event.uid}-{session.pk}@{UID_DOMAIN}"


def event_url(event: Event) -> str:
    return settings.HRNET_SITE_URL.rstrip("/") + reverse("events:event_detail", args=[event.pk])


def _location(event: Event, *, with_online_link: bool) -> str:
    country = event.country.name if event.country else ""
    place = ", ".join(part for part in (event.venue, event.city, country) if part)
    if event.online_url:
        online = event.online_url if with_online_link else str(translation.gettext("Online"))
        place = f"{place} · {online}" if place else online
    return place


def _vevent(
    event: Event, session: Session, *, count: int, number: int, with_online_link: bool, stamp: str
) -> list[str]:
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
    lines = [
        "BEGIN:VEVENT",
        f"UID:{session_uid(event, session)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(session.starts_at)}",
        f"DTEND:{utc_stamp(session.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "STATUS:" + ("CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"),
        "TRANSP:OPAQUE",
    ]
    location = _location(event, with_online_link=with_online_link)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"LAST-MODIFIED:{utc_stamp(event.updated_at)}")
    lines.append("END:VEVENT")
    return lines


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
    stamp = utc_stamp(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        sessions = list(event.sessions.all())
        for number, session in enumerate(sessions, start=1):
            lines += _vevent(
                event,
                session,
                count=len(sessions),
                number=number,
                with_online_link=with_online_link,
                stamp=stamp,
            )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode()


def ics_event(event: Event, *, with_online_link: bool, now: datetime | None = None) -> bytes:
    return ics_calendar([event], with_online_link=with_online_link, now=now)


def ics_filename(event: Event) -> str:
    return f"event-{event.pk}.ics"
