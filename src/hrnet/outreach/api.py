"""/api/v1/outreach (filled in by its own change)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["outreach"])
