"""Loading the violation vocabulary shipped in src/hrnet/data/violation-types.csv.
Idempotent: updates by code; whether a type is active is the secretariat's choice."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from hrnet.core.reference import DATA_DIR, LANGUAGE_CODES
from hrnet.rights.models import ViolationType


@transaction.atomic
def violation_types_load(path: Path = DATA_DIR / "violation-types.csv") -> int:
    with path.open(encoding="utf-8") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            ViolationType.objects.update_or_create(
                code=row["code"],
                defaults={
                    "names": {
                        code: row[f"name_{code}"]
                        for code in LANGUAGE_CODES
                        if row.get(f"name_{code}")
                    },
                    "position": position,
                },
            )
    return ViolationType.objects.count()
