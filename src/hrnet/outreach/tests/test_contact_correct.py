"""Correcting a contact just recorded: only the worker who recorded it, at its site, within
a day; the client's code is never shown; the read and the change are audited."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.outreach.models import Client, CommodityBundle, Contact
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import ClientFactory, SiteFactory, SiteStaffFactory

UIC = "F1990ZHIV"


@pytest.fixture
def world(geography: None) -> dict[str, Any]:
    commodities_load()
    site = SiteFactory.create(name="Drop-in Almaty")
    worker = SiteStaffFactory.create(site=site).user
    ClientFactory.create(first_site=site, uic=UIC, sex=Client.Sex.FEMALE)
    return {
        "site": site,
        "worker": worker,
        "colleague": SiteStaffFactory.create(site=site).user,
        "manager": SiteStaffFactory.create(site=site, role="manager").user,
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
        "anonymous": AnonymousUser(),
    }


def browser_for(user: Any) -> HttpClient:
    browser = HttpClient()
    if user.is_authenticated:
        browser.force_login(user)
    return browser


def record(world: dict[str, Any]) -> Contact:
    """The worker saves a returning client's standard contact through the plain form."""
    contact_id = uuid.uuid4()
    response = browser_for(world["worker"]).post(
        reverse("outreach:contact_entry", args=[world["site"].pk]),
        {
            "contact_id": str(contact_id),
            "uic": UIC,
            "bundle": str(CommodityBundle.objects.get(code="nsp-standard").pk),
            "date": timezone.localdate().isoformat(),
            "setting": "fixed",
        },
    )
    assert response.status_code == 302
    return Contact.objects.get(pk=contact_id)


def correct_url(contact: Contact) -> str:
    return reverse("outreach:contact_correct", args=[contact.site_id, contact.pk])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("colleague", 404),
        ("manager", 404),
        ("secretariat", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_worker_who_recorded_it_opens_the_correction(
    world: dict[str, Any], who: str, status: int
) -> None:
    contact = record(world)

    response = browser_for(world[who]).get(correct_url(contact))

    assert response.status_code == status


def test_the_correction_page_shows_the_services_not_the_client(world: dict[str, Any]) -> None:
    contact = record(world)

    response = browser_for(world["worker"]).get(correct_url(contact))

    html = response.content.decode()
    assert "Correct a contact" in html
    assert 'name="extra_syringes" value="10"' in html
    assert UIC not in html
    assert AuditEntry.objects.filter(
        action="outreach.contact.view", object_id=str(contact.pk)
    ).exists()


def test_the_worker_corrects_a_quantity_and_adds_a_test(world: dict[str, Any]) -> None:
    contact = record(world)

    response = browser_for(world["worker"]).post(
        correct_url(contact),
        {
            "date": contact.date.isoformat(),
            "setting": "outreach",
            "extra_syringes": "20",
            "test_hiv_rapid": "negative",
            "syringes_returned": "5",
        },
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.setting == "outreach"
    assert contact.syringes_returned == 5
    items = {item.commodity.code: item.quantity for item in contact.items.all()}
    assert items == {"syringes": 20}
    assert [(t.kind, t.result) for t in contact.tests.all()] == [("hiv_rapid", "negative")]
    entry = AuditEntry.objects.get(action="outreach.contact.correct", object_id=str(contact.pk))
    assert set(entry.changes) >= {"setting", "items", "tests", "syringes_returned"}
    assert UIC not in str(entry.changes)


def test_after_a_day_the_contact_is_no_longer_corrected_here(world: dict[str, Any]) -> None:
    contact = record(world)
    Contact.objects.filter(pk=contact.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )

    response = browser_for(world["worker"]).post(
        correct_url(contact), {"date": contact.date.isoformat(), "setting": "outreach"}
    )

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.setting == "fixed"


def test_the_entry_page_carries_the_correction_address_for_its_script(
    world: dict[str, Any],
) -> None:
    html = (
        browser_for(world["worker"])
        .get(reverse("outreach:contact_entry", args=[world["site"].pk]))
        .content.decode()
    )

    placeholder = "00000000-0000-0000-0000-000000000000"
    assert f'data-correct="/en/sites/{world["site"].pk}/entry/{placeholder}/correct/"' in html
    assert 'id="entry-recent"' in html
