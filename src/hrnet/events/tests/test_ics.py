"""iCalendar files: valid RFC 5545 (parsed by the icalendar package and checked line by
line), stable UIDs, SEQUENCE that goes up with changes, the online link only where due."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import icalendar
import pytest
from django.utils import timezone

from hrnet.events.ics import escape_text, fold, ics_calendar, ics_event
from hrnet.events.models import Event
from hrnet.events.services.events import SessionSpec, event_cancel, event_update
from hrnet.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def parse(data: bytes) -> icalendar.Calendar:
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line  # folded at 75 octets
        assert b"\n" not in line
        assert b"\r" not in line
    assert data.endswith(b"\r\n")
    return icalendar.Calendar.from_ical(data)


def vevents(data: bytes) -> list[Any]:
    return list(parse(data).walk("VEVENT"))


def test_one_vevent_per_session_in_utc_with_stable_uids():
    event = EventFactory.create(sessions=4, venue="Hotel Europa", city="Chișinău")
    entries = vevents(ics_event(event, with_online_link=False))
    assert len(entries) == 4
    sessions = list(event.sessions.all())
    for entry, session in zip(entries, sessions, strict=True):
        assert entry.decoded("dtstart") == session.starts_at.astimezone(UTC)
        assert entry.decoded("dtstart").tzinfo is not None
        assert str(entry["uid"]) == f"{event.uid}-{session.pk}@hrnet.events"
        assert str(entry["status"]) == "CONFIRMED"
        assert "Chișinău" in str(entry["location"])
        assert str(entry["url"]).endswith(f"/events/{event.pk}/")
    assert b"DTSTART:" in ics_event(event, with_online_link=False)  # ...Z, not TZID
    # Same UIDs the next time.
    again = vevents(ics_event(event, with_online_link=False))
    assert [str(e["uid"]) for e in again] == [str(e["uid"]) for e in entries]


def test_sequence_goes_up_when_time_place_or_status_change(secretariat):
    event = EventFactory.create()
    session = event.sessions.get()
    before = vevents(ics_event(event, with_online_link=False))[0]
    event = event_update(event=event, actor=secretariat, speakers="Someone")  # not calendar news
    assert event.sequence == 0
    later = session.starts_at + timedelta(hours=2)
    event = event_update(
        event=event,
        actor=secretariat,
        sessions=[SessionSpec(starts_at=later, ends_at=later + timedelta(hours=1), pk=session.pk)],
    )
    moved = vevents(ics_event(event, with_online_link=False))[0]
    assert moved["uid"] == before["uid"]
    assert int(str(moved["sequence"])) == int(str(before["sequence"])) + 1
    assert moved.decoded("dtstart") == later
    event = event_update(event=event, actor=secretariat, venue="Another hall")
    assert event.sequence == 2
    event = event_cancel(event=event, actor=secretariat)
    cancelled = vevents(ics_event(event, with_online_link=False))[0]
    assert str(cancelled["status"]) == "CANCELLED"
    assert int(str(cancelled["sequence"])) == 3


def test_the_online_link_only_when_asked():
    event = EventFactory.create(online_url="https://meet.example.org/secret-room")
    assert b"secret-room" not in ics_event(event, with_online_link=False)
    assert b"secret-room" in ics_event(event, with_online_link=True).replace(b"\r\n ", b"")


def test_text_is_escaped_and_long_lines_folded_without_breaking_characters():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Снижение вреда, " * 20
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    event = EventFactory.create(titles={"en": "Naloxone; peers, outreach\nand more " * 5})
    entry = vevents(ics_event(event, with_online_link=False))[0]
    assert str(entry["summary"]) == event.title


def test_the_public_feed_has_public_events_only_and_no_links(client):
    public = EventFactory.create(titles={"en": "Open webinar"})
    EventFactory.create(titles={"en": "Members meeting"}, visibility=Event.Visibility.MEMBERS)
    EventFactory.create(titles={"en": "Draft"}, status=Event.Status.DRAFT)
    RegistrationFactory.create(event=public)
    for url in ("/events/calendar.ics", "/en/events/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        summaries = [str(e["summary"]) for e in vevents(response.content)]
        assert summaries == ["Open webinar"]
        assert b"meet.example.org" not in response.content


def test_the_file_of_one_event_has_the_link_for_a_confirmed_participant_only(client):
    event = EventFactory.create()
    confirmed = RegistrationFactory.create(event=event)
    waiting = RegistrationFactory.create(event=event, status="waiting")
    url = f"/en/events/{event.pk}/event.ics"
    assert b"meet.example.org" not in client.get(url).content
    client.force_login(waiting.user)
    assert b"meet.example.org" not in client.get(url).content
    client.force_login(confirmed.user)
    response = client.get(url)
    assert "attachment" in response["Content-Disposition"]
    assert b"meet.example.org" in response.content.replace(b"\r\n ", b"")
    assert len(vevents(response.content)) == 1


def test_dtstamp_is_the_time_of_writing():
    now = timezone.now().replace(microsecond=0)
    entry = vevents(ics_calendar([EventFactory.create()], now=now))[0]
    assert entry.decoded("dtstamp") == now.astimezone(UTC)
