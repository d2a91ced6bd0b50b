"""The /api/v1 endpoints of campaigns."""

from ninja import Router

router = Router(tags=["campaigns"])
