"""Times in the reader's zone, named truthfully: the browser's zone for visitors (the
`hrnet_tz` cookie), the organisers' zone (named) without it; the editor's zone list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail

from hrnet.events.forms.events import REGION_ZONES, EventForm, event_time_zone_choices
from hrnet.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# 09:00 UTC: 14:00 in Almaty (UTC+5), 13:00 in Tbilisi (UTC+4).
START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def _event(**kwargs):
    return EventFactory.create(
        starts_at=START, ends_at=START.replace(hour=10), time_zone="Asia/Tbilisi", **kwargs
    )


def test_a_visitor_with_the_browser_cookie_sees_their_own_zone(client):
    event = _event()
    client.cookies["hrnet_tz"] = "Asia/Almaty"
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "In your time zone (Asia/Almaty)" in page
    assert "14:00" in page
    assert "Organisers’ time (Asia/Tbilisi)" in page  # and the organisers' beside it


def test_without_the_cookie_the_event_shows_the_organisers_zone_named(client):
    event = _event()
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "In the organisers’ time zone (Asia/Tbilisi)" in page
    assert "13:00" in page
    assert "your time zone" not in page
    assert 'data-time-zone="Asia/Tbilisi"' in page  # timezone.js compares with the browser


def test_an_invalid_cookie_is_ignored(client):
    event = _event()
    client.cookies["hrnet_tz"] = "Nowhere/Atlantis"
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "In the organisers’ time zone (Asia/Tbilisi)" in page


def test_lists_name_the_networks_zone_for_visitors_without_the_cookie(client, settings):
    _event()
    page = client.get("/en/events/").content.decode()
    assert f"the network’s time zone: {settings.TIME_ZONE}" in page
    client.cookies["hrnet_tz"] = "Asia/Almaty"
    assert "your time zone: Asia/Almaty" in client.get("/en/events/").content.decode()


def test_the_register_page_and_the_guest_email_use_the_visitors_zone(client, monkeypatch):
    monkeypatch.setattr("hrnet.events.emails._schedule", lambda message: message.send())
    event = _event()
    client.cookies["hrnet_tz"] = "Asia/Almaty"
    assert "14:00" in client.get(f"/en/events/{event.pk}/register/").content.decode()
    client.post(
        f"/en/events/{event.pk}/register/",
        {"guest_name": "Dana", "guest_email": "dana@example.org", "gender": "unsaid"},
    )
    body = mail.outbox[-1].body
    assert "When (your time zone): Asia/Almaty" in body
    assert "2 p.m." in body  # 09:00 UTC in Almaty


def test_the_editor_defaults_to_the_networks_zone_and_offers_the_region_first(settings):
    settings.TIME_ZONE = "Europe/Kyiv"
    form = EventForm()
    assert form["time_zone"].initial == "Europe/Kyiv"
    (_region_label, region), (_others_label, others) = event_time_zone_choices()
    names = [name for name, _label in region]
    assert names[0] == "Europe/Kyiv"
    assert {"Asia/Almaty", "Europe/Chisinau", "Asia/Tashkent", "Europe/Moscow"} <= set(names)
    assert set(REGION_ZONES) <= set(names)
    assert "Africa/Abidjan" in [name for name, _label in others]
    assert "Asia/Almaty" not in [name for name, _label in others]
    html = str(form["time_zone"])
    assert "<optgroup" in html
    assert html.index("Asia/Almaty") < html.index("Africa/Abidjan")


def test_the_secretariat_marks_an_event_members_only_in_the_editor(client, secretariat):
    event = _event()
    client.force_login(secretariat)
    page = client.get(f"/en/events/{event.pk}/edit/").content.decode()
    assert 'name="members_only"' in page
