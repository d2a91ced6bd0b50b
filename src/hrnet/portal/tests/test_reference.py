import pytest

from hrnet.evidence.models import Indicator
from hrnet.portal.reference import reference_data_load

pytestmark = pytest.mark.django_db


def test_reference_data_load_loads_the_indicators():
    counts = reference_data_load()

    assert counts["indicators"] == Indicator.objects.count() > 20
