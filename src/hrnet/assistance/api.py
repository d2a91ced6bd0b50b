"""/api/v1/assistance/requests: the requests the caller may see (the pages' scope) and
filing one, with the form's validation and messages (400 with field errors)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hrnet.assistance import selectors, services
from hrnet.assistance.models import AssistanceRequest
from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.members.models import Organisation

# Mounted at the root of /api/v1 by the composition layer; every path is under /assistance.
router = Router()
requests_router = Router(tags=["assistance"])


class RequestOut(Schema):
    id: int
    title: str
    organisation_id: int
    organisation: str
    issue_area: str
    kind: str
    country: str = Field(description="ISO 3166 alpha-2 code.")
    description: str
    urgency: str
    wished_from: date | None
    wished_until: date | None
    language: str
    status: str
    status_label: str
    decline_reason: str
    experts: list[str]
    due_date: date | None
    created_at: datetime
    delivered_at: datetime | None
    rating: int | None


class RequestIn(Schema):
    organisation_id: int | None = None
    title: str = ""
    issue_area: str = Field("", description="Issue-area code, e.g. HIV.")
    kind: str = Field("", description="advocacy, grant_writing, monitoring, ...")
    country: str = Field("", description="ISO 3166 alpha-2 code.")
    description: str = ""
    urgency: str = AssistanceRequest.Urgency.NORMAL
    wished_from: date | None = None
    wished_until: date | None = None
    language: str = ""


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def _out(request: AssistanceRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "title": request.title,
        "organisation_id": request.organisation_id,
        "organisation": str(request.organisation),
        "issue_area": request.issue_area.code,
        "kind": request.kind,
        "country": request.country.iso2,
        "description": request.description,
        "urgency": request.urgency,
        "wished_from": request.wished_from,
        "wished_until": request.wished_until,
        "language": request.language,
        "status": request.status,
        "status_label": str(request.get_status_display()),
        "decline_reason": request.decline_reason,
        "experts": [expert.name for expert in request.experts.all()],
        "due_date": request.due_date,
        "created_at": request.created_at,
        "delivered_at": request.delivered_at,
        "rating": request.rating,
    }


@requests_router.get("/requests", response=list[RequestOut])
def request_list(
    request: HttpRequest, status: str = "", country: str = "", kind: str = ""
) -> list[dict[str, Any]]:
    """The requests the caller may see (their organisations', those assigned to them, or all
    for the secretariat), newest first."""
    user = request.auth  # type: ignore[attr-defined]
    filters = selectors.RequestFilters(status=status, country=country, kind=kind)
    return [_out(r) for r in selectors.request_list(user=user, filters=filters)[:500]]


@requests_router.get("/requests/{request_id}", response={200: RequestOut, 404: ErrorOut})
def request_detail(request: HttpRequest, request_id: int) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    try:
        return Status(200, _out(selectors.request_get(user=user, pk=request_id)))
    except AssistanceRequest.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})


@requests_router.post("/requests", response={201: RequestOut, 400: ErrorOut, 403: ErrorOut})
def request_create(request: HttpRequest, data: RequestIn) -> Status:
    """File a request for an organisation the caller administers or works for."""
    user = request.auth  # type: ignore[attr-defined]
    errors: dict[str, list[str]] = {}
    organisation = None
    if data.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=data.organisation_id).first()
        if organisation is None:
            errors["organisation"] = [
                _("No organisation has the id %(id)s.") % {"id": data.organisation_id}
            ]
    issue_area = IssueArea.objects.filter(code=data.issue_area.strip()).first()
    if data.issue_area and issue_area is None:
        errors["issue_area"] = [
            _("“%(code)s” is not a known issue area.") % {"code": data.issue_area}
        ]
    country = Country.objects.filter(iso2=data.country.strip().upper()).first()
    if data.country and country is None:
        errors["country"] = [_("“%(code)s” is not a known country code.") % {"code": data.country}]
    try:
        created = services.request_create(
            actor=user,
            organisation=organisation,
            title=data.title,
            issue_area=issue_area,
            kind=data.kind,
            country=country,
            description=data.description,
            urgency=data.urgency,
            wished_from=data.wished_from,
            wished_until=data.wished_until,
            language=data.language,
            request=request,
        )
    except PermissionDenied:
        return Status(403, {"detail": _("You may not file requests.")})
    except ValidationError as exc:
        found = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for name, messages in found.items():
            errors.setdefault(name, messages)
    if errors:
        first = next(iter(errors.values()))[0]
        return Status(400, {"detail": first, "errors": errors})
    return Status(201, _out(created))


router.add_router("/assistance", requests_router)
