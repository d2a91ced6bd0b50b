from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from hrnet.evidence.models import FundingRecord
from hrnet.evidence.selectors import dashboards
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import AffiliationFactory, PersonFactory, country
from hrnet.outreach.tests.factories import SiteFactory

pytestmark = pytest.mark.usefixtures("catalogue")

ANONYMOUS = AnonymousUser()


def write(catalogue, code, iso2, year, value, source="UNAIDS GAM", **extra):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                period=str(year),
                period_kind=extra.pop("period_kind", "year"),
                source=source,
                value=None if value is None else Decimal(value),
                **extra,
            )
        ],
        actor=None,
    )


def test_reported_value_wins_over_one_summed_from_sites(catalogue):
    write(catalogue, "OST_CLIENTS", "MD", 2019, "900", source="aggregated")
    write(catalogue, "OST_CLIENTS", "MD", 2019, "1000")

    table = dashboards.regional_table(
        user=ANONYMOUS, indicators=["OST_CLIENTS"], year_from=2019, year_to=2019
    )

    cell = table.cell("OST_CLIENTS", "MD", 2019)
    assert cell is not None
    assert cell.value == Decimal(1000)
    assert cell.source == "UNAIDS GAM"
    assert cell.origin == dashboards.ORIGIN_IMPORTED


def test_most_recently_updated_reported_source_wins(catalogue):
    write(catalogue, "PWID_SIZE_ESTIMATE", "GE", 2019, "50000", source="national report")
    write(catalogue, "PWID_SIZE_ESTIMATE", "GE", 2019, "52000", source="UNAIDS GAM")
    write(catalogue, "PWID_SIZE_ESTIMATE", "GE", 2019, "51000", source="national report")

    table = dashboards.regional_table(
        user=ANONYMOUS, indicators=["PWID_SIZE_ESTIMATE"], year_from=2019, year_to=2019
    )

    cell = table.cell("PWID_SIZE_ESTIMATE", "GE", 2019)
    assert cell is not None
    assert (cell.value, cell.source) == (Decimal(51000), "national report")


def test_computed_indicator_prefers_the_value_computed_here(catalogue):
    write(catalogue, "PWID_SIZE_ESTIMATE", "MD", 2019, "10000")
    write(catalogue, "OST_CLIENTS", "MD", 2019, "1500")  # 15 per 100: low
    write(catalogue, "OST_COVERAGE", "MD", 2019, "30", source="UNAIDS GAM")

    table = dashboards.regional_table(
        user=ANONYMOUS, indicators=["OST_COVERAGE"], year_from=2019, year_to=2019
    )

    cell = table.cell("OST_COVERAGE", "MD", 2019)
    assert cell is not None
    assert cell.value == Decimal(15)
    assert cell.band == "low"
    assert cell.origin == dashboards.ORIGIN_COMPUTED


def test_ready_made_computed_indicator_is_shown_as_imported(catalogue):
    write(catalogue, "OST_COVERAGE", "UA", 2020, "40", source="UNAIDS GAM")

    table = dashboards.regional_table(
        user=ANONYMOUS, indicators=["OST_COVERAGE"], year_from=2020, year_to=2020
    )

    cell = table.cell("OST_COVERAGE", "UA", 2020)
    assert cell is not None
    assert cell.band == "medium"  # exactly 40 is medium
    assert cell.origin == dashboards.ORIGIN_IMPORTED
    assert cell.origin_label == "as reported by the source"


def test_a_known_value_wins_over_not_known(catalogue):
    write(catalogue, "PWID_SIZE_ESTIMATE", "KZ", 2019, "20000", source="national report")
    write(catalogue, "PWID_SIZE_ESTIMATE", "KZ", 2019, None, source="UNAIDS GAM")

    table = dashboards.regional_table(
        user=ANONYMOUS, indicators=["PWID_SIZE_ESTIMATE"], year_from=2019, year_to=2019
    )

    cell = table.cell("PWID_SIZE_ESTIMATE", "KZ", 2019)
    assert cell is not None
    assert cell.value == Decimal(20000)


def test_regional_table_reads_values_in_one_query(catalogue, django_assert_num_queries):
    codes = ["PWID_SIZE_ESTIMATE", "OST_CLIENTS", "NS_DISTRIBUTED"]
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                period=str(year),
                period_kind="year",
                source=source,
                value=Decimal(year),
            )
            for code in codes
            for iso2 in ("MD", "GE", "UA", "KZ", "AM")
            for year in range(2010, 2020)
            for source in ("UNAIDS GAM", "national report")
        ],
        actor=None,
    )

    # the indicators, the countries, the values
    with django_assert_num_queries(3):
        table = dashboards.regional_table(
            user=ANONYMOUS, indicators=codes, year_from=2010, year_to=2019
        )
        rows = table.rows(2015)

    assert len(table.cells) == 3 * 5 * 10
    moldova = next(row for row in rows if row.country.iso2 == "MD")
    assert [cell.value if cell else None for cell in moldova.cells] == [Decimal(2015)] * 3


def test_private_indicator_is_left_out_for_the_public(catalogue, member):
    catalogue["OST_CLIENTS"].is_public = False
    catalogue["OST_CLIENTS"].save()
    write(catalogue, "OST_CLIENTS", "MD", 2019, "1000")

    public = dashboards.regional_table(
        user=ANONYMOUS, indicators=["OST_CLIENTS"], year_from=2019, year_to=2019
    )
    members = dashboards.regional_table(
        user=member, indicators=["OST_CLIENTS"], year_from=2019, year_to=2019
    )

    assert public.indicators == []
    assert public.cells == {}
    assert dashboards.map_data(user=ANONYMOUS, indicator="OST_CLIENTS", year=2019) is None
    assert members.cell("OST_CLIENTS", "MD", 2019) is not None


def test_map_data_gives_every_country_with_band(catalogue):
    write(catalogue, "NSP_COVERAGE", "MD", 2019, "250")

    result = dashboards.map_data(user=ANONYMOUS, indicator="NSP_COVERAGE", year=2019)

    assert result is not None
    bands = {item.country.iso2: item.band for item in result.items}
    assert bands["MD"] == "high"
    assert bands["GE"] is None
    assert len(result.items) == 29


def test_country_profile_computes_hiv_prevalence_and_cascade(catalogue):
    for code, value in {
        "PWID_SIZE_ESTIMATE": "10000",
        "PWID_LIVING_WITH_HIV": "2500",
        "OST_CLIENTS": "2000",
        "HCV_AB_TESTED": "1000",
        "HCV_AB_POSITIVE": "600",
        "HCV_RNA_TESTED": "500",
        "HCV_RNA_POSITIVE": "400",
    }.items():
        write(catalogue, code, "MD", 2020, value)
    write(catalogue, "PWID_SIZE_ESTIMATE", "MD", 2018, "9000")
    FundingRecord.objects.create(
        country=country("MD"),
        year=2020,
        source="global_fund",
        programme_area="nsp",
        amount=Decimal(300),
        amount_usd=Decimal(300),
    )
    FundingRecord.objects.create(
        country=country("MD"),
        year=2020,
        source="domestic_public",
        programme_area="ost",
        amount=Decimal(100),
        amount_usd=Decimal(100),
    )

    profile = dashboards.country_profile(user=ANONYMOUS, country=country("MD"))

    assert profile.year == 2020
    cards = {cell.code: cell for cell in profile.cards}
    assert cards["PWID_SIZE_ESTIMATE"].value == Decimal(10000)
    hiv = cards[dashboards.HIV_PREVALENCE_CODE]
    assert hiv.value == Decimal(25)
    assert hiv.origin == dashboards.ORIGIN_COMPUTED
    assert cards[dashboards.HCV_PREVALENCE_CODE].value == Decimal(60)
    coverage = {cell.code: cell for cell in profile.coverage}
    assert coverage["OST_COVERAGE"].value == Decimal(20)
    assert coverage["OST_COVERAGE"].band == "medium"  # exactly 20 is medium
    assert profile.cascade_year == 2020
    steps = {step.code: step for step in profile.cascade}
    assert steps["HCV_AB_POSITIVE"].percent_of_previous == Decimal(60)
    assert steps["HCV_RNA_POSITIVE"].percent_of_previous == Decimal(80)
    assert steps["HCV_CURED"].value is None
    pwid_trend = next(group for group in profile.trends if group.slug == "pwid")
    assert pwid_trend.series[0].points == [(2018, Decimal(9000)), (2020, Decimal(10000))]
    assert profile.funding_year == 2020
    assert [(share.source, share.percent) for share in profile.funding] == [
        ("global_fund", Decimal(75)),
        ("domestic_public", Decimal(25)),
    ]


def test_country_profile_as_of_an_earlier_year(catalogue):
    write(catalogue, "PWID_SIZE_ESTIMATE", "MD", 2018, "9000")
    write(catalogue, "PWID_SIZE_ESTIMATE", "MD", 2020, "10000")

    profile = dashboards.country_profile(user=ANONYMOUS, country=country("MD"), year=2019)

    assert [(cell.code, cell.value, cell.period) for cell in profile.cards] == [
        ("PWID_SIZE_ESTIMATE", Decimal(9000), "2018")
    ]


def org_admin_of(organisation, make_user):
    user = make_user("orgadmin")
    AffiliationFactory(person=PersonFactory(user=user), organisation=organisation, is_admin=True)
    return user


def site_write(catalogue, site, code, month, value):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=site.country,
                site=site,
                period=month,
                period_kind="month",
                source="programme data",
                value=Decimal(value),
            )
        ],
        actor=None,
    )


def test_small_site_values_are_suppressed_for_the_public_only(catalogue, make_user):
    site = SiteFactory(country=country("MD"), name="Drop-in Balti")
    site_write(catalogue, site, "OST_CLIENTS", "2024-03", "3")
    site_write(catalogue, site, "NS_DISTRIBUTED", "2024-03", "0")
    site_write(catalogue, site, "PWID_REACHED", "2024-03", "120")

    period, public = dashboards.site_values(user=ANONYMOUS, country=country("MD"))
    _period, own = dashboards.site_values(
        user=org_admin_of(site.organisation, make_user), country=country("MD")
    )

    assert period == "2024-03"
    shown = {value.code: value for value in public}
    assert shown["OST_CLIENTS"].is_suppressed
    assert shown["OST_CLIENTS"].value is None
    assert shown["OST_CLIENTS"].text == "<5"
    assert shown["NS_DISTRIBUTED"].text == "<5"  # zero is suppressed too
    assert shown["PWID_REACHED"].text == "120"
    mine = {value.code: value for value in own}
    assert mine["OST_CLIENTS"].text == "3"
    assert mine["NS_DISTRIBUTED"].text == "0"
