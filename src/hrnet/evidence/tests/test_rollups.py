"""Roll-ups checked against a hand computation: two sites of one country over three months,
their quarter and year, the country's months, quarter and year; SUM, AVERAGE and LAST."""

from dataclasses import replace
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from hrnet.evidence.models import AGGREGATED_SOURCE, DataValue, DataValueHistory, Indicator
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.evidence.tests.factories import IndicatorFactory
from hrnet.members.tests.factories import country
from hrnet.outreach.tests.factories import SiteFactory

pytestmark = pytest.mark.usefixtures("catalogue")


def month(indicator, site, period, amount, source="programme data"):
    return ValueIn(
        indicator=indicator,
        country=site.country,
        site=site,
        period=period,
        period_kind="month",
        source=source,
        value=None if amount is None else Decimal(amount),
    )


def aggregated(indicator, period, site=None):
    value = DataValue.objects.get(
        indicator=indicator,
        period=period,
        site=site,
        country=country("MD"),
        source=AGGREGATED_SOURCE,
    )
    return value.value, value.comment


@pytest.fixture
def data(catalogue):
    sites = SiteFactory.create(country=country("MD")), SiteFactory.create(country=country("MD"))
    average = IndicatorFactory.create(code="AVG", aggregation=Indicator.Aggregation.AVERAGE)
    last = catalogue["OST_CLIENTS"]
    last.aggregation = Indicator.Aggregation.LAST
    last.save()
    ns = catalogue["NS_DISTRIBUTED"]
    a, b = sites
    data_values_write(
        values=[
            month(ns, a, "2019-01", 10),
            month(ns, a, "2019-02", 20),
            month(ns, a, "2019-03", 30),
            month(ns, b, "2019-01", 5),
            month(ns, b, "2019-02", None),
            month(ns, b, "2019-03", 15),
            month(last, a, "2019-01", 100),
            month(last, a, "2019-03", 120),
            month(last, b, "2019-02", 50),
            month(average, a, "2019-01", 2),
            month(average, a, "2019-02", 4),
            month(average, b, "2019-01", 6),
            ValueIn(
                indicator=catalogue["PWID_SIZE_ESTIMATE"],
                country=country("MD"),
                period="2019",
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal(40),
            ),
        ],
        actor=None,
    )
    return {"a": a, "b": b, "ns": ns, "last": last, "average": average, "catalogue": catalogue}


def test_sums_of_sites_and_months_match_the_hand_computation(data):
    ns, a, b = data["ns"], data["a"], data["b"]
    assert aggregated(ns, "2019Q1", a) == (Decimal(60), "3 of 3 months")
    assert aggregated(ns, "2019", a) == (Decimal(60), "3 of 12 months")
    # the unknown February is skipped
    assert aggregated(ns, "2019Q1", b) == (Decimal(20), "2 of 3 months")
    assert aggregated(ns, "2019-01") == (Decimal(15), "sum of 2 sites")
    assert aggregated(ns, "2019-02") == (Decimal(20), "sum of 1 sites")
    assert aggregated(ns, "2019-03") == (Decimal(45), "sum of 2 sites")
    assert aggregated(ns, "2019Q1") == (Decimal(80), "sum of 2 sites")
    assert aggregated(ns, "2019") == (Decimal(80), "sum of 2 sites")
    coverage = DataValue.objects.get(
        indicator__code="NSP_COVERAGE", country=country("MD"), period="2019", site=None
    )
    assert coverage.value == Decimal(2)  # 80 syringes / 40 people


def test_last_and_average(data):
    last, average, a, b = data["last"], data["average"], data["a"], data["b"]
    assert aggregated(last, "2019Q1", a)[0] == Decimal(120)  # March, the latest
    assert aggregated(last, "2019Q1", b)[0] == Decimal(50)
    assert aggregated(last, "2019Q1")[0] == Decimal(170)  # the sites' clients add up
    assert aggregated(average, "2019Q1", a)[0] == Decimal(3)
    assert aggregated(average, "2019-01")[0] == Decimal(4)
    assert aggregated(average, "2019Q1")[0] == Decimal("4.5")


def test_a_country_year_reported_directly_is_kept_and_preferred(data):
    ns = data["ns"]
    data_values_write(
        values=[
            ValueIn(
                indicator=ns,
                country=country("MD"),
                period="2019",
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal(1000),
            )
        ],
        actor=None,
    )
    data_values_write(values=[month(ns, data["a"], "2019-02", 25)], actor=None)

    assert (
        DataValue.objects.get(indicator=ns, period="2019", source="UNAIDS GAM", site=None).value
        == 1000
    )
    assert aggregated(ns, "2019") == (Decimal(85), "sum of 2 sites")
    coverage = DataValue.objects.get(
        indicator__code="NSP_COVERAGE", country=country("MD"), period="2019", site=None
    )
    assert coverage.value == Decimal(25)  # the reported 1000 / 40


def test_a_changed_month_changes_only_the_values_it_feeds(data):
    ns, a = data["ns"], data["a"]
    before = set(DataValueHistory.objects.values_list("pk", flat=True))

    data_values_write(values=[month(ns, a, "2019-02", 26)], actor=None)

    replaced = DataValueHistory.objects.exclude(pk__in=before).select_related("data_value")
    changed = {
        (
            h.data_value.indicator.code,
            h.data_value.site_id,
            h.data_value.period,
            h.data_value.source,
        )
        for h in replaced
    }
    assert changed == {
        ("NS_DISTRIBUTED", a.pk, "2019-02", "programme data"),
        ("NS_DISTRIBUTED", a.pk, "2019Q1", AGGREGATED_SOURCE),
        ("NS_DISTRIBUTED", a.pk, "2019", AGGREGATED_SOURCE),
        ("NS_DISTRIBUTED", None, "2019-02", AGGREGATED_SOURCE),
        ("NS_DISTRIBUTED", None, "2019Q1", AGGREGATED_SOURCE),
        ("NS_DISTRIBUTED", None, "2019", AGGREGATED_SOURCE),
        ("NSP_COVERAGE", None, "2019", "computed"),
    }
    assert aggregated(ns, "2019") == (Decimal(86), "sum of 2 sites")
    coverage = DataValue.objects.get(
        indicator__code="NSP_COVERAGE", country=country("MD"), period="2019", site=None
    )
    assert coverage.value == Decimal("2.15")


def test_when_every_input_is_unknown_the_aggregate_becomes_not_known(data):
    ns, b = data["ns"], data["b"]
    data_values_write(
        values=[month(ns, b, "2019-01", None), month(ns, b, "2019-03", None)], actor=None
    )
    value = DataValue.objects.get(indicator=ns, site=b, period="2019Q1", source=AGGREGATED_SOURCE)
    assert value.is_unknown
    assert value.history.count() == 1


def derived():
    return sorted(
        (str(value.indicator_id), str(value.site_id), value.period, value.value, value.comment)
        for value in DataValue.objects.filter(source__in=[AGGREGATED_SOURCE, "computed"])
    )


def test_the_command_recomputes_everything_the_same_way(data):
    ns = data["ns"]
    expected = derived()
    DataValue.objects.filter(source__in=[AGGREGATED_SOURCE, "computed"]).delete()
    out = StringIO()

    call_command("evidence_recompute", stdout=out)

    assert derived() == expected
    assert "Aggregated values written" in out.getvalue()
    call_command("evidence_recompute", indicator=ns.code, country="MD", stdout=out)
    assert "Aggregated values written: 0" in out.getvalue().splitlines()[-2]


def test_a_disaggregated_aggregate_becomes_not_known_under_its_own_key(data):
    ns, b = data["ns"], data["b"]
    women = {"sex": "female"}
    data_values_write(
        values=[replace(month(ns, b, "2019-01", 40), disaggregation=women)], actor=None
    )
    data_values_write(
        values=[replace(month(ns, b, "2019-01", None), disaggregation=women)], actor=None
    )

    quarter = DataValue.objects.filter(
        indicator=ns, site=b, period="2019Q1", source=AGGREGATED_SOURCE
    )
    assert quarter.get(disaggregation_key="sex=female").is_unknown
    # the total of the quarter is the one computed from the totals, not a stray copy
    assert quarter.filter(disaggregation_key="").count() == 1
    assert not quarter.get(disaggregation_key="").is_unknown
