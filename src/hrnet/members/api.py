"""/api/v1/members and /api/v1/applications: routers from the areas' modules."""

from hrnet.members.api_applications import router as applications_router
from hrnet.members.api_members import router as members_router

__all__ = ["applications_router", "members_router"]
