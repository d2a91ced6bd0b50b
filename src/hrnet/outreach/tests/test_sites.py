"""Site pages and who may use them: the secretariat, the organisation's admin, another
organisation's admin, a site worker, a member, anonymous."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.campaigns.tests.conftest import org_admin
from hrnet.core.models import AuditEntry
from hrnet.members.tests.factories import country
from hrnet.outreach.models import Site, SiteStaff
from hrnet.outreach.tests.factories import SiteFactory, SiteStaffFactory


@pytest.fixture
def people(geography) -> dict[str, Any]:
    admin = org_admin()
    site = SiteFactory.create(organisation=admin.organisation, name="Drop-in Chisinau")
    other = org_admin()
    SiteFactory.create(organisation=other.organisation, name="Other's van")
    return {
        "site": site,
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
        "orgadmin": admin,
        "other_orgadmin": other,
        "worker": SiteStaffFactory.create(site=site).user,
        "member": UserFactory.create(roles=[Role.MEMBER]),
        "anonymous": AnonymousUser(),
    }


def client_for(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "listing", "detail", "edit", "add"),
    [
        ("secretariat", 200, 200, 200, 200),
        ("orgadmin", 200, 200, 200, 200),
        ("other_orgadmin", 200, 404, 404, 200),
        ("worker", 200, 200, 403, 403),
        ("member", 403, 403, 403, 403),
        ("anonymous", 302, 302, 302, 302),
    ],
)
def test_who_may_open_the_site_pages(people, who, listing, detail, edit, add):
    client = client_for(people[who])
    pk = people["site"].pk
    assert client.get(reverse("outreach:site_list")).status_code == listing
    assert client.get(reverse("outreach:site_detail", args=[pk])).status_code == detail
    assert client.get(reverse("outreach:site_edit", args=[pk])).status_code == edit
    assert client.get(reverse("outreach:site_add")).status_code == add


def test_each_sees_the_sites_they_may(people):
    secretariat = client_for(people["secretariat"]).get(reverse("outreach:site_list"))
    assert "Drop-in Chisinau" in secretariat.content.decode()
    assert "Other&#x27;s van" in secretariat.content.decode()
    own = client_for(people["orgadmin"]).get(reverse("outreach:site_list")).content.decode()
    assert "Drop-in Chisinau" in own
    assert "Other&#x27;s van" not in own
    filtered = client_for(people["secretariat"]).get(
        reverse("outreach:site_list"), {"organisation": people["other_orgadmin"].organisation.pk}
    )
    assert "Drop-in Chisinau" not in filtered.content.decode()


def test_an_org_admin_adds_a_site_only_to_their_organisation(people):
    client = client_for(people["orgadmin"])
    data = {
        "name": "Outreach Balti",
        "kind": "outreach",
        "city": "Balti",
        "country": country("MD").pk,
    }

    refused = client.post(
        reverse("outreach:site_add"),
        {**data, "organisation": people["other_orgadmin"].organisation.pk},
    )
    added = client.post(
        reverse("outreach:site_add"), {**data, "organisation": people["orgadmin"].organisation.pk}
    )

    assert refused.status_code == 200  # not a choice: the form says so
    assert added.status_code == 302
    site = Site.objects.get(name="Outreach Balti")
    assert site.organisation == people["orgadmin"].organisation
    assert AuditEntry.objects.filter(action="outreach.site.create").count() == 1


def test_a_duplicate_name_keeps_what_was_typed(people):
    client = client_for(people["orgadmin"])
    response = client.post(
        reverse("outreach:site_add"),
        {
            "name": "Drop-in Chisinau",
            "kind": "fixed",
            "city": "Chisinau",
            "country": country("MD").pk,
            "organisation": people["orgadmin"].organisation.pk,
        },
    )
    page = response.content.decode()
    assert "has a site called Drop-in Chisinau already" in page
    assert 'value="Chisinau"' in page


def test_staff_are_assigned_by_email_and_the_site_closed(people):
    client = client_for(people["orgadmin"])
    site = people["site"]
    person = UserFactory.create(email="nurse@example.org")

    unknown = client.post(
        reverse("outreach:staff_assign", args=[site.pk]),
        {"email": "x@example.org", "role": "worker"},
    )
    assigned = client.post(
        reverse("outreach:staff_assign", args=[site.pk]),
        {"email": "NURSE@example.org", "role": "manager"},
    )

    assert unknown.status_code == 400
    assert "Nobody has an account with the email x@example.org" in unknown.content.decode()
    assert assigned.status_code == 302
    assert SiteStaff.objects.get(site=site, user=person).role == "manager"
    # site staff by role: the navigation, and the mandatory second factor in production
    assert person.groups.filter(name="sitestaff").exists()
    client.post(reverse("outreach:site_deactivate", args=[site.pk]))
    site.refresh_from_db()
    assert not site.is_active
    assert (
        AuditEntry.objects.filter(
            action__in=["outreach.site_staff.assign", "outreach.site.deactivate"]
        ).count()
        == 2
    )


def test_a_worker_may_not_change_the_site(people):
    client = client_for(people["worker"])
    site = people["site"]
    response = client.post(
        reverse("outreach:staff_assign", args=[site.pk]),
        {"email": people["member"].email, "role": "manager"},
    )
    assert response.status_code == 403
    assert client.post(reverse("outreach:site_deactivate", args=[site.pk])).status_code == 403
