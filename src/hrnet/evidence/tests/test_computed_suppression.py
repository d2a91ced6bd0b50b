"""A computed indicator (numerator / denominator x factor) gives either input back to anyone
who reads the other: wherever an input is hidden from a reader (not public, or a small count
suppressed at a site or summed from sites), the computed value is hidden from them too.

Run over every computed indicator of the shipped catalogue."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from hrnet.accounts.roles import Role
from hrnet.core.reference import DATA_DIR
from hrnet.evidence.exports import export_values
from hrnet.evidence.formats import quantize
from hrnet.evidence.models import COMPUTED_SOURCE, Indicator, PeriodKind
from hrnet.evidence.selectors import dashboards
from hrnet.evidence.selectors.values import ValueFilters
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.evidence.sources import source_name
from hrnet.evidence.tests.factories import IndicatorFactory
from hrnet.members.tests.factories import country
from hrnet.outreach.tests.factories import SiteFactory, org_admin_of

pytestmark = pytest.mark.django_db

PUBLIC = AnonymousUser()
SIDES = ("numerator", "denominator")


def _catalogue_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "indicators.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


CATALOGUE = {row["code"]: row for row in _catalogue_rows()}
COMPUTED = sorted(code for code, row in CATALOGUE.items() if row["kind"] == "computed")
# Inputs a country value is summed from sites for, counting people: the ones
# `small_derived_counts` hides when small.
ROLLED_UP_PEOPLE = [
    (code, side)
    for code in COMPUTED
    for side in SIDES
    if CATALOGUE[CATALOGUE[code][side]]["aggregation"] != "none"
    and CATALOGUE[CATALOGUE[code][side]]["unit"] == "people"
]


def country_value(indicator: Indicator, iso2: str, year: int, value: str, **extra: Any) -> ValueIn:
    return ValueIn(
        indicator=indicator,
        country=country(iso2),
        period=str(year),
        period_kind=PeriodKind.YEAR,
        source=extra.pop("source", "UNAIDS GAM"),
        value=Decimal(value),
        **extra,
    )


def site_value(indicator: Indicator, site: Any, month: str, value: Decimal) -> ValueIn:
    return ValueIn(
        indicator=indicator,
        country=site.country,
        site=site,
        period=month,
        period_kind=PeriodKind.MONTH,
        source="programme data",
        value=value,
    )


def computed_of(indicator: Indicator, numerator: str, denominator: str) -> Decimal:
    return quantize(Decimal(numerator) / Decimal(denominator) * indicator.factor)


def public_reads(client: Client, code: str, iso2: str, year: int) -> list[Any]:
    """Every value of `code` in `iso2` and `year` the public gets: API, pages' selectors,
    map, country profile, export."""
    found: list[Any] = []
    for item in client.get(f"/api/v1/evidence/values?indicator={code}&country={iso2}").json():
        found.append(item["value"])
    table = dashboards.regional_table(user=PUBLIC, indicators=[code], year_from=year, year_to=year)
    if (cell := table.cell(code, iso2, year)) is not None:
        found.append(cell.value)
    map_data = dashboards.map_data(user=PUBLIC, indicator=code, year=year)
    if map_data is not None:
        found += [item.cell.value for item in map_data.items if item.cell is not None]
    profile = dashboards.country_profile(user=PUBLIC, country=country(iso2), year=year)
    found += [cell.value for cell in [*profile.cards, *profile.coverage] if cell.code == code]
    found += [
        value
        for group in profile.trends
        for series in group.series
        if series.code == code
        for _year, value in series.points
    ]
    exported = export_values(
        user=PUBLIC, filters=ValueFilters(indicator=code, country=iso2), include_derived=True
    )
    found += [value.value for value in exported]
    return found


def test_every_computed_indicator_of_the_catalogue_is_covered(catalogue: dict[str, Indicator]):
    computed = {code for code, i in catalogue.items() if i.kind == Indicator.Kind.COMPUTED}

    assert computed == set(COMPUTED)
    assert ROLLED_UP_PEOPLE  # OST and ART coverage count people summed from sites


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("code", COMPUTED)
def test_a_computed_value_is_hidden_when_an_input_is_not_public(
    catalogue: dict[str, Indicator], member: Any, code: str, side: str
):
    # given both inputs reported for Moldova 2019, and one of them taken off the public
    indicator = catalogue[code]
    numerator, denominator = indicator.numerator, indicator.denominator
    assert numerator is not None
    assert denominator is not None
    data_values_write(
        values=[
            country_value(numerator, "MD", 2019, "600"),
            country_value(denominator, "MD", 2019, "1200"),
        ],
        actor=None,
    )
    expected = computed_of(indicator, "600", "1200")
    hidden = getattr(indicator, side)
    hidden.is_public = False
    hidden.save(update_fields=["is_public"])
    client = Client()

    # when the public reads the computed indicator
    reads = public_reads(client, code, "MD", 2019)
    listed = {item["code"] for item in client.get("/api/v1/evidence/indicators").json()}
    page = client.get(f"/en/evidence/indicators/{code}/")

    # then it is nowhere, not even the indicator; members still see it
    assert reads == []
    assert code not in listed
    assert page.status_code == 404
    assert dashboards.indicator_years(user=PUBLIC, indicator=indicator) == []
    seen = dashboards.regional_table(user=member, indicators=[code], year_from=2019, year_to=2019)
    cell = seen.cell(code, "MD", 2019)
    assert cell is not None
    assert cell.value == expected


@pytest.mark.parametrize("code", COMPUTED)
def test_a_computed_value_of_public_large_inputs_is_shown(
    catalogue: dict[str, Indicator], code: str
):
    indicator = catalogue[code]
    assert indicator.numerator is not None
    assert indicator.denominator is not None
    data_values_write(
        values=[
            country_value(indicator.numerator, "MD", 2019, "600"),
            country_value(indicator.denominator, "MD", 2019, "1200"),
        ],
        actor=None,
    )
    expected = computed_of(indicator, "600", "1200")

    reads = public_reads(Client(), code, "MD", 2019)

    # the API, the table, the map, the export (and the profile for its figures)
    assert len(reads) >= 4
    assert all(value == expected for value in reads)


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("code", COMPUTED)
def test_a_computed_site_value_is_suppressed_when_an_input_is(
    catalogue: dict[str, Indicator], make_user: Any, code: str, side: str
):
    # given a site whose numerator (or denominator) is below the threshold this month,
    # while the computed value itself is not
    indicator = catalogue[code]
    assert indicator.numerator is not None
    assert indicator.denominator is not None
    small = Decimal(3)
    if side == "numerator":
        numerator, denominator = small, small * indicator.factor / 10
    else:
        numerator, denominator = Decimal(400), small
    site = SiteFactory.create(country=country("MD"))
    data_values_write(
        values=[
            site_value(indicator.numerator, site, "2024-03", numerator),
            site_value(indicator.denominator, site, "2024-03", denominator),
        ],
        actor=None,
    )
    expected = quantize(numerator / denominator * indicator.factor)
    assert not dashboards.is_small(expected)

    # when the public and the site's organisation read the site values
    _period, public = dashboards.site_values(user=PUBLIC, country=site.country, indicator=code)
    _period, own = dashboards.site_values(
        user=org_admin_of(site.organisation), country=site.country, indicator=code
    )

    # then the public gets "<5" and no number; the organisation its own figure
    [shown] = [value for value in public if value.source == source_name(COMPUTED_SOURCE)]
    assert shown.is_suppressed
    assert shown.value is None
    assert shown.text == dashboards.suppressed_text()
    [mine] = [value for value in own if value.source == source_name(COMPUTED_SOURCE)]
    assert mine.value == expected
    assert not mine.is_suppressed


@pytest.mark.parametrize("code", COMPUTED)
def test_a_computed_site_value_of_large_inputs_is_shown(catalogue: dict[str, Indicator], code: str):
    indicator = catalogue[code]
    assert indicator.numerator is not None
    assert indicator.denominator is not None
    site = SiteFactory.create(country=country("MD"))
    data_values_write(
        values=[
            site_value(indicator.numerator, site, "2024-03", Decimal(8000)),
            site_value(indicator.denominator, site, "2024-03", Decimal(800)),
        ],
        actor=None,
    )

    _period, public = dashboards.site_values(user=PUBLIC, country=site.country, indicator=code)

    [shown] = [value for value in public if value.source == source_name(COMPUTED_SOURCE)]
    assert not shown.is_suppressed
    assert shown.value == computed_of(indicator, "8000", "800")


@pytest.mark.parametrize(("code", "side"), ROLLED_UP_PEOPLE)
def test_a_country_value_computed_from_a_small_count_summed_from_sites_is_hidden(
    catalogue: dict[str, Indicator], make_user: Any, code: str, side: str
):
    # given one small site whose clients are summed into Moldova 2024, and the other input
    # (a public size estimate) reported for the country
    indicator = catalogue[code]
    counted = getattr(indicator, side)
    other = indicator.denominator if side == "numerator" else indicator.numerator
    assert other is not None
    site = SiteFactory.create(country=country("MD"))
    data_values_write(
        values=[
            *(site_value(counted, site, f"2024-{month:02d}", Decimal(3)) for month in (1, 2, 3)),
            country_value(other, "MD", 2024, "1000"),
        ],
        actor=None,
    )
    secretariat = make_user(Role.SECRETARIAT)
    staff = dashboards.regional_table(
        user=secretariat, indicators=[code], year_from=2024, year_to=2024
    ).cell(code, "MD", 2024)
    assert staff is not None  # computed from the count summed from the site
    assert staff.source == COMPUTED_SOURCE

    # when the public (or a member) reads it, then it is nowhere
    assert public_reads(Client(), code, "MD", 2024) == []
    assert dashboards.indicator_years(user=PUBLIC, indicator=indicator) == []
    member = make_user(Role.MEMBER)
    assert (
        dashboards.regional_table(
            user=member, indicators=[code], year_from=2024, year_to=2024
        ).cell(code, "MD", 2024)
        is None
    )


@pytest.mark.parametrize(("code", "side"), ROLLED_UP_PEOPLE)
def test_a_reported_count_beside_the_small_sum_makes_the_computed_value_public(
    catalogue: dict[str, Indicator], code: str, side: str
):
    # the computation takes the reported count, a published figure, not the small sum
    indicator = catalogue[code]
    counted = getattr(indicator, side)
    other = indicator.denominator if side == "numerator" else indicator.numerator
    assert other is not None
    site = SiteFactory.create(country=country("MD"))
    data_values_write(
        values=[
            *(site_value(counted, site, f"2024-{month:02d}", Decimal(3)) for month in (1, 2, 3)),
            country_value(counted, "MD", 2024, "900", source="national report"),
            country_value(other, "MD", 2024, "1000"),
        ],
        actor=None,
    )
    expected = (
        computed_of(indicator, "900", "1000")
        if side == "numerator"
        else computed_of(indicator, "1000", "900")
    )

    reads = public_reads(Client(), code, "MD", 2024)

    assert expected in reads


def test_a_value_computed_from_a_hidden_computed_value_is_hidden_too(
    catalogue: dict[str, Indicator],
):
    # given OST coverage per NSP site (a computed indicator built on a computed one)
    per_site = IndicatorFactory.create(
        code="OST_COVERAGE_PER_NSP_SITE",
        kind=Indicator.Kind.COMPUTED,
        unit="percent",
        numerator=catalogue["OST_COVERAGE"],
        denominator=catalogue["NSP_SITES"],
        aggregation=Indicator.Aggregation.NONE,
    )
    site = SiteFactory.create(country=country("MD"))
    data_values_write(
        values=[
            *(
                site_value(catalogue["OST_CLIENTS"], site, f"2024-{month:02d}", Decimal(3))
                for month in (1, 2, 3)
            ),
            country_value(catalogue["PWID_SIZE_ESTIMATE"], "MD", 2024, "1000"),
            country_value(catalogue["NSP_SITES"], "MD", 2024, "2"),
        ],
        actor=None,
    )

    assert public_reads(Client(), per_site.code, "MD", 2024) == []
    assert public_reads(Client(), "OST_COVERAGE", "MD", 2024) == []


def test_a_value_computed_from_a_not_public_computed_indicator_is_hidden(
    catalogue: dict[str, Indicator],
):
    per_site = IndicatorFactory.create(
        code="OST_COVERAGE_PER_NSP_SITE",
        kind=Indicator.Kind.COMPUTED,
        unit="percent",
        numerator=catalogue["OST_COVERAGE"],
        denominator=catalogue["NSP_SITES"],
        aggregation=Indicator.Aggregation.NONE,
    )
    data_values_write(
        values=[
            country_value(catalogue["OST_CLIENTS"], "MD", 2024, "600"),
            country_value(catalogue["PWID_SIZE_ESTIMATE"], "MD", 2024, "1000"),
            country_value(catalogue["NSP_SITES"], "MD", 2024, "2"),
        ],
        actor=None,
    )
    shown = public_reads(Client(), per_site.code, "MD", 2024)
    catalogue["OST_CLIENTS"].is_public = False
    catalogue["OST_CLIENTS"].save(update_fields=["is_public"])

    hidden = public_reads(Client(), per_site.code, "MD", 2024)

    assert Decimal(30) in shown  # 600 / 1000 x 100 / 2
    assert hidden == []
