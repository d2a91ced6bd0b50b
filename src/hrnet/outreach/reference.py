"""Loading the commodities and the network-wide preset bundles shipped in
src/hrnet/data/commodities.csv and commodity-bundles.csv. Idempotent: updates by code."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from hrnet.core.reference import DATA_DIR, LANGUAGE_CODES
from hrnet.outreach.models import Commodity, CommodityBundle


def _names(row: dict[str, str]) -> dict[str, str]:
    return {code: row[f"name_{code}"] for code in LANGUAGE_CODES if row.get(f"name_{code}")}


@transaction.atomic
def commodities_load(
    path: Path = DATA_DIR / "commodities.csv",
    bundles_path: Path = DATA_DIR / "commodity-bundles.csv",
) -> int:
    with path.open(encoding="utf-8") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            Commodity.objects.update_or_create(
                code=row["code"],
                defaults={
                    "names": _names(row),
                    "unit": row["unit"],
                    "indicator_code": row["indicator_code"],
                    "position": position,
                },
            )
    with bundles_path.open(encoding="utf-8") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            items = {
                code.strip(): int(quantity)
                for code, _sep, quantity in (
                    pair.partition("=") for pair in row["items"].split(";") if pair
                )
            }
            CommodityBundle.objects.update_or_create(
                organisation=None,
                code=row["code"],
                defaults={"names": _names(row), "items": items, "position": position},
            )
    return Commodity.objects.count()
