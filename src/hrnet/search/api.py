"""The /api/v1 endpoints of search."""

from ninja import Router

router = Router(tags=["search"])
