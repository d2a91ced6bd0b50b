"""Who reaches the pages after an event: anonymous visitors are sent to sign in, members
who do not organise the event are refused, its organisers and the secretariat get in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.events.tests.factories import EventFactory

pytestmark = pytest.mark.usefixtures("geography")

MANAGE_PAGES = [
    ("events:after_check_in", {}),
    ("events:after_attendance_import", {}),
    ("events:after_feedback_results", {}),
    ("events:after_certificates", {}),
    ("events:after_report_event", {}),
    ("events:after_report_event", {"format": "xlsx"}),
    ("events:after_report_event", {"format": "csv", "table": "gender"}),
    ("events:after_participants_export", {"format": "csv"}),
    ("events:after_participants_export", {"format": "xlsx"}),
]


@pytest.fixture
def people(make_user, secretariat):
    return {
        "anonymous": None,
        "member": make_user(Role.MEMBER),
        "organiser": make_user(Role.MEMBER),
        "secretariat": secretariat,
    }


EXPECTED = {"anonymous": 302, "member": 403, "organiser": 200, "secretariat": 200}


@pytest.mark.parametrize(("name", "query"), MANAGE_PAGES)
@pytest.mark.parametrize("who", list(EXPECTED))
def test_event_pages_matrix(client, people, who, name, query):
    event = EventFactory.create(organisers=[people["organiser"]])
    if people[who] is not None:
        client.force_login(people[who])

    response = client.get(reverse(name, args=[event.pk]), query)

    assert response.status_code == EXPECTED[who]
    if who == "anonymous":
        assert "/accounts/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_reports_across_events_matrix(client, people, who):
    EventFactory.create(organisers=[people["organiser"]])
    if people[who] is not None:
        client.force_login(people[who])

    response = client.get(reverse("events:after_reports"))

    assert response.status_code == EXPECTED[who]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_posts_matrix(client, people, who):
    """Issuing certificates and checking people in are refused the same way."""
    event = EventFactory.create(organisers=[people["organiser"]])
    if people[who] is not None:
        client.force_login(people[who])

    response = client.post(reverse("events:after_certificates", args=[event.pk]))

    assert response.status_code == {"organiser": 302, "secretariat": 302}.get(who, EXPECTED[who])


def test_organiser_of_another_event_is_refused(client, people):
    EventFactory.create(organisers=[people["organiser"]])
    other = EventFactory.create()
    client.force_login(people["organiser"])

    assert client.get(reverse("events:after_check_in", args=[other.pk])).status_code == 403
    assert client.get(reverse("events:after_report_event", args=[other.pk])).status_code == 403


@pytest.mark.parametrize("who", list(EXPECTED))
def test_verification_pages_are_public(client, people, who):
    if people[who] is not None:
        client.force_login(people[who])

    assert client.get(reverse("events:after_certificate_lookup")).status_code == 200
    response = client.get(reverse("events:after_certificate_verify", args=["NOPE234567"]))
    assert response.status_code == 404
