"""/api/v1/events and /api/v1/me/registrations: the pages' visibility, registration and
cancelling, the online link only for confirmed participants."""

from __future__ import annotations

import pytest

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import Event, Registration
from hrnet.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _emails_at_once(monkeypatch):
    monkeypatch.setattr("hrnet.events.emails._schedule", lambda message: message.send())


def test_list_and_detail_follow_the_pages_visibility(client):
    public = EventFactory.create(titles={"en": "Open"}, kind=Event.Kind.TRAINING)
    members = EventFactory.create(titles={"en": "Members"}, visibility=Event.Visibility.MEMBERS)
    EventFactory.create(titles={"en": "Draft"}, status=Event.Status.DRAFT)
    body = client.get("/api/v1/events").json()
    assert [item["title"] for item in body["items"]] == ["Open"]
    assert body["items"][0]["online"] is True
    assert body["items"][0]["online_url"] is None
    assert client.get(f"/api/v1/events/{members.pk}").status_code == 404
    assert client.get("/api/v1/events?kind=webinar").json()["count"] == 0
    assert client.get(f"/api/v1/events/{public.pk}").json()["sessions"][0]["id"]
    assert client.get("/api/v1/events", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    client.force_login(UserFactory.create(roles=[Role.MEMBER]))
    assert client.get("/api/v1/events").json()["count"] == 2


def test_register_cancel_and_my_registrations(client):
    event = EventFactory.create(capacity=1)
    RegistrationFactory.create(event=event)
    user = UserFactory.create()
    url = f"/api/v1/events/{event.pk}/registrations"
    assert client.post(url, {}, content_type="application/json").status_code == 401
    client.force_login(user)
    response = client.post(url, {"country": "zz"}, content_type="application/json")
    assert response.status_code == 400
    assert "country" in response.json()["errors"]
    response = client.post(url, {"gender": "woman"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "waiting"
    assert response.json()["waiting_position"] == 1
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 409
    assert "already registered" in again.json()["detail"]
    mine = client.get("/api/v1/me/registrations").json()
    assert [r["event_id"] for r in mine] == [event.pk]
    assert client.delete(url).json()["status"] == "cancelled"
    assert client.delete(url).status_code == 404


def test_refusals_come_with_the_pages_messages(client):
    client.force_login(UserFactory.create())
    full = EventFactory.create(capacity=1, waiting_list=False)
    RegistrationFactory.create(event=full)
    response = client.post(
        f"/api/v1/events/{full.pk}/registrations", {}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "no waiting list" in response.json()["detail"]
    global_event = EventFactory.create(kind=Event.Kind.GLOBAL)
    response = client.post(
        f"/api/v1/events/{global_event.pk}/registrations", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "global event" in response.json()["detail"]
    members = EventFactory.create(visibility=Event.Visibility.MEMBERS)
    assert (
        client.post(
            f"/api/v1/events/{members.pk}/registrations", {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_online_link_for_a_confirmed_participant_only(client):
    event = EventFactory.create(online_url="https://meet.example.org/api-room")
    confirmed = RegistrationFactory.create(event=event)
    waiting = RegistrationFactory.create(event=event, status=Registration.Status.WAITING)
    client.force_login(waiting.user)
    assert client.get(f"/api/v1/events/{event.pk}").json()["online_url"] is None
    client.force_login(confirmed.user)
    assert client.get(f"/api/v1/events/{event.pk}").json()["online_url"].endswith("api-room")


def test_the_openapi_document_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/events/{event_id}/registrations" in paths
    assert "/api/v1/me/registrations" in paths
