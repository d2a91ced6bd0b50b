"""The /api/v1 endpoints of assistance."""

from ninja import Router

router = Router(tags=["assistance"])
