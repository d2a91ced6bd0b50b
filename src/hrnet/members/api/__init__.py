"""The members app's API: /api/v1/members (the directory) and /api/v1/applications
(applying to join), one router mounted at the root of /api/v1."""

from ninja import Router

from hrnet.members.api.applications import router as applications_router
from hrnet.members.api.members import router as members_router

router = Router()
router.add_router("/members", members_router)
router.add_router("/applications", applications_router)

__all__ = ["router"]
