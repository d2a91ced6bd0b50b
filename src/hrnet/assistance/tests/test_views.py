"""Filing through the page and the API: the form keeps what was typed; the API answers the
same messages as field errors."""

from __future__ import annotations

from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.tests.factories import issue_area
from hrnet.geo.models import Country


def test_the_form_keeps_what_was_typed_on_error(client, people):
    client.force_login(people["requester"])
    url = reverse("assistance:request_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "organisation": people["organisation"].pk, "title": "Needle exchange law",
        "kind": "legal", "description": "Typed text stays", "urgency": "high",
    })  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose the topic" in body
    assert "Typed text stays" in body
    assert "Needle exchange law" in body
    assert not AssistanceRequest.objects.exists()
    response = client.post(url, {
        "organisation": people["organisation"].pk, "title": "Needle exchange law",
        "kind": "legal", "description": "Typed", "urgency": "high",
        "issue_area": issue_area().pk, "country": Country.objects.get(iso2="MD").pk,
    })  # fmt: skip
    created = AssistanceRequest.objects.get()
    assert response.status_code == 302
    assert created.status == "submitted"
    assert created.filed_by == people["requester"]


def test_api_create_validates_like_the_form(client, people):
    client.force_login(people["requester"])
    url = "/api/v1/assistance/requests"
    base = {"organisation_id": people["organisation"].pk, "title": "T", "kind": "advocacy"}
    base["description"] = "D"
    response = client.post(url, base, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"issue_area", "country"}
    assert "Choose the topic" in response.json()["errors"]["issue_area"][0]
    complete = {**base, "issue_area": issue_area().code, "country": "md"}
    response = client.post(url, complete, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert client.get(
        "/api/v1/assistance/requests?status=submitted&country=MD&kind=advocacy"
    ).json()
    assert client.get("/api/v1/assistance/requests?status=closed").json() == []


def test_expert_roster_page_adds_an_expert(client, people, secretariat, make_user):
    newcomer = make_user(Role.EXPERT)
    client.force_login(secretariat)
    response = client.post(reverse("assistance:expert_create"), {
        "user": newcomer.pk, "engagement": "consultant", "kinds": ["legal"], "languages": "ru, en",
        "availability": "available", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 302
    assert newcomer.assistance_expert.languages == ["ru", "en"]
    member = make_user(Role.MEMBER)
    response = client.post(reverse("assistance:expert_create"), {
        "user": member.pk, "engagement": "consultant", "availability": "available",
    })  # fmt: skip
    assert response.status_code == 200
