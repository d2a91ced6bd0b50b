"""Anonymised statistics: what is counted, small-cell suppression, and that no combination
of filters gives a suppressed count away by subtraction."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hrnet.geo.models import Country
from hrnet.members.tests.factories import country
from hrnet.rights.models import Case, CaseResponse
from hrnet.rights.selectors.statistics import (
    GROUP_BY_CHOICES,
    PublishedCount,
    StatisticsTable,
    publish,
    statistics_countries,
    statistics_table,
    statistics_years,
)
from hrnet.rights.tests.factories import CaseFactory, ViolationTypeFactory, use_test_keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)
    settings.HRNET_SUPPRESSION_THRESHOLD = 5


def _cases(iso2: str, year: int, how_many: int, **fields: Any) -> list[Case]:
    return [
        CaseFactory.create(
            country=country(iso2), date_from=date(year, 5, 1), consent_to_share=True, **fields
        )
        for _ in range(how_many)
    ]


def _cells(table: StatisticsTable) -> dict[str, str]:
    return {row.key: row.count.text for row in table.rows}


def _shown(table: StatisticsTable) -> dict[str, str]:
    """The cells other than "<5" (every country and year is listed, most of them empty)."""
    return {key: text for key, text in _cells(table).items() if text != "<5"}


def _years_from(first: int, **cells: str) -> dict[str, str]:
    """Every year from `first` to this year: "<5" unless given (as y2024="5")."""
    this_year = timezone.localdate().year
    return {str(year): cells.get(f"y{year}", "<5") for year in range(first, this_year + 1)}


def test_publish_suppresses_below_the_threshold_and_rounds_down_the_rest() -> None:
    assert [publish(n, 5).text for n in (0, 1, 4, 5, 7, 9, 10, 12, 14, 15)] == [
        "<5",
        "<5",
        "<5",
        "5",
        "5",
        "5",
        "10",
        "10",
        "10",
        "15",
    ]
    assert publish(3, 5) == PublishedCount(value=None, text="<5")
    assert publish(3, 5).suppressed


def test_small_cells_show_as_less_than_five(geography: None) -> None:
    # given
    _cases("UA", 2024, 12)
    _cases("MD", 2024, 3)
    # when
    table = statistics_table(group_by="country")
    # then
    assert _cells(table)["MD"] == "<5"
    assert _shown(table) == {"UA": "10"}
    assert table.total.text == "15"


def test_only_reviewed_cases_with_consent_to_share_are_counted(geography: None) -> None:
    _cases("UA", 2024, 5)
    CaseFactory(country=country("UA"), date_from=date(2024, 1, 1), consent_to_share=False)
    _cases("UA", 2024, 4, status=Case.Status.UNREVIEWED, source=Case.Source.PUBLIC_INTAKE)
    for _ in range(6):
        CaseFactory(country=country("MD"), date_from=date(2024, 1, 1), consent_to_share=False)

    table = statistics_table(group_by="country")

    # 5 counted: with the excluded ones there would be 16.
    assert _shown(table) == {"UA": "5"}
    assert table.total.text == "5"


def test_every_group_by_counts_its_own_categories(geography: None) -> None:
    police = ViolationTypeFactory(code="police-abuse")
    detention = ViolationTypeFactory(code="arbitrary-detention")
    cases = _cases("UA", 2023, 6, violation_types=[police, detention], perpetrator_types=["police"])
    for case in cases:
        CaseResponse.objects.create(case=case, action="legal_aid", date=date(2023, 6, 1))
        CaseResponse.objects.create(case=case, action="legal_aid", date=date(2023, 7, 1))

    violations = statistics_table(group_by="violation_type")
    perpetrators = statistics_table(group_by="perpetrator_type")
    responses = statistics_table(group_by="response")
    years = statistics_table(group_by="year")

    assert _cells(violations)["police-abuse"] == "5"
    assert _cells(violations)["arbitrary-detention"] == "5"
    assert violations.multi_valued
    assert _cells(perpetrators)["police"] == "5"
    assert _cells(perpetrators)["family"] == "<5"
    # Two legal-aid responses to one case count the case once.
    assert _cells(responses)["legal_aid"] == "5"
    assert _cells(years) == _years_from(2023, y2023="5")
    assert not years.multi_valued


def test_unknown_group_by_is_refused(geography: None) -> None:
    with pytest.raises(ValidationError):
        statistics_table(group_by="locality")


def test_the_table_carries_no_identifying_field(geography: None) -> None:
    _cases("UA", 2024, 7, locality="Secret village")
    table = statistics_table(group_by="country")
    text = repr(table)
    for secret in ("Secret village", "Detained at the bus station", "woman in her thirties", "T-"):
        assert secret not in text


def test_rows_and_their_order_do_not_depend_on_filters_or_sizes(geography: None) -> None:
    _cases("UA", 2023, 2)
    _cases("MD", 2024, 11)
    _cases("GE", 2024, 7)
    keys = {
        (country_filter, year): [
            row.key
            for row in statistics_table(country=country_filter, year=year, group_by="country").rows
        ]
        for country_filter in (None, "UA", "MD")
        for year in (None, 2023, 2024)
    }
    assert len({tuple(value) for value in keys.values()}) == 1
    # The region's order, not by size.
    assert keys[(None, None)] == [c.iso2 for c in statistics_countries()]


def _naive_leaky_data() -> dict[tuple[str, int], int]:
    """A country-year of 12 made of 3 and 9, a small country whose count a naive total
    would give away, and a 4 + 4 = 8 that nearest-5 rounding of the total (10) would
    pin to exactly 4 and 4."""
    police = ViolationTypeFactory(code="police-abuse")
    detention = ViolationTypeFactory(code="arbitrary-detention")
    layout = {
        ("UA", 2023): 3,
        ("UA", 2024): 9,
        ("MD", 2024): 12,
        ("GE", 2023): 4,
        ("GE", 2024): 4,
        ("AM", 2024): 2,
    }
    for (iso2, year), how_many in layout.items():
        for index in range(how_many):
            CaseFactory(
                country=country(iso2),
                date_from=date(year, 5, 1),
                consent_to_share=True,
                violation_types=[police] if index % 4 else [police, detention],
                perpetrator_types=["police"] if index % 3 else ["police", "family"],
            )
    return layout


def _true_counts(
    cases: list[Case], group_by: str, categories: list[str]
) -> tuple[dict[str, int], int]:
    counter: Counter[str] = Counter()
    for case in cases:
        if group_by == "country":
            keys = {case.country.iso2}
        elif group_by == "year":
            keys = {str(case.date_from.year)}
        elif group_by == "violation_type":
            keys = {v.code for v in case.violation_types.all()}
        elif group_by == "perpetrator_type":
            keys = set(case.perpetrator_types)
        else:
            keys = {r.action for r in case.responses.all()}
        counter.update(keys)
    return {key: counter.get(key, 0) for key in categories}, len(cases)


def test_no_combination_of_filters_recovers_a_suppressed_count(geography: None) -> None:
    # given: data where publishing exact totals would leak (12 - 9 = 3 in UA-2023; the
    # unfiltered total minus UA, MD and GE would give Armenia's 2)
    layout = _naive_leaky_data()
    counted = list(
        Case.objects.prefetch_related("violation_types", "responses").select_related("country")
    )
    published: list[int] = []
    suppressed_true: set[int] = set()
    # The countries with cases and one without (every country is listed; the others are
    # like KZ).
    countries = [None, *sorted({case.country.iso2 for case in counted}), "KZ"]
    years = [None, *statistics_years(), 2020]
    # when: every combination of filters and groupings is published
    for country_filter, year, group_by in itertools.product(countries, years, GROUP_BY_CHOICES):
        table = statistics_table(country=country_filter, year=year, group_by=group_by)
        scope = [
            case
            for case in counted
            if (country_filter is None or case.country.iso2 == country_filter)
            and (year is None or case.date_from.year == year)
        ]
        true_cells, true_total = _true_counts(scope, group_by, [row.key for row in table.rows])
        for count, true in [
            *((row.count, true_cells[row.key]) for row in table.rows),
            (table.total, true_total),
        ]:
            # then: structurally, every number is "<5" or a multiple of 5 that is at most
            # the true count and more than the true count minus 5 (rounded down)
            if count.suppressed:
                assert count.text == "<5"
                assert true < 5
                if true:
                    suppressed_true.add(true)
            else:
                assert count.value is not None
                assert count.value % 5 == 0
                assert count.value <= true < count.value + 5
                published.append(count.value)
    # and no sum or difference of any two published numbers is a suppressed count
    assert suppressed_true >= {2, 3, 4}  # the data set has cells that must stay hidden
    derived = {abs(a - b) for a in published for b in published} | {
        a + b for a in published for b in published
    }
    assert not derived & suppressed_true
    assert layout[("UA", 2023)] == 3


def test_naive_subtraction_examples_do_not_leak(geography: None) -> None:
    _naive_leaky_data()
    # A country-year of 12 (3 + 9): the total and the cells cannot be subtracted.
    ua = statistics_table(country="UA", group_by="year")
    assert _cells(ua) == _years_from(2023, y2024="5")
    assert ua.total.text == "10"
    assert ua.total.value is not None
    assert ua.total.value - 5 not in {1, 2, 3, 4}
    # Unfiltered total minus the other countries' totals does not reveal Armenia's 2.
    everything = statistics_table(group_by="country")
    cells = {row.key: row.count for row in everything.rows}
    assert cells["AM"].text == "<5"
    others = sum(c.value or 0 for key, c in cells.items() if key != "AM")
    assert everything.total.value is not None
    assert everything.total.value - others not in {1, 2, 3, 4}
    # 4 + 4 = 8 in Georgia: rounded down to 5 (5 to 9), which two cells of "<5" fit in
    # many ways (1 + 4, 2 + 3, 4 + 4 ...), where "10" (8 to 12) would pin both to 4.
    georgia = statistics_table(country="GE", group_by="year")
    assert _cells(georgia) == _years_from(2023)
    assert georgia.total.text == "5"


def test_every_country_of_the_region_and_every_year_is_listed(geography: None) -> None:
    # given cases in one country and one year only
    _cases("UA", 2022, 6)
    this_year = timezone.localdate().year
    # when
    by_country = statistics_table(group_by="country")
    by_year = statistics_table(group_by="year")
    # then a country or year without cases is listed like one with a few
    assert [row.key for row in by_country.rows] == [
        country.iso2 for country in Country.objects.all()
    ]
    assert len(by_country.rows) > 20
    assert _cells(by_country)["KZ"] == "<5"
    assert [row.key for row in by_year.rows] == [str(year) for year in range(2022, this_year + 1)]
    assert _shown(by_year) == {"2022": "5"}


def test_the_first_year_can_be_configured(geography: None, settings: Any) -> None:
    settings.HRNET_RIGHTS_STATISTICS_FIRST_YEAR = 2015
    _cases("UA", 2022, 1)
    assert statistics_years()[0] == 2015
    assert statistics_years()[-1] == timezone.localdate().year


def test_without_cases_this_year_is_listed(geography: None) -> None:
    assert statistics_years() == [timezone.localdate().year]


@pytest.mark.parametrize("year", [-5558087, 0, 1899, 10**12])
def test_a_year_no_case_can_have_is_refused_in_words(geography: None, year: int) -> None:
    with pytest.raises(ValidationError) as refused:
        statistics_table(group_by="country", year=year)
    assert "Write a year between 1900 and" in str(refused.value)


def test_the_api_refuses_nonsense_years_and_lists_every_year(client: Any, geography: None) -> None:
    response = client.get(
        "/api/v1/rights/statistics", {"group_by": "country", "year": -5558087, "country": "MD"}
    )
    assert response.status_code == 400
    assert "year" in response.json()["errors"]
    response = client.get("/api/v1/rights/statistics", {"group_by": "year"})
    assert response.status_code == 200
    assert response.json()["rows"][-1]["key"] == str(timezone.localdate().year)
