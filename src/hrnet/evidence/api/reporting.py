"""/api/v1/evidence/reporting: the caller's forms due, and one form for one site and month
(read, save as draft, submit) with the checks of the entry page: 400 with the errors per
field (and outlier warnings to confirm), 403 when locked or not the caller's site."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hrnet.accounts.authentication import BearerTokenAuth, SessionAuth
from hrnet.core.forms import errors_by_field
from hrnet.evidence.formats import quantize
from hrnet.evidence.models import ReportingForm
from hrnet.evidence.selectors import reporting as reporting_selectors
from hrnet.evidence.services import reporting as reporting_services
from hrnet.outreach.models import Site

router = Router(tags=["evidence"])
AUTH = [BearerTokenAuth(), SessionAuth()]


class DueOut(Schema):
    form: str
    site_id: int
    site: str
    period: str
    status: str = Field(description="not_started, draft, submitted or locked.")
    deadline: date
    overdue: bool
    locked: bool


class FieldOut(Schema):
    code: str
    name: str
    unit: str
    required: bool
    min_value: float | None
    max_value: float | None


class EntryOut(Schema):
    form: str
    site_id: int
    period: str
    status: str
    deadline: date
    locked: bool
    may_edit: bool
    fields: list[FieldOut]
    values: dict[str, float | None] = Field(description="null when not known.")


class EntryIn(Schema):
    values: dict[str, float | None] = Field(
        default_factory=dict, description="Indicator code: number, or null for not known."
    )
    submit: bool = False
    confirm_outliers: bool = False


class ErrorsOut(Schema):
    errors: dict[str, list[str]] = Field(default_factory=dict)
    warnings: dict[str, str] = Field(default_factory=dict)


class DetailOut(Schema):
    detail: str


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _entry_out(entry: reporting_selectors.Entry) -> EntryOut:
    return EntryOut(
        form=entry.form.code,
        site_id=entry.site.pk,
        period=entry.period,
        status=entry.status,
        deadline=entry.deadline,
        locked=entry.is_locked,
        may_edit=entry.may_edit,
        fields=[
            FieldOut(
                code=f.indicator.code,
                name=f.indicator.name,
                unit=f.indicator.unit,
                required=f.is_required,
                min_value=_number(f.min_value),
                max_value=_number(f.max_value),
            )
            for f in entry.fields
        ],
        values={code: _number(value.value) for code, value in entry.values.items()},
    )


@router.get(
    "/due", response=list[DueOut], auth=AUTH, operation_id="hrnet_evidence_api_reporting_due"
)
def due(request: HttpRequest) -> list[DueOut]:
    """Each active form x the caller's sites x month, newest first."""
    return [
        DueOut(
            form=item.form.code,
            site_id=item.site.pk,
            site=item.site.name,
            period=item.period,
            status=item.status,
            deadline=item.deadline,
            overdue=item.is_overdue,
            locked=item.is_locked,
        )
        for item in reporting_selectors.forms_due(user=request.user)
    ]


def _target(form_code: str, site_id: int) -> tuple[ReportingForm, Site]:
    form = get_object_or_404(ReportingForm, code=form_code, is_active=True)
    return form, get_object_or_404(Site, pk=site_id)


def _forbidden() -> dict[str, str]:
    return {"detail": _("You may not report for this site, or the form is locked.")}


@router.get(
    "/{form_code}/{site_id}/{period}",
    response={200: EntryOut, 400: ErrorsOut, 403: DetailOut},
    auth=AUTH,
    operation_id="hrnet_evidence_api_reporting_entry_get",
)
def entry_get(request: HttpRequest, form_code: str, site_id: int, period: str) -> Status | EntryOut:
    """The form's fields and the values entered so far for the site and month."""
    form, site = _target(form_code, site_id)
    try:
        entry = reporting_selectors.entry_get(
            user=request.user, form=form, site=site, period=period
        )
    except PermissionDenied:
        return Status(403, _forbidden())
    except ValidationError as exc:
        return Status(400, {"errors": errors_by_field(exc)})
    return _entry_out(entry)


@router.post(
    "/{form_code}/{site_id}/{period}",
    response={200: EntryOut, 400: ErrorsOut, 403: DetailOut},
    auth=AUTH,
    operation_id="hrnet_evidence_api_reporting_entry_post",
)
def entry_post(
    request: HttpRequest, form_code: str, site_id: int, period: str, payload: EntryIn
) -> Status | EntryOut:
    """Save the values as a draft, or submit them (`submit`: true). Values far from the
    site's history answer 400 with `warnings` until sent again with `confirm_outliers`."""
    form, site = _target(form_code, site_id)
    values = {
        code: None if number is None else quantize(Decimal(str(number)))
        for code, number in payload.values.items()
    }
    try:
        reporting_services.form_entry_save(
            actor=request.user,
            form=form,
            site=site,
            period=period,
            data=reporting_services.EntryIn(
                values=values, submit=payload.submit, confirm_outliers=payload.confirm_outliers
            ),
            request=request,
        )
    except PermissionDenied:
        return Status(403, _forbidden())
    except ValidationError as exc:
        return Status(400, {"errors": errors_by_field(exc)})
    except reporting_services.OutliersFound as found:
        return Status(400, {"warnings": found.warnings})
    return _entry_out(
        reporting_selectors.entry_get(user=request.user, form=form, site=site, period=period)
    )
