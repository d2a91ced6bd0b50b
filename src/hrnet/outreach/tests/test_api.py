"""/api/v1/outreach: contacts from the phone (one or a batch, idempotent by the phone's id),
a client by UIC (scoped, audited), the reference lists for the entry page."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.test import Client as HttpClient

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.outreach.models import Client, Contact, ContactItem, Referral, SiteStaff
from hrnet.outreach.models import Test as ContactTest
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import ClientFactory, SiteFactory, SiteStaffFactory

pytestmark = pytest.mark.django_db
CONTACTS = "/api/v1/outreach/contacts"
BATCH = "/api/v1/outreach/contacts/batch"
DAY = "2025-03-10"
PARTS = {"sex": "male", "birth_year": 1985, "mother_name": "Анна", "father_name": "Владимир"}
CODE = "M1985ANVL"


def http(user: Any) -> HttpClient:
    client = HttpClient()
    if user is not None:
        client.force_login(user)
    return client


def post(client: HttpClient, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def world(geography: None) -> dict[str, Any]:
    commodities_load()
    site = SiteFactory.create(name="Almaty drop-in")
    sister = SiteFactory.create(organisation=site.organisation, name="Almaty van")
    other = SiteFactory.create(name="Bishkek")
    return {
        "site": site,
        "sister": sister,
        "other": other,
        "worker": SiteStaffFactory.create(site=site).user,
        "sister_worker": SiteStaffFactory.create(site=sister).user,
        "other_worker": SiteStaffFactory.create(site=other).user,
    }


def contact(world: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "site": world["site"].pk,
        "client": {"uic_parts": PARTS, "injects": True, "key_populations": ["pwid"]},
        "date": DAY,
        "setting": "outreach",
        "bundle": "nsp-standard",
        "tests": {"hiv_rapid": "negative"},
        "referrals": ["ost"],
    }
    body.update(fields)
    return body


def test_a_new_clients_contact_is_recorded_with_a_bundle(world):
    body = contact(world, items={"naloxone": 1}, syringes_returned=7, counselling=True)

    response = post(http(world["worker"]), CONTACTS, body)

    assert response.status_code == 201
    assert response.json() == {"id": body["id"], "client_uic": CODE, "created": True}
    stored = Contact.objects.get(pk=body["id"])
    assert stored.site == world["site"]
    assert stored.worker == world["worker"]
    assert stored.setting == "outreach"
    assert stored.syringes_returned == 7
    assert stored.counselling is True
    items = {item.commodity.code: item.quantity for item in stored.items.all()}
    assert items["naloxone"] == 1
    assert items["syringes"] > 0  # from the standard bundle
    assert {(t.kind, t.result) for t in stored.tests.all()} == {("hiv_rapid", "negative")}
    assert [r.service for r in stored.referrals.all()] == ["ost"]
    client = Client.objects.get()
    assert (client.uic, client.sex, client.birth_year) == (CODE, "male", 1985)
    assert client.injects is True
    assert client.key_populations == ["pwid"]


def test_a_repeat_of_the_same_id_writes_nothing(world):
    client = http(world["worker"])
    body = contact(world)
    post(client, CONTACTS, body)
    counts = (Contact.objects.count(), ContactItem.objects.count(), ContactTest.objects.count())

    response = post(client, CONTACTS, {**body, "counselling": True, "items": {"condoms": 5}})

    assert response.status_code == 200
    assert response.json() == {"id": body["id"], "client_uic": CODE, "created": False}
    assert (
        Contact.objects.count(),
        ContactItem.objects.count(),
        ContactTest.objects.count(),
    ) == counts
    assert Contact.objects.get().counselling is False
    assert Referral.objects.count() == 1


def test_a_returning_client_is_found_by_the_code_as_typed(world):
    client = http(world["worker"])
    post(client, CONTACTS, contact(world))

    response = post(client, CONTACTS, contact(world, client={"uic": "м 1985 анвл"}))

    assert response.status_code == 201
    assert response.json()["client_uic"] == CODE
    assert Client.objects.count() == 1
    assert Contact.objects.filter(client__uic=CODE).count() == 2


def test_a_typed_code_registers_a_new_client_with_its_sex_and_year(world):
    response = post(http(world["worker"]), CONTACTS, contact(world, client={"uic": "F1990OLIV"}))

    assert response.status_code == 201
    client = Client.objects.get()
    assert (client.uic, client.sex, client.birth_year) == ("F1990OLIV", "female", 1990)


def test_errors_are_named_per_field_and_nothing_is_written(world):
    client = http(world["worker"])

    shape = post(client, CONTACTS, {"site": world["site"].pk, "date": "10 March", "client": {}})
    meaning = post(
        client,
        CONTACTS,
        contact(world, items={"bread": 2}, tests={"hiv_rapid": "maybe"}, setting="moon"),
    )
    no_client = post(client, CONTACTS, contact(world, client={}))
    bad_year = post(
        client, CONTACTS, contact(world, client={"uic_parts": {**PARTS, "birth_year": 1700}})
    )
    bad_bundle = post(client, CONTACTS, contact(world, bundle="nope"))

    assert shape.status_code == 400
    assert set(shape.json()["errors"]) == {"id", "date"}
    assert meaning.status_code == 400
    assert set(meaning.json()["errors"]) == {"items", "tests", "setting"}
    assert no_client.status_code == 400
    assert set(no_client.json()["errors"]) == {"client"}
    assert bad_year.status_code == 400
    assert set(bad_year.json()["errors"]) == {"client.uic_parts.birth_year"}
    assert bad_bundle.status_code == 400
    assert set(bad_bundle.json()["errors"]) == {"bundle"}
    assert Contact.objects.count() == 0
    # the client of the refused contact is not left behind either
    assert Client.objects.count() == 0


@pytest.mark.parametrize("where", ["other", "sister", "missing"])
def test_a_site_the_caller_does_not_work_at_answers_403(world, where):
    site = world[where].pk if where != "missing" else 999_999

    response = post(http(world["worker"]), CONTACTS, contact(world, site=site))

    assert response.status_code == 403
    assert Contact.objects.count() == 0
    assert Client.objects.count() == 0


def test_anonymous_callers_are_refused(world):
    assert post(http(None), CONTACTS, contact(world)).status_code == 401
    assert post(http(None), BATCH, [contact(world)]).status_code == 401
    assert http(None).get(f"/api/v1/outreach/clients/{CODE}").status_code == 401
    assert http(None).get("/api/v1/outreach/commodities").status_code == 401


def test_a_token_records_without_a_session(world):
    _token, key = api_token_create(user=world["worker"], name="phone")

    response = HttpClient(enforce_csrf_checks=True).post(
        CONTACTS,
        contact(world),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 201


def test_a_session_write_needs_the_csrf_token(world):
    client = HttpClient(enforce_csrf_checks=True)
    client.force_login(world["worker"])

    response = post(client, CONTACTS, contact(world))

    assert response.status_code in {401, 403}
    assert Contact.objects.count() == 0


def test_a_batch_answers_each_contact_and_a_bad_one_loses_nothing(world):
    client = http(world["worker"])
    first, second = contact(world), contact(world, client={"uic": "F1990OLIV"})
    bad = contact(world, date="yesterday")
    elsewhere = contact(world, site=world["other"].pk)

    response = post(client, BATCH, [first, bad, second, elsewhere, "junk"])

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 400, 201, 403, 400]
    assert [r["id"] for r in results[:4]] == [first["id"], bad["id"], second["id"], elsewhere["id"]]
    assert results[1]["errors"] == {"date": ["Write a date as YYYY-MM-DD."]}
    assert Contact.objects.count() == 2

    again = post(client, BATCH, [first, second])

    assert [(r["status"], r["created"]) for r in again.json()["results"]] == [
        (200, False),
        (200, False),
    ]
    assert Contact.objects.count() == 2


def test_a_batch_has_a_size_limit(world):
    response = post(http(world["worker"]), BATCH, [contact(world) for _ in range(201)])
    assert response.status_code == 400
    assert Contact.objects.count() == 0


# --- a client by UIC


def test_a_worker_reads_a_client_with_recent_contacts_and_the_read_is_audited(world):
    client = http(world["worker"])
    post(client, CONTACTS, contact(world))
    post(client, CONTACTS, contact(world, client={"uic": CODE}, date="2025-04-01", bundle=""))

    response = client.get(f"/api/v1/outreach/clients/{CODE.lower()}")

    assert response.status_code == 200
    data = response.json()
    assert data["uic"] == CODE
    assert data["sex"] == "male"
    assert data["key_populations"] == ["pwid"]
    assert [c["date"] for c in data["contacts"]] == ["2025-04-01", DAY]
    assert data["contacts"][1]["tests"] == {"hiv_rapid": "negative"}
    assert data["contacts"][1]["referrals"][0]["service"] == "ost"
    assert data["contacts"][1]["site_name"] == "Almaty drop-in"
    entry = AuditEntry.objects.filter(action="outreach.client.view").get()
    assert entry.actor == world["worker"]
    assert CODE not in entry.object_repr


def test_a_returning_client_is_found_at_a_sister_site(world):
    post(http(world["worker"]), CONTACTS, contact(world))
    sister = http(world["sister_worker"])

    without_site = sister.get(f"/api/v1/outreach/clients/{CODE}")
    with_site = sister.get(f"/api/v1/outreach/clients/{CODE}?site={world['sister'].pk}")

    assert without_site.status_code == 404  # not served there yet
    assert with_site.status_code == 200
    assert with_site.json()["contacts"] == []  # the other site's visits stay there


def test_a_client_elsewhere_looks_exactly_like_no_client(world):
    post(http(world["worker"]), CONTACTS, contact(world))
    stranger = http(world["other_worker"])

    existing = stranger.get(f"/api/v1/outreach/clients/{CODE}?site={world['site'].pk}")
    existing_own_site = stranger.get(f"/api/v1/outreach/clients/{CODE}?site={world['other'].pk}")
    missing = stranger.get("/api/v1/outreach/clients/F1970XXXX")

    assert existing.status_code == missing.status_code == existing_own_site.status_code == 404
    assert existing.json() == missing.json() == existing_own_site.json()


def test_a_merged_client_is_read_as_the_one_it_was_merged_into(world):
    keep = ClientFactory.create(first_site=world["site"], uic=CODE)
    ClientFactory.create(first_site=world["site"], uic="M1985VLAN", merged_into=keep)

    response = http(world["worker"]).get(
        f"/api/v1/outreach/clients/M1985VLAN?site={world['site'].pk}"
    )

    assert response.json()["uic"] == CODE


# --- reference lists


def test_site_staff_get_the_commodities_and_bundles(world):
    client = http(world["worker"])

    commodities = client.get("/api/v1/outreach/commodities").json()
    bundles = client.get("/api/v1/outreach/bundles").json()

    assert [c["code"] for c in commodities][:2] == ["syringes", "needles"]
    assert {"nsp-standard", "naloxone"} <= {b["code"] for b in bundles}
    standard = next(b for b in bundles if b["code"] == "nsp-standard")
    assert standard["organisation"] is None
    assert standard["items"]["syringes"] > 0


def test_the_reference_lists_are_for_site_staff_only(world):
    member = UserFactory.create(roles=[Role.MEMBER])
    assert http(member).get("/api/v1/outreach/commodities").status_code == 403
    assert http(member).get("/api/v1/outreach/bundles").status_code == 403
    manager = SiteStaffFactory.create(site=world["site"], role=SiteStaff.Role.MANAGER).user
    assert http(manager).get("/api/v1/outreach/bundles").status_code == 200


def test_a_contact_date_in_the_future_is_refused(world):
    later = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()  # noqa: DTZ011
    response = post(http(world["worker"]), CONTACTS, contact(world, date=later))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date"}


def test_a_client_is_looked_up_with_the_code_in_the_body(world):
    client = http(world["worker"])
    post(client, CONTACTS, contact(world))

    found = post(client, "/api/v1/outreach/clients/lookup", {"uic": CODE.lower()})
    missing = post(
        client, "/api/v1/outreach/clients/lookup", {"uic": "F1970XXXX", "site": world["site"].pk}
    )

    assert found.status_code == 200
    assert found.json()["uic"] == CODE
    assert missing.status_code == 404
