"""Reads of technical assistance. Each takes the acting user and returns only what that
user may see (`policies.request_policy`); suggestions rank the roster for a request."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, F, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.assistance.models import AssistanceRequest, Expert, Kind
from hrnet.assistance.policies import expert_policy, request_policy
from hrnet.core.i18n import localized
from hrnet.core.types import Actor


@dataclass
class RequestFilters:
    status: str = ""
    country: str = ""  # ISO2
    kind: str = ""
    urgency: str = ""
    overdue: bool = False  # past the due date and not delivered yet


def overdue_requests(requests: QuerySet, *, today: date | None = None) -> QuerySet:
    """Of `requests`, those being worked on (assigned or in progress) whose due date has
    passed: the ones the start page counts as overdue."""
    return requests.filter(
        status__in=AssistanceRequest.WORK_STATUSES,
        due_date__lt=today or timezone.localdate(),
    )


def _with_relations(requests: QuerySet) -> QuerySet:
    return requests.select_related(
        "organisation", "issue_area", "country__subregion", "filed_by"
    ).prefetch_related("experts__user")


def request_list(*, user: Actor, filters: RequestFilters | None = None) -> QuerySet:
    """The requests `user` may see, newest first, filtered."""
    requests = request_policy.instances_user_has_permission_for(user, "list")
    filters = filters or RequestFilters()
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.country:
        requests = requests.filter(country__iso2=filters.country.upper())
    if filters.kind:
        requests = requests.filter(kind=filters.kind)
    if filters.urgency:
        requests = requests.filter(urgency=filters.urgency)
    if filters.overdue:
        requests = overdue_requests(requests)
    return _with_relations(requests).order_by("-created_at", "-pk")


def request_queue(*, user: Actor, filters: RequestFilters | None = None) -> QuerySet:
    """The secretariat's queue: `request_list`, the oldest submitted first."""
    return request_list(user=user, filters=filters).order_by("created_at", "pk")


def requests_assigned(
    *, user: Actor, due_within: int | None = None, today: date | None = None
) -> QuerySet:
    """The requests assigned to `user` as an expert: those being worked on first, the
    earliest due first (no due date last), then the oldest; the delivered and closed after.
    `due_within` keeps the ones being worked on that are due within that many days or
    overdue."""
    requests = request_policy.instances_user_has_permission_for(user, "work")
    if due_within is not None:
        limit = (today or timezone.localdate()) + timedelta(days=due_within)
        requests = requests.filter(status__in=AssistanceRequest.WORK_STATUSES, due_date__lte=limit)
    working = Case(
        When(status__in=AssistanceRequest.WORK_STATUSES, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        _with_relations(requests)
        .annotate(not_working=working)
        .order_by("not_working", F("due_date").asc(nulls_last=True), "created_at", "pk")
    )


def request_get(*, user: Actor, pk: int) -> AssistanceRequest:
    """One request `user` may see; raises AssistanceRequest.DoesNotExist otherwise."""
    return _with_relations(request_policy.instances_user_has_permission_for(user, "view")).get(
        pk=pk
    )


def expert_list(*, user: Actor) -> QuerySet:
    return (
        expert_policy.instances_user_has_permission_for(user, "list")
        .select_related("user")
        .prefetch_related("issue_areas", "countries")
    )


# --- suggestions -----------------------------------------------------------------------------

SCORE_ISSUE_AREA = 4
SCORE_KIND = 3
SCORE_LANGUAGE = 2
SCORE_COUNTRY = 1
SCORE_LIMITED = -1


@dataclass
class Suggestion:
    expert: Expert
    score: int
    reasons: list[str] = field(default_factory=list)
    load: int = 0  # open requests the expert has


def expert_suggestions(*, user: Actor, request: AssistanceRequest) -> list[Suggestion]:
    """Active, available experts ranked by how well they match `request`: its topic, its
    kind, the requester's language and the country; limited availability counts against."""
    if not request_policy.user_has_permission_for_instance(user, "manage", request):
        return []
    languages = {request.language}
    if request.filed_by is not None and request.filed_by.preferred_language:
        languages.add(request.filed_by.preferred_language)
    experts = (
        Expert.objects.filter(is_active=True)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .select_related("user")
        .prefetch_related("issue_areas", "countries")
    )
    kind_label = dict(Kind.choices).get(request.kind, request.kind)
    suggestions = []
    for expert in experts:
        score = 0
        reasons: list[str] = []
        if any(area.pk == request.issue_area_id for area in expert.issue_areas.all()):
            score += SCORE_ISSUE_AREA
            reasons.append(_("topic: %(name)s") % {"name": request.issue_area.name})
        if request.kind in (expert.kinds or []):
            score += SCORE_KIND
            reasons.append(_("kind: %(name)s") % {"name": kind_label})
        spoken = sorted(languages & set(expert.languages or []))
        if spoken:
            score += SCORE_LANGUAGE
            reasons.append(_("speaks: %(codes)s") % {"codes": ", ".join(spoken)})
        if any(country.pk == request.country_id for country in expert.countries.all()):
            score += SCORE_COUNTRY
            reasons.append(_("works in %(country)s") % {"country": request.country.name})
        if expert.availability == Expert.Availability.LIMITED:
            score += SCORE_LIMITED
            reasons.append(_("limited availability"))
        load = expert.requests.filter(status__in=AssistanceRequest.WORK_STATUSES).count()
        suggestions.append(Suggestion(expert=expert, score=score, reasons=reasons, load=load))
    suggestions.sort(key=lambda s: (-s.score, s.load, s.expert.name))
    return suggestions


# --- reports --------------------------------------------------------------------------------

DIMENSIONS = ("country", "subregion", "kind", "issue_area", "expert")


@dataclass
class ReportFilters:
    """The period (by the day a request was submitted, both ends included) and the place."""

    date_from: date | None = None
    date_to: date | None = None
    country: str = ""  # ISO2


@dataclass
class Row:
    label: str
    requests: int = 0
    delivered: int = 0
    days: Decimal = Decimal(0)
    durations: list[float] = field(default_factory=list)  # days from submission to delivery
    ratings: list[int] = field(default_factory=list)

    @property
    def mean_days_to_delivery(self) -> float | None:
        return round(statistics.mean(self.durations), 1) if self.durations else None

    @property
    def median_days_to_delivery(self) -> float | None:
        return round(statistics.median(self.durations), 1) if self.durations else None

    @property
    def mean_rating(self) -> float | None:
        return round(statistics.mean(self.ratings), 2) if self.ratings else None


@dataclass
class Report:
    total: int
    delivered: int
    days: Decimal
    mean_days_to_delivery: float | None
    median_days_to_delivery: float | None
    ratings: int
    mean_rating: float | None
    rating_counts: dict[int, int]
    tables: dict[str, list[Row]]
    filters: ReportFilters = field(default_factory=ReportFilters)


DELIVERED = (AssistanceRequest.Status.DELIVERED, AssistanceRequest.Status.CLOSED)


def dimension_labels() -> dict[str, str]:
    return {
        "country": _("Country"),
        "subregion": _("Sub-region"),
        "kind": _("Kind of assistance"),
        "issue_area": _("Topic"),
        "expert": _("Expert"),
    }


def _report_requests(user: Actor, filters: ReportFilters) -> list[AssistanceRequest]:
    if not request_policy.user_has_permission(user, "report"):
        return []
    requests = request_policy.instances_user_has_permission_for(user, "report")
    if filters.date_from:
        requests = requests.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        requests = requests.filter(created_at__date__lte=filters.date_to)
    if filters.country:
        requests = requests.filter(country__iso2=filters.country.upper())
    return list(
        requests.select_related("country__subregion", "issue_area")
        .prefetch_related("experts__user")
        .order_by("pk")
    )


def assistance_report(*, user: Actor, filters: ReportFilters | None = None) -> Report:
    """Requests, days delivered, time from submission to delivery and satisfaction, in all
    and by country, sub-region, kind, topic and expert, of the requests submitted in the
    period of `filters`. The secretariat's. A request with several experts counts under
    each of them."""
    filters = filters or ReportFilters()
    requests = _report_requests(user, filters)
    days_by_request = dict(
        AssistanceRequest.objects.filter(pk__in=[r.pk for r in requests])
        .annotate(total=Sum("work_log__days"))
        .values_list("pk", "total")
    )
    kinds = dict(Kind.choices)
    no_expert = _("No expert assigned")
    keys: dict[str, Callable[[AssistanceRequest], list[str]]] = {
        "country": lambda r: [r.country.name],
        "subregion": lambda r: [r.country.subregion.name],
        "kind": lambda r: [str(kinds.get(r.kind, r.kind))],
        "issue_area": lambda r: [localized(r.issue_area.names) or r.issue_area.code],
        "expert": lambda r: sorted({expert.name for expert in r.experts.all()}) or [no_expert],
    }
    tables: dict[str, dict[str, Row]] = {name: defaultdict(lambda: Row("")) for name in DIMENSIONS}
    durations: list[float] = []
    total_days = Decimal(0)
    ratings: list[int] = []
    for request in requests:
        days = days_by_request.get(request.pk) or Decimal(0)
        delivered = request.status in DELIVERED
        total_days += days
        duration = (
            (request.delivered_at - request.created_at).total_seconds() / 86400
            if delivered and request.delivered_at
            else None
        )
        if duration is not None:
            durations.append(duration)
        if request.rating:
            ratings.append(request.rating)
        for name, key in keys.items():
            for label in key(request):
                row = tables[name][label]
                row.label = label
                row.requests += 1
                row.delivered += int(delivered)
                row.days += days
                if duration is not None:
                    row.durations.append(duration)
                if request.rating:
                    row.ratings.append(request.rating)
    return Report(
        total=len(requests),
        delivered=sum(1 for r in requests if r.status in DELIVERED),
        days=total_days,
        mean_days_to_delivery=round(statistics.mean(durations), 1) if durations else None,
        median_days_to_delivery=round(statistics.median(durations), 1) if durations else None,
        ratings=len(ratings),
        mean_rating=round(statistics.mean(ratings), 2) if ratings else None,
        rating_counts={score: ratings.count(score) for score in range(1, 6)},
        tables={
            name: sorted(rows.values(), key=lambda row: (-row.requests, row.label))
            for name, rows in tables.items()
        },
        filters=filters,
    )
