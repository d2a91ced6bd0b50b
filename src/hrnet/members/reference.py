"""Default data of the member register: the first version of the principles and the two
membership types (no fee, calendar-year terms). The secretariat edits both afterwards."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone

from hrnet.members.models import MembershipType, PrinciplesVersion
from hrnet.members.services.memberships import membership_type_default

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def principles_load(path: Path = DATA_DIR / "principles.json") -> PrinciplesVersion:
    """Version 1 from the data file, unless a version exists."""
    existing = PrinciplesVersion.objects.order_by("-number").first()
    if existing is not None:
        return existing
    texts = json.loads(path.read_text(encoding="utf-8"))
    return PrinciplesVersion.objects.create(number=1, texts=texts, published_at=timezone.now())


def membership_types_load() -> list[MembershipType]:
    return [membership_type_default(kind) for kind in MembershipType.Kind.values]
