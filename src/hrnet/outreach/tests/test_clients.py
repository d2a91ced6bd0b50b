"""Clients: registering by UIC once per organisation, finding a returning client at a
sister site, duplicate suggestions and merging them with an audit entry."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from hrnet.core.models import AuditEntry
from hrnet.outreach.models import Client, Contact, SiteStaff
from hrnet.outreach.selectors.clients import client_duplicates
from hrnet.outreach.services.clients import client_find, client_register, clients_merge
from hrnet.outreach.tests.factories import (
    ClientFactory,
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(geography: None) -> dict[str, Any]:
    site = SiteFactory.create()
    sister = SiteFactory.create(organisation=site.organisation)
    other = SiteFactory.create()
    manager = SiteStaffFactory.create(site=site, role=SiteStaff.Role.MANAGER).user
    admin = org_admin_of(site.organisation)
    admin.user_permissions.add(Permission.objects.get(codename="view_client_records"))
    return {
        "site": site,
        "sister": sister,
        "other": other,
        "worker": SiteStaffFactory.create(site=site).user,
        "sister_worker": SiteStaffFactory.create(site=sister).user,
        "other_worker": SiteStaffFactory.create(site=other).user,
        "manager": manager,
        "admin": admin,
    }


def register(world: dict[str, Any], uic: str = "M1985ANIV", **kwargs: Any) -> Client:
    return client_register(
        actor=kwargs.pop("actor", world["worker"]),
        site=kwargs.pop("site", world["site"]),
        uic=uic,
        sex=kwargs.pop("sex", "male"),
        birth_year=kwargs.pop("birth_year", 1985),
        **kwargs,
    )


def test_a_client_is_registered_once_per_organisation(world):
    first = register(world, "m-1985 ан ив", substances=["opioids"], injects=True)
    again = register(world, "M1985ANIV", sex="female")
    elsewhere = client_register(
        actor=world["other_worker"],
        site=world["other"],
        uic="M1985ANIV",
        sex="male",
        birth_year=1985,
    )

    assert first == again
    assert first.uic == "M1985ANIV"
    assert first.sex == "male"  # the first registration wins
    assert first.substances == ["opioids"]
    assert first.first_site == world["site"]
    assert elsewhere != first  # another organisation has its own clients
    assert Client.objects.count() == 2
    entry = AuditEntry.objects.filter(action="outreach.client.register").first()
    assert entry is not None
    assert "M1985ANIV" not in entry.object_repr


def test_registering_needs_a_site_one_works_at_and_a_valid_code(world):
    with pytest.raises(PermissionDenied):
        register(world, actor=world["other_worker"])
    with pytest.raises(PermissionDenied):
        register(world, actor=world["admin"])  # managers with the permission see, not add
    with pytest.raises(ValidationError) as bad_code:
        register(world, "M19ANIV")
    with pytest.raises(ValidationError) as bad_list:
        register(world, key_populations=["astronauts"])
    assert "uic" in bad_code.value.message_dict
    assert "key_populations" in bad_list.value.message_dict
    assert not Client.objects.exists()


def test_a_returning_client_is_found_at_a_sister_site_but_not_elsewhere(world):
    client = register(world)

    at_sister = client_find(user=world["sister_worker"], site=world["sister"], uic="m1985aniv")
    # staff of another organisation cannot look into this one, even naming its site
    outsider = client_find(user=world["other_worker"], site=world["site"], uic="M1985ANIV")
    by_admin = client_find(user=world["admin"], site=world["sister"], uic="M1985ANIV")
    unknown = client_find(user=world["worker"], site=world["site"], uic="F1990XXXX")

    assert at_sister == client
    assert outsider is None
    assert by_admin == client
    assert unknown is None
    reads = AuditEntry.objects.filter(action="outreach.client.find")
    assert reads.count() == 2
    assert all("M1985ANIV" not in str(entry.changes) + entry.object_repr for entry in reads)


def test_a_merged_client_is_found_as_the_one_kept(world):
    keep = ClientFactory.create(first_site=world["site"], uic="M1985ANIV")
    merged = ClientFactory.create(first_site=world["site"], uic="M1985ANIW", merged_into=keep)

    assert client_find(user=world["worker"], site=world["site"], uic=merged.uic) == keep
    assert register(world, merged.uic) == keep


@pytest.mark.parametrize(
    "near",
    [
        "M1985ANIW",  # one substituted
        "M985ANIV",  # one deleted
        "M19855ANIV",  # one inserted
        "M1985IVAN",  # parents swapped
        "F1985ANIV",
    ],
)
def test_near_codes_are_suggested_as_duplicates(world, near):
    client = ClientFactory.create(first_site=world["site"], uic="M1985ANIV")
    duplicate = ClientFactory.create(first_site=world["site"], uic=near)

    assert client_duplicates(user=world["worker"], client=client) == [duplicate]


def test_far_merged_foreign_and_unseen_codes_are_not_suggested(world):
    client = ClientFactory.create(first_site=world["site"], uic="M1985ANIV")
    ClientFactory.create(first_site=world["site"], uic="M1985ANOO")  # two off
    kept = ClientFactory.create(first_site=world["site"], uic="M1986ANIV")
    ClientFactory.create(first_site=world["site"], uic="M1987ANIV", merged_into=kept)
    ClientFactory.create(first_site=world["other"], uic="M1985ANIA")  # other organisation
    sister_only = ClientFactory.create(first_site=world["sister"], uic="M1985ANIB")

    assert client_duplicates(user=world["worker"], client=client) == [kept]
    assert set(client_duplicates(user=world["admin"], client=client)) == {kept, sister_only}


def test_merging_moves_the_contacts_and_keeps_the_earliest_first_contact(world):
    keep = ClientFactory.create(
        first_site=world["site"], uic="M1985ANIV", first_contact_on=datetime.date(2025, 3, 1)
    )
    merge = ClientFactory.create(
        first_site=world["site"],
        uic="M1985IVAN",
        birth_year=None,
        first_contact_on=datetime.date(2024, 11, 5),
        key_populations=["pwid"],
    )
    ContactFactory.create(client=keep, date=datetime.date(2025, 3, 1))
    ContactFactory.create(client=merge, date=datetime.date(2024, 11, 5))
    ContactFactory.create(client=merge, date=datetime.date(2025, 1, 9))

    result = clients_merge(
        actor=world["manager"], keep=keep, merge=merge, reason="Parents swapped on the card"
    )

    merge.refresh_from_db()
    assert result == keep
    assert Contact.objects.filter(client=keep).count() == 3
    assert merge.merged_into == keep
    assert result.first_contact_on == datetime.date(2024, 11, 5)
    assert result.key_populations == ["pwid"]
    entry = AuditEntry.objects.get(action="outreach.client.merge")
    assert entry.actor == world["manager"]
    assert entry.changes["kept"] == keep.pk
    assert entry.changes["merged"] == merge.pk
    assert entry.changes["reason"] == "Parents swapped on the card"
    assert "M1985" not in entry.object_repr
    # the merged one no longer shows up as a duplicate
    assert client_duplicates(user=world["manager"], client=keep) == []


def test_merging_needs_a_reason_and_a_manager_of_both(world):
    keep = ClientFactory.create(first_site=world["site"], uic="M1985ANIV")
    merge = ClientFactory.create(first_site=world["site"], uic="M1985ANIW")
    sister_client = ClientFactory.create(first_site=world["sister"], uic="M1985ANIX")

    with pytest.raises(PermissionDenied):
        clients_merge(actor=world["worker"], keep=keep, merge=merge, reason="same")
    with pytest.raises(PermissionDenied):  # the site manager does not manage the sister site
        clients_merge(actor=world["manager"], keep=keep, merge=sister_client, reason="same")
    with pytest.raises(ValidationError) as no_reason:
        clients_merge(actor=world["manager"], keep=keep, merge=merge, reason="  ")
    with pytest.raises(ValidationError):
        clients_merge(actor=world["manager"], keep=keep, merge=keep, reason="same")

    assert "reason" in no_reason.value.message_dict
    merge.refresh_from_db()
    assert merge.merged_into is None
    # the organisation's admin with the permission manages every site
    clients_merge(actor=world["admin"], keep=keep, merge=sister_client, reason="same person")
    sister_client.refresh_from_db()
    assert sister_client.merged_into == keep


def test_earlier_merges_follow_the_client_they_were_merged_into(world):
    keep = ClientFactory.create(first_site=world["site"], uic="M1985ANIV")
    middle = ClientFactory.create(first_site=world["site"], uic="M1985ANIW")
    old = ClientFactory.create(first_site=world["site"], uic="M1985ANIZ", merged_into=middle)
    ContactFactory.create(client=middle, id=uuid.uuid4())

    clients_merge(actor=world["manager"], keep=keep, merge=middle, reason="same")

    old.refresh_from_db()
    assert old.merged_into == keep
