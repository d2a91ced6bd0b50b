"""The secretariat's queue and the expert's assigned requests: the oldest (or the earliest
due) first, paged, with the filters the start page links to kept in the page links."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hrnet.assistance import views
from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.tests.factories import AssistanceRequestFactory


def _titles(response: Any) -> list[str]:
    return re.findall(r"#\d+ (Case [\w-]+)</a>", response.content.decode())


def _request(title: str, days_ago: int, **fields: Any) -> AssistanceRequest:
    created = AssistanceRequestFactory.create(title=title, **fields)
    AssistanceRequest.objects.filter(pk=created.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return created


@pytest.fixture
def small_pages(monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)


def test_the_queue_lists_the_oldest_open_request_first(client, people):
    _request("Case new", 1)
    _request("Case old", 30)
    _request("Case middle", 10, status="triaged")
    _request("Case done", 60, status="closed")
    client.force_login(people["secretariat"])

    response = client.get(reverse("assistance:queue"))

    assert _titles(response) == ["Case old", "Case middle", "Case new"]


def test_to_triage_is_the_submitted_ones_oldest_first(client, people):
    _request("Case new", 1)
    _request("Case old", 30)
    _request("Case triaged", 40, status="triaged")
    client.force_login(people["secretariat"])

    response = client.get(reverse("assistance:queue"), {"status": "submitted"})

    assert _titles(response) == ["Case old", "Case new"]


def test_overdue_is_past_the_due_date_and_still_being_worked_on(client, people):
    today = timezone.localdate()
    _request("Case late", 5, status="assigned", due_date=today - timedelta(days=1))
    _request("Case later", 50, status="in_progress", due_date=today - timedelta(days=9))
    _request("Case on-time", 60, status="assigned", due_date=today)
    _request("Case delivered", 70, status="delivered", due_date=today - timedelta(days=9))
    _request("Case submitted", 80)
    client.force_login(people["secretariat"])

    response = client.get(reverse("assistance:queue"), {"overdue": "1"})

    assert _titles(response) == ["Case later", "Case late"]
    assert 'name="overdue"' in response.content.decode()


def test_the_queue_pages_and_keeps_its_filters_in_the_page_links(client, people, small_pages):
    for days in range(5):
        _request(f"Case q{days}", 10 - days, urgency="high")
    _request("Case normal", 20)
    client.force_login(people["secretariat"])
    url = reverse("assistance:queue")

    first = client.get(url, {"urgency": "high", "status": "submitted"})
    body = first.content.decode()

    assert _titles(first) == ["Case q0", "Case q1"]
    assert "Page 1 of 3" in body
    assert "status=submitted&amp;urgency=high&amp;page=2" in body
    last = client.get(url, {"urgency": "high", "status": "submitted", "page": "3"})
    assert _titles(last) == ["Case q4"]


def test_a_page_of_the_default_queue_keeps_to_the_open_requests(client, people, small_pages):
    for days in range(3):
        _request(f"Case open{days}", 10 - days)
    _request("Case closed", 1, status="closed")
    client.force_login(people["secretariat"])

    response = client.get(reverse("assistance:queue"), {"page": "2"})

    assert _titles(response) == ["Case open2"]


def test_the_expert_sees_the_earliest_due_first(client, people):
    today = timezone.localdate()
    mine = {"experts": [people["expert_obj"]]}
    _request("Case later", 30, status="assigned", due_date=today + timedelta(days=40), **mine)
    _request("Case soon", 1, status="in_progress", due_date=today + timedelta(days=3), **mine)
    _request("Case overdue", 2, status="assigned", due_date=today - timedelta(days=3), **mine)
    _request("Case undated", 90, status="assigned", **mine)
    _request("Case delivered", 100, status="delivered", due_date=today - timedelta(days=50), **mine)
    _request("Case unassigned", 5, status="assigned")
    client.force_login(people["expert"])

    everything = client.get(reverse("assistance:assigned"))
    due_soon = client.get(reverse("assistance:assigned"), {"due_within": "30"})

    assert _titles(everything) == [
        "Case overdue", "Case soon", "Case later", "Case undated", "Case delivered",
    ]  # fmt: skip
    assert _titles(due_soon) == ["Case overdue", "Case soon"]


def test_the_experts_list_pages(client, people, small_pages):
    for days in range(3):
        _request(f"Case a{days}", 10 - days, status="assigned", experts=[people["expert_obj"]])
    client.force_login(people["expert"])

    first = client.get(reverse("assistance:assigned"), {"due_within": "400"})
    second = client.get(reverse("assistance:assigned"), {"page": "2"})

    assert _titles(first) == ["Case a0", "Case a1"]  # an unknown window shows all
    assert "page=2" in first.content.decode()
    assert _titles(second) == ["Case a2"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("requester", 403), ("expert", 403), ("secretariat", 200)],
)
def test_only_the_secretariat_opens_the_filtered_queue(client, people, who, status):
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(reverse("assistance:queue"), {"overdue": "1", "page": "2"})
    assert response.status_code == status
