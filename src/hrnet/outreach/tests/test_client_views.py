"""Client pages and who may use them: a worker of this site, a worker of another site, the
organisation's manager with the permission, the secretariat, a member, anonymous. Reads are
audited; clients one may not see answer 404 like clients that do not exist."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import Client as HttpClient
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.outreach.models import Referral
from hrnet.outreach.tests.factories import (
    ClientFactory,
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(geography: None) -> dict[str, Any]:
    site = SiteFactory.create(name="Drop-in Almaty")
    other = SiteFactory.create(name="Van Bishkek")
    client = ClientFactory.create(first_site=site, uic="M1985ANIV", birth_year=1985)
    duplicate = ClientFactory.create(first_site=site, uic="M1985IVAN", birth_year=1985)
    contact = ContactFactory.create(client=client, site=site, date=datetime.date(2025, 3, 10))
    referral = Referral.objects.create(contact=contact, service="hcv_treatment")
    manager = org_admin_of(site.organisation)
    manager.user_permissions.add(Permission.objects.get(codename="view_client_records"))
    return {
        "site": site,
        "client": client,
        "duplicate": duplicate,
        "referral": referral,
        "other_client": ClientFactory.create(first_site=other, uic="F1990MAOL"),
        "worker": SiteStaffFactory.create(site=site).user,
        "other_worker": SiteStaffFactory.create(site=other).user,
        "manager": manager,
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT], is_staff=True),
        "member": UserFactory.create(roles=[Role.MEMBER]),
        "anonymous": AnonymousUser(),
    }


def browser(user: Any) -> HttpClient:
    http = HttpClient()
    if user.is_authenticated:
        http.force_login(user)
    return http


@pytest.mark.parametrize(
    ("who", "listing", "detail", "merge", "outcome"),
    [
        ("worker", 200, 200, 403, 302),
        ("other_worker", 200, 404, 403, 404),
        ("manager", 200, 200, 302, 403),
        ("secretariat", 403, 403, 403, 403),
        ("member", 403, 403, 403, 403),
        ("anonymous", 302, 302, 302, 302),
    ],
)
def test_who_may_open_the_client_pages(people, who, listing, detail, merge, outcome):
    http = browser(people[who])
    pk = people["client"].pk

    assert http.get(reverse("outreach:client_list")).status_code == listing
    assert http.get(reverse("outreach:client_detail", args=[pk])).status_code == detail
    referral_url = reverse("outreach:client_referral_outcome", args=[pk, people["referral"].pk])
    prefix = f"referral-{people['referral'].pk}"
    answered = http.post(referral_url, {f"{prefix}-outcome": "pending"})
    assert answered.status_code == outcome
    merged = http.post(
        reverse("outreach:client_merge", args=[pk]),
        {"other": people["duplicate"].pk, "reason": "Parents swapped"},
    )
    assert merged.status_code == merge
    people["duplicate"].refresh_from_db()
    assert (people["duplicate"].merged_into is not None) == (who == "manager")


def test_the_list_shows_only_ones_own_clients_and_few_attributes(people):
    page = browser(people["worker"]).get(reverse("outreach:client_list")).content.decode()

    assert "M1985ANIV" in page
    assert "F1990MAOL" not in page
    assert "Drop-in Almaty" not in page  # no other attributes in the list
    entry = AuditEntry.objects.get(action="outreach.client.list")
    assert people["client"].pk in entry.changes["clients"]
    assert "M1985ANIV" not in str(entry.changes) + entry.object_repr


def test_a_client_is_found_by_a_typed_code(people):
    http = browser(people["worker"])

    found = http.post(reverse("outreach:client_list"), {"uic": "м-1985 ан ив"}).content.decode()
    by_link = http.get(reverse("outreach:client_list"), {"uic": "m1985aniv"}).content.decode()
    elsewhere = http.post(reverse("outreach:client_list"), {"uic": "F1990MAOL"}).content.decode()

    assert reverse("outreach:client_detail", args=[people["client"].pk]) in found
    assert reverse("outreach:client_detail", args=[people["client"].pk]) in by_link
    assert "No client you may see has this code." in elsewhere
    assert "F1990MAOL" not in elsewhere.replace('value="F1990MAOL"', "")
    assert AuditEntry.objects.filter(action="outreach.client.find").count() == 2


def test_the_record_shows_contacts_duplicates_and_is_audited(people):
    page = browser(people["manager"]).get(
        reverse("outreach:client_detail", args=[people["client"].pk])
    )
    text = page.content.decode()

    assert "HCV treatment" in text
    assert "M1985IVAN" in text  # the parents-swapped duplicate
    assert reverse("outreach:client_merge", args=[people["client"].pk]) in text
    entry = AuditEntry.objects.get(action="outreach.client.view")
    assert entry.actor == people["manager"]
    assert entry.object_id == str(people["client"].pk)
    assert "M1985ANIV" not in entry.object_repr
    assert "M1985ANIV" not in page.headers.get("Content-Disposition", "")


def test_a_worker_sees_duplicates_but_no_merge_form(people):
    text = (
        browser(people["worker"])
        .get(reverse("outreach:client_detail", args=[people["client"].pk]))
        .content.decode()
    )

    assert "M1985IVAN" in text
    assert reverse("outreach:client_merge", args=[people["client"].pk]) not in text


def test_a_merge_without_a_reason_is_refused_and_said_so(people):
    response = browser(people["manager"]).post(
        reverse("outreach:client_merge", args=[people["client"].pk]),
        {"other": people["duplicate"].pk, "reason": ""},
    )

    assert response.status_code == 400
    people["duplicate"].refresh_from_db()
    assert people["duplicate"].merged_into is None


def test_a_merged_client_opens_as_the_one_kept(people):
    http = browser(people["manager"])
    http.post(
        reverse("outreach:client_merge", args=[people["client"].pk]),
        {"other": people["duplicate"].pk, "reason": "Parents swapped"},
    )

    response = http.get(reverse("outreach:client_detail", args=[people["duplicate"].pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:client_detail", args=[people["client"].pk])


def test_a_referral_outcome_is_saved_through_htmx(people):
    referral = people["referral"]
    prefix = f"referral-{referral.pk}"
    url = reverse("outreach:client_referral_outcome", args=[people["client"].pk, referral.pk])
    http = browser(people["worker"])

    refused = http.post(url, {f"{prefix}-outcome": "reached"}, headers={"HX-Request": "true"})
    saved = http.post(
        url,
        {
            f"{prefix}-outcome": "reached",
            f"{prefix}-outcome_on": "2025-03-20",
            f"{prefix}-cured": "true",
        },
        headers={"HX-Request": "true"},
    )

    assert "Enter the date of the outcome." in refused.content.decode()
    assert saved.status_code == 200
    assert "Reached the service" in saved.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == "reached"
    assert referral.cured is True


def test_the_pages_are_in_russian(people):
    http = browser(people["worker"])
    page = http.get("/ru/sites/clients/").content.decode()
    assert '<html lang="ru">' in page
    assert "Пункты" in page  # the breadcrumb; the rest once the lead merges the translations
