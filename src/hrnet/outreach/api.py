"""/api/v1/outreach: reference lists for the entry page (commodities, bundles), contacts
recorded from the phone (one or a batch; idempotent by the phone's id), a client by UIC
(scoped, audited) and the exports (client-level with a reason, aggregate).

Client-level data goes only to whom `outreach.client_policies` allows; anything else
answers 404 for a client (never revealing that a UIC exists elsewhere) and 403 for a
site. Messages never carry a UIC.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.api.auth import BearerTokenAuth, SessionAuth
from hrnet.outreach import exports
from hrnet.outreach.client_policies import client_site_ids
from hrnet.outreach.models import Commodity, CommodityBundle, Site

router = Router(tags=["outreach"])
AUTH = [BearerTokenAuth(), SessionAuth()]


class DetailOut(Schema):
    detail: str


class ErrorsOut(Schema):
    errors: dict[str, list[str]] = Field(default_factory=dict)


def _errors(exc: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            f"{prefix}{name}" if name != "__all__" else name: [str(m) for m in messages]
            for name, messages in exc.message_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def _staff_site_ids(user: Any) -> set[int]:
    """Sites where `user` records contacts or manages client records."""
    return client_site_ids(user, "add") | client_site_ids(user, "view")


# --- reference lists for the entry page ---------------------------------------------------


class CommodityOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    unit: str


class BundleOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    items: dict[str, int] = Field(description="Commodity code: quantity.")
    organisation: int | None = Field(description="null for the network-wide bundles.")


def _forbidden_reference() -> Status:
    return Status(403, {"detail": _("Only the staff of a site may use this list.")})


@router.get("/commodities", response={200: list[CommodityOut], 403: DetailOut}, auth=AUTH)
def commodities(request: HttpRequest) -> Status | list[CommodityOut]:
    """The active commodities, in the order of the entry page (site staff only)."""
    if not _staff_site_ids(request.user):
        return _forbidden_reference()
    return [
        CommodityOut(code=c.code, name=c.name, names=c.names, unit=c.unit)
        for c in Commodity.objects.filter(is_active=True)
    ]


def bundles_for(user: Any) -> list[CommodityBundle]:
    """The network-wide bundles and those of the organisations of `user`'s sites."""
    organisations = Site.objects.filter(pk__in=_staff_site_ids(user)).values("organisation_id")
    return list(
        CommodityBundle.objects.filter(is_active=True).filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=organisations)
        )
    )


@router.get("/bundles", response={200: list[BundleOut], 403: DetailOut}, auth=AUTH)
def bundles(request: HttpRequest) -> Status | list[BundleOut]:
    """The preset bundles the caller may pick (site staff only)."""
    if not _staff_site_ids(request.user):
        return _forbidden_reference()
    return [
        BundleOut(
            code=b.code,
            name=b.name,
            names=b.names,
            items={str(code): int(qty) for code, qty in b.items.items()},
            organisation=b.organisation_id,
        )
        for b in bundles_for(request.user)
    ]


# --- exports ------------------------------------------------------------------------------


def _date_param(value: str, name: str, errors: dict[str, list[str]]) -> datetime.date | None:
    if not value.strip():
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = [_("Write a date as YYYY-MM-DD.")]
        return None


def _filters(
    site: str, date_from: str, date_to: str
) -> tuple[exports.ExportFilters, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    site_id = None
    if site.strip():
        try:
            site_id = int(site)
        except ValueError:
            errors["site"] = [_("Give the site by its number.")]
    filters = exports.ExportFilters(
        site=site_id,
        date_from=_date_param(date_from, "from", errors),
        date_to=_date_param(date_to, "to", errors),
    )
    return filters, errors


def _csv(table: exports.Table, filename: str) -> HttpResponse:
    response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Client records must not stay in shared caches or the browser's.
    response["Cache-Control"] = "no-store"
    return response


class ExportIn(Schema):
    site: str = Field("", description="Site number; empty for all the caller's sites.")
    date_from: str = Field("", alias="from", description="First date, YYYY-MM-DD.")
    date_to: str = Field("", alias="to", description="Last date, YYYY-MM-DD.")


class ClientExportIn(ExportIn):
    reason: str = Field("", description="Why the records are needed (at least 10 characters).")


@router.get(
    "/exports/contacts.csv",
    response={200: None, 400: ErrorsOut, 403: DetailOut},
    auth=AUTH,
)
def export_contacts(request: HttpRequest, params: Query[ClientExportIn]) -> Any:
    """Client-level CSV: one row a contact with the client's UIC, sex and birth year.
    Managers only; needs a `reason`; every export is in the audit log."""
    filters, errors = _filters(params.site, params.date_from, params.date_to)
    if errors:
        return Status(400, {"errors": errors})
    try:
        table = exports.contacts_export(
            user=request.user, filters=filters, reason=params.reason, request=request
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(400, {"errors": _errors(exc)})
    return _csv(table, "contacts.csv")


@router.get(
    "/exports/aggregate.csv",
    response={200: None, 400: ErrorsOut, 403: DetailOut},
    auth=AUTH,
)
def export_aggregate(request: HttpRequest, params: Query[ExportIn]) -> Any:
    """Counts per site and month (contacts, clients, commodities, tests, referrals), no
    client-level field; for whoever may see the site. Audited."""
    filters, errors = _filters(params.site, params.date_from, params.date_to)
    if errors:
        return Status(400, {"errors": errors})
    try:
        table = exports.contacts_aggregate(user=request.user, filters=filters, request=request)
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(400, {"errors": _errors(exc)})
    return _csv(table, "contacts-by-month.csv")
