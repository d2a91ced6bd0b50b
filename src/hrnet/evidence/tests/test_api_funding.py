from decimal import Decimal

import pytest
from django.test import Client

from hrnet.evidence.services.funding import FundingIn, funding_record_create
from hrnet.evidence.tests.test_analysis import moldova  # noqa: F401  # fixture
from hrnet.members.tests.factories import country

pytestmark = [pytest.mark.usefixtures("catalogue"), pytest.mark.usefixtures("moldova")]


def test_records_are_public_and_filtered(client: Client):
    funding_record_create(
        data=FundingIn(
            country=country("UA"),
            year=2024,
            source="pepfar",
            programme_area="ost",
            amount=Decimal(10),
        ),
        actor=None,
    )

    response = client.get(
        "/api/v1/evidence/funding/records?country=md&year=2024&source=global_fund"
    )

    assert response.status_code == 200
    items = response.json()
    assert sorted((item["programme_area"], item["amount_usd"]) for item in items) == [
        ("advocacy", 50000.0),
        ("nsp", 200000.0),
    ]
    assert client.get("/api/v1/evidence/funding/records?source=lottery").status_code == 400


def test_summary_gives_the_analysis_figures(client: Client):
    response = client.get("/api/v1/evidence/funding/summary?country=MD&year_from=2024&year_to=2024")

    assert response.status_code == 200
    year = response.json()["years"][0]
    assert year["funding_usd"] == 350000.0
    assert year["gap_usd"] == 150000.0
    assert year["donor_dependency"] == 71.43
    assert year["cost_per_person_reached"] == 200.0
    shares = {share["source"]: share["share"] for share in year["shares"]}
    assert shares["domestic_public"] == 28.57


def test_scenario_answers_the_projection_and_its_assumptions(client: Client):
    response = client.get(
        "/api/v1/evidence/funding/scenario?country=MD&source=global_fund&from_year=2025"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["base_year"] == 2024
    assert body["cost_per_person_reached"] == 200.0
    assert [(row["year"], row["people_reached"], row["coverage"]) for row in body["years"]] == [
        (2025, 600.0, 2.0),
        (2026, 900.0, 3.21),
    ]
    assert "Nobody replaces the withdrawn funds." in body["assumptions"]


def test_scenario_errors_are_400_with_a_reason(client: Client):
    unknown = client.get(
        "/api/v1/evidence/funding/scenario?country=XX&source=pepfar&from_year=2025"
    )
    no_base = client.get(
        "/api/v1/evidence/funding/scenario?country=MD&source=pepfar&from_year=2024"
    )

    assert unknown.status_code == 400
    assert no_base.status_code == 400
    assert "PWID_REACHED" in no_base.json()["detail"]
