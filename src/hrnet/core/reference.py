"""Loading the default reference data shipped in src/hrnet/data/ (the CEECA set).

Another network replaces these files, or loads its own through the import pages. These are
the core's loaders; the portal app's reference module loads every app's set.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.core.models import IssueArea, Network

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


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
