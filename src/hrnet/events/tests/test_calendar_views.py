"""The calendar pages: lists and filters, the month view, times in the viewer's zone with
the zone named, the online link only for those who may see it, and a role x action matrix
of the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import Event
from hrnet.events.tests.factories import EventFactory, RegistrationFactory
from hrnet.library.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_upcoming_and_past_lists_with_filters(client):
    EventFactory.create(titles={"en": "Naloxone webinar"}, languages=["ru"])
    EventFactory.create(
        titles={"en": "Community training"}, kind=Event.Kind.TRAINING, languages=["en"]
    )
    EventFactory.create(
        titles={"en": "Last year's meeting"},
        starts_at=timezone.now() - timedelta(days=300),
        kind=Event.Kind.MEETING,
    )
    page = client.get("/en/events/").content.decode()
    assert "Naloxone webinar" in page
    assert "Community training" in page
    assert "Last year" not in page
    assert "Last year" in client.get("/en/events/past/").content.decode()
    filtered = client.get("/en/events/?kind=training").content.decode()
    assert "Community training" in filtered
    assert "Naloxone webinar" not in filtered
    by_language = client.get("/en/events/?language=ru", HTTP_HX_REQUEST="true").content.decode()
    assert "Naloxone webinar" in by_language
    assert "Community training" not in by_language
    assert "<html" not in by_language  # htmx gets the results only
    assert client.get("/en/events/?kind=nonsense").status_code == 200


def test_members_only_and_drafts_stay_hidden(client):
    EventFactory.create(titles={"en": "Members circle"}, visibility=Event.Visibility.MEMBERS)
    draft = EventFactory.create(titles={"en": "Draft plan"}, status=Event.Status.DRAFT)
    assert "Members circle" not in client.get("/en/events/").content.decode()
    assert client.get(f"/en/events/{draft.pk}/").status_code == 404
    client.force_login(UserFactory.create(roles=[Role.MEMBER]))
    assert "Members circle" in client.get("/en/events/").content.decode()
    assert client.get(f"/en/events/{draft.pk}/").status_code == 404
    client.force_login(UserFactory.create(roles=[Role.SECRETARIAT]))
    assert client.get(f"/en/events/{draft.pk}/").status_code == 200


def test_the_month_puts_a_session_on_its_day_in_the_viewer_zone(client):
    # 20:30 UTC on 14 May is 01:30 on 15 May in Almaty (UTC+5).
    start = datetime(2031, 5, 14, 20, 30, tzinfo=UTC)
    EventFactory.create(
        titles={"en": "Late call"}, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    client.force_login(UserFactory.create(time_zone="Asia/Almaty"))
    page = client.get("/en/events/month/2031/5/").content.decode()
    cell = page.split(">15<", 1)[1].split("</td>", 1)[0]
    assert "Late call" in cell
    assert "Asia/Almaty" in page
    assert client.get("/en/events/month/2031/13/").status_code == 404


def test_detail_names_the_viewer_zone_and_the_organisers_zone(client):
    start = datetime(2031, 3, 10, 9, 0, tzinfo=UTC)
    event = EventFactory.create(
        starts_at=start, ends_at=start + timedelta(hours=2), time_zone="Asia/Almaty"
    )
    client.force_login(UserFactory.create(time_zone="Europe/Chisinau"))
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "Europe/Chisinau" in page
    assert "11:00" in page
    assert "Asia/Almaty" in page
    assert "14:00" in page
    anonymous = client.__class__().get(f"/en/events/{event.pk}/").content.decode()
    assert "Asia/Almaty" in anonymous or "UTC" in anonymous


def test_the_online_link_shows_only_to_confirmed_participants_and_organisers(client):
    organiser = UserFactory.create()
    event = EventFactory.create(
        online_url="https://meet.example.org/room-42", organisers=[organiser]
    )
    confirmed = RegistrationFactory.create(event=event).user
    waiting = RegistrationFactory.create(event=event, status="waiting").user
    url = f"/en/events/{event.pk}/"
    assert "room-42" not in client.get(url).content.decode()
    for user, sees in ((waiting, False), (confirmed, True), (organiser, True)):
        client.force_login(user)
        assert ("room-42" in client.get(url).content.decode()) is sees, user


def test_global_events_show_how_we_prepare_and_no_registration(client):
    event = EventFactory.create(
        kind=Event.Kind.GLOBAL,
        preparation_notes={"en": "We draft a joint statement with members."},
        external_url="https://www.unodc.org/cnd",
    )
    client.force_login(UserFactory.create(roles=[Role.MEMBER]))
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "How we prepare" in page
    assert "joint statement" in page
    assert f"/events/{event.pk}/register/" not in page
    register = client.get(f"/en/events/{event.pk}/register/").content.decode()
    assert "global event" in register


def test_my_events_lists_my_registrations(client):
    user = UserFactory.create()
    RegistrationFactory.create(user=user, event=EventFactory.create(titles={"en": "Mine"}))
    EventFactory.create(titles={"en": "Not mine"})
    assert client.get("/en/events/mine/").status_code == 302
    client.force_login(user)
    page = client.get("/en/events/mine/").content.decode()
    assert "Mine" in page
    assert "Not mine" not in page


# --- role x action matrix -------------------------------------------------------------

ROLES = [None, Role.MEMBER, Role.EXPERT, Role.SITESTAFF, "organiser", Role.SECRETARIAT]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_of_the_event_pages(client, role):
    organiser = UserFactory.create()
    event = EventFactory.create(organisers=[organiser])
    pending = RegistrationFactory.create(event=event, status="pending")
    if role == "organiser":
        client.force_login(organiser)
    elif role is not None:
        client.force_login(UserFactory.create(roles=[role]))
    manages = role in ("organiser", Role.SECRETARIAT)
    edits = role == Role.SECRETARIAT
    expected = {
        f"/en/events/{event.pk}/": 200,
        "/en/events/new/": 200 if edits else (302 if role is None else 403),
        f"/en/events/{event.pk}/edit/": 200 if edits else (302 if role is None else 403),
        f"/en/events/{event.pk}/questions/": 200 if edits else (302 if role is None else 403),
        f"/en/events/{event.pk}/registrations/": 200 if manages else (302 if role is None else 403),
        # Visitors register as guests (a public event, not members-only).
        f"/en/events/{event.pk}/register/": 200,
    }
    for url, status in expected.items():
        assert client.get(url).status_code == status, (role, url)
    decide = client.post(f"/en/events/registrations/{pending.pk}/decide/", {"decision": "approve"})
    pending.refresh_from_db()
    assert (pending.status == "confirmed") is manages, role
    assert decide.status_code in (302, 403, 404)


def test_the_secretariat_creates_a_training_of_four_sessions_in_its_zone(client, secretariat):
    guide = ResourceFactory.create(title="Facilitator guide")
    client.force_login(secretariat)
    data = {
        "kind": "training",
        "visibility": "public",
        "time_zone": "Asia/Tbilisi",
        "title_en": "Community network development",
        "title_ru": "Развитие сообществ",
        "capacity": "20",
        "waiting_list": "on",
        "materials": [str(guide.pk)],
        "sessions-TOTAL_FORMS": "4",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for index in range(4):
        data[f"sessions-{index}-starts_at"] = f"2031-04-{index + 1:02d}T10:00"
        data[f"sessions-{index}-ends_at"] = f"2031-04-{index + 1:02d}T12:00"
    response = client.post("/en/events/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(titles__en="Community network development")
    assert event.sessions.count() == 4
    assert list(event.materials.all()) == [guide]
    assert event.status == Event.Status.DRAFT
    assert event.starts_at == datetime(2031, 4, 1, 6, 0, tzinfo=UTC)  # 10:00 in Tbilisi
    assert event.ends_at == datetime(2031, 4, 4, 8, 0, tzinfo=UTC)
    client.post(f"/en/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    # an end before the start is refused with a message, and what was typed stays
    data["title_en"] = "Backwards"
    data["sessions-0-ends_at"] = "2031-04-01T09:00"
    page = client.post("/en/events/new/", data).content.decode()
    assert "A session must end after it starts." in page
    assert 'value="Backwards"' in page
