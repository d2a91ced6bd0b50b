from decimal import Decimal

import pytest

from hrnet.core.models import AuditEntry
from hrnet.evidence.models import COMPUTED_SOURCE, DataValue, DataValueHistory
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")


def value(catalogue, code, amount, *, iso2="MD", period="2019", source="GAM", **extra):
    return ValueIn(
        indicator=catalogue[code],
        country=country(iso2),
        period=period,
        period_kind="year",
        source=source,
        value=None if amount is None else Decimal(amount),
        **extra,
    )


def computed(code, iso2="MD", period="2019"):
    return DataValue.objects.get(
        indicator__code=code, country__iso2=iso2, period=period, source=COMPUTED_SOURCE
    )


def test_a_later_value_replaces_the_earlier_and_keeps_its_history(catalogue, secretariat):
    # given
    data_values_write(values=[value(catalogue, "OST_CLIENTS", 900)], actor=None)
    # when
    result = data_values_write(
        values=[value(catalogue, "OST_CLIENTS", 1000, comment="corrected")], actor=secretariat
    )
    # then
    assert (result.created, result.replaced) == (0, 1)
    stored = DataValue.objects.get(indicator__code="OST_CLIENTS")
    assert stored.value == Decimal(1000)
    assert stored.created_by == secretariat
    old = DataValueHistory.objects.get(data_value=stored)
    assert old.value == Decimal(900)
    assert old.replaced_by == secretariat
    assert AuditEntry.objects.filter(action="evidence.values.write").count() == 2


def test_the_same_value_again_changes_nothing(catalogue):
    data_values_write(values=[value(catalogue, "OST_CLIENTS", 900)], actor=None)

    result = data_values_write(values=[value(catalogue, "OST_CLIENTS", 900)], actor=None)

    assert (result.created, result.replaced, result.unchanged) == (0, 0, 1)
    assert not DataValueHistory.objects.exists()


def test_another_source_or_disaggregation_is_another_value(catalogue):
    data_values_write(
        values=[
            value(catalogue, "OST_CLIENTS", 900),
            value(catalogue, "OST_CLIENTS", 950, source="national report"),
            value(catalogue, "OST_CLIENTS", 100, disaggregation={"sex": "female"}),
        ],
        actor=None,
    )

    assert DataValue.objects.filter(indicator__code="OST_CLIENTS").count() == 3


def test_coverage_is_computed_and_recomputed_when_an_input_changes(catalogue):
    data_values_write(
        values=[
            value(catalogue, "OST_CLIENTS", 2000),
            value(catalogue, "PWID_SIZE_ESTIMATE", 10000),
        ],
        actor=None,
    )
    assert computed("OST_COVERAGE").value == Decimal(20)  # 2000 / 10000 x 100
    assert computed("OST_COVERAGE").band == "medium"  # exactly 20 is medium

    data_values_write(values=[value(catalogue, "OST_CLIENTS", 4001)], actor=None)

    coverage = computed("OST_COVERAGE")
    assert coverage.value == Decimal("40.01")
    assert coverage.band == "high"
    assert coverage.history.get().value == Decimal(20)


def test_recomputation_touches_only_the_affected_keys(catalogue):
    data_values_write(
        values=[
            value(catalogue, "OST_CLIENTS", 2000),
            value(catalogue, "PWID_SIZE_ESTIMATE", 10000),
            value(catalogue, "OST_CLIENTS", 500, iso2="GE"),
            value(catalogue, "PWID_SIZE_ESTIMATE", 50000, iso2="GE"),
        ],
        actor=None,
    )
    georgia_before = computed("OST_COVERAGE", "GE").updated_at

    result = data_values_write(values=[value(catalogue, "OST_CLIENTS", 3000)], actor=None)

    assert result.computed == 1  # OST coverage in Moldova; not NSP, not Georgia
    assert computed("OST_COVERAGE", "GE").updated_at == georgia_before
    assert not DataValue.objects.filter(indicator__code="NSP_COVERAGE").exists()


def test_nothing_is_computed_without_both_inputs_or_with_a_zero_denominator(catalogue):
    data_values_write(
        values=[
            value(catalogue, "OST_CLIENTS", 2000),
            value(catalogue, "NS_DISTRIBUTED", 1000, period="2020"),
            value(catalogue, "PWID_SIZE_ESTIMATE", 0, period="2020"),
        ],
        actor=None,
    )

    assert not DataValue.objects.filter(source=COMPUTED_SOURCE).exists()


def test_a_computed_value_becomes_unknown_when_its_input_does(catalogue):
    data_values_write(
        values=[
            value(catalogue, "NS_DISTRIBUTED", 1000),
            value(catalogue, "PWID_SIZE_ESTIMATE", 10),
        ],
        actor=None,
    )
    assert computed("NSP_COVERAGE").value == Decimal(100)

    data_values_write(values=[value(catalogue, "PWID_SIZE_ESTIMATE", 0)], actor=None)

    coverage = computed("NSP_COVERAGE")
    assert coverage.is_unknown
    assert coverage.band is None
    assert coverage.history.get().value == Decimal(100)


def test_disaggregated_inputs_give_a_disaggregated_coverage(catalogue):
    female = {"sex": "female"}
    data_values_write(
        values=[
            value(catalogue, "PWID_ON_ART", 30, disaggregation=female),
            value(catalogue, "PWID_LIVING_WITH_HIV", 120, disaggregation=female),
            value(catalogue, "PWID_ON_ART", 300),
        ],
        actor=None,
    )

    coverage = DataValue.objects.get(indicator__code="ART_COVERAGE")
    assert coverage.disaggregation == female
    assert coverage.value == Decimal(25)
