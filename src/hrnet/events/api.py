"""/api/v1/events and /api/v1/me/registrations."""

from ninja import Router

router = Router(tags=["events"])
me_router = Router(tags=["events"])
