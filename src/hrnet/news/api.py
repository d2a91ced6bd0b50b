"""The /api/v1 endpoints of news."""

from ninja import Router

router = Router(tags=["news"])
