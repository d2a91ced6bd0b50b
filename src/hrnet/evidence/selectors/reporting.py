"""Reporting forms, the reads: what each member programme must report for its sites (site
x month), the deadline lock, what a user may enter, and the completeness of reporting.
Each takes the acting user. The writes are in `services.reporting`."""

from __future__ import annotations

import calendar
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.core.types import Actor
from hrnet.evidence.models import (
    DERIVED_SOURCES,
    DataValue,
    FormSubmission,
    Indicator,
    ReportingForm,
    ReportingFormField,
)
from hrnet.members.policies import is_secretariat
from hrnet.outreach.models import Site
from hrnet.outreach.policies import site_policy

OUTLIER_FACTOR = Decimal(3)
OUTLIER_MONTHS = 6
DEFAULT_FORM_CODE = "monthly-programme"
DEFAULT_FORM_FIELDS = (
    "NS_DISTRIBUTED",
    "PWID_REACHED",
    "NALOXONE_KITS",
    "CONDOMS_DISTRIBUTED",
    "PWID_HIV_TESTED",
    "HCV_AB_TESTED",
)


class Status:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LOCKED = "locked"


def status_label(status: str) -> str:
    return {
        Status.NOT_STARTED: _("Not started"),
        Status.DRAFT: _("Draft"),
        Status.SUBMITTED: _("Submitted"),
        Status.LOCKED: _("Locked"),
    }[status]


# Months ------------------------------------------------------------------------------


def month_add(period: str, months: int) -> str:
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_month(today: date | None = None) -> str:
    """The latest month that may be reported: the one before this month."""
    return month_add(month_of(today or timezone.localdate()), -1)


def months_between(first: str, last: str) -> list[str]:
    months: list[str] = []
    current = first
    while current <= last:
        months.append(current)
        current = month_add(current, 1)
    return months


def deadline_of(form: ReportingForm, period: str) -> date:
    year, month = int(period[:4]), int(period[5:7])
    end = date(year, month, calendar.monthrange(year, month)[1])
    return end + timedelta(days=form.deadline_days)


def is_locked(
    form: ReportingForm, period: str, submission: FormSubmission | None, today: date
) -> bool:
    """Past the deadline and not reopened by the secretariat (until a day not yet past)."""
    if today <= deadline_of(form, period):
        return False
    return not (submission and submission.reopened_until and today <= submission.reopened_until)


# Selectors ---------------------------------------------------------------------------


def reportable_sites(*, user: Actor) -> Any:
    return (
        site_policy.instances_user_has_permission_for(user, "report")
        .filter(is_active=True)
        .select_related("organisation", "country")
    )


def form_list(*, user: Actor) -> Any:
    return ReportingForm.objects.filter(is_active=True).prefetch_related("fields__indicator")


def form_get(*, code: str) -> ReportingForm:
    """Raises ReportingForm.DoesNotExist for an unknown or inactive form."""
    return ReportingForm.objects.get(code=code, is_active=True)


@dataclass(frozen=True)
class DueItem:
    form: ReportingForm
    site: Site
    period: str
    status: str
    deadline: date
    is_overdue: bool
    is_locked: bool
    submission: FormSubmission | None

    @property
    def status_label(self) -> str:
        return status_label(self.status)


def _status(submission: FormSubmission | None, locked: bool) -> str:
    if submission and submission.status == FormSubmission.Status.SUBMITTED:
        return Status.SUBMITTED
    if locked:
        return Status.LOCKED
    return Status.DRAFT if submission else Status.NOT_STARTED


def forms_due(*, user: Actor, today: date | None = None) -> list[DueItem]:
    """Each active form x the user's sites x month (newest first), with its status."""
    today = today or timezone.localdate()
    latest = last_month(today)
    sites = list(reportable_sites(user=user))
    forms = list(ReportingForm.objects.filter(is_active=True))
    submissions = {
        (sub.form_id, sub.site_id, sub.period): sub
        for sub in FormSubmission.objects.filter(form__in=forms, site__in=sites)
    }
    items: list[DueItem] = []
    for form in forms:
        for period in reversed(months_between(form.first_period, latest)):
            for site in sites:
                submission = submissions.get((form.pk, site.pk, period))
                locked = is_locked(form, period, submission, today)
                status = _status(submission, locked)
                deadline = deadline_of(form, period)
                items.append(
                    DueItem(
                        form=form,
                        site=site,
                        period=period,
                        status=status,
                        deadline=deadline,
                        is_overdue=status != Status.SUBMITTED and today > deadline,
                        is_locked=locked,
                        submission=submission,
                    )
                )
    return items


def _oldest_first(item: DueItem) -> tuple[Any, ...]:
    return (item.deadline, item.period, item.site.name, item.site.pk, item.form.code)


def forms_overdue(*, user: Actor, today: date | None = None) -> list[DueItem]:
    """The forms of `forms_due` past their deadline and not submitted, the oldest first."""
    return sorted(
        (item for item in forms_due(user=user, today=today) if item.is_overdue), key=_oldest_first
    )


def forms_waiting(*, user: Actor, today: date | None = None) -> list[DueItem]:
    """The forms of `forms_due` still open for entry and not submitted (not started or a
    draft), the oldest first: what the start page counts as forms to fill in."""
    waiting = (Status.NOT_STARTED, Status.DRAFT)
    return sorted(
        (item for item in forms_due(user=user, today=today) if item.status in waiting),
        key=_oldest_first,
    )


@dataclass
class Entry:
    """One form for one site and month as the entry page and the API show it."""

    form: ReportingForm
    site: Site
    period: str
    fields: list[ReportingFormField]
    submission: FormSubmission | None
    values: dict[str, DataValue]
    is_locked: bool
    may_edit: bool
    deadline: date

    @property
    def status(self) -> str:
        return _status(self.submission, self.is_locked)

    @property
    def status_label(self) -> str:
        return status_label(self.status)


def period_check(form: ReportingForm, period: str, today: date | None = None) -> str:
    """The month as stored, if the form covers it; ValidationError otherwise."""
    latest = last_month(today)
    if len(period) != 7 or not months_between(period, period) or period[4] != "-":
        raise ValidationError(
            {"period": _("%(period)s is not a month such as 2025-01.") % {"period": period}}
        )
    if not form.first_period <= period <= latest:
        raise ValidationError(
            {
                "period": _("The form covers %(first)s to %(last)s, not %(period)s.")
                % {"first": form.first_period, "last": latest, "period": period}
            }
        )
    return period


def entry_get(
    *, user: Actor, form: ReportingForm, site: Site, period: str, today: date | None = None
) -> Entry:
    """Raises PermissionDenied when the user may not report for the site, ValidationError
    for a month the form does not cover."""
    today = today or timezone.localdate()
    site_policy.require(user, "report", site)
    period_check(form, period, today)
    fields = list(form.fields.select_related("indicator").order_by("position", "pk"))
    submission = FormSubmission.objects.filter(form=form, site=site, period=period).first()
    values = {
        value.indicator.code: value
        for value in DataValue.objects.filter(
            site=site,
            period=period,
            source=form.source,
            disaggregation_key="",
            indicator__in=[f.indicator for f in fields],
        ).select_related("indicator")
    }
    locked = is_locked(form, period, submission, today)
    return Entry(
        form=form,
        site=site,
        period=period,
        fields=fields,
        submission=submission,
        values=values,
        is_locked=locked,
        may_edit=site.is_active and (not locked or is_secretariat(user)),
        deadline=deadline_of(form, period),
    )


def history_median(*, site: Site, indicator: Indicator, period: str) -> Decimal | None:
    """The median of the site's known values of the 6 months before `period`."""
    months = [month_add(period, -offset) for offset in range(1, OUTLIER_MONTHS + 1)]
    latest: dict[str, Decimal] = {}
    for value in (
        DataValue.objects.filter(
            site=site,
            indicator=indicator,
            period__in=months,
            disaggregation_key="",
            value__isnull=False,
        )
        .exclude(source__in=DERIVED_SOURCES)
        .order_by("updated_at", "pk")
    ):
        if value.value is not None:
            latest[value.period] = value.value
    if not latest:
        return None
    return Decimal(statistics.median(latest.values()))


# Services ----------------------------------------------------------------------------


# Completeness ------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletenessRow:
    label: str
    submitted: int
    expected: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


@dataclass
class CompletenessMonth:
    period: str
    total: CompletenessRow
    by_country: list[CompletenessRow]
    by_organisation: list[CompletenessRow]


def completeness(
    *, user: Actor, form: ReportingForm, months: int = 6, today: date | None = None
) -> list[CompletenessMonth]:
    """Per month (newest first): submitted / expected sites (the active ones), overall,
    per country and per organisation. The secretariat's only."""
    if not is_secretariat(user):
        raise PermissionDenied
    latest = last_month(today)
    periods = [
        p for p in months_between(month_add(latest, 1 - months), latest) if p >= form.first_period
    ]
    sites = list(Site.objects.filter(is_active=True).select_related("country", "organisation"))
    submitted = {
        (row["period"], row["site_id"])
        for row in FormSubmission.objects.filter(
            form=form, period__in=periods, status=FormSubmission.Status.SUBMITTED
        )
        .values("period", "site_id")
        .annotate(n=Count("pk"))
    }
    result: list[CompletenessMonth] = []
    for period in reversed(periods):
        countries: dict[str, list[int]] = {}
        organisations: dict[str, list[int]] = {}
        done = 0
        for site in sites:
            is_done = (period, site.pk) in submitted
            done += is_done
            for groups, label in (
                (countries, site.country.name),
                (organisations, str(site.organisation)),
            ):
                counts = groups.setdefault(label, [0, 0])
                counts[0] += is_done
                counts[1] += 1
        result.append(
            CompletenessMonth(
                period=period,
                total=CompletenessRow(_("All sites"), done, len(sites)),
                by_country=[CompletenessRow(k, *v) for k, v in sorted(countries.items())],
                by_organisation=[CompletenessRow(k, *v) for k, v in sorted(organisations.items())],
            )
        )
    return result
