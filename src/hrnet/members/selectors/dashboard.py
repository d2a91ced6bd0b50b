"""Figures of the secretariat's dashboard: current members by sub-region, country and
type, growth over the years, pending applications, renewals due and this year's lapses.
A fixed handful of queries whatever the size of the register."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.models import Application, Membership, MembershipType, Organisation
from hrnet.members.selectors.counts import (
    current_individual_members,
    current_member_organisations,
)
from hrnet.members.selectors.renewals import (
    RENEWAL_WINDOW_DAYS,
    lapsed_memberships,
    renewals_due,
)


@dataclass
class Row:
    label: str
    count: int
    code: str = ""


@dataclass
class Bar:
    year: int
    label: str
    value: int
    joined: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Chart:
    """A bar chart drawn as inline SVG by the template (no JavaScript)."""

    bars: list[Bar]
    width: int = 640
    height: int = 260
    top: int = 20
    bottom: int = 230  # the x axis; year labels below it
    left: int = 48
    maximum: int = 0
    ticks: list[tuple[int, float]] = field(default_factory=list)  # (value, y)


@dataclass
class Dashboard:
    today: date
    total: int
    organisations: int
    individuals: int
    by_subregion: list[Row]
    by_country: list[Row]
    by_type: list[Row]
    growth: Chart
    pending_applications: int
    renewals_due: int
    lapsed: int
    lapsed_this_year: list[Membership]


def _own_memberships() -> QuerySet[Membership]:
    """Memberships of their own (not inherited by staff) of members not in the trash."""
    return Membership.objects.filter(
        inherited_from__isnull=True,
        organisation__deleted_at__isnull=True,
        person__deleted_at__isnull=True,
    )


def _growth_chart(joined_by_year: dict[int, int], first_year: int, last_year: int) -> Chart:
    chart = Chart(bars=[])
    years = list(range(first_year, last_year + 1)) if joined_by_year else []
    totals: list[int] = []
    running = 0
    for year in years:
        running += joined_by_year.get(year, 0)
        totals.append(running)
    chart.maximum = max(totals, default=0)
    if not years:
        return chart
    plot_height = chart.bottom - chart.top
    slot = (chart.width - chart.left - 8) / len(years)
    width = max(2.0, slot * 0.7)
    for index, (year, total) in enumerate(zip(years, totals, strict=True)):
        height = plot_height * total / chart.maximum if chart.maximum else 0
        chart.bars.append(
            Bar(
                year=year,
                label=str(year),
                value=total,
                joined=joined_by_year.get(year, 0),
                x=round(chart.left + index * slot + (slot - width) / 2, 1),
                y=round(chart.bottom - height, 1),
                width=round(width, 1),
                height=round(height, 1),
            )
        )
    # Year labels would overlap on a long history: label about ten of them.
    step = max(1, round(len(years) / 10))
    for index, bar in enumerate(chart.bars):
        if index % step and index != len(chart.bars) - 1:
            bar.label = ""
    chart.ticks = [
        (round(chart.maximum * part / 4), round(chart.bottom - plot_height * part / 4, 1))
        for part in range(5)
    ]
    return chart


def dashboard_get(*, user: Actor, today: date | None = None) -> Dashboard:
    """The dashboard as `user` (the secretariat) sees it; its member counts are those of
    `selectors.counts`, the same as on every other page."""
    today = today or timezone.localdate()
    # 1. Current members (the one definition) by country, and organisations by type.
    per_country: Counter[int] = Counter()
    per_kind: Counter[str] = Counter()
    organisation_groups = (
        current_member_organisations(user=user)
        .order_by()
        .values("country_id", "kind")
        .annotate(n=Count("pk"))
    )
    for group in organisation_groups:
        per_country[group["country_id"]] += group["n"]
        per_kind[group["kind"]] += group["n"]
    individual_groups = (
        current_individual_members(user=user)
        .order_by()
        .values("country_id")
        .annotate(n=Count("pk"))
    )
    for group in individual_groups:
        per_country[group["country_id"]] += group["n"]
        per_kind[""] += group["n"]

    # 2. Countries and their sub-regions, in the network's order.
    countries = list(Country.objects.select_related("subregion"))
    by_country = [Row(c.name, per_country.get(c.pk, 0), c.iso2) for c in countries]
    subregions: dict[int, Row] = {}
    for country in countries:
        row = subregions.setdefault(
            country.subregion_id, Row(country.subregion.name, 0, country.subregion.code)
        )
        row.count += per_country.get(country.pk, 0)
    by_type = [Row(str(label), per_kind.get(code, 0), code) for code, label in
               Organisation.Kind.choices]  # fmt: skip
    individuals = per_kind.get("", 0)
    by_type.append(Row(_("Individual members"), individuals, "individual"))

    # 3. Members by the year they joined.
    years = (
        _own_memberships()
        .filter(start_date__isnull=False, start_date__lte=today)
        .exclude(status=Membership.Status.PENDING)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("year")
    )
    joined = {row["year"]: row["n"] for row in years}
    growth = _growth_chart(joined, min(joined, default=today.year), today.year)

    # 4. Open applications.
    pending = Application.objects.filter(status__in=Application.OPEN_STATUSES).count()

    # 5. Terms ending within the window: a count; the queue page lists them, paged.
    members = ("organisation__country", "person__country", "type")
    renewals = renewals_due(user=user, days=RENEWAL_WINDOW_DAYS, today=today).count()
    lapsed_total = lapsed_memberships(user=user).count()

    # 6. Lapsed this year: the grace period after the term ended ran out this year, or
    #    the secretariat set the status by hand this year.
    year_start = date(today.year, 1, 1)
    longest_grace = MembershipType.objects.aggregate(days=Max("grace_days"))["days"] or 0
    candidates = (
        _own_memberships()
        .filter(status=Membership.Status.LAPSED)
        .filter(
            Q(end_date__gte=year_start - timedelta(days=longest_grace + 1))
            | Q(status_override=Membership.Status.LAPSED, override_at__date__gte=year_start)
        )
        .select_related(*members)
        .order_by("end_date", "pk")
    )
    lapsed = [m for m in candidates if _lapsed_on(m) >= year_start]

    return Dashboard(
        today=today,
        total=sum(per_country.values()),
        organisations=sum(n for code, n in per_kind.items() if code),
        individuals=individuals,
        by_subregion=list(subregions.values()),
        by_country=by_country,
        by_type=by_type,
        growth=growth,
        pending_applications=pending,
        renewals_due=renewals,
        lapsed=lapsed_total,
        lapsed_this_year=lapsed,
    )


def _lapsed_on(membership: Membership) -> date:
    if membership.status_override == Membership.Status.LAPSED and membership.override_at:
        return timezone.localdate(membership.override_at)
    if membership.end_date is None:
        return date.min
    return membership.end_date + timedelta(days=membership.type.grace_days + 1)
