from __future__ import annotations

import pytest

from hrnet.evidence.models import Indicator
from hrnet.evidence.reference import indicators_load


@pytest.fixture
def catalogue(geography: None) -> dict[str, Indicator]:
    """The countries and the default indicator catalogue, by code."""
    indicators_load()
    return {indicator.code: indicator for indicator in Indicator.objects.all()}
