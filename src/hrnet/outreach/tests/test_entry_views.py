"""The fast-entry page: who may open it, the plain-form (no JavaScript) path that finds or
registers the client and records the contact, a repeated submit stored once, and the
service worker served under the page's path."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client as HttpClient
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.outreach.models import Client, CommodityBundle, Contact
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import (
    ClientFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)


@pytest.fixture
def people(geography: None) -> dict[str, Any]:
    commodities_load()
    site = SiteFactory.create(name="Drop-in Almaty")
    sister = SiteFactory.create(organisation=site.organisation, name="Van Almaty")
    other = SiteFactory.create(name="Elsewhere")
    return {
        "site": site,
        "sister": sister,
        "worker": SiteStaffFactory.create(site=site).user,
        "manager": SiteStaffFactory.create(site=site, role="manager").user,
        "other_worker": SiteStaffFactory.create(site=other).user,
        "sister_worker": SiteStaffFactory.create(site=sister).user,
        "orgadmin": org_admin_of(site.organisation),
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
        "member": UserFactory.create(roles=[Role.MEMBER]),
        "anonymous": AnonymousUser(),
    }


def browser_for(user: Any) -> HttpClient:
    browser = HttpClient()
    if user.is_authenticated:
        browser.force_login(user)
    return browser


def entry_url(site: Any) -> str:
    return reverse("outreach:contact_entry", args=[site.pk])


def standard_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "contact_id": str(uuid.uuid4()),
        "uic": "m 1985 an iv",
        "bundle": str(CommodityBundle.objects.get(code="nsp-standard").pk),
        "date": "2025-03-10",
        "setting": "fixed",
        "syringes_returned": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("manager", 200),
        ("other_worker", 403),
        ("sister_worker", 403),
        ("orgadmin", 403),
        ("secretariat", 403),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_sites_staff_open_the_entry_page(people, who, status):
    response = browser_for(people[who]).get(entry_url(people["site"]))
    assert response.status_code == status
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_the_page_offers_the_network_bundles_and_the_organisations_own(people):
    site = people["site"]
    CommodityBundle.objects.create(
        organisation=site.organisation,
        code="winter",
        names={"en": "Winter pack"},
        items={"syringes": 20},
    )
    CommodityBundle.objects.create(
        organisation=SiteFactory.create().organisation,
        code="theirs",
        names={"en": "Another organisation's pack"},
        items={"condoms": 3},
    )
    page = browser_for(people["worker"]).get(entry_url(site)).content.decode()
    assert "Standard NSP pack" in page
    assert "Winter pack" in page
    assert "Another organisation" not in page
    # Interactions are documented in the template for whoever changes the page.
    assert 'name="contact_id"' in page


def test_a_new_client_is_registered_from_the_typed_code_without_javascript(people):
    # given a worker and a code nobody has (typed in Cyrillic and lower case)
    site = people["site"]
    browser = browser_for(people["worker"])
    data = standard_post(uic="м 1985 ан ив")
    # when the plain form is posted
    response = browser.post(entry_url(site), data, follow=True)
    # then the client is registered with the sex and year the code carries, and the
    # contact has the bundle's items
    assert response.status_code == 200
    assert "New client registered" in response.content.decode()
    client = Client.objects.get(organisation=site.organisation)
    assert client.uic == "M1985ANIV"
    assert client.sex == Client.Sex.MALE
    assert client.birth_year == 1985
    contact = Contact.objects.get(pk=data["contact_id"])
    assert contact.client == client
    assert contact.site == site
    assert contact.worker == people["worker"]
    assert {item.commodity.code: item.quantity for item in contact.items.all()} == {
        "syringes": 10,
        "needles": 10,
        "swabs": 20,
        "condoms": 5,
    }


def test_a_returning_client_served_at_a_sister_site_is_found(people):
    site = people["site"]
    known = ClientFactory.create(first_site=people["sister"], uic="F1990ZHIV", sex="female")
    browser = browser_for(people["worker"])
    data = standard_post(uic="F1990ZHIV")
    response = browser.post(entry_url(site), data, follow=True)
    assert "Returning client" in response.content.decode()
    assert Client.objects.filter(organisation=site.organisation).count() == 1
    assert Contact.objects.get(pk=data["contact_id"]).client == known


def test_the_code_is_built_from_its_parts_when_not_typed(people):
    data = standard_post(
        uic="",
        sex="female",
        birth_year="1992",
        mother_name="Жанна",
        father_name="Ivan",
    )
    browser_for(people["worker"]).post(entry_url(people["site"]), data)
    client = Contact.objects.get(pk=data["contact_id"]).client
    assert client.uic == "F1992ZHIV"
    assert client.sex == Client.Sex.FEMALE


def test_extras_are_recorded(people):
    data = standard_post(
        syringes_returned="7",
        counselling="on",
        test_hiv_rapid="negative",
        test_hcv_antibody="positive",
        referrals=["hcv_treatment", "legal"],
        extra_naloxone="2",
    )
    browser_for(people["worker"]).post(entry_url(people["site"]), data)
    contact = Contact.objects.get(pk=data["contact_id"])
    assert contact.syringes_returned == 7
    assert contact.counselling is True
    assert {t.kind: t.result for t in contact.tests.all()} == {
        "hiv_rapid": "negative",
        "hcv_antibody": "positive",
    }
    assert {r.service for r in contact.referrals.all()} == {"hcv_treatment", "legal"}
    assert contact.items.get(commodity__code="naloxone").quantity == 2


def test_a_double_submit_of_the_same_page_is_stored_once(people):
    browser = browser_for(people["worker"])
    data = standard_post()
    browser.post(entry_url(people["site"]), data)
    response = browser.post(entry_url(people["site"]), data, follow=True)
    assert response.status_code == 200
    assert "already saved" in response.content.decode()
    assert Contact.objects.filter(pk=data["contact_id"]).count() == 1
    assert Contact.objects.count() == 1


def test_a_form_without_a_code_says_what_is_missing(people):
    response = browser_for(people["worker"]).post(entry_url(people["site"]), standard_post(uic=""))
    assert response.status_code == 200
    assert "Type the client" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_worker_of_another_site_cannot_post_a_contact(people):
    data = standard_post()
    response = browser_for(people["other_worker"]).post(entry_url(people["site"]), data)
    assert response.status_code == 403
    assert not Contact.objects.exists()
    assert not Client.objects.exists()


def test_the_page_is_in_russian(people):
    page = browser_for(people["worker"]).get(
        reverse("outreach:contact_entry", args=[people["site"].pk]).replace("/en/", "/ru/")
    )
    assert page.status_code == 200
    assert "Стандартный набор ПОШ" in page.content.decode()


def test_the_service_worker_is_served_under_the_page(people):
    site = people["site"]
    response = browser_for(people["worker"]).get(
        reverse("outreach:entry_service_worker", args=[site.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == entry_url(site)
    body = response.content.decode()
    assert entry_url(site) in body
    assert "outreach/entry.js" in body
    forbidden = browser_for(people["other_worker"]).get(
        reverse("outreach:entry_service_worker", args=[site.pk])
    )
    assert forbidden.status_code == 403
