"""Who sees client-level records: the matrix of the policy itself (pages and the API ask
it; their own tests check they do)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.outreach.models import SiteStaff
from hrnet.outreach.policies import client_policy, contact_policy
from hrnet.outreach.tests.factories import (
    ClientFactory,
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(geography: None) -> dict:
    site = SiteFactory.create()
    sister = SiteFactory.create(organisation=site.organisation)  # same organisation
    other = SiteFactory.create()  # another organisation
    client = ClientFactory.create(first_site=site)
    contact = ContactFactory.create(client=client, site=site)
    admin_with_permission = org_admin_of(site.organisation)
    admin_with_permission.user_permissions.add(
        Permission.objects.get(codename="view_client_records")
    )
    return {
        "client": client,
        "contact": contact,
        "worker": SiteStaffFactory.create(site=site).user,
        "manager": SiteStaffFactory.create(site=site, role=SiteStaff.Role.MANAGER).user,
        "sister_worker": SiteStaffFactory.create(site=sister).user,
        "other_worker": SiteStaffFactory.create(site=other).user,
        "admin_with_permission": admin_with_permission,
        "admin_without_permission": org_admin_of(site.organisation),
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
        "superuser": UserFactory.create(is_superuser=True, is_staff=True),
        "member": UserFactory.create(roles=[Role.MEMBER]),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(
    ("who", "view", "add", "export"),
    [
        ("worker", True, True, False),
        ("manager", True, True, True),
        ("sister_worker", False, False, False),
        ("other_worker", False, False, False),
        ("admin_with_permission", True, False, True),
        ("admin_without_permission", False, False, False),
        ("secretariat", False, False, False),
        ("superuser", False, False, False),
        ("member", False, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_client_records_are_need_to_know(
    world: dict, who: str, view: bool, add: bool, export: bool
):
    user, client, contact = world[who], world["client"], world["contact"]

    assert client_policy.user_has_permission_for_instance(user, "view", client) is view
    assert (client in client_policy.instances_user_has_permission_for(user, "list")) is view
    assert contact_policy.user_has_permission_for_instance(user, "view", contact) is view
    assert contact_policy.user_has_permission_for_instance(user, "add", contact) is add
    assert client_policy.user_has_permission_for_instance(user, "export", client) is export


def test_a_client_served_at_a_second_site_is_seen_by_that_sites_staff(world: dict):
    client = world["client"]
    sister_worker = world["sister_worker"]
    sister_site = sister_worker.site_assignments.get().site

    ContactFactory.create(client=client, site=sister_site)

    assert client_policy.user_has_permission_for_instance(sister_worker, "view", client)


def test_a_closed_site_stops_its_staffs_access(world: dict):
    client = world["client"]
    client.first_site.is_active = False
    client.first_site.save()

    assert not client_policy.user_has_permission_for_instance(world["worker"], "view", client)
