"""/api/v1 of the network pages: projects (filled in by its own change)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["network"])
