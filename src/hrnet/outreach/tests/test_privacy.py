"""Client records are need-to-know: the permission matrix through the API (clients,
contacts, exports), and no client data in the search index, the logs, the audit entries'
texts or the public endpoints (where a site's small counts are suppressed)."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as HttpClient

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.evidence.models import DataValue
from hrnet.evidence.reference import indicators_load
from hrnet.members.tests.factories import country
from hrnet.outreach.models import Contact, SiteStaff
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import (
    ClientFactory,
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.django_db
CODES = ("M1985ANVL", "F1990OLIV", "M1979SAIV")
REASON = "Checking the quarter's data quality"
ROLES = (
    "worker",
    "manager",
    "other_worker",
    "admin_with_permission",
    "admin_without_permission",
    "secretariat",
    "superuser",
    "member",
    "anonymous",
)


@pytest.fixture
def world(geography: None) -> dict[str, Any]:
    commodities_load()
    site = SiteFactory.create(name="Chisinau drop-in", country=country("MD"))
    other = SiteFactory.create(name="Balti van", country=country("MD"))
    client = ClientFactory.create(first_site=site, uic=CODES[0])
    ContactFactory.create(client=client, site=site)
    admin_with_permission = org_admin_of(site.organisation)
    admin_with_permission.user_permissions.add(
        Permission.objects.get(codename="view_client_records")
    )
    return {
        "site": site,
        "other": other,
        "worker": SiteStaffFactory.create(site=site).user,
        "manager": SiteStaffFactory.create(site=site, role=SiteStaff.Role.MANAGER).user,
        "other_worker": SiteStaffFactory.create(site=other).user,
        "admin_with_permission": admin_with_permission,
        "admin_without_permission": org_admin_of(site.organisation),
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
        "superuser": UserFactory.create(is_superuser=True, is_staff=True),
        "member": UserFactory.create(roles=[Role.MEMBER]),
        "anonymous": None,
    }


def http(user: Any) -> HttpClient:
    client = HttpClient()
    if user is not None:
        client.force_login(user)
    return client


def contact_body(site: Any, code: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "site": site.pk,
        "client": {"uic": code, "injects": True},
        "date": "2025-03-10",
        "bundle": "nsp-standard",
        "tests": {"hiv_rapid": "negative"},
        **fields,
    }


# --- the matrix


MATRIX = {
    # who: (read the client, record a contact, client-level export, counts export)
    "worker": (200, 201, 403, 200),
    "manager": (200, 201, 200, 200),
    "other_worker": (404, 403, 403, 403),
    "admin_with_permission": (200, 403, 200, 200),
    "admin_without_permission": (404, 403, 403, 200),
    "secretariat": (404, 403, 403, 200),
    "superuser": (404, 403, 403, 200),
    "member": (404, 403, 403, 403),
    "anonymous": (401, 401, 401, 401),
}


@pytest.mark.parametrize("who", ROLES)
def test_the_client_records_matrix_through_the_api(world, who):
    read, record, export, counts = MATRIX[who]
    client, site = http(world[who]), world["site"]

    got = client.get(f"/api/v1/outreach/clients/{CODES[0]}?site={site.pk}")
    got_without_site = client.get(f"/api/v1/outreach/clients/{CODES[0]}")
    recorded = client.post(
        "/api/v1/outreach/contacts", contact_body(site, CODES[1]), content_type="application/json"
    )
    exported = client.get(
        "/api/v1/outreach/exports/contacts.csv", {"reason": REASON, "site": site.pk}
    )
    counted = client.get("/api/v1/outreach/exports/aggregate.csv", {"site": site.pk})

    assert (got.status_code, recorded.status_code) == (read, record)
    assert got_without_site.status_code == read
    assert (exported.status_code, counted.status_code) == (export, counts)
    if read != 200:
        assert CODES[0] not in got.content.decode()
    if export != 200:
        assert CODES[0] not in exported.content.decode("utf-8-sig")
    assert CODES[0] not in counted.content.decode("utf-8-sig")
    assert Contact.objects.count() == (2 if record == 201 else 1)


def test_a_worker_of_another_site_may_not_export_its_counts_nor_guess_its_clients(world):
    stranger = http(world["other_worker"])
    for code in (CODES[0], "F1970XXXX"):
        response = stranger.get(f"/api/v1/outreach/clients/{code}?site={world['site'].pk}")
        assert response.status_code == 404
        assert response.json() == {
            "detail": "No client with this code among the clients you serve."
        }


# --- search, logs, audit


def record_three_clients(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    """Three clients' contacts at the other site, its roll-up run as after the commit."""
    worker = http(world["other_worker"])
    with django_capture_on_commit_callbacks(execute=True):
        for code in CODES:
            response = worker.post(
                "/api/v1/outreach/contacts",
                contact_body(world["other"], code),
                content_type="application/json",
            )
            assert response.status_code == 201


def test_no_client_data_reaches_the_search_index(world, django_capture_on_commit_callbacks):
    record_three_clients(world, django_capture_on_commit_callbacks)

    assert not SearchEntry.objects.filter(content_type__app_label="outreach").exists()
    for code in CODES:
        found = SearchEntry.objects.filter(title__icontains=code) | SearchEntry.objects.filter(
            body__icontains=code
        )
        assert not found.exists()
    for user in (world["member"], world["secretariat"], world["other_worker"]):
        found = http(user).get("/api/v1/search", {"q": CODES[1]}).json()
        assert found["count"] == 0


def test_no_uic_in_the_logs_nor_in_the_audit_texts(
    world, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    worker = http(world["other_worker"])
    manager = http(SiteStaffFactory.create(site=world["other"], role=SiteStaff.Role.MANAGER).user)

    with django_capture_on_commit_callbacks(execute=True):
        worker.post(
            "/api/v1/outreach/contacts",
            contact_body(world["other"], CODES[2]),
            content_type="application/json",
        )
        # a refused one and a repeat too
        worker.post(
            "/api/v1/outreach/contacts",
            contact_body(world["other"], CODES[2], date="soon"),
            content_type="application/json",
        )
    worker.get(f"/api/v1/outreach/clients/{CODES[2]}?site={world['other'].pk}")
    worker.get(f"/api/v1/outreach/clients/{CODES[0]}?site={world['site'].pk}")  # not theirs
    manager.get("/api/v1/outreach/exports/contacts.csv", {"reason": REASON})
    manager.get("/api/v1/outreach/exports/aggregate.csv")

    assert caplog.records  # the capture works (requests log at least their warnings)
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + str(record.exc_text or "")
        assert CODES[2] not in text
        assert CODES[0] not in text
    entries = AuditEntry.objects.filter(action__startswith="outreach.")
    assert {
        "outreach.client.register",
        "outreach.contact.record",
        "outreach.client.find",
        "outreach.contacts.export",
        "outreach.aggregate.export",
    } <= set(entries.values_list("action", flat=True))
    for entry in entries:
        text = entry.object_repr + entry.actor_repr + json.dumps(entry.changes, ensure_ascii=False)
        for code in CODES:
            assert code not in text


# --- public endpoints


def test_public_endpoints_show_no_client_and_no_small_site_count(
    world, django_capture_on_commit_callbacks
):
    indicators_load()
    # three clients at one site: each a person reached, a small number
    record_three_clients(world, django_capture_on_commit_callbacks)
    reached = DataValue.objects.filter(
        indicator__code="PWID_REACHED", site=world["other"], period="2025-03"
    ).first()
    assert reached is not None
    assert reached.value == 3

    public = HttpClient()
    values = public.get("/api/v1/evidence/values", {"country": "MD"})
    cascades = public.get("/api/v1/outreach/cascades", {"site": world["other"].pk})
    profile = public.get("/en/evidence/countries/MD/")
    sites_csv = public.get("/en/evidence/charts/sites.csv", {"country": "MD"})

    assert values.status_code == 200
    assert cascades.status_code == 401
    assert profile.status_code == 200
    page = profile.content.decode()
    assert "Balti van" in page
    assert "&lt;5" in page
    assert "<td>3</td>" not in page
    assert ",3\r\n" not in sites_csv.content.decode("utf-8-sig")
    for item in values.json():
        if item["indicator"] == "PWID_REACHED":
            assert item["value"] is None or item["value"] >= 5
    for response in (values, cascades, profile, sites_csv):
        text = response.content.decode("utf-8-sig")
        for code in CODES:
            assert code not in text
    # the organisation sees its own figure
    own = http(org_admin_of(world["other"].organisation)).get("/en/evidence/countries/MD/")
    assert "<td>3</td>" in own.content.decode()
