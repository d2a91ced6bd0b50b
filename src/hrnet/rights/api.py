"""/api/v1/rights (filled in by its own change)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["rights"])
