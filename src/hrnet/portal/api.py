"""The versioned JSON API at /api/v1/: the health check, the signed-in person's queues
(/me/work, composed across apps as the start page is), and every app's router.

Each app exposes one `router` from its `api` module that carries its own prefixes
(`router.add_router("/evidence/funding", funding_router)`), mounted here at the root; one
line per app.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status

from hrnet.accounts.api import router as accounts_router
from hrnet.accounts.authentication import BearerTokenAuth, SessionAuth
from hrnet.assistance.api import router as assistance_router
from hrnet.campaigns.api import router as campaigns_router
from hrnet.core.errors import api_error, unavailable_response
from hrnet.discussions.api import router as discussions_router
from hrnet.events.api import router as events_router
from hrnet.evidence.api import router as evidence_router
from hrnet.geo.api import router as geo_router
from hrnet.governance.api import router as governance_router
from hrnet.library.api import router as library_router
from hrnet.mailings.api import router as mailings_router
from hrnet.members.api import router as members_router
from hrnet.network.api import router as network_router
from hrnet.news.api import router as news_router
from hrnet.outreach.api import router as outreach_router
from hrnet.portal.work import work_queues
from hrnet.rights.api import router as rights_router
from hrnet.rights.crypto import DecryptionError, KeyMissingError
from hrnet.search.api import router as search_router

api = NinjaAPI(
    title="hrnet API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,  # the interactive docs would need a CDN; the OpenAPI document is enough
    auth=[BearerTokenAuth(), SessionAuth()],
)


logger = logging.getLogger(__name__)


@api.exception_handler(DecryptionError)
def rights_key_missing(request: HttpRequest, exc: DecryptionError) -> HttpResponse:
    """A rights case this server cannot decrypt (a key missing from HRNET_RIGHTS_KEYS, e.g.
    during a key change): a JSON 503 that names the key, as the case pages do."""
    logger.error("Rights data this server cannot decrypt: %s", exc)
    fingerprints = list(getattr(exc, "fingerprints", ()))
    response = api_error(
        503,
        _("This server does not have the key for this case; tell the administrator.")
        if isinstance(exc, KeyMissingError)
        else _("This case's encrypted data cannot be read; tell the administrator."),
        "key_missing" if isinstance(exc, KeyMissingError) else "undecryptable",
        fingerprints=fingerprints,
    )
    response["Retry-After"] = "60"
    return response


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    """A lost database answers a JSON 503 with Retry-After also while DEBUG is on (the
    middleware answers it in production, where django-ninja re-raises)."""
    return unavailable_response(request, exc)


class HealthOut(Schema):
    status: str
    database: str


@api.get(
    "/health",
    operation_id="hrnet_api_api_health",  # kept from before the API moved to portal
    response={200: HealthOut, 503: HealthOut},
    auth=None,
    tags=["system"],
)
def health(request: HttpRequest) -> Status:
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Status(503, {"status": "error", "database": "error"})
    return Status(200, {"status": "ok", "database": "ok"})


class QueueOut(Schema):
    queue: str
    label: str
    count: int
    url: str


@api.get("/me/work", response=list[QueueOut], tags=["accounts"])
def me_work(request: HttpRequest) -> list[dict]:
    """What waits for the caller: every queue of their start page, with its count and
    the page that lists it (in the caller's language); 401 without credentials."""
    user = request.auth  # type: ignore[attr-defined]
    with translation.override(user.preferred_language):
        return [
            {"queue": q.queue, "label": q.label, "count": q.count, "url": q.url}
            for q in work_queues(user=user)
        ]


# One line per app, each at the root: an app's router carries its own prefixes (and mounts
# nested ones, e.g. /evidence/imports, before the shorter /evidence).
api.add_router("", geo_router)
api.add_router("", members_router)
api.add_router("", accounts_router)
api.add_router("", news_router)
api.add_router("", library_router)
api.add_router("", search_router)
api.add_router("", events_router)
api.add_router("", assistance_router)
api.add_router("", campaigns_router)
api.add_router("", evidence_router)
api.add_router("", outreach_router)
api.add_router("", network_router)
api.add_router("", rights_router)
api.add_router("", mailings_router)
api.add_router("", discussions_router)
api.add_router("", governance_router)
