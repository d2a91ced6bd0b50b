"""A country figure summed here from one small site must not single out its clients:
people counts below the threshold that come only from sites are the secretariat's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from hrnet.accounts.roles import Role
from hrnet.evidence.models import Indicator, PeriodKind
from hrnet.evidence.selectors import dashboards
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.outreach.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_site(catalogue: dict[str, Indicator], make_user) -> dict:
    site = SiteFactory.create()
    staff = make_user(Role.SECRETARIAT)
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue["OST_CLIENTS"],
                country=site.country,
                site=site,
                period=f"2024-{month:02d}",
                period_kind=PeriodKind.MONTH,
                source="programme data",
                value=Decimal(3),
            )
            for month in (1, 2, 3)
        ],
        actor=staff,
    )
    return {"site": site, "secretariat": staff}


def test_the_public_api_never_returns_a_small_count_summed_from_sites(small_site: dict):
    iso2 = small_site["site"].country.iso2

    values = Client().get(f"/api/v1/evidence/values?indicator=OST_CLIENTS&country={iso2}").json()

    assert values == []


def test_the_secretariat_sees_the_summed_count(small_site: dict):
    client = Client()
    client.force_login(small_site["secretariat"])
    iso2 = small_site["site"].country.iso2

    values = client.get(f"/api/v1/evidence/values?indicator=OST_CLIENTS&country={iso2}").json()

    assert {(item["period"], item["value"]) for item in values} >= {("2024", 3.0)}


def test_the_dashboards_leave_it_out_for_the_public(small_site: dict):
    country = small_site["site"].country

    public = dashboards.regional_table(
        user=None, indicators=["OST_CLIENTS"], year_from=2024, year_to=2024
    )
    secretariat = dashboards.regional_table(
        user=small_site["secretariat"], indicators=["OST_CLIENTS"], year_from=2024, year_to=2024
    )

    assert public.cell("OST_CLIENTS", country.iso2, 2024) is None
    seen = secretariat.cell("OST_CLIENTS", country.iso2, 2024)
    assert seen is not None
    assert seen.value == Decimal(3)
