"""Loading the indicator catalogue shipped in src/hrnet/data/indicators.csv and the
disaggregation categories and sets (categories.csv, category-sets.csv).

Idempotent: running it again updates the indicators by code and adds new ones; whether an
indicator is public is the secretariat's choice and is kept.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from hrnet.core.reference import DATA_DIR, LANGUAGE_CODES
from hrnet.evidence.models import Category, CategorySet, Indicator


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


@transaction.atomic
def indicators_load(path: Path = DATA_DIR / "indicators.csv") -> int:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code: dict[str, Indicator] = {}
    # Data elements first, so computed indicators find their numerator and denominator.
    for position, row in enumerate(rows):
        indicator, _created = Indicator.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "names": {
                    code: row[f"name_{code}"] for code in LANGUAGE_CODES if row.get(f"name_{code}")
                },
                "unit": row["unit"],
                "factor": _decimal(row["factor"]) or Decimal(1),
                "low_below": _decimal(row["low_below"]),
                "high_above": _decimal(row["high_above"]),
                "target": _decimal(row["target"]),
                "source_note": row["source"],
                "aggregation": row.get("aggregation") or Indicator.Aggregation.SUM,
                "position": position,
            },
        )
        by_code[indicator.code] = indicator
    for row in rows:
        indicator = by_code[row["code"]]
        numerator = by_code.get(row["numerator"]) if row["numerator"] else None
        denominator = by_code.get(row["denominator"]) if row["denominator"] else None
        if (indicator.numerator_id, indicator.denominator_id) != (
            numerator.pk if numerator else None,
            denominator.pk if denominator else None,
        ):
            indicator.numerator = numerator
            indicator.denominator = denominator
            indicator.save(update_fields=["numerator", "denominator", "updated_at"])
    return len(rows)


@transaction.atomic
def categories_load(
    path: Path = DATA_DIR / "categories.csv", sets_path: Path = DATA_DIR / "category-sets.csv"
) -> int:
    """The disaggregation categories with their options, and the sets that combine them."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    categories: dict[str, dict] = {}
    for row in rows:
        entry = categories.setdefault(
            row["category"],
            {"names": _names(row, "name"), "options": []},
        )
        entry["options"].append({"code": row["option"], "names": _names(row, "option")})
    by_code = {
        code: Category.objects.update_or_create(code=code, defaults=defaults)[0]
        for code, defaults in categories.items()
    }
    with sets_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            category_set, _created = CategorySet.objects.update_or_create(
                code=row["code"], defaults={"names": _names(row, "name")}
            )
            category_set.categories.set(
                [by_code[code] for code in row["categories"].split(";") if code in by_code]
            )
    return len(by_code)


def _names(row: dict[str, str], prefix: str) -> dict[str, str]:
    return {code: row[f"{prefix}_{code}"] for code in LANGUAGE_CODES if row.get(f"{prefix}_{code}")}
