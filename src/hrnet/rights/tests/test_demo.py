"""The demo rights cases: fictional, idempotent, and enough for both kinds of cells."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hrnet.accounts.roles import Role
from hrnet.members.models import Affiliation
from hrnet.members.tests.factories import OrganisationFactory, country
from hrnet.rights.demo import rights_demo_create
from hrnet.rights.models import Case, CaseResponse, ViolationType
from hrnet.rights.selectors.statistics import statistics_table
from hrnet.rights.tests.factories import use_test_keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)
    settings.HRNET_SUPPRESSION_THRESHOLD = 5


def test_the_demo_makes_both_kinds_of_cells(geography: None, make_user: Callable[..., Any]) -> None:
    # given
    documenter = make_user(Role.DOCUMENTER, email="documenter@demo.example")
    organisation = OrganisationFactory.create(country=country("MD"))
    # when
    created = rights_demo_create()
    # then
    assert created >= 30
    assert ViolationType.objects.filter(code="police-abuse").exists()
    assert Affiliation.objects.filter(person__user=documenter, organisation=organisation).exists()
    assert Case.objects.filter(organisation=organisation, documenter=documenter).count() >= 30
    assert CaseResponse.objects.exists()
    by_country = statistics_table(group_by="country")
    texts = {row.count.text for row in by_country.rows}
    assert "<5" in texts
    assert any(row.count.value for row in by_country.rows)
    # Narratives are generic and fictional.
    assert all(case.narrative.startswith("Вымышленный") for case in Case.objects.all())
    # Idempotent.
    assert rights_demo_create() == 0
    assert Case.objects.count() == created


def test_the_demo_needs_the_demo_documenter(geography: None) -> None:
    assert rights_demo_create() == 0
    assert not Case.objects.exists()
