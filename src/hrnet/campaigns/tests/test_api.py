"""/api/v1/campaigns: the pages' visibility, verified signatures only (never contacts),
signing once."""

from __future__ import annotations

import pytest

from hrnet.campaigns.models import Signature
from hrnet.campaigns.tests.factories import (
    CampaignActionFactory,
    CampaignFactory,
    SignatureFactory,
)

pytestmark = pytest.mark.django_db


def test_list_and_detail_follow_the_pages_visibility(client, people):
    public = CampaignFactory.create(titles={"en": "Open"})
    members = CampaignFactory.create(titles={"en": "Members"}, visibility="members")
    CampaignFactory.create(titles={"en": "Draft"}, status="draft")
    body = client.get("/api/v1/campaigns").json()
    assert [item["title"] for item in body["items"]] == ["Open"]
    assert client.get(f"/api/v1/campaigns/{members.pk}").status_code == 404
    assert client.get(f"/api/v1/campaigns/{public.pk}").status_code == 200
    assert client.get("/api/v1/campaigns", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    client.force_login(people.member)
    titles = {item["title"] for item in client.get("/api/v1/campaigns").json()["items"]}
    assert titles == {"Open", "Members"}
    client.force_login(people.secretariat)
    assert client.get("/api/v1/campaigns").json()["count"] == 3


def test_detail_has_the_timeline_and_verified_signatures_only(client, people):
    campaign = CampaignFactory.create()
    CampaignActionFactory.create(campaign=campaign, titles={"en": "Day of action"})
    SignatureFactory.create(campaign=campaign, organisation_name="Shown")
    SignatureFactory.create(campaign=campaign, organisation_name="Waiting", status="pending")
    SignatureFactory.create(campaign=campaign, organisation_name="Refused", status="rejected")
    response = client.get(f"/api/v1/campaigns/{campaign.pk}")
    body = response.json()
    assert [a["title"] for a in body["timeline"]] == ["Day of action"]
    assert body["timeline"][0]["status"] == "done"
    assert [s["organisation"] for s in body["signatures"]] == ["Shown"]
    assert body["signature_count"] == 1
    assert "signer.example" not in response.content.decode()
    listed = client.get("/api/v1/campaigns").json()["items"][0]
    assert listed["signature_count"] == 1


def test_sign_on_anonymously_once(client, people):
    campaign = CampaignFactory.create()
    url = f"/api/v1/campaigns/{campaign.pk}/signatures"
    payload = {
        "organisation_name": "Eurasian Harm Reduction Group",
        "country": "ge",
        "contact_name": "Nino",
        "contact_email": "nino@example.org",
    }
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert Signature.objects.get().status == Signature.Status.PENDING
    # Pending signatures are not listed.
    assert client.get(f"/api/v1/campaigns/{campaign.pk}").json()["signatures"] == []
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 400
    assert "has already signed this statement" in response.json()["detail"]
    assert Signature.objects.count() == 1


def test_sign_on_for_an_administered_organisation_once(client, people):
    campaign = CampaignFactory.create()
    url = f"/api/v1/campaigns/{campaign.pk}/signatures"
    payload = {
        "organisation_id": people.orgadmin.organisation.pk,
        "contact_name": "Me",
        "contact_email": "me@example.org",
    }
    client.force_login(people.other_orgadmin)
    assert client.post(url, payload, content_type="application/json").status_code == 403
    client.force_login(people.orgadmin)
    assert client.post(url, payload, content_type="application/json").status_code == 201
    assert client.post(url, payload, content_type="application/json").status_code == 400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"organisation_name": "", "country": "MD"}, "organisation_name"),
        ({"organisation_name": "Org", "country": ""}, "country"),
        ({"organisation_name": "Org", "country": "ZZ"}, "country"),
        ({"organisation_name": "Org", "country": "MD", "contact_email": "nope"}, "contact_email"),
    ],
)
def test_sign_on_refusals_name_the_field(client, people, payload, field):
    campaign = CampaignFactory.create()
    body = {"contact_name": "A", "contact_email": "a@example.org", **payload}
    response = client.post(
        f"/api/v1/campaigns/{campaign.pk}/signatures", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Signature.objects.exists()


def test_members_only_and_closed_campaigns_take_no_anonymous_signatures(client, people):
    hidden = CampaignFactory.create(visibility="members")
    closed = CampaignFactory.create(statement_open=False)
    payload = {
        "organisation_name": "Org",
        "country": "MD",
        "contact_name": "A",
        "contact_email": "a@example.org",
    }
    url = "/api/v1/campaigns/{}/signatures"
    response = client.post(url.format(hidden.pk), payload, content_type="application/json")
    assert response.status_code == 404
    response = client.post(url.format(closed.pk), payload, content_type="application/json")
    assert response.status_code == 400
    assert "not open for signatures" in response.json()["detail"]


def test_a_script_is_returned_as_plain_text(client, people):
    campaign = CampaignFactory.create(titles={"en": "<script>x</script>"})
    assert client.get(f"/api/v1/campaigns/{campaign.pk}").json()["title"] == "<script>x</script>"


def test_the_list_filters_open_statements_not_signed_yet(client, people):
    CampaignFactory.create(titles={"en": "To sign"})
    CampaignFactory.create(titles={"en": "Closed"}, statement_open=False)
    SignatureFactory.create(
        campaign=CampaignFactory.create(titles={"en": "Signed"}),
        organisation=people.orgadmin.organisation,
    )
    client.force_login(people.orgadmin)

    def titles(**query: str) -> set[str]:
        items = client.get("/api/v1/campaigns", query).json()["items"]
        return {item["title"] for item in items}

    assert titles(open="true") == {"To sign", "Signed"}
    assert titles(open="true", unsigned="true") == {"To sign"}
