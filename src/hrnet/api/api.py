"""The versioned JSON API at /api/v1/; each app contributes a router from its api.py."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status

from hrnet.api.auth import BearerTokenAuth, SessionAuth

api = NinjaAPI(
    title="hrnet API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,  # the interactive docs would need a CDN; the OpenAPI document is enough
    auth=[BearerTokenAuth(), SessionAuth()],
)


class HealthOut(Schema):
    status: str
    database: str


@api.get("/health", response={200: HealthOut, 503: HealthOut}, auth=None, tags=["system"])
def health(request: HttpRequest) -> Status:
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Status(503, {"status": "error", "database": "error"})
    return Status(200, {"status": "ok", "database": "ok"})


def _mount_routers() -> None:
    from hrnet.accounts.api import router as accounts_router
    from hrnet.assistance.api import router as assistance_router
    from hrnet.campaigns.api import router as campaigns_router
    from hrnet.events.api import me_router as my_registrations_router
    from hrnet.events.api import router as events_router
    from hrnet.evidence.api import router as evidence_router
    from hrnet.evidence.api_dhis2 import router as dhis2_router
    from hrnet.evidence.api_funding import router as evidence_funding_router
    from hrnet.evidence.api_imports import router as evidence_imports_router
    from hrnet.evidence.api_reporting import router as evidence_reporting_router
    from hrnet.geo.api import router as geo_router
    from hrnet.library.api import router as library_router
    from hrnet.members.api import applications_router, members_router
    from hrnet.network.api_pages import router as pages_router
    from hrnet.network.api_projects import router as projects_router
    from hrnet.news.api import router as news_router
    from hrnet.outreach.api import router as outreach_router
    from hrnet.outreach.api_cascades import router as outreach_cascades_router
    from hrnet.rights.api import router as rights_router
    from hrnet.search.api import router as search_router

    api.add_router("/countries", geo_router)
    api.add_router("/members", members_router)
    api.add_router("/applications", applications_router)
    api.add_router("/me", accounts_router)
    api.add_router("/news", news_router)
    api.add_router("/resources", library_router)
    api.add_router("/search", search_router)
    api.add_router("/events", events_router)
    api.add_router("/assistance", assistance_router)
    api.add_router("/campaigns", campaigns_router)
    api.add_router("/evidence/imports", evidence_imports_router)
    api.add_router("/evidence/funding", evidence_funding_router)
    api.add_router("/evidence/reporting", evidence_reporting_router)
    api.add_router("/evidence", evidence_router)
    api.add_router("/dhis2", dhis2_router)
    api.add_router("/outreach/cascades", outreach_cascades_router)
    api.add_router("/outreach", outreach_router)
    api.add_router("/pages", pages_router)
    api.add_router("/projects", projects_router)
    api.add_router("/rights", rights_router)
    api.add_router("/me/registrations", my_registrations_router)


_mount_routers()
