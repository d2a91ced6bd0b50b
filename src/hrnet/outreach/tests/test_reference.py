import pytest

from hrnet.outreach.models import Commodity, CommodityBundle
from hrnet.outreach.reference import commodities_load

pytestmark = pytest.mark.django_db


def test_commodities_and_bundles_load_idempotently_with_their_evidence_links():
    assert commodities_load() == 5
    assert commodities_load() == 5

    syringes = Commodity.objects.get(code="syringes")
    assert syringes.indicator_code == "NS_DISTRIBUTED"
    assert syringes.names["ru"] == "Шприцы"
    standard = CommodityBundle.objects.get(code="nsp-standard", organisation=None)
    assert standard.items == {"syringes": 10, "needles": 10, "swabs": 20, "condoms": 5}
