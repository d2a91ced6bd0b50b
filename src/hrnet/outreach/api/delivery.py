"""/api/v1/outreach: reference lists for the entry page (commodities, bundles), contacts
recorded from the phone (one or a batch; idempotent by the phone's id), a client by UIC
(scoped, audited) and the exports (client-level with a reason, aggregate).

Client-level data goes only to whom `outreach.policies` allows; anything else
answers 404 for a client (never revealing that a UIC exists elsewhere) and 403 for a
site. Messages never carry a UIC.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Body, Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import BearerTokenAuth, SessionAuth
from hrnet.core.exports import CSV_TYPE, download_response
from hrnet.core.forms import errors_by_field
from hrnet.outreach import exports, uic
from hrnet.outreach.audit import Action
from hrnet.outreach.models import Client, Commodity, CommodityBundle, Contact, Site
from hrnet.outreach.policies import client_policy, client_site_ids, contact_policy
from hrnet.outreach.selectors import clients as client_selectors
from hrnet.outreach.services import clients, contacts

router = Router(tags=["outreach"])
AUTH = [BearerTokenAuth(), SessionAuth()]


class DetailOut(Schema):
    detail: str


class ErrorsOut(Schema):
    errors: dict[str, list[str]] = Field(default_factory=dict)


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


@router.get(
    "/commodities",
    response={200: list[CommodityOut], 403: DetailOut},
    auth=AUTH,
    operation_id="hrnet_outreach_api_commodities",
)
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


@router.get(
    "/bundles",
    response={200: list[BundleOut], 403: DetailOut},
    auth=AUTH,
    operation_id="hrnet_outreach_api_bundles",
)
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
    # Client records must not stay in shared caches or the browser's: no-store.
    return download_response(table.to_csv(), filename=filename, content_type=CSV_TYPE)


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
    operation_id="hrnet_outreach_api_export_contacts",
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
        return Status(400, {"errors": errors_by_field(exc)})
    return _csv(table, "contacts.csv")


@router.get(
    "/exports/aggregate.csv",
    response={200: None, 400: ErrorsOut, 403: DetailOut},
    auth=AUTH,
    operation_id="hrnet_outreach_api_export_aggregate",
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
        return Status(400, {"errors": errors_by_field(exc)})
    return _csv(table, "contacts-by-month.csv")


# --- contacts from the phone --------------------------------------------------------------

MAX_BATCH = 200
RECENT_CONTACTS = 20


class UicPartsIn(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    sex: str
    birth_year: int | None = None
    mother_name: str = ""
    father_name: str = ""


class ClientRefIn(pydantic.BaseModel):
    """The client by code, or by the parts the code is made of; the attributes are used
    only when the client is new to the organisation."""

    model_config = pydantic.ConfigDict(extra="forbid")

    uic: str = ""
    uic_parts: UicPartsIn | None = None
    sex: str | None = None
    birth_year: int | None = None
    substances: list[str] = pydantic.Field(default_factory=list)
    injects: bool | None = None
    key_populations: list[str] = pydantic.Field(default_factory=list)


class ContactIn(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    id: uuid.UUID
    site: int
    client: ClientRefIn
    date: datetime.date
    setting: str = Contact.Setting.FIXED
    items: dict[str, int] = pydantic.Field(default_factory=dict)
    bundle: str = ""
    syringes_returned: int = 0
    counselling: bool = False
    tests: dict[str, str] = pydantic.Field(default_factory=dict)
    referrals: list[str] = pydantic.Field(default_factory=list)
    overdoses_witnessed: int = 0
    overdoses_reported: int = 0


class RecordedOut(Schema):
    id: uuid.UUID
    client_uic: str
    created: bool


class ItemOut(Schema):
    id: str | None = Field(description="The contact's id as sent (null when unreadable).")
    status: int = Field(description="201 stored, 200 already stored, 400 or 403 refused.")
    client_uic: str | None = None
    created: bool | None = None
    errors: dict[str, list[str]] | None = None
    detail: str | None = None


class BatchOut(Schema):
    results: list[ItemOut]


def _shape_message(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not known.")
    if kind.startswith("uuid"):
        return _("Give the contact's id as a UUID.")
    if kind.startswith("date"):
        return _("Write a date as YYYY-MM-DD.")
    if kind.startswith("int"):
        return _("Enter a whole number.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind.startswith(("dict", "model")):
        return _("Give an object with named fields.")
    if kind.startswith("list"):
        return _("Give a list.")
    return _("Enter a valid value.")


def _shape_errors(exc: pydantic.ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "__all__"
        message = _shape_message(error)
        if message not in errors.setdefault(name, []):
            errors[name].append(message)
    return errors


def _forbidden_site() -> str:
    return _("You may not record contacts at this site.")


def _client_for(request: HttpRequest, site: Site, ref: ClientRefIn) -> Client:
    """Find the client by code (or the code built from its parts), or register them."""
    if ref.uic.strip():
        code = uic.uic_normalise(ref.uic)
    elif ref.uic_parts is not None:
        try:
            code = uic.uic_build(
                sex=ref.uic_parts.sex,
                birth_year=ref.uic_parts.birth_year,
                mother_name=ref.uic_parts.mother_name,
                father_name=ref.uic_parts.father_name,
            )
        except ValidationError as exc:
            raise ValidationError(errors_by_field(exc, prefix="client.uic_parts.")) from None
    else:
        raise ValidationError(
            {"client": _("Give the client's UIC or the parts it is made of.")}, code="required"
        )
    found = clients.client_find(user=request.user, site=site, uic=code, request=request)
    if found is not None:
        return found
    coded_sex, coded_year = uic.uic_sex_and_year(code)
    parts = ref.uic_parts
    try:
        return clients.client_register(
            actor=request.user,
            site=site,
            uic=code,
            sex=ref.sex or (parts.sex if parts else "") or coded_sex,
            birth_year=ref.birth_year or (parts.birth_year if parts else None) or coded_year,
            substances=ref.substances,
            injects=ref.injects,
            key_populations=ref.key_populations,
            request=request,
        )
    except ValidationError as exc:
        raise ValidationError(errors_by_field(exc, prefix="client.")) from None


def _bundle_items(site: Site, code: str) -> dict[str, int]:
    bundle = (
        CommodityBundle.objects.filter(code=code, is_active=True)
        .filter(Q(organisation__isnull=True) | Q(organisation_id=site.organisation_id))
        # The organisation's own bundle before a network-wide one of the same code.
        .order_by("organisation_id")
        .first()
    )
    if bundle is None:
        raise ValidationError(
            {"bundle": _("%(code)s is not a bundle in use.") % {"code": code[:32]}},
            code="invalid",
        )
    return {str(key): int(value) for key, value in bundle.items.items()}


def _recorded(contact: Contact, created: bool) -> dict[str, Any]:
    return {"id": str(contact.pk), "client_uic": contact.client.uic, "created": created}


def _record(request: HttpRequest, raw: Any) -> tuple[int, dict[str, Any]]:
    """Record one contact as sent; returns the status and the body of its answer."""
    sent_id = str(raw.get("id"))[:64] if isinstance(raw, dict) and raw.get("id") else None
    try:
        payload = ContactIn.model_validate(raw)
    except pydantic.ValidationError as exc:
        return 400, {"id": sent_id, "errors": _shape_errors(exc)}
    user = request.user
    allowed = client_site_ids(user, "add")
    stored = Contact.objects.filter(pk=payload.id).select_related("client").first()
    if stored is not None:
        # A repeat (the phone did not hear the first answer): nothing is written again.
        if stored.site_id in allowed:
            return 200, _recorded(stored, False)
        return 403, {"id": sent_id, "detail": _forbidden_site()}
    site = Site.objects.filter(pk=payload.site, is_active=True).first()
    if site is None or site.pk not in allowed:
        return 403, {"id": sent_id, "detail": _forbidden_site()}
    try:
        with transaction.atomic():
            client = _client_for(request, site, payload.client)
            items = _bundle_items(site, payload.bundle) if payload.bundle.strip() else {}
            items.update(payload.items)
            contact, created = contacts.contact_record(
                actor=user,
                contact_id=payload.id,
                site=site,
                client=client,
                date=payload.date,
                setting=payload.setting,
                items=items,
                syringes_returned=payload.syringes_returned,
                counselling=payload.counselling,
                tests=payload.tests or None,
                referrals=payload.referrals or None,
                overdoses_witnessed=payload.overdoses_witnessed,
                overdoses_reported=payload.overdoses_reported,
                request=request,
            )
    except PermissionDenied:
        return 403, {"id": sent_id, "detail": _forbidden_site()}
    except ValidationError as exc:
        return 400, {"id": sent_id, "errors": errors_by_field(exc)}
    return (201 if created else 200), _recorded(contact, created)


CONTACT_BODY = Body(
    ...,
    description=(
        "{id (UUID made by the phone), site, client: {uic} or {uic_parts: {sex, birth_year,"
        " mother_name, father_name}} with sex, birth_year, substances, injects,"
        " key_populations for a new client, date, setting, items {commodity: quantity},"
        " bundle, syringes_returned, counselling, tests {kind: result}, referrals [service],"
        " overdoses_witnessed, overdoses_reported}"
    ),
)


@router.post(
    "/contacts",
    response={200: RecordedOut, 201: RecordedOut, 400: ErrorsOut, 403: DetailOut},
    auth=AUTH,
    operation_id="hrnet_outreach_api_contact_post",
)
def contact_post(request: HttpRequest, payload: dict[str, Any] = CONTACT_BODY) -> Status:
    """Record one contact: the client is found by UIC (or registered), then the contact is
    stored under the phone's id. 201 when stored, 200 with `created: false` for a repeat
    of the same id (nothing is written twice), 400 with the errors per field, 403 for a
    site the caller does not work at."""
    status, body = _record(request, payload)
    if status >= 400:
        body.pop("id", None)
    return Status(status, body)


@router.post(
    "/contacts/batch",
    response={200: BatchOut, 400: ErrorsOut},
    auth=AUTH,
    operation_id="hrnet_outreach_api_contact_batch",
)
def contact_batch(request: HttpRequest, payload: list[Any] = CONTACT_BODY) -> Status:
    """Record several contacts (the phone's offline queue), each answered on its own in
    the order sent: one refused contact does not stop the others. Repeats are ignored as
    for one contact. At most 200 a call."""
    if len(payload) > MAX_BATCH:
        return Status(
            400,
            {
                "errors": {
                    "__all__": [
                        ngettext(
                            "Send at most %(count)d contact at a time.",
                            "Send at most %(count)d contacts at a time.",
                            MAX_BATCH,
                        )
                        % {"count": MAX_BATCH}
                    ]
                }
            },
        )
    results = []
    for raw in payload:
        status, body = _record(request, raw)
        results.append({**body, "status": status})
    return Status(200, {"results": results})


# --- a client by UIC ----------------------------------------------------------------------


class ReferralOut(Schema):
    service: str
    outcome: str
    outcome_on: datetime.date | None


class ContactOut(Schema):
    id: uuid.UUID
    date: datetime.date
    site: int
    site_name: str
    setting: str
    items: dict[str, int]
    syringes_returned: int
    counselling: bool
    tests: dict[str, str]
    referrals: list[ReferralOut]
    overdoses_witnessed: int
    overdoses_reported: int


class ClientOut(Schema):
    uic: str
    sex: str
    birth_year: int | None
    substances: list[str]
    injects: bool | None
    key_populations: list[str]
    first_contact_on: datetime.date | None
    first_site: int | None
    contacts: list[ContactOut] = Field(description="The most recent first (at most 20).")


def _client_visible(request: HttpRequest, code: str) -> Client | None:
    """Without a site: the client with this code among those the caller may view (one
    organisation's, or the caller's only one), audited as a read."""
    found = [
        client_selectors.client_resolve(client)
        for client in client_policy.instances_user_has_permission_for(request.user, "view")
        .filter(uic=code)
        .distinct()[:2]
    ]
    if len(found) != 1:
        return None
    client = found[0]
    clients.client_audit(
        actor=request.user, action=Action.CLIENT_VIEW, client=client, request=request
    )
    return client


def _contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        id=contact.pk,
        date=contact.date,
        site=contact.site_id,
        site_name=contact.site.name,
        setting=contact.setting,
        items={item.commodity.code: item.quantity for item in contact.items.all()},
        syringes_returned=contact.syringes_returned,
        counselling=contact.counselling,
        tests={test.kind: test.result for test in contact.tests.all()},
        referrals=[
            ReferralOut(service=r.service, outcome=r.outcome, outcome_on=r.outcome_on)
            for r in contact.referrals.all()
        ],
        overdoses_witnessed=contact.overdoses_witnessed,
        overdoses_reported=contact.overdoses_reported,
    )


def _not_found() -> HttpResponse:
    response = JsonResponse(
        {"detail": _("No client with this code among the clients you serve.")}, status=404
    )
    # Django logs every 4xx with its path ("Not Found: /api/v1/outreach/clients/<UIC>"),
    # which would put the code into the logs and error reports: this one is not logged.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _client_answer(request: HttpRequest, code: str, site: int | None) -> HttpResponse | ClientOut:
    normalised = uic.uic_normalise(code)
    client: Client | None = None
    if site is not None:
        at = Site.objects.filter(pk=site).first()
        if at is not None:
            client = clients.client_find(
                user=request.user, site=at, uic=normalised, request=request
            )
    elif normalised:
        client = _client_visible(request, normalised)
    if client is None:
        return _not_found()
    recent = (
        contact_policy.instances_user_has_permission_for(request.user, "view")
        .filter(client=client)
        .select_related("site")
        .prefetch_related("items__commodity", "tests", "referrals")
        .order_by("-date", "-created_at")[:RECENT_CONTACTS]
    )
    return ClientOut(
        uic=client.uic,
        sex=client.sex,
        birth_year=client.birth_year,
        substances=list(client.substances),
        injects=client.injects,
        key_populations=list(client.key_populations),
        first_contact_on=client.first_contact_on,
        first_site=client.first_site_id,
        contacts=[_contact_out(contact) for contact in recent],
    )


class LookupIn(Schema):
    uic: str = Field(description="The client's code as typed.")
    site: int | None = Field(None, description="Look in this site's organisation.")


@router.post(
    "/clients/lookup",
    response={200: ClientOut, 404: DetailOut},
    auth=AUTH,
    operation_id="hrnet_outreach_api_client_lookup",
)
def client_lookup(request: HttpRequest, payload: LookupIn) -> Any:
    """The same as GET /clients/{code}, with the code in the body so that it stays out of
    addresses and their logs."""
    return _client_answer(request, payload.uic, payload.site)


# After the lookup: "/clients/{code}" would otherwise take "/clients/lookup".
@router.get(
    "/clients/{code}",
    response={200: ClientOut, 404: DetailOut},
    auth=AUTH,
    operation_id="hrnet_outreach_api_client_get",
)
def client_get(request: HttpRequest, code: str, site: int | None = None) -> Any:
    """A client by UIC with their recent contacts; `site` looks in that site's
    organisation (as the entry page does for a returning client). 404 for a client the
    caller may not see, whether or not the code exists elsewhere. Every read is audited.

    The code is in the address here, so web servers' access logs record it: prefer
    POST /clients/lookup, which takes it in the body."""
    return _client_answer(request, code, site)
