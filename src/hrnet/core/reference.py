"""Loading the default reference data shipped in src/hrnet/data/ (the CEECA set).

Another network replaces these files, or loads its own through the import pages.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from hrnet.core.models import IssueArea, Network

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _names(row: dict[str, str], prefix: str = "name") -> dict[str, str]:
    return {code: row[f"{prefix}_{code}"] for code in LANGUAGE_CODES if row.get(f"{prefix}_{code}")}


@transaction.atomic
def issue_areas_load(path: Path = DATA_DIR / "issue-areas.csv") -> int:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for position, row in enumerate(rows):
        IssueArea.objects.update_or_create(
            code=row["code"], defaults={"names": _names(row), "position": position}
        )
    return len(rows)


@transaction.atomic
def network_load(path: Path = DATA_DIR / "network.json") -> Network:
    """Create the network's profile from the data file unless the secretariat has one."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    network = Network.objects.order_by("pk").first()
    if network is None:
        network = Network.objects.create(
            names=data["names"],
            short_names=data.get("short_names", {}),
            missions=data.get("missions", {}),
        )
    return network


def reference_data_load() -> dict[str, int]:
    from hrnet.evidence.reference import categories_load, indicators_load
    from hrnet.geo.services import geography_load
    from hrnet.members.reference import membership_types_load, principles_load
    from hrnet.outreach.reference import commodities_load
    from hrnet.rights.reference import violation_types_load

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
