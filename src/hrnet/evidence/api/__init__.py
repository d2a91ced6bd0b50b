"""The evidence API: one router, mounted at the root of /api/v1, carrying its own prefixes
(/evidence, /evidence/imports, /evidence/funding, /evidence/reporting, /dhis2). The nested
prefixes come before /evidence.

Operation ids are given explicitly, as they were before the modules moved into this
package, so clients generated from the OpenAPI document keep working.
"""

from __future__ import annotations

from ninja import Router

from hrnet.evidence.api import dhis2, funding, imports, reporting, values

router = Router()
router.add_router("/evidence/imports", imports.router)
router.add_router("/evidence/funding", funding.router)
router.add_router("/evidence/reporting", reporting.router)
router.add_router("/evidence", values.router)
router.add_router("/dhis2", dhis2.router)
