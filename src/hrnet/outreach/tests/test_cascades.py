"""HIV and HCV cascades: distinct clients per step, who sees which sites, the page and
the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.members.tests.factories import country
from hrnet.outreach import models as outreach_models
from hrnet.outreach.models import Referral
from hrnet.outreach.selectors import cascades
from hrnet.outreach.tests.factories import (
    ClientFactory,
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 10)


def _visit(client: Any, site: Any, tests: dict[str, str], art: str | None = None) -> None:
    contact = ContactFactory.create(client=client, site=site, date=MARCH)
    for kind, result in tests.items():
        outreach_models.Test.objects.create(contact=contact, kind=kind, result=result)
    if art:
        Referral.objects.create(contact=contact, service="art", outcome=art)


@pytest.fixture
def people(geography: None) -> dict[str, Any]:
    drop_in = SiteFactory.create(name="Drop-in Chisinau")
    van = SiteFactory.create(name="Van Balti", organisation=drop_in.organisation)
    elsewhere = SiteFactory.create(name="Kyiv centre", country=country("UA"))
    # Seven people tested for HIV at the drop-in; one of them also at the van (once in
    # the organisation's total); two positive, both referred, one reached ART.
    clients = [ClientFactory.create(first_site=drop_in) for _ in range(7)]
    for index, client in enumerate(clients):
        result = "positive" if index < 2 else "negative"
        _visit(client, drop_in, {"hiv_rapid": result}, art="reached" if index == 0 else None)
    Referral.objects.filter(contact__client=clients[1]).delete()
    _visit(clients[1], drop_in, {}, art="not_reached")
    _visit(clients[0], van, {"hiv_rapid": "positive", "hcv_antibody": "positive"})
    _visit(ClientFactory.create(first_site=elsewhere), elsewhere, {"hiv_rapid": "negative"})
    return {
        "drop_in": drop_in,
        "van": van,
        "elsewhere": elsewhere,
        "worker": SiteStaffFactory.create(site=drop_in).user,
        "orgadmin": org_admin_of(drop_in.organisation),
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
        "member": UserFactory.create(roles=[Role.MEMBER]),
        "anonymous": AnonymousUser(),
    }


def _numbers(cascade: cascades.Cascade) -> dict[str, int | None]:
    return {step.code: step.value for step in cascade.steps()}


def test_organisation_admin_sees_distinct_people_per_site_and_over_the_organisation(people):
    filters = cascades.filters_for(period="2025Q1")

    report = cascades.cascade_report(user=people["orgadmin"], filters=filters)

    assert [cascade.label for cascade in report.sites] == ["Drop-in Chisinau", "Van Balti"]
    drop_in = _numbers(report.sites[0])
    assert drop_in["hiv_tested"] == 7
    assert drop_in["hiv_positive"] == 2
    assert drop_in["art_referred"] == 2
    assert drop_in["art_reached"] == 1
    total = _numbers(report.total)
    assert total["hiv_tested"] == 7  # the client tested at both sites counts once
    assert total["hcv_ab_positive"] == 1
    assert report.countries == []


def test_a_period_without_contacts_counts_nothing(people):
    report = cascades.cascade_report(
        user=people["orgadmin"], filters=cascades.filters_for(period="2025-04")
    )
    assert _numbers(report.total)["hiv_tested"] == 0


def test_secretariat_sees_every_site_and_each_country_with_real_small_numbers(people):
    report = cascades.cascade_report(
        user=people["secretariat"], filters=cascades.filters_for(period="2025")
    )

    assert {cascade.label for cascade in report.sites} == {
        "Drop-in Chisinau",
        "Van Balti",
        "Kyiv centre",
    }
    assert len(report.countries) == 2
    kyiv = next(cascade for cascade in report.sites if cascade.label == "Kyiv centre")
    assert _numbers(kyiv)["hiv_tested"] == 1  # not "<5": trusted with aggregates
    assert report.total.hiv[0].value == 8


def test_small_numbers_are_suppressed_for_someone_outside_the_sites_organisation(people):
    hiv, _hcv = cascades._steps({"hiv_tested": 3, "hiv_positive": 12}, exact=False)
    assert [step.text for step in hiv[:2]] == ["<5", "12"]
    assert hiv[0].value is None
    assert cascades.exact_site_ids(user=people["worker"], sites=[people["elsewhere"]]) == set()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("orgadmin", 200),
        ("secretariat", 200),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_cascades_page(people, who, status):
    client = Client()
    if people[who].is_authenticated:
        client.force_login(people[who])
    assert client.get(reverse("outreach:cascades")).status_code == status


def test_a_worker_sees_only_their_site_with_a_chart_and_its_table(people):
    client = Client()
    client.force_login(people["worker"])

    response = client.get(reverse("outreach:cascades"), {"period": "2025-03"})

    page = response.content.decode()
    assert "Drop-in Chisinau" in page
    assert "Van Balti" not in page
    assert "Kyiv centre" not in page
    assert "<svg" in page
    assert "Tested for HIV (result given)" in page


def test_a_wrong_period_is_explained(people):
    client = Client()
    client.force_login(people["worker"])
    response = client.get(reverse("outreach:cascades"), {"period": "March"})
    assert "is not a period" in response.content.decode()


def test_api_answers_counts_to_whom_may_see_the_site(people):
    url = "/api/v1/outreach/cascades"
    anonymous = Client()
    assert anonymous.get(url).status_code == 401

    member = Client()
    member.force_login(people["member"])
    assert member.get(url).status_code == 403

    worker = Client()
    worker.force_login(people["worker"])
    assert worker.get(url, {"site": people["elsewhere"].pk}).status_code == 403
    assert worker.get(url, {"period": "spring"}).status_code == 400

    response = worker.get(url, {"site": people["drop_in"].pk, "period": "2025Q1"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2025Q1"
    assert body["start"] == "2025-01-01"
    assert [step["value"] for step in body["total"]["hiv"]] == [7, 2, 2, 1]
    assert [site["label"] for site in body["sites"]] == ["Drop-in Chisinau"]
    assert "uic" not in response.content.decode().lower()


def test_api_takes_a_date_range(people):
    worker = Client()
    worker.force_login(people["worker"])
    body = worker.get(
        "/api/v1/outreach/cascades", {"from": "2025-03-10", "to": "2025-03-10"}
    ).json()
    assert body["period"] == ""
    assert body["total"]["hiv"][0]["value"] == 7
