"""The demo campaigns: two campaigns with timeline, participants and signatures; run twice,
nothing doubles."""

from __future__ import annotations

import pytest

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.campaigns.demo import campaigns_demo_create
from hrnet.campaigns.models import Campaign, CampaignParticipant, Signature
from hrnet.core.demo import demo_email
from hrnet.members.tests.factories import MembershipFactory, OrganisationFactory, country

pytestmark = pytest.mark.django_db


def test_demo_campaigns(geography, client):
    UserFactory.create(email=demo_email(Role.SECRETARIAT), roles=[Role.SECRETARIAT])
    for iso2 in ("GE", "UA", "RO", "KZ"):
        MembershipFactory.create(organisation=OrganisationFactory.create(country=country(iso2)))
    campaigns_demo_create()
    campaigns_demo_create()
    assert Campaign.objects.count() == 2
    assert CampaignParticipant.objects.exists()
    assert Signature.objects.filter(status="pending").count() == 2
    assert Signature.objects.filter(status="verified").count() == 5
    for campaign in Campaign.objects.all():
        assert campaign.actions.filter(status="done").exists()
        assert campaign.actions.filter(status="planned").exists()
        assert campaign.outcomes.exists()
        page = client.get(f"/en/campaigns/{campaign.slug}/")
        assert page.status_code == 200
        assert client.get(f"/ru/campaigns/{campaign.slug}/").status_code == 200
