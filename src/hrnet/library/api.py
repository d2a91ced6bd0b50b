"""The /api/v1 endpoints of library."""

from ninja import Router

router = Router(tags=["library"])
