from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hrnet.evidence.models import AGGREGATED_SOURCE, Indicator
from hrnet.evidence.selectors.funding import (
    country_funding_summary,
    region_funding_summary,
    transition_scenario,
)
from hrnet.evidence.services.funding import (
    FundingIn,
    NeedIn,
    funding_record_create,
    need_estimate_set,
)
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")


def fund(iso2: str, year: int, source: str, area: str, amount: int) -> None:
    funding_record_create(
        data=FundingIn(
            country=country(iso2),
            year=year,
            source=source,
            programme_area=area,
            amount=Decimal(amount),
        ),
        actor=None,
    )


def value(catalogue, code: str, iso2: str, year: int, number: int, source: str = "GAM") -> None:
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                period=str(year),
                period_kind="year",
                source=source,
                value=Decimal(number),
            )
        ],
        actor=None,
    )


@pytest.fixture
def moldova(catalogue):
    """Moldova 2024-2026 and Georgia 2024, the numbers of the hand computations below."""
    fund("MD", 2024, "global_fund", "nsp", 200_000)
    fund("MD", 2024, "global_fund", "advocacy", 50_000)  # not in the prevention package
    fund("MD", 2024, "domestic_public", "ost", 100_000)
    fund("MD", 2025, "global_fund", "nsp", 240_000)
    fund("MD", 2025, "domestic_public", "ost", 120_000)
    fund("MD", 2026, "global_fund", "nsp", 240_000)
    fund("MD", 2026, "domestic_public", "ost", 180_000)
    fund("GE", 2024, "pepfar", "nsp", 100_000)
    need_estimate_set(
        data=NeedIn(country=country("MD"), year=2024, programme_area="", amount=Decimal(500_000)),
        actor=None,
    )
    # people reached in 2024: the derived sum of sites loses to the reported values, and of
    # those the one entered last (1,500) wins
    value(catalogue, "PWID_REACHED", "MD", 2024, 9_999, source=AGGREGATED_SOURCE)
    value(catalogue, "PWID_REACHED", "MD", 2024, 1_400, source="programme data")
    value(catalogue, "PWID_REACHED", "MD", 2024, 1_500, source="national report")
    value(catalogue, "PWID_SIZE_ESTIMATE", "MD", 2024, 30_000)
    value(catalogue, "PWID_SIZE_ESTIMATE", "MD", 2026, 28_000)
    return country("MD")


def test_country_summary_funding_need_gap_and_shares(moldova):
    summary = country_funding_summary(country=moldova, year_from=2024, year_to=2026)

    assert [year.year for year in summary.years] == [2024, 2025, 2026]
    first = summary.years[0]
    # 200,000 + 50,000 + 100,000
    assert first.funding_usd == Decimal(350_000)
    assert first.need_usd == Decimal(500_000)
    # 500,000 - 350,000 = 150,000, that is 30% of the need
    assert first.gap_usd == Decimal(150_000)
    assert first.gap_percent == Decimal("30.00")
    # Global Fund 250,000 / 350,000 = 71.43%; domestic 100,000 / 350,000 = 28.57%
    assert first.share_of("global_fund").share == Decimal("71.43")
    assert first.donor_dependency == Decimal("71.43")
    assert first.domestic_share == Decimal("28.57")
    # package (advocacy left out) 300,000 / 1,500 people = 200
    assert first.package_funding_usd == Decimal(300_000)
    assert first.people_reached == Decimal(1_500)
    assert first.cost_per_person_reached == Decimal("200.00")
    # no need estimate and no people reached in 2025
    assert summary.years[1].gap_usd is None
    assert summary.years[1].cost_per_person_reached is None
    # donor dependency 2024 71.43% -> 2026 240,000 / 420,000 = 57.14%: -14.29 points
    assert summary.years[2].donor_dependency == Decimal("57.14")
    assert summary.dependency_trend == Decimal("-14.29")


def test_region_summary_counts_the_gap_only_where_a_need_is_known(moldova):
    region = region_funding_summary(year=2024)

    rows = {row.country.iso2: row.summary for row in region.countries}
    assert rows["GE"].funding_usd == Decimal(100_000)
    assert rows["GE"].donor_dependency == Decimal("100.00")
    assert rows["KZ"].funding_usd == Decimal(0)
    assert region.total.funding_usd == Decimal(450_000)
    assert region.countries_with_need == 1
    # need 500,000 (Moldova only) - Moldova's 350,000
    assert region.total.gap_usd == Decimal(150_000)
    # 100,000 + 250,000 international of 450,000 = 77.78%
    assert region.total.donor_dependency == Decimal("77.78")
    # only Moldova reports people reached: 300,000 / 1,500
    assert region.total.cost_per_person_reached == Decimal("200.00")


def test_region_summary_of_a_subregion(moldova):
    region = region_funding_summary(year=2024, subregion=moldova.subregion)

    assert "GE" not in {row.country.iso2 for row in region.countries}
    assert region.total.funding_usd == Decimal(350_000)


def test_transition_scenario_against_a_hand_computation(moldova):
    coverage = Indicator.objects.get(code="PREVENTION_COVERAGE")
    coverage.low_below, coverage.high_above = Decimal(30), Decimal(60)
    coverage.save()

    scenario = transition_scenario(country=moldova, source="global_fund", from_year=2025)

    # Base year 2024 (the last before 2025 with funding and people reached):
    #   package = 200,000 (GF NSP) + 100,000 (domestic OST) = 300,000 (advocacy left out)
    #   cost per person reached = 300,000 / 1,500 = 200
    assert scenario.base_year == 2024
    assert scenario.base_package_funding_usd == Decimal(300_000)
    assert scenario.base_people_reached == Decimal(1_500)
    assert scenario.cost_per_person_reached == Decimal("200.00")
    first, second = scenario.years
    # 2025: package 240,000 + 120,000 = 360,000; without the Global Fund 120,000
    #   reached = 120,000 / 200 = 600; PWID estimate of 2025 unknown -> 2024's 30,000
    #   coverage = 600 / 30,000 x 100 = 2.00% (low: below 30)
    #   without the withdrawal: 360,000 / 200 = 1,800 -> 1,800 / 30,000 x 100 = 6.00%
    assert first.year == 2025
    assert first.package_funding_usd == Decimal(360_000)
    assert first.withdrawn_usd == Decimal(240_000)
    assert first.remaining_usd == Decimal(120_000)
    assert first.people_reached == Decimal(600)
    assert first.pwid_estimate == Decimal(30_000)
    assert first.pwid_estimate_year == 2024
    assert first.coverage == Decimal("2.00")
    assert first.band == "low"
    assert first.people_reached_without_withdrawal == Decimal(1_800)
    assert first.coverage_without_withdrawal == Decimal("6.00")
    # 2026: package 240,000 + 180,000 = 420,000; without the Global Fund 180,000
    #   reached = 180,000 / 200 = 900; PWID estimate of 2026 = 28,000
    #   coverage = 900 / 28,000 x 100 = 3.214... -> 3.21%
    #   without the withdrawal: 420,000 / 200 = 2,100 -> 2,100 / 28,000 x 100 = 7.50%
    assert second.year == 2026
    assert second.remaining_usd == Decimal(180_000)
    assert second.people_reached == Decimal(900)
    assert second.pwid_estimate_year == 2026
    assert second.coverage == Decimal("3.21")
    assert second.coverage_without_withdrawal == Decimal("7.50")


def test_a_scenario_without_a_base_year_explains_why(moldova):
    with pytest.raises(ValidationError) as caught:
        transition_scenario(country=moldova, source="global_fund", from_year=2024)

    assert "PWID_REACHED" in caught.value.message_dict["from_year"][0]


def test_a_scenario_after_the_last_funding_year_is_refused(moldova):
    with pytest.raises(ValidationError) as caught:
        transition_scenario(country=moldova, source="pepfar", from_year=2030)

    assert "2030" in caught.value.message_dict["from_year"][0]


def test_people_reached_of_a_hidden_indicator_count_as_unknown(moldova):
    Indicator.objects.filter(code="PWID_REACHED").update(is_public=False)

    summary = country_funding_summary(country=moldova, year_from=2024, year_to=2024)

    assert summary.years[0].cost_per_person_reached is None
