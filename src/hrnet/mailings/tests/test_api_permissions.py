from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from hrnet.mailings.tests.factories import MailingFactory, SegmentFactory, individual_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.HRNET_MAILING_RATE_PER_MINUTE = 0


def test_the_secretariat_saves_a_segment_and_sends_a_mailing_through_the_api(
    client, secretariat, geography, django_capture_on_commit_callbacks
):
    individual_member("a@example.org", language="ru")
    individual_member("b@example.org", language="en")
    client.force_login(secretariat)

    segment = client.post(
        "/api/v1/segments",
        {"name": "Georgia", "filters": {"country": "GE"}},
        content_type="application/json",
    )
    listed = client.get("/api/v1/segments")
    draft = client.post(
        "/api/v1/mailings",
        {
            "segment": segment.json()["id"],
            "subject": {"en": "Hello", "ru": "Привет"},
            "body": {"en": "Text", "ru": "Текст"},
            "send": False,
        },
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/api/v1/mailings/{draft.json()['id']}/send")
    again = client.post(f"/api/v1/mailings/{draft.json()['id']}/send")
    shown = client.get(f"/api/v1/mailings/{draft.json()['id']}")

    assert segment.status_code == 201
    assert segment.json() == {
        "id": segment.json()["id"],
        "name": "Georgia",
        "filters": {"country": "GE", "membership_status": "current"},
        "count": 2,
        "recipients": 2,
    }
    assert listed.json()["count"] == 1
    assert [s["name"] for s in listed.json()["items"]] == ["Georgia"]
    assert draft.status_code == 201
    assert draft.json()["status"] == "draft"
    assert sent.status_code == 202
    assert again.status_code == 409
    assert again.json()["status"] == "sent"
    assert shown.json()["status"] == "sent"
    assert (shown.json()["recipients"], shown.json()["sent"]) == (2, 2)
    assert sorted(m.subject for m in mail.outbox) == ["Hello", "Привет"]


def test_a_bad_segment_answers_400_with_the_field(client, secretariat):
    client.force_login(secretariat)

    response = client.post(
        "/api/v1/segments",
        {"name": "x", "filters": {"membership_status": "dancing"}},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "membership_status" in response.json()["errors"]


def test_a_member_can_neither_see_nor_use_segments_or_mailings(client, member, geography):
    segment = SegmentFactory.create()
    mailing = MailingFactory.create(segment=segment)
    client.force_login(member)

    pages = [
        reverse("mailings:segment_list"),
        reverse("mailings:segment_create"),
        reverse("mailings:segment_detail", args=[segment.pk]),
        reverse("mailings:segment_count"),
        reverse("mailings:segment_export", args=[segment.pk, "csv"]),
        reverse("mailings:mailing_list"),
        reverse("mailings:mailing_create"),
        reverse("mailings:mailing_detail", args=[mailing.pk]),
        reverse("mailings:mailing_recipients", args=[mailing.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("mailings:mailing_detail", args=[mailing.pk]), {"when": "now"}
        ).status_code
        == 403
    )
    api_calls = [
        client.get("/api/v1/segments"),
        client.post(
            "/api/v1/segments", {"name": "x", "filters": {}}, content_type="application/json"
        ),
        client.get(f"/api/v1/segments/{segment.pk}"),
        client.post(
            "/api/v1/mailings",
            {"segment": segment.pk, "subject": {"en": "x"}, "body": {"en": "y"}, "send": True},
            content_type="application/json",
        ),
        client.get(f"/api/v1/mailings/{mailing.pk}"),
        client.post(f"/api/v1/mailings/{mailing.pk}/send"),
    ]
    assert [r.status_code for r in api_calls] == [403] * 6
    assert mail.outbox == []


def test_anonymous_callers_get_401_and_the_login_page(client, geography):
    segment = SegmentFactory.create()

    assert client.get("/api/v1/segments").status_code == 401
    assert client.post("/api/v1/mailings/1/send").status_code == 401
    page = client.get(reverse("mailings:segment_detail", args=[segment.pk]))
    assert page.status_code == 302
    assert "login" in page["Location"]
