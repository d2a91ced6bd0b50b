"""/api/v1/evidence/reporting: forms due, read and write one form, with the page's checks
and permissions."""

import pytest

from hrnet.evidence.models import FormSubmission
from hrnet.evidence.tests.test_reporting import LAST, OLD, client_for, world  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalogue")


def url(world, period=LAST):  # noqa: F811
    return f"/api/v1/evidence/reporting/{world.form.code}/{world.site.pk}/{period}"


def test_due_lists_the_callers_forms(world):  # noqa: F811
    response = client_for(world.people["worker"]).get("/api/v1/evidence/reporting/due")
    assert response.status_code == 200
    items = response.json()
    assert {item["period"] for item in items} >= {LAST, OLD}
    assert {item["site_id"] for item in items} == {world.site.pk}
    assert (
        client_for(world.people["other_orgadmin"]).get("/api/v1/evidence/reporting/due").json()
        == []
    )
    assert (
        client_for(world.people["anonymous"]).get("/api/v1/evidence/reporting/due").status_code
        == 401
    )


def test_submit_through_the_api(world):  # noqa: F811
    client = client_for(world.people["orgadmin"])
    body = {"values": {"NS_DISTRIBUTED": 1200, "PWID_REACHED": 80}, "submit": True}

    response = client.post(url(world), body, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["values"] == {"NS_DISTRIBUTED": 1200.0, "PWID_REACHED": 80.0}
    assert client.get(url(world)).json()["values"]["PWID_REACHED"] == 80.0
    assert FormSubmission.objects.get(site=world.site, period=LAST).status == "submitted"


def test_errors_per_field(world):  # noqa: F811
    client = client_for(world.people["worker"])
    response = client.post(
        url(world),
        {"values": {"PWID_REACHED": -1}, "submit": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"NS_DISTRIBUTED", "PWID_REACHED"}


@pytest.mark.parametrize(("who", "status"), [("other_orgadmin", 403), ("member", 403)])
def test_others_may_not_report(world, who, status):  # noqa: F811
    client = client_for(world.people[who])
    assert client.get(url(world)).status_code == status
    body = {"values": {"NS_DISTRIBUTED": 1, "PWID_REACHED": 1}}
    assert client.post(url(world), body, content_type="application/json").status_code == status


def test_a_locked_month_answers_403(world):  # noqa: F811
    client = client_for(world.people["worker"])
    body = {"values": {"NS_DISTRIBUTED": 1, "PWID_REACHED": 1}, "submit": True}
    assert client.get(url(world, OLD)).json()["locked"] is True
    assert client.post(url(world, OLD), body, content_type="application/json").status_code == 403


def test_the_api_refuses_part_people_and_says_a_negative_number_once(world):  # noqa: F811
    client = client_for(world.people["worker"])
    response = client.post(
        url(world),
        {"values": {"NS_DISTRIBUTED": -5, "PWID_REACHED": 270.5}, "submit": False},
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors["NS_DISTRIBUTED"]) == 1
    assert "cannot be negative: -5." in errors["NS_DISTRIBUTED"][0]
    assert "-5.0000" not in str(errors)
    assert len(errors["PWID_REACHED"]) == 1
    assert "270.5 is not a whole number" in errors["PWID_REACHED"][0]
    assert not FormSubmission.objects.filter(site=world.site, period=LAST).exists()
