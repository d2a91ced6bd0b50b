"""Reports for those who manage events (the secretariat: every event; organisers: their
own): registrations and attendance by country, sub-region, organisation type and gender;
satisfaction per event; the survey's results; the participant list. Every table is one
grouped query, so the number of queries does not grow with the number of rows.

The export functions turn the same tables into CSV or XLSX and record the export in the
audit log (participant lists hold personal data).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.audit import log_action
from hrnet.core.exports import CSV_TYPE as CSV_TYPE  # the views name them through here
from hrnet.core.exports import XLSX_TYPE as XLSX_TYPE
from hrnet.core.exports import csv_bytes, xlsx_bytes
from hrnet.core.i18n import localized
from hrnet.core.types import Actor
from hrnet.events.audit import Action
from hrnet.events.models import Attendance, Event, Feedback, Registration
from hrnet.events.policies import event_policy
from hrnet.geo.models import Country, SubRegion
from hrnet.members.models import Organisation

CONFIRMED = Registration.Status.CONFIRMED
# By name, people with an account and guests alike.
REGISTRANT_ORDER = (
    Coalesce(NullIf("user__full_name", Value("")), "guest_name"),
    Coalesce("user__email", "guest_email"),
    "pk",
)
FORMATS = ("csv", "xlsx")

DIMENSIONS: dict[str, tuple[str, Any]] = {
    "country": ("country_id", gettext_lazy("By country")),
    "subregion": ("country__subregion_id", gettext_lazy("By sub-region")),
    "organisation_type": ("organisation__kind", gettext_lazy("By organisation type")),
    "gender": ("gender", gettext_lazy("By gender")),
}
TABLES = (*DIMENSIONS, "satisfaction")


def report_events(
    *, user: Actor, start: date | None = None, end: date | None = None
) -> QuerySet[Event]:
    """Events of ours (not global ones) `user` manages, starting between the two dates."""
    events = event_policy.instances_user_has_permission_for(user, "manage").exclude(
        kind=Event.Kind.GLOBAL
    )
    if start:
        events = events.filter(starts_at__date__gte=start)
    if end:
        events = events.filter(starts_at__date__lte=end)
    return events.order_by("starts_at", "pk")


# --- tables ---------------------------------------------------------------------------------


@dataclass
class BreakdownRow:
    label: str
    registered: int
    attended: int

    @property
    def rate(self) -> int | None:
        """Attended as a whole percentage of the confirmed."""
        return round(100 * self.attended / self.registered) if self.registered else None


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[BreakdownRow]

    @property
    def registered(self) -> int:
        return sum(row.registered for row in self.rows)

    @property
    def attended(self) -> int:
        return sum(row.attended for row in self.rows)


@dataclass
class SatisfactionRow:
    event: Event
    registered: int
    attended: int
    responses: int
    overall: float | None
    usefulness: float | None


@dataclass
class Report:
    events: list[Event]
    breakdowns: list[Breakdown] = field(default_factory=list)
    satisfaction: list[SatisfactionRow] = field(default_factory=list)
    start: date | None = None
    end: date | None = None

    def table(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


def _attended() -> Exists:
    return Exists(Attendance.objects.filter(registration=OuterRef("pk")))


def _labels(key: str, values: Iterable[Any]) -> dict[Any, str]:
    ids = [value for value in values if value is not None]
    if key == "country":
        return {pk: c.name for pk, c in Country.objects.in_bulk(ids).items()}
    if key == "subregion":
        return {pk: s.name for pk, s in SubRegion.objects.in_bulk(ids).items()}
    if key == "organisation_type":
        return {value: str(label) for value, label in Organisation.Kind.choices}
    return {value: str(label) for value, label in Registration.Gender.choices}


def _not_given(key: str) -> str:
    if key == "organisation_type":
        return _("No member organisation given")
    return _("Not given")


def _breakdown(registrations: QuerySet[Registration], key: str) -> Breakdown:
    column, title = DIMENSIONS[key]
    grouped = list(
        registrations.order_by()
        .values(column)
        .annotate(registered=Count("pk"), attended=Count("pk", filter=Q(_attended())))
    )
    labels = _labels(key, (row[column] for row in grouped))
    rows = [
        BreakdownRow(
            label=labels.get(row[column], str(row[column])) if row[column] else _not_given(key),
            registered=row["registered"],
            attended=row["attended"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda row: (-row.registered, row.label))
    return Breakdown(key=key, title=str(title), rows=rows)


def _satisfaction(events: list[Event]) -> list[SatisfactionRow]:
    ids = [event.pk for event in events]
    numbers = {
        row["pk"]: row
        for row in Event.objects.filter(pk__in=ids)
        .values("pk")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=CONFIRMED)),
            responses=Count("registrations__feedback"),
            overall=Avg("registrations__feedback__overall"),
            usefulness=Avg("registrations__feedback__usefulness"),
        )
    }
    attended = dict(
        Registration.objects.filter(event_id__in=ids, status=CONFIRMED)
        .filter(_attended())
        .order_by()
        .values_list("event_id")
        .annotate(count=Count("pk"))
    )
    rows = []
    for event in events:
        row = numbers.get(event.pk, {})
        rows.append(
            SatisfactionRow(
                event=event,
                registered=row.get("registered", 0),
                attended=attended.get(event.pk, 0),
                responses=row.get("responses", 0),
                overall=row.get("overall"),
                usefulness=row.get("usefulness"),
            )
        )
    return rows


def _report(events: list[Event], *, start: date | None = None, end: date | None = None) -> Report:
    registrations = Registration.objects.filter(
        event_id__in=[event.pk for event in events], status=CONFIRMED
    )
    return Report(
        events=events,
        breakdowns=[_breakdown(registrations, key) for key in DIMENSIONS],
        satisfaction=_satisfaction(events),
        start=start,
        end=end,
    )


def report_across_events(
    *, user: Actor, start: date | None = None, end: date | None = None
) -> Report:
    """The tables over every event `user` manages that starts in the date range."""
    return _report(list(report_events(user=user, start=start, end=end)), start=start, end=end)


def report_for_event(*, user: Actor, event: Event) -> Report:
    event_policy.require(user, "manage", event)
    return _report([event])


# --- the check-in list ------------------------------------------------------------------------


@dataclass
class CheckInCounts:
    confirmed: int
    present: int


def check_in_list(
    *, user: Actor, event: Event, session: Any, query: str = ""
) -> QuerySet[Registration]:
    """Confirmed participants of the event, each marked `present` at `session`; `query`
    narrows by name or email."""
    event_policy.require(user, "manage", event)
    registrations = (
        Registration.objects.filter(event=event, status=CONFIRMED)
        .select_related("user")
        .annotate(
            present=Exists(Attendance.objects.filter(registration=OuterRef("pk"), session=session))
        )
        .order_by(*REGISTRANT_ORDER)
    )
    for word in query.split():
        registrations = registrations.filter(
            Q(user__full_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(guest_name__icontains=word)
            | Q(guest_email__icontains=word)
        )
    return registrations


def check_in_counts(*, user: Actor, event: Event, session: Any) -> CheckInCounts:
    event_policy.require(user, "manage", event)
    numbers = Registration.objects.filter(event=event, status=CONFIRMED).aggregate(
        confirmed=Count("pk"),
        present=Count(
            "pk",
            filter=Q(
                Exists(Attendance.objects.filter(registration=OuterRef("pk"), session=session))
            ),
        ),
    )
    return CheckInCounts(confirmed=numbers["confirmed"], present=numbers["present"])


# --- the survey's results ---------------------------------------------------------------------


@dataclass
class FeedbackResults:
    event: Event
    registered: int
    requested: int
    responses: int
    overall: float | None
    usefulness: float | None
    # [(score, count, percent)] from 5 down to 1.
    overall_distribution: list[tuple[int, int, int]]
    usefulness_distribution: list[tuple[int, int, int]]
    comments: list[str]


def _distribution(counts: Counter[int], total: int) -> list[tuple[int, int, int]]:
    return [
        (score, counts[score], round(100 * counts[score] / total) if total else 0)
        for score in range(5, 0, -1)
    ]


def feedback_results(*, user: Actor, event: Event) -> FeedbackResults:
    """Counts, averages, distributions and the comments, without names (the survey
    promises it)."""
    event_policy.require(user, "manage", event)
    answers = Feedback.objects.filter(registration__event=event)
    numbers = Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=CONFIRMED)),
        requested=Count("pk", filter=Q(feedback_requested_at__isnull=False)),
    )
    scores = list(answers.values_list("overall", "usefulness"))
    total = len(scores)
    # Newest first would hint at who wrote what to anyone who saw the answers arrive.
    comments = list(
        answers.exclude(comment="").order_by("comment").values_list("comment", flat=True)
    )
    return FeedbackResults(
        event=event,
        registered=numbers["registered"],
        requested=numbers["requested"],
        responses=total,
        overall=sum(s[0] for s in scores) / total if total else None,
        usefulness=sum(s[1] for s in scores) / total if total else None,
        overall_distribution=_distribution(Counter(s[0] for s in scores), total),
        usefulness_distribution=_distribution(Counter(s[1] for s in scores), total),
        comments=comments,
    )


# --- the participant list ---------------------------------------------------------------------


def participants_for_event(*, user: Actor, event: Event) -> QuerySet[Registration]:
    """Every registration of the event with what the organisers' list shows."""
    event_policy.require(user, "manage", event)
    return (
        Registration.objects.filter(event=event)
        .select_related("user", "country__subregion", "organisation", "certificate", "feedback")
        .annotate(
            sessions_attended=Count("attendances", distinct=True),
            minutes_present=Sum("attendances__minutes"),
        )
        .order_by(*REGISTRANT_ORDER)
    )


def answer_label(question: Any, value: Any) -> str:
    """A registration answer in words: the option's label, Yes/No, or the text written."""
    if value in (None, ""):
        return ""
    if question.kind == question.Kind.CHOICE:
        try:
            return localized(question.choices[int(value)])
        except (ValueError, IndexError, TypeError):
            return str(value)
    if question.kind == question.Kind.YES_NO:
        return _("Yes") if value in (True, "yes", "true", "1", 1) else _("No")
    return str(value)


def participants_table(*, user: Actor, event: Event) -> tuple[list[str], list[list[str]]]:
    registrations = participants_for_event(user=user, event=event)
    questions = list(event.questions.all())
    sessions = event.sessions.count()
    header = [
        _("full name"),
        _("email"),
        _("status"),
        _("country"),
        _("sub-region"),
        _("organisation"),
        _("organisation type"),
        _("gender"),
        _("language"),
        _("registered"),
        _("sessions attended (of %(count)s)") % {"count": sessions},
        _("minutes present"),
        _("certificate"),
        _("feedback given"),
        *[localized(question.labels) for question in questions],
    ]
    rows = []
    for r in registrations:
        certificate = getattr(r, "certificate", None)
        organisation = r.organisation.name if r.organisation else r.organisation_name
        rows.append(
            [
                r.full_name,
                r.email,
                r.get_status_display(),
                r.country.name if r.country else "",
                r.country.subregion.name if r.country else "",
                organisation,
                r.organisation.get_kind_display() if r.organisation else "",
                r.get_gender_display(),
                r.language,
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                str(r.sessions_attended),  # type: ignore[attr-defined]
                str(r.minutes_present or ""),  # type: ignore[attr-defined]
                certificate.code if certificate else "",
                _("yes") if hasattr(r, "feedback") else _("no"),
                *[answer_label(q, r.answers.get(str(q.pk))) for q in questions],
            ]
        )
    return header, rows


# --- files ------------------------------------------------------------------------------------


@dataclass
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def _number(value: float | None) -> Any:
    return round(value, 2) if value is not None else ""


def report_tables(report: Report) -> list[tuple[str, str, list[str], list[list[Any]]]]:
    """(key, title, header, rows) of every table of the report."""
    tables: list[tuple[str, str, list[str], list[list[Any]]]] = []
    for breakdown in report.breakdowns:
        rows: list[list[Any]] = [
            [row.label, row.registered, row.attended, row.rate if row.rate is not None else ""]
            for row in breakdown.rows
        ]
        rows.append([_("Total"), breakdown.registered, breakdown.attended, ""])
        tables.append(
            (
                breakdown.key,
                breakdown.title,
                [
                    breakdown.title,
                    _("confirmed registrations"),
                    _("attended"),
                    _("attended, %"),
                ],
                rows,
            )
        )
    tables.append(
        (
            "satisfaction",
            _("Satisfaction per event"),
            [
                _("event"),
                _("starts"),
                _("confirmed registrations"),
                _("attended"),
                _("responses"),
                _("overall, average"),
                _("usefulness, average"),
            ],
            [
                [
                    row.event.title,
                    timezone.localtime(row.event.starts_at).strftime("%Y-%m-%d"),
                    row.registered,
                    row.attended,
                    row.responses,
                    _number(row.overall),
                    _number(row.usefulness),
                ]
                for row in report.satisfaction
            ],
        )
    )
    return tables


def _csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    return csv_bytes(header, rows)


def _xlsx(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    return xlsx_bytes((str(title), header, rows) for title, header, rows in sheets)


def report_export(
    *,
    user: Actor,
    report: Report,
    fmt: str,
    table: str = "",
    name: str = "events-report",
    request: HttpRequest | None = None,
) -> ExportFile:
    """The report's tables: XLSX with a sheet per table, or one table as CSV."""
    if fmt not in FORMATS or (fmt == "csv" and table not in TABLES):
        raise ValueError(fmt)
    tables = report_tables(report)
    log_action(
        actor=user,
        action=Action.REPORT_EXPORT,
        obj=report.events[0] if len(report.events) == 1 else None,
        changes={"format": fmt, "table": table, "events": len(report.events)},
        request=request,
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        _key, _title, header, rows = next(t for t in tables if t[0] == table)
        return ExportFile(f"{name}-{table}-{stamp}.csv", CSV_TYPE, _csv(header, rows))
    return ExportFile(
        f"{name}-{stamp}.xlsx",
        XLSX_TYPE,
        _xlsx((title, header, rows) for _key, title, header, rows in tables),
    )


def participants_export(
    *, user: Actor, event: Event, fmt: str, request: HttpRequest | None = None
) -> ExportFile:
    """The event's participant list (personal data: recorded in the audit log)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    header, rows = participants_table(user=user, event=event)
    log_action(
        actor=user,
        action=Action.PARTICIPANT_LIST_EXPORT,
        obj=event,
        changes={"format": fmt, "rows": len(rows)},
        request=request,
    )
    filename = f"participants-{event.pk}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        return ExportFile(filename, CSV_TYPE, _csv(header, rows))
    return ExportFile(filename, XLSX_TYPE, _xlsx([(_("Participants"), header, rows)]))
