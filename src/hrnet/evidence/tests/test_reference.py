from decimal import Decimal

import pytest

from hrnet.core.reference import reference_data_load
from hrnet.evidence.models import Indicator
from hrnet.evidence.reference import indicators_load

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


def test_reference_data_load_loads_the_indicators():
    counts = reference_data_load()

    assert counts["indicators"] == Indicator.objects.count() > 20
