"""Exports of contacts through the API: client-level for managers with a stated reason,
counts per site and month for anyone who may see the site; both audited without a UIC."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as HttpClient

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.outreach.models import Commodity, ContactItem, Referral, SiteStaff
from hrnet.outreach.models import Test as ContactTest
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import (
    ClientFactory,
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)

pytestmark = pytest.mark.django_db
CONTACTS = "/api/v1/outreach/exports/contacts.csv"
AGGREGATE = "/api/v1/outreach/exports/aggregate.csv"
REASON = "Quarterly audit by the donor"


def http(user: Any) -> HttpClient:
    client = HttpClient()
    if user is not None:
        client.force_login(user)
    return client


def rows(response: Any) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def world(geography: None) -> dict[str, Any]:
    commodities_load()
    site = SiteFactory.create(name="Almaty drop-in")
    other = SiteFactory.create(name="=Elsewhere")
    first = ClientFactory.create(first_site=site, uic="M1985АНВЛ", birth_year=1985)
    second = ClientFactory.create(first_site=site, uic="F1990ОЛИВ", sex="female")
    march = ContactFactory.create(client=first, site=site, date=datetime.date(2025, 3, 10))
    ContactItem.objects.create(
        contact=march, commodity=Commodity.objects.get(code="syringes"), quantity=10
    )
    ContactItem.objects.create(
        contact=march, commodity=Commodity.objects.get(code="swabs"), quantity=20
    )
    ContactTest.objects.create(contact=march, kind="hiv_rapid", result="positive")
    Referral.objects.create(contact=march, service="art")
    ContactFactory.create(client=first, site=site, date=datetime.date(2025, 3, 20))
    ContactFactory.create(client=second, site=site, date=datetime.date(2025, 4, 2))
    ContactFactory.create(client=ClientFactory.create(first_site=other), site=other)
    admin = org_admin_of(site.organisation)
    admin.user_permissions.add(Permission.objects.get(codename="view_client_records"))
    return {
        "site": site,
        "other": other,
        "march": march,
        "worker": SiteStaffFactory.create(site=site).user,
        "manager": SiteStaffFactory.create(site=site, role=SiteStaff.Role.MANAGER).user,
        "admin": admin,
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
    }


def test_a_manager_exports_the_contacts_of_the_site_with_a_reason(world):
    response = http(world["manager"]).get(CONTACTS, {"reason": REASON})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    exported = rows(response)
    assert len(exported) == 3  # the other organisation's site is not there
    first = next(row for row in exported if row["contact_id"] == str(world["march"].pk))
    assert first == {
        "contact_id": str(world["march"].pk),
        "date": "2025-03-10",
        "site_id": str(world["site"].pk),
        "site": "Almaty drop-in",
        "uic": "M1985АНВЛ",
        "sex": "male",
        "birth_year": "1985",
        "setting": "fixed",
        "items": "swabs=20;syringes=10",
        "tests": "hiv_rapid=positive",
        "referrals": "art",
    }


def test_the_export_filters_by_dates(world):
    response = http(world["admin"]).get(
        CONTACTS, {"reason": REASON, "from": "2025-04-01", "to": "2025-04-30"}
    )
    assert [row["uic"] for row in rows(response)] == ["F1990ОЛИВ"]


@pytest.mark.parametrize("reason", ["", "because", "         x"])
def test_a_client_level_export_needs_a_reason(world, reason):
    response = http(world["manager"]).get(CONTACTS, {"reason": reason})

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert not AuditEntry.objects.filter(action="outreach.contacts.export").exists()


def test_bad_filters_answer_400(world):
    client = http(world["manager"])
    response = client.get(CONTACTS, {"reason": REASON, "from": "March", "site": "x"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"from", "site"}
    response = client.get(CONTACTS, {"reason": REASON, "from": "2025-04-01", "to": "2025-03-01"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"to"}


def test_the_export_is_audited_with_reason_filters_and_count_but_no_uic(world):
    http(world["manager"]).get(CONTACTS, {"reason": REASON, "site": world["site"].pk})

    entry = AuditEntry.objects.get(action="outreach.contacts.export")
    assert entry.actor == world["manager"]
    assert entry.changes["reason"] == REASON
    assert entry.changes["rows"] == 3
    assert entry.changes["filters"]["site"] == str(world["site"].pk)
    text = f"{entry.object_repr} {entry.changes} {entry.actor_repr}"
    assert "M1985АНВЛ" not in text
    assert "F1990ОЛИВ" not in text


@pytest.mark.parametrize("who", ["worker", "secretariat"])
def test_only_managers_export_client_records(world, who):
    response = http(world[who]).get(CONTACTS, {"reason": REASON})
    assert response.status_code == 403
    assert "M1985" not in response.content.decode()


def test_a_manager_may_not_export_another_organisations_site(world):
    response = http(world["manager"]).get(CONTACTS, {"reason": REASON, "site": world["other"].pk})
    assert response.status_code == 403


def test_anonymous_callers_are_refused(world):
    assert http(None).get(CONTACTS, {"reason": REASON}).status_code == 401
    assert http(None).get(AGGREGATE).status_code == 401


def test_the_aggregate_counts_per_site_and_month(world):
    response = http(world["worker"]).get(AGGREGATE)

    assert response.status_code == 200
    exported = rows(response)
    assert [(row["month"], row["contacts"], row["clients"]) for row in exported] == [
        ("2025-03", "2", "1"),
        ("2025-04", "1", "1"),
    ]
    march = exported[0]
    assert march["items:syringes"] == "10"
    assert march["items:swabs"] == "20"
    assert march["tests:hiv_rapid"] == "1"
    assert march["positive:hiv_rapid"] == "1"
    assert march["referrals:art"] == "1"
    assert exported[1]["items:syringes"] == "0"
    # nothing that names a client
    assert "uic" not in exported[0]
    assert "M1985АНВЛ" not in response.content.decode("utf-8-sig")
    entry = AuditEntry.objects.get(action="outreach.aggregate.export")
    assert entry.changes["rows"] == 2


def test_the_secretariat_exports_every_sites_counts_and_formulas_stay_text(world):
    exported = rows(http(world["secretariat"]).get(AGGREGATE))

    assert {row["site"] for row in exported} == {"Almaty drop-in", "'=Elsewhere"}


def test_a_worker_may_not_export_the_counts_of_another_site(world):
    response = http(world["worker"]).get(AGGREGATE, {"site": world["other"].pk})
    assert response.status_code == 403


def test_a_member_without_a_site_may_not_export_counts(world):
    member = UserFactory.create(roles=[Role.MEMBER])
    assert http(member).get(AGGREGATE).status_code == 403
