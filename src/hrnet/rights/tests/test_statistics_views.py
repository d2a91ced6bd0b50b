"""The public statistics page, its CSV and its printable report: public, suppressed, and
without any identifying field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hrnet.members.tests.factories import country
from hrnet.rights.tests.factories import CaseFactory, ViolationTypeFactory, use_test_keys

pytestmark = pytest.mark.django_db

SECRETS = (
    "Detained at the bus station",  # narrative (factory default)
    "woman in her thirties",  # person's description
    "Hidden Hamlet",  # locality
    "T-0",  # references
)


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)
    settings.HRNET_SUPPRESSION_THRESHOLD = 5


@pytest.fixture
def cases(geography: None) -> None:
    police = ViolationTypeFactory(
        code="police-abuse", names={"en": "Police abuse", "ru": "Полиция"}
    )
    for iso2, how_many in (("UA", 12), ("MD", 3)):
        for _ in range(how_many):
            CaseFactory(
                country=country(iso2),
                date_from=date(2024, 4, 2),
                consent_to_share=True,
                locality="Hidden Hamlet",
                violation_types=[police],
                perpetrator_types=["police"],
            )


def test_the_page_is_public_and_shows_small_cells_as_less_than_five(
    client: Client, cases: None
) -> None:
    response = client.get(reverse("rights:statistics"), {"group_by": "country"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "&lt;5" in text
    assert "<td>10</td>" in text  # Ukraine's 12, rounded down
    assert "<td>15</td>" in text  # the total of 15
    assert "rounded down to a multiple of 5" in text
    assert "<svg" in text
    for secret in SECRETS:
        assert secret not in text


def test_a_multi_valued_grouping_says_rows_do_not_add_up(client: Client, cases: None) -> None:
    response = client.get(reverse("rights:statistics"), {"group_by": "violation_type"})
    assert "do not add up to the total" in response.content.decode()


def test_filters_narrow_the_table(client: Client, cases: None) -> None:
    response = client.get(
        reverse("rights:statistics"), {"country": "MD", "year": "2024", "group_by": "year"}
    )
    text = response.content.decode()
    assert '<th scope="row">2024</th><td>&lt;5</td>' in text


def test_bad_filters_fall_back_to_the_whole_table(client: Client, cases: None) -> None:
    response = client.get(
        reverse("rights:statistics"),
        {"country": "<script>", "year": "x", "group_by": "narrative"},
    )
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_page_in_russian(client: Client, cases: None) -> None:
    with translation.override("ru"):
        url = reverse("rights:statistics")
    assert url.startswith("/ru/")
    response = client.get(url, {"group_by": "violation_type"})
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()
    assert "Полиция" in response.content.decode()


def test_the_csv_has_the_aggregate_table_only(client: Client, cases: None) -> None:
    response = client.get(reverse("rights:statistics_csv"), {"group_by": "country"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")  # with a BOM, as every export
    lines = text.splitlines()
    assert lines[0] == "Country,Cases"
    assert any(line.endswith(",<5") for line in lines[1:-2])
    assert "Total,15" in text
    for secret in SECRETS:
        assert secret not in text
    for group_by in ("year", "violation_type", "perpetrator_type", "response"):
        other = client.get(reverse("rights:statistics_csv"), {"group_by": group_by}).content
        for secret in SECRETS:
            assert secret.encode() not in other


def test_the_printable_report(client: Client, cases: None) -> None:
    response = client.get(reverse("rights:statistics_report"), {"group_by": "country"})
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("rights:statistics_report_css") in text
    assert "&lt;5" in text
    for secret in SECRETS:
        assert secret not in text
    css = client.get(reverse("rights:statistics_report_css"))
    assert css["Content-Type"].startswith("text/css")
    assert b"@media print" in css.content
