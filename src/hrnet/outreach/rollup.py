"""Contacts into the evidence module's monthly site values (filled in by its own change)."""

from __future__ import annotations

from typing import Any


def contact_months_recompute(*, site_id: int, months: set[str], actor: Any = None) -> int:
    """Recompute the evidence values of `site_id` for `months` ("2025-01") from its
    contacts; returns the values written."""
    return 0
