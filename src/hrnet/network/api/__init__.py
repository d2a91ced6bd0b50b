"""The network's API router, mounted at the root of /api/v1: its published pages under
/pages and its projects under /projects."""

from __future__ import annotations

from ninja import Router

from hrnet.network.api.pages import router as pages_router
from hrnet.network.api.projects import router as projects_router

router = Router()
router.add_router("/pages", pages_router)
router.add_router("/projects", projects_router)
