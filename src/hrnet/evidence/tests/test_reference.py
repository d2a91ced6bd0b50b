from decimal import Decimal

import pytest

from hrnet.evidence.models import Category, CategorySet, Indicator
from hrnet.evidence.reference import categories_load, indicators_load

pytestmark = pytest.mark.django_db


def test_indicators_load_reads_the_catalogue_and_is_idempotent():
    count = indicators_load()
    Indicator.objects.filter(code="NSP_COVERAGE").update(is_public=False)

    assert indicators_load() == count
    assert Indicator.objects.count() == count
    nsp = Indicator.objects.get(code="NSP_COVERAGE")
    assert nsp.kind == Indicator.Kind.COMPUTED
    assert nsp.numerator is not None
    assert nsp.numerator.code == "NS_DISTRIBUTED"
    assert nsp.denominator is not None
    assert nsp.denominator.code == "PWID_SIZE_ESTIMATE"
    assert (nsp.low_below, nsp.high_above, nsp.target) == (
        Decimal(100),
        Decimal(200),
        Decimal(300),
    )
    assert nsp.names["ru"] == "Количество шприцев на одного ЛУИН в год"
    assert nsp.is_public is False  # the secretariat's choice survives a reload


def test_categories_and_sets_load_with_their_options_and_names() -> None:
    assert categories_load() == 4
    assert categories_load() == 4  # again: updated, not doubled
    age = Category.objects.get(code="age")
    assert age.option_codes == ["<25", "25+"]
    assert age.names["ru"] == "Возрастная группа"
    sex_age = CategorySet.objects.get(code="sex_age")
    assert {category.code for category in sex_age.categories.all()} == {"sex", "age"}


def test_the_catalogue_says_how_each_indicator_aggregates(catalogue: dict) -> None:
    assert catalogue["NS_DISTRIBUTED"].aggregation == "sum"
    assert catalogue["OST_CLIENTS"].aggregation == "last"
    assert catalogue["PWID_SIZE_ESTIMATE"].aggregation == "none"
