"""The service delivery API: one router, mounted at the root of /api/v1, carrying its own
prefixes (/outreach, /outreach/cascades).

Operation ids are given explicitly, as they were before the modules moved into this
package, so clients generated from the OpenAPI document keep working.
"""

from __future__ import annotations

from ninja import Router

from hrnet.outreach.api import cascades, delivery

router = Router()
router.add_router("/outreach/cascades", cascades.router)
router.add_router("/outreach", delivery.router)
