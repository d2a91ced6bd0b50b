"""Reporting forms, the writes: the checks on what members type, saving and submitting an
entry (values go through `services.values.data_values_write` with the form's source), the
secretariat's override of the deadline lock, and the default form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.types import Actor
from hrnet.evidence.audit import Action
from hrnet.evidence.models import (
    FormSubmission,
    Indicator,
    PeriodKind,
    ReportingForm,
    ReportingFormField,
)
from hrnet.evidence.selectors.reporting import (
    DEFAULT_FORM_CODE,
    DEFAULT_FORM_FIELDS,
    OUTLIER_FACTOR,
    Entry,
    entry_get,
    history_median,
)
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.policies import is_secretariat
from hrnet.outreach.models import Site


class OutliersFound(Exception):  # a warning, not an error
    """Values far from the site's history: the user confirms them or corrects them."""

    def __init__(self, warnings: dict[str, str]) -> None:
        super().__init__(warnings)
        self.warnings = warnings


@dataclass
class EntryIn:
    """What the user typed: a number, None for "not known", or absent when left blank."""

    values: dict[str, Decimal | None] = field(default_factory=dict)
    submit: bool = False
    confirm_outliers: bool = False


# Indicators counted in these units take whole numbers only (no 270.5 people).
WHOLE_NUMBER_UNITS = frozenset({"people", "items", "sites"})


def _plain(number: Decimal) -> str:
    """1E+2 as 100: a number as people write it."""
    return format(number.normalize(), "f")


def _validate(entry: Entry, data: EntryIn) -> dict[str, str]:
    """Raises ValidationError naming each field; returns the outlier warnings."""
    errors: dict[str, list[str]] = {}
    warnings: dict[str, str] = {}
    known = {f.indicator.code for f in entry.fields}
    for code in data.values:
        if code not in known:
            errors.setdefault("__all__", []).append(
                _("%(code)s is not a field of this form.") % {"code": code}
            )
    for form_field in entry.fields:
        code = form_field.indicator.code
        name = form_field.indicator.name
        present = code in data.values
        number = data.values.get(code)
        if form_field.is_required and present and number is None:
            errors.setdefault(code, []).append(
                _("%(field)s is required: “not known” is not accepted.") % {"field": name}
            )
        elif form_field.is_required and data.submit and not present:
            errors.setdefault(code, []).append(_("%(field)s is required.") % {"field": name})
        if number is None:
            continue
        # One error per field, with the number as people write it (not "-5.0000"): the
        # pages and the API share these rules.
        if number < 0:
            errors.setdefault(code, []).append(
                _("%(field)s cannot be negative: %(value)s.")
                % {"field": name, "value": _plain(number)}
            )
            continue
        if form_field.indicator.unit in WHOLE_NUMBER_UNITS and number != number.to_integral():
            errors.setdefault(code, []).append(
                _("%(field)s is a count: %(value)s is not a whole number.")
                % {"field": name, "value": _plain(number)}
            )
            continue
        if form_field.min_value is not None and number < form_field.min_value:
            errors.setdefault(code, []).append(
                _("%(field)s is %(value)s, below the minimum %(min)s.")
                % {"field": name, "value": _plain(number), "min": _plain(form_field.min_value)}
            )
        if form_field.max_value is not None and number > form_field.max_value:
            errors.setdefault(code, []).append(
                _("%(field)s is %(value)s, above the maximum %(max)s.")
                % {"field": name, "value": _plain(number), "max": _plain(form_field.max_value)}
            )
        median = history_median(
            site=entry.site, indicator=form_field.indicator, period=entry.period
        )
        if median and (number > median * OUTLIER_FACTOR or number < median / OUTLIER_FACTOR):
            warnings[code] = _(
                "%(field)s is %(value)s, far from the median %(median)s of the site's "
                "previous six months. Check it, or confirm it is right."
            ) % {"field": name, "value": number, "median": _plain(median)}
    if errors:
        raise ValidationError(errors)
    return warnings


@transaction.atomic
def form_entry_save(
    *,
    actor: Actor,
    form: ReportingForm,
    site: Site,
    period: str,
    data: EntryIn,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> FormSubmission:
    """Save a draft or submit: checks (required on submit, minimum, maximum), outliers
    (OutliersFound unless confirmed), then the values as site values of the month with the
    form's source. PermissionDenied when the user may not report or the form is locked."""
    entry = entry_get(user=actor, form=form, site=site, period=period, today=today)
    if not entry.may_edit:
        raise PermissionDenied
    warnings = _validate(entry, data)
    if warnings and not data.confirm_outliers:
        raise OutliersFound(warnings)
    by_code = {f.indicator.code: f.indicator for f in entry.fields}
    data_values_write(
        values=[
            ValueIn(
                indicator=by_code[code],
                country=site.country,
                site=site,
                period=period,
                period_kind=PeriodKind.MONTH,
                source=form.source,
                value=number,
                comment=_("confirmed outlier") if code in warnings else "",
            )
            for code, number in data.values.items()
        ],
        actor=actor,
    )
    submission, _created = FormSubmission.objects.get_or_create(form=form, site=site, period=period)
    if data.submit:
        submission.status = FormSubmission.Status.SUBMITTED
        submission.submitted_by = actor if isinstance(actor, User) else None
        submission.submitted_at = timezone.now()
    elif submission.status != FormSubmission.Status.SUBMITTED:
        submission.status = FormSubmission.Status.DRAFT
    submission.save()
    log_action(
        actor=actor,
        action=Action.FORM_SUBMIT if data.submit else Action.FORM_SAVE_DRAFT,
        obj=submission,
        changes={
            "values": {code: None if n is None else str(n) for code, n in data.values.items()},
            "confirmed_outliers": sorted(warnings),
        },
        request=request,
    )
    return submission


@transaction.atomic
def form_submission_reopen(
    *,
    actor: Actor,
    form: ReportingForm,
    site: Site,
    period: str,
    until: date,
    request: HttpRequest | None = None,
) -> FormSubmission:
    """The secretariat's override of the deadline: members may edit until `until`."""
    if not is_secretariat(actor):
        raise PermissionDenied
    if until < timezone.localdate():
        raise ValidationError(
            {"until": _("%(date)s is in the past.") % {"date": until.isoformat()}}
        )
    submission, _created = FormSubmission.objects.get_or_create(form=form, site=site, period=period)
    before = submission.reopened_until
    submission.reopened_until = until
    submission.reopened_by = actor if isinstance(actor, User) else None
    submission.save(update_fields=["reopened_until", "reopened_by", "updated_at"])
    log_action(
        actor=actor,
        action=Action.FORM_REOPEN,
        obj=submission,
        changes={
            "reopened_until": {
                "old": before.isoformat() if before else None,
                "new": until.isoformat(),
            }
        },
        request=request,
    )
    return submission


def reporting_form_default_create() -> ReportingForm:
    """The form "monthly-programme" with the main programme data elements, from January of
    last year, unless it exists."""
    form, created = ReportingForm.objects.get_or_create(
        code=DEFAULT_FORM_CODE,
        defaults={
            "names": {"en": "Monthly programme report", "ru": "Ежемесячный отчёт программы"},
            "first_period": f"{timezone.localdate().year - 1}-01",
        },
    )
    if created:
        indicators = Indicator.objects.in_bulk(DEFAULT_FORM_FIELDS, field_name="code")
        ReportingFormField.objects.bulk_create(
            ReportingFormField(
                form=form,
                indicator=indicators[code],
                position=position,
                is_required=code in {"NS_DISTRIBUTED", "PWID_REACHED"},
                min_value=Decimal(0),
            )
            for position, code in enumerate(DEFAULT_FORM_FIELDS)
            if code in indicators
        )
    return form
