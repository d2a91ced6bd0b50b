"""API of the evidence module: imports (filled in by its own change)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["evidence"])
