"""Loading the default reference data of every app (the kernel's and each feature's
`reference.py` loaders), for `hrnet load_reference_data` and `hrnet demo`."""

from __future__ import annotations

from hrnet.core.reference import issue_areas_load, network_load
from hrnet.evidence.reference import categories_load, indicators_load
from hrnet.geo.reference import geography_load
from hrnet.members.reference import membership_types_load, principles_load
from hrnet.outreach.reference import commodities_load
from hrnet.rights.reference import violation_types_load


def reference_data_load() -> dict[str, int]:
    countries, aliases = geography_load()
    principles_load()
    membership_types_load()
    return {
        "countries": countries,
        "aliases": aliases,
        "issue_areas": issue_areas_load(),
        "network": network_load().pk,
        "indicators": indicators_load(),
        "disaggregation_categories": categories_load(),
        "commodities": commodities_load(),
        "violation_types": violation_types_load(),
    }
