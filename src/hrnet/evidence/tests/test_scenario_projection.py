"""The transition scenario beyond the funding records: projected funding per source under
stated assumptions (flat, trend, a growth rate), marked as projection, with the band."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from hrnet.evidence.models import Indicator
from hrnet.evidence.selectors.funding import transition_scenario
from hrnet.evidence.tests.test_analysis import fund, value
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def records_to_2026(catalogue):
    """Moldova 2024-2026: the Global Fund 200k, 240k, 240k and domestic money 100k, 120k,
    180k for the prevention package; 1,500 people reached in 2024 of 30,000 who inject
    drugs, so one person reached costs 300,000 / 1,500 = 200."""
    for year, global_fund, domestic in ((2024, 200_000, 100_000), (2025, 240_000, 120_000),
                                        (2026, 240_000, 180_000)):  # fmt: skip
        fund("MD", year, "global_fund", "nsp", global_fund)
        fund("MD", year, "domestic_public", "ost", domestic)
    value(catalogue, "PWID_REACHED", "MD", 2024, 1_500)
    value(catalogue, "PWID_SIZE_ESTIMATE", "MD", 2024, 30_000)
    return country("MD")


def test_the_global_fund_leaving_next_year_is_projected_flat(records_to_2026):
    scenario = transition_scenario(
        country=records_to_2026, source="global_fund", from_year=2027, to_year=2028
    )

    # Flat: domestic money stays 180,000 (2026), the Global Fund's 240,000 is withdrawn;
    # 180,000 / 200 = 900 people; 900 / 30,000 x 100 = 3.00%.
    assert scenario.base_year == 2024
    assert scenario.last_recorded_year == 2026
    assert [row.year for row in scenario.years] == [2027, 2028]
    assert all(row.projected for row in scenario.years)
    first = scenario.years[0]
    assert first.package_by_source["domestic_public"] == Decimal(180_000)
    assert first.withdrawn_usd == Decimal(240_000)
    assert first.people_reached == Decimal(900)
    assert first.coverage == Decimal("3.00")
    assert first.coverage_without_withdrawal == Decimal("7.00")
    assert any("gives every year what it gave in 2026" in text for text in scenario.assumptions)


def test_trend_follows_each_sources_straight_line(records_to_2026):
    scenario = transition_scenario(
        country=records_to_2026,
        source="global_fund",
        from_year=2026,
        to_year=2028,
        projection="trend",
    )

    recorded, first, second = scenario.years
    assert not recorded.projected
    assert recorded.package_by_source["domestic_public"] == Decimal(180_000)
    # Domestic 100k, 120k, 180k: slope 40,000 a year through the mean 133,333.33 at 2025,
    # so 213,333.33 in 2027 and 253,333.33 in 2028; the Global Fund 200k, 240k, 240k:
    # slope 20,000 through 226,666.67, so 266,666.67 in 2027 (withdrawn).
    assert first.projected
    assert first.package_by_source["domestic_public"] == Decimal("213333.33")
    assert first.withdrawn_usd == Decimal("266666.67")
    assert first.people_reached == Decimal(1_067)  # 213,333.33 / 200
    assert first.coverage == Decimal("3.56")
    assert second.package_by_source["domestic_public"] == Decimal("253333.33")
    assert second.coverage == Decimal("4.22")


def test_a_growth_rate_the_user_sets(records_to_2026):
    scenario = transition_scenario(
        country=records_to_2026,
        source="global_fund",
        from_year=2027,
        to_year=2028,
        projection="growth",
        growth_rate=Decimal(10),
    )

    # 180,000 x 1.1 = 198,000 -> 990 people, 3.30%; x 1.1 again = 217,800 -> 1,089, 3.63%.
    first, second = scenario.years
    assert first.remaining_usd == Decimal(198_000)
    assert first.coverage == Decimal("3.30")
    assert second.remaining_usd == Decimal(217_800)
    assert second.coverage == Decimal("3.63")
    assert any("10 percent a year" in text for text in scenario.assumptions)


def test_the_band_is_stated_in_words_without_indicator_bands(records_to_2026):
    # PREVENTION_COVERAGE comes with a target (90) and no Technical Guide bands.
    scenario = transition_scenario(
        country=records_to_2026, source="global_fund", from_year=2027, to_year=2027
    )

    assert scenario.years[0].band == "below_target"
    assert scenario.years[0].band_label == "Below the target of 90"


def test_indicator_bands_win_over_the_target(records_to_2026):
    Indicator.objects.filter(code="PREVENTION_COVERAGE").update(
        low_below=Decimal(5), high_above=Decimal(50)
    )

    scenario = transition_scenario(
        country=records_to_2026, source="pepfar", from_year=2027, to_year=2027
    )

    # Nothing withdrawn: 420,000 / 200 = 2,100 people, 7.00%: medium.
    assert scenario.years[0].coverage == Decimal("7.00")
    assert scenario.years[0].band == "medium"
    assert scenario.years[0].band_label == "Medium"


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"projection": "growth"}, "growth_rate", "Set the growth rate"),
        ({"projection": "hope"}, "projection", "“hope” is not one of"),
        ({"to_year": 2026}, "to_year", "is before the first"),
        ({"to_year": 2060}, "to_year", "more than 20 years after"),
        ({"to_year": None}, "from_year", "set a later “Last year to project”"),
    ],
)
def test_a_projection_it_cannot_make_is_explained(records_to_2026, arguments, field, words):
    with pytest.raises(ValidationError) as caught:
        transition_scenario(
            country=records_to_2026,
            source="global_fund",
            from_year=2027,
            **{"to_year": 2030, **arguments},
        )

    assert words in caught.value.message_dict[field][0]


@pytest.mark.usefixtures("records_to_2026")
def test_scenario_page_marks_projected_years_and_funding_by_source(client: Client):
    response = client.get(
        "/en/evidence/funding/MD/scenario/"
        "?source=global_fund&from_year=2027&to_year=2028&projection=growth&growth_rate=10"
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('<span class="badge badge--projection">projection</span>') == 4
    assert 'id="scenario-sources"' in text
    assert "Domestic public" in text
    assert "198,000" in text
    assert "Below the target of 90" in text
    assert "10 percent a year" in text
    assert "<td>—</td>" not in text


@pytest.mark.usefixtures("records_to_2026")
def test_scenario_page_in_russian_and_its_errors_in_words(client: Client):
    page = client.get(
        "/ru/evidence/funding/MD/scenario/?source=global_fund&from_year=2027&to_year=2028"
    )
    missing_rate = client.get(
        "/en/evidence/funding/MD/scenario/?source=global_fund&from_year=2027&projection=growth"
        "&to_year=2028"
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert "Допущения этого прогноза" in text
    assert "Годы с пометкой «прогноз» идут после 2026" in text
    assert "Финансирование пакета профилактики по источникам" in text
    assert "Ниже цели 90" in text
    assert "Прогноз строится для каждого года" in text
    assert "Set the growth rate" in missing_rate.content.decode()


@pytest.mark.usefixtures("records_to_2026")
def test_scenario_api_answers_projected_years_per_source(client: Client):
    response = client.get(
        "/api/v1/evidence/funding/scenario"
        "?country=MD&source=global_fund&from_year=2027&to_year=2028&projection=trend"
    )
    refused = client.get(
        "/api/v1/evidence/funding/scenario"
        "?country=MD&source=global_fund&from_year=2027&to_year=2028&projection=hope"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["last_recorded_year"] == 2026
    assert body["projection"] == "trend"
    first = body["years"][0]
    assert first["projected"] is True
    assert first["package_by_source"] == {"global_fund": 266666.67, "domestic_public": 213333.33}
    assert first["band"] == "below_target"
    assert any("straight line" in text for text in body["assumptions"])
    assert refused.status_code == 400
    assert "hope" in refused.json()["detail"]


@pytest.mark.usefixtures("records_to_2026")
@pytest.mark.parametrize(
    "query",
    [
        "from_year=2027&to_year=2028&projection=growth&growth_rate=NaN",
        "from_year=2027&to_year=2028&projection=growth&growth_rate=-150",
        "from_year=-999999999&to_year=2028",
        "from_year=2027&to_year=999999999",
    ],
)
def test_scenario_api_refuses_out_of_range_inputs_quickly(client: Client, query: str):
    response = client.get(
        f"/api/v1/evidence/funding/scenario?country=MD&source=global_fund&{query}"
    )

    # NaN is refused by the schema itself (422), the rest by the scenario (400), in words.
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_a_country_without_funding_records_is_explained():
    with pytest.raises(ValidationError) as caught:
        transition_scenario(country=country("GE"), source="pepfar", from_year=2027, to_year=2030)

    assert (
        "has no funding records, so there is nothing" in caught.value.message_dict["from_year"][0]
    )
