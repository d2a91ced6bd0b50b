"""Contacts into the evidence module's site values: each site's monthly figures (commodities
handed out, distinct people reached, tested, positive, treated, cured) are computed from
its contacts and written through `evidence.services.data_values_write` (history kept,
country roll-ups and computed coverage recomputed there).

Counting rules (what a figure means):
- Commodities add up by `Commodity.indicator_code` (syringes and needles into
  NS_DISTRIBUTED...): sums, which evidence rolls up into quarters and years itself.
- People are counted once per site and period however often they came. Distinct people do
  not add up over months, so their quarters ("2025Q1") and years ("2025") are counted here
  too, from the contacts, and written beside the months.
- PWID_REACHED: clients with a contact in the period who inject drugs or whose injecting
  is not recorded (`injects` True or unknown); clients recorded as not injecting are left
  out. PWID_HIV_TESTED: the same people with an HIV rapid test whose result they were
  given (negative or positive).
- HCV_AB_TESTED, HCV_RNA_TESTED: clients with a test of that kind with a result (negative
  or positive; invalid and "not given" do not count); *_POSITIVE: a positive result.
- HCV_TREATMENT_STARTED: clients referred to HCV treatment who reached it; HCV_CURED:
  those of them marked cured. Both are counted in the month of the referring contact.
- A period whose contacts are gone writes 0 over the values it had (history kept).

Each kind of figure comes from one GROUP BY query per batch of sites and period kind,
never one query per contact.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import Trunc

from hrnet.evidence.models import DataValue, Indicator, PeriodKind
from hrnet.evidence.services import ValueIn, data_values_write
from hrnet.outreach.models import Contact, ContactItem, Referral, Site, Test

SOURCE = "programme data (contacts)"
SITE_BATCH = 50

# Distinct-people measures: name -> the evidence data element it feeds (None: cascades only).
PEOPLE_INDICATORS: dict[str, str] = {
    "pwid_reached": "PWID_REACHED",
    "pwid_hiv_tested": "PWID_HIV_TESTED",
    "hcv_ab_tested": "HCV_AB_TESTED",
    "hcv_ab_positive": "HCV_AB_POSITIVE",
    "hcv_rna_tested": "HCV_RNA_TESTED",
    "hcv_rna_positive": "HCV_RNA_POSITIVE",
    "hcv_treatment_started": "HCV_TREATMENT_STARTED",
    "hcv_cured": "HCV_CURED",
}
MEASURES = (
    "reached",
    "pwid_reached",
    "hiv_tested",
    "pwid_hiv_tested",
    "hiv_positive",
    "art_referred",
    "art_reached",
    "hcv_ab_tested",
    "hcv_ab_positive",
    "hcv_rna_tested",
    "hcv_rna_positive",
    "hcv_treatment_started",
    "hcv_cured",
)
RESULTS_GIVEN = (Test.Result.NEGATIVE, Test.Result.POSITIVE)
PERIOD_KINDS = {"month": PeriodKind.MONTH, "quarter": PeriodKind.QUARTER, "year": PeriodKind.YEAR}

# (site id or None, period or None) -> measure -> number
Counts = dict[tuple[int | None, str | None], dict[str, int]]


def period_text(day: datetime.date, trunc: str) -> str:
    if trunc == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if trunc == "quarter":
        return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def period_range(period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of "2025-03", "2025Q1" or "2025"."""
    year = int(period[:4])
    if len(period) == 4:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if "Q" in period:
        first = (int(period[5]) - 1) * 3 + 1
        start = datetime.date(year, first, 1)
        last_month = first + 2
    else:
        start = datetime.date(year, int(period[5:7]), 1)
        last_month = start.month
    following = (
        datetime.date(year + 1, 1, 1)
        if last_month == 12
        else datetime.date(year, last_month + 1, 1)
    )
    return start, following - datetime.timedelta(days=1)


def _as_date(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _grouped(
    queryset: QuerySet,
    prefix: str,
    *,
    trunc: str | None,
    per_site: bool,
    annotations: dict[str, Any],
) -> list[tuple[int | None, str | None, dict[str, Any]]]:
    """One GROUP BY over `queryset` by site and/or truncated date (`prefix` leads from the
    queried model to the contact)."""
    fields: dict[str, Any] = {}
    if per_site:
        fields["g_site"] = F(f"{prefix}site_id")
    if trunc:
        fields["g_period"] = Trunc(f"{prefix}date", trunc, output_field=DateField())
    if not fields:
        figures = queryset.aggregate(**annotations)
        return [(None, None, figures)]
    rows = queryset.values(**fields).annotate(**annotations).order_by()
    return [
        (
            row.get("g_site"),
            period_text(_as_date(row["g_period"]), trunc) if trunc else None,
            row,
        )
        for row in rows
    ]


def _distinct(prefix: str, condition: Q | None = None) -> Count:
    return Count(f"{prefix}client_id", distinct=True, filter=condition)


def people_counts(
    *,
    site_ids: Collection[int],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    trunc: str | None = None,
    per_site: bool = True,
) -> Counts:
    """Distinct clients per measure (`MEASURES`) at these sites between `start` and `end`,
    per site (or across them all) and per month, quarter or year (or the whole range).
    Three GROUP BY queries: contacts, tests, referrals."""
    counts: Counts = defaultdict(lambda: dict.fromkeys(MEASURES, 0))

    def scoped(queryset: QuerySet, prefix: str) -> QuerySet:
        queryset = queryset.filter(**{f"{prefix}site_id__in": list(site_ids)})
        if start:
            queryset = queryset.filter(**{f"{prefix}date__gte": start})
        if end:
            queryset = queryset.filter(**{f"{prefix}date__lte": end})
        return queryset

    injecting = Q(client__injects=True) | Q(client__injects__isnull=True)
    contact_injecting = Q(contact__client__injects=True) | Q(contact__client__injects__isnull=True)
    prefix = "contact__"
    queries: list[tuple[QuerySet, str, dict[str, Any]]] = [
        (
            scoped(Contact.objects.all(), ""),
            "",
            {"reached": _distinct(""), "pwid_reached": _distinct("", injecting)},
        ),
        (
            scoped(Test.objects.filter(result__in=RESULTS_GIVEN), prefix),
            prefix,
            {
                "hiv_tested": _distinct(prefix, Q(kind=Test.Kind.HIV_RAPID)),
                "pwid_hiv_tested": _distinct(
                    prefix, Q(kind=Test.Kind.HIV_RAPID) & contact_injecting
                ),
                "hiv_positive": _distinct(
                    prefix, Q(kind=Test.Kind.HIV_RAPID, result=Test.Result.POSITIVE)
                ),
                "hcv_ab_tested": _distinct(prefix, Q(kind=Test.Kind.HCV_ANTIBODY)),
                "hcv_ab_positive": _distinct(
                    prefix, Q(kind=Test.Kind.HCV_ANTIBODY, result=Test.Result.POSITIVE)
                ),
                "hcv_rna_tested": _distinct(prefix, Q(kind=Test.Kind.HCV_RNA)),
                "hcv_rna_positive": _distinct(
                    prefix, Q(kind=Test.Kind.HCV_RNA, result=Test.Result.POSITIVE)
                ),
            },
        ),
        (
            scoped(
                Referral.objects.filter(
                    service__in=(Referral.Service.ART, Referral.Service.HCV_TREATMENT)
                ),
                prefix,
            ),
            prefix,
            {
                "art_referred": _distinct(prefix, Q(service=Referral.Service.ART)),
                "art_reached": _distinct(
                    prefix, Q(service=Referral.Service.ART, outcome=Referral.Outcome.REACHED)
                ),
                "hcv_treatment_started": _distinct(
                    prefix,
                    Q(service=Referral.Service.HCV_TREATMENT, outcome=Referral.Outcome.REACHED),
                ),
                "hcv_cured": _distinct(
                    prefix,
                    Q(
                        service=Referral.Service.HCV_TREATMENT,
                        outcome=Referral.Outcome.REACHED,
                        cured=True,
                    ),
                ),
            },
        ),
    ]
    for queryset, path, aggregates in queries:
        for site_id, period, row in _grouped(
            queryset, path, trunc=trunc, per_site=per_site, annotations=aggregates
        ):
            figures = counts[(site_id, period)]
            for name in aggregates:
                figures[name] = int(row[name] or 0)
    return dict(counts)


def commodity_sums(
    *,
    site_ids: Collection[int],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[tuple[int, str], dict[str, int]]:
    """Quantities handed out per (site, month) and evidence indicator code: one query."""
    items = ContactItem.objects.filter(contact__site_id__in=list(site_ids)).exclude(
        commodity__indicator_code=""
    )
    if start:
        items = items.filter(contact__date__gte=start)
    if end:
        items = items.filter(contact__date__lte=end)
    rows = (
        items.values(
            g_site=F("contact__site_id"),
            g_period=Trunc("contact__date", "month", output_field=DateField()),
            code=F("commodity__indicator_code"),
        )
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    sums: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for row in rows:
        key = (row["g_site"], period_text(_as_date(row["g_period"]), "month"))
        sums[key][row["code"]] = int(row["total"] or 0)
    return dict(sums)


def commodity_indicator_codes() -> set[str]:
    from hrnet.outreach.models import Commodity

    return set(
        Commodity.objects.exclude(indicator_code="").values_list("indicator_code", flat=True)
    )


@dataclass
class _Scope:
    """Which periods of which sites are recomputed."""

    site_ids: list[int]
    months: set[str] | None = None  # None: every month from `since`
    since: datetime.date | None = None

    def wants(self, period: str) -> bool:
        if self.months is not None:
            return (
                period in self.months
                or period in {quarter_of(month) for month in self.months}
                or period in {month[:4] for month in self.months}
            )
        if self.since is None:
            return True
        if len(period) == 7 and "-" in period:
            return period >= f"{self.since:%Y-%m}"
        return int(period[:4]) >= self.since.year


def quarter_of(month: str) -> str:
    return f"{month[:4]}Q{(int(month[5:7]) - 1) // 3 + 1}"


def _kind_of(period: str) -> str:
    if len(period) == 4:
        return "year"
    return "quarter" if "Q" in period else "month"


def _range_of(periods: Iterable[str]) -> tuple[datetime.date, datetime.date]:
    ranges = [period_range(period) for period in periods]
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _recompute(scope: _Scope, *, actor: Any) -> int:
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(kind=Indicator.Kind.DATA)
    }
    sum_codes = sorted(code for code in commodity_indicator_codes() if code in indicators)
    people_codes = {name: code for name, code in PEOPLE_INDICATORS.items() if code in indicators}
    if not sum_codes and not people_codes:
        return 0
    sites = Site.objects.select_related("country").in_bulk(scope.site_ids)
    # figures[(site id, period)] = {indicator code: value}
    figures: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for trunc in ("month", "quarter", "year"):
        start: datetime.date | None
        end: datetime.date | None
        if scope.months is not None:
            wanted = {
                "month": scope.months,
                "quarter": {quarter_of(month) for month in scope.months},
                "year": {month[:4] for month in scope.months},
            }[trunc]
            start, end = _range_of(wanted)
        else:
            start = scope.since
            if start and trunc != "month":
                start = datetime.date(start.year, 1, 1)
            end = None
        people = people_counts(
            site_ids=scope.site_ids, start=start, end=end, trunc=trunc, per_site=True
        )
        for (site_id, period), counted in people.items():
            if site_id is None or period is None or not scope.wants(period):
                continue
            for name, code in people_codes.items():
                figures[(site_id, period)][code] = counted[name]
        if trunc == "month" and sum_codes:
            for (site_id, period), sums in commodity_sums(
                site_ids=scope.site_ids, start=start, end=end
            ).items():
                if scope.wants(period):
                    for code in sum_codes:
                        figures[(site_id, period)][code] = sums.get(code, 0)
    # A period that has contacts reports every indicator (0 where nothing happened).
    for (_site_id, period), numbers in figures.items():
        codes = list(people_codes.values())
        if _kind_of(period) == "month":
            codes += sum_codes
        for code in codes:
            numbers.setdefault(code, 0)
    # Values written earlier for periods without contacts now become 0.
    stored = DataValue.objects.filter(
        source=SOURCE,
        site_id__in=scope.site_ids,
        indicator__code__in=[*sum_codes, *people_codes.values()],
    ).values_list("site_id", "period", "indicator__code")
    if scope.months is not None:
        stored = stored.filter(
            period__in={p for m in scope.months for p in (m, quarter_of(m), m[:4])}
        )
    for site_id, period, code in stored.iterator():
        if scope.wants(period):
            figures[(site_id, period)].setdefault(code, 0)
    values: list[ValueIn] = []
    for (site_id, period), numbers in sorted(figures.items()):
        site = sites.get(site_id)
        if site is None:
            continue
        for code, number in sorted(numbers.items()):
            values.append(
                ValueIn(
                    indicator=indicators[code],
                    country=site.country,
                    site=site,
                    period=period,
                    period_kind=str(PERIOD_KINDS[_kind_of(period)]),
                    source=SOURCE,
                    value=Decimal(number),
                )
            )
    if not values:
        return 0
    return data_values_write(values=values, actor=actor).written


def contact_months_recompute(*, site_id: int, months: set[str], actor: Any = None) -> int:
    """Recompute the evidence values of `site_id` for `months` ("2025-01") from its
    contacts, with the quarters and years holding them (distinct people); returns the
    values written."""
    return sites_months_recompute(site_ids=[site_id], months=months, actor=actor)


def sites_months_recompute(
    *, site_ids: Iterable[int], months: set[str], actor: Any = None, batch: int = SITE_BATCH
) -> int:
    """The same for several sites at once (a day of contacts synced from many phones):
    one round of GROUP BY queries per `batch` sites instead of one per site."""
    ids = sorted(set(site_ids))
    if not months or not ids:
        return 0
    return sum(
        _recompute(_Scope(site_ids=ids[first : first + batch], months=set(months)), actor=actor)
        for first in range(0, len(ids), batch)
    )


def sites_recompute(
    *,
    site_ids: Iterable[int] | None = None,
    since: datetime.date | None = None,
    actor: Any = None,
    batch: int = SITE_BATCH,
) -> int:
    """Recompute every month (from `since`) of these sites (all when None), `batch` sites
    per round of queries; returns the values written."""
    ids = (
        sorted(site_ids)
        if site_ids is not None
        else list(Site.objects.order_by("pk").values_list("pk", flat=True))
    )
    written = 0
    for first in range(0, len(ids), batch):
        written += _recompute(_Scope(site_ids=ids[first : first + batch], since=since), actor=actor)
    return written
