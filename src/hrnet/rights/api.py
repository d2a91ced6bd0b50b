"""/api/v1/rights: the cases a caller may read (need-to-know, as on the pages), recording a
case, and the public anonymised statistics.

- GET /cases lists what `policies.case_queryset_for` allows, without the narrative or the
  person's description; every case listed is an audited read. GET /cases/{reference} gives
  one case with them, its responses (referrals with service and status) and its closure,
  read through `services.cases.case_read` (policy and audit). A case the
  caller may not read answers 404, never telling that the reference exists.
- POST /cases records a case for a documenter, through `services.cases.case_create`: the same
  meaning checks as the pages (consent to record included), 400 with the errors per field.
- GET /statistics is public: only the suppressed, rounded counts of `statistics`.

Anonymous callers get 401 on the cases; a token or a session (with CSRF on writes) is
needed, as elsewhere (`hrnet.accounts.authentication`). Nothing here logs a case's text.
"""

# No `from __future__ import annotations`: @paginate's wrapper makes ninja read the list
# view's annotations in ninja.pagination's namespace, so they must be real objects.

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hrnet.accounts.authentication import BearerTokenAuth, SessionAuth
from hrnet.core.audit import log_action
from hrnet.core.forms import errors_by_field
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.rights.audit import Action
from hrnet.rights.models import AgeGroup, Case, CaseResponse, Gender, ViolationType
from hrnet.rights.policies import case_policy, case_queryset_for, documenter_organisation_ids
from hrnet.rights.selectors.statistics import GROUP_BY_CHOICES, statistics_table
from hrnet.rights.services import cases as services
from hrnet.rights.vocabulary import KEY_POPULATION_LABELS

# Mounted at the root of /api/v1 by the composition layer; every path is under /rights.
router = Router()
rights_router = Router(tags=["rights"])
AUTH = [BearerTokenAuth(), SessionAuth()]


class DetailOut(Schema):
    detail: str


class ErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class CodeName(Schema):
    code: str
    name: str


class CaseSummaryOut(Schema):
    reference: str
    date_from: date
    date_to: date | None
    country: str = Field(description="ISO 3166 alpha-2 code.")
    locality: str = Field(description="Region or city; never an address.")
    age_group: str
    gender: str
    key_populations: list[str]
    violation_types: list[CodeName]
    perpetrator_types: list[str]
    status: str = Field(description="unreviewed, open or closed.")


class ResponseOut(Schema):
    id: int
    action: str = Field(description="legal_aid, complaint, psychosocial, referral, ...")
    action_label: str
    service: str = Field(
        description="For a referral: health, legal, shelter, harm_reduction or other; else empty."
    )
    service_label: str
    referral_status: str = Field(
        description="For a referral: made, accepted, completed or refused; else empty."
    )
    referral_status_label: str
    responder: str
    date: date
    outcome: str
    versions: int = Field(description="How many earlier versions the response has.")


class CaseOut(CaseSummaryOut):
    narrative: str
    person_description: str
    responses: list[ResponseOut]
    closure_reason: str = Field(description="Why the case was (last) closed; empty if never.")
    closed_at: datetime | None
    reopen_reason: str = Field(description="Why the case was last reopened; empty if never.")
    reopened_at: datetime | None


class CaseListIn(Schema):
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. MD.")
    status: str = Field("", description="unreviewed, open or closed.")


class CaseIn(Schema):
    organisation: int | None = Field(
        None, description="The organisation's id; may be left out when you document for one."
    )
    date_from: date
    date_to: date | None = None
    country: str = Field(description="ISO 3166 alpha-2 code.")
    locality: str = ""
    age_group: str = AgeGroup.UNKNOWN.value
    gender: str = Gender.UNKNOWN.value
    key_populations: list[str] = Field(default_factory=list)
    violation_types: list[str] = Field(default_factory=list, description="Vocabulary codes.")
    perpetrator_types: list[str] = Field(default_factory=list)
    narrative: str = ""
    person_description: str = ""
    consent_to_record: bool = False
    consent_to_share: bool = False
    consent_to_advocacy: bool = False
    consent_date: date | None = None


class StatisticsIn(Schema):
    country: str = Field("", description="ISO 3166 alpha-2 code; empty for all countries.")
    year: int | None = Field(
        None, description="Year of the violation, 1900 to this year; empty for all years."
    )
    group_by: str = Field(
        "country",
        description="country, year, violation_type, perpetrator_type or response.",
    )


class CountOut(Schema):
    value: int | None = Field(description="Rounded down to the threshold; null if suppressed.")
    text: str = Field(description='As shown on the page, e.g. "10" or "<5".')


class StatisticsRowOut(Schema):
    key: str
    label: str
    count: CountOut


class StatisticsOut(Schema):
    group_by: str
    country: str | None
    year: int | None
    threshold: int
    multi_valued: bool = Field(
        description="A case can fall in several rows, so rows do not add up to the total."
    )
    rows: list[StatisticsRowOut]
    total: CountOut


def _summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "date_from": case.date_from,
        "date_to": case.date_to,
        "country": case.country.iso2,
        "locality": case.locality,
        "age_group": case.age_group,
        "gender": case.gender,
        "key_populations": list(case.key_populations),
        "violation_types": [{"code": v.code, "name": v.name} for v in case.violation_types.all()],
        "perpetrator_types": list(case.perpetrator_types),
        "status": case.status,
    }


def _response(response: CaseResponse) -> dict[str, Any]:
    return {
        "id": response.pk,
        "action": response.action,
        "action_label": str(response.get_action_display()),
        "service": response.service,
        "service_label": str(response.get_service_display()) if response.service else "",
        "referral_status": response.referral_status,
        "referral_status_label": (
            str(response.get_referral_status_display()) if response.referral_status else ""
        ),
        "responder": response.responder,
        "date": response.date,
        "outcome": response.outcome,
        "versions": len(response.versions.all()),
    }


def _detail(case: Case) -> dict[str, Any]:
    """A case with what only a reader of it may see: the texts, the responses (encrypted
    outcomes decrypted here) and the closure."""
    return {
        **_summary(case),
        "narrative": case.narrative,
        "person_description": case.person_description,
        "responses": [
            _response(r) for r in case.responses.prefetch_related("versions").order_by("date", "pk")
        ],
        "closure_reason": case.closure_reason,
        "closed_at": case.closed_at,
        "reopen_reason": case.reopen_reason,
        "reopened_at": case.reopened_at,
    }


def _invalid(errors: dict[str, list[str]]) -> Status:
    detail = " ".join(message for messages in errors.values() for message in messages)
    return Status(400, {"detail": detail, "errors": errors})


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


@rights_router.get("/cases", response=list[CaseSummaryOut], auth=AUTH)
@paginate(LimitOffsetPagination, default_limit=20, max_limit=100)
def case_list(request: HttpRequest, response: HttpResponse, filters: Query[CaseListIn]) -> Paged:
    """The cases the caller may read (their organisation's as a documenter; those shared
    with them as a reviewer), newest first, without the narrative. Each is audited."""
    found = case_queryset_for(request.user).select_related("country")
    if filters.country.strip():
        found = found.filter(country__iso2=filters.country.strip().upper())
    if filters.status.strip():
        found = found.filter(status=filters.status.strip())

    def page_items(page: list[Case]) -> list[dict[str, Any]]:
        for case in page:
            # The reference only: an audit entry never holds what a case says.
            log_action(actor=request.user, action=Action.CASE_LIST_READ, obj=case, request=request)
        return [_summary(case) for case in page]

    _no_store(response)
    return Paged(found.prefetch_related("violation_types"), render=page_items)


@rights_router.get("/cases/{reference}", response={200: CaseOut, 404: DetailOut}, auth=AUTH)
def case_detail(request: HttpRequest, response: HttpResponse, reference: str) -> Status:
    """One case with its narrative and the person's description (audited read)."""
    _no_store(response)
    case = case_queryset_for(request.user).filter(reference=reference).first()
    if case is None:
        return Status(404, {"detail": _("Not found.")})
    try:
        case = services.case_read(actor=request.user, case=case, request=request)
    except PermissionDenied:
        return Status(404, {"detail": _("Not found.")})
    return Status(200, _detail(case))


def _organisation_for(user: Actor, organisation_id: int | None) -> Organisation | None:
    """The organisation a documenter records for: the one named if they document for it,
    or their only one. None when there is no such organisation."""
    own = documenter_organisation_ids(user)
    if organisation_id is None:
        return Organisation.objects.get(pk=next(iter(own))) if len(own) == 1 else None
    if organisation_id not in own:
        return None
    return Organisation.objects.get(pk=organisation_id)


def _shape_errors(payload: CaseIn) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The payload's codes turned into objects, and what does not fit, per field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    values["country"] = Country.objects.filter(iso2=payload.country.strip().upper()).first()
    if values["country"] is None:
        errors["country"] = [_("“%(value)s” is not a country code.") % {"value": payload.country}]
    # Age group, gender and perpetrators are checked by the service, as for the pages.
    wrong = [value for value in payload.key_populations if value not in KEY_POPULATION_LABELS]
    if wrong:
        errors["key_populations"] = [
            _("“%(value)s” is not one of the choices.") % {"value": value} for value in wrong
        ]
    codes = list(dict.fromkeys(payload.violation_types))
    violations = list(ViolationType.objects.filter(code__in=codes, is_active=True))
    unknown = sorted(set(codes) - {v.code for v in violations})
    if unknown:
        errors["violation_types"] = [
            _("“%(value)s” is not a violation type.") % {"value": code} for code in unknown
        ]
    values["violation_types"] = violations
    return values, errors


@rights_router.post(
    "/cases",
    response={201: CaseOut, 400: ErrorsOut, 403: DetailOut},
    auth=AUTH,
)
def case_create(request: HttpRequest, response: HttpResponse, payload: CaseIn) -> Status:
    """Record a case (documenters, for their organisation). The person's consent to record
    it is required. Answers the case as recorded."""
    _no_store(response)
    user = request.user
    if not case_policy.user_has_permission(user, "add"):
        return Status(403, {"detail": _("Only documenters may record cases.")})
    organisation = _organisation_for(user, payload.organisation)
    if organisation is None:
        return Status(
            403,
            {
                "detail": _(
                    "Name an organisation you document cases for (the field “organisation”)."
                )
            },
        )
    values, errors = _shape_errors(payload)
    if errors:
        return _invalid(errors)
    try:
        case = services.case_create(
            actor=user,
            organisation=organisation,
            date_from=payload.date_from,
            date_to=payload.date_to,
            country=values["country"],
            locality=payload.locality,
            age_group=payload.age_group,
            gender=payload.gender,
            key_populations=payload.key_populations,
            violation_types=values["violation_types"],
            perpetrator_types=payload.perpetrator_types,
            narrative=payload.narrative,
            person_description=payload.person_description,
            consent_to_record=payload.consent_to_record,
            consent_to_share=payload.consent_to_share,
            consent_to_advocacy=payload.consent_to_advocacy,
            consent_date=payload.consent_date,
            request=request,
        )
    except PermissionDenied:
        return Status(403, {"detail": _("You may not record cases for this organisation.")})
    except ValidationError as exc:
        return _invalid(errors_by_field(exc))
    return Status(201, _detail(case))


@rights_router.get("/statistics", response={200: StatisticsOut, 400: ErrorsOut}, auth=None)
def statistics_get(request: HttpRequest, params: Query[StatisticsIn]) -> Status:
    """Anonymised counts of the documented cases (consented to sharing, reviewed), grouped
    by `group_by`, filtered by country and year. A count under the threshold shows as
    "<5" (value null) and the others are rounded down to the threshold, so no combination
    of filters or subtraction from totals recovers a small count."""
    if params.group_by not in GROUP_BY_CHOICES:
        message = _("Group by one of: country, year, violation_type, perpetrator_type, response.")
        return _invalid({"group_by": [message]})
    country = params.country.strip().upper() or None
    if country is not None and not Country.objects.filter(iso2=country).exists():
        return _invalid(
            {"country": [_("“%(value)s” is not a country code.") % {"value": params.country}]}
        )
    try:
        table = statistics_table(country=country, year=params.year, group_by=params.group_by)
    except ValidationError as exc:
        return _invalid(errors_by_field(exc))
    return Status(
        200,
        {
            "group_by": table.group_by,
            "country": table.country,
            "year": table.year,
            "threshold": table.threshold,
            "multi_valued": table.multi_valued,
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "count": {"value": row.count.value, "text": row.count.text},
                }
                for row in table.rows
            ],
            "total": {"value": table.total.value, "text": table.total.text},
        },
    )


router.add_router("/rights", rights_router)
