"""Contacts into the evidence values of their site: each site's monthly figures
(commodities handed out, distinct people reached, tested, positive, treated, cured) are
counted from its contacts (`outreach.selectors.counts`) and written through
`data_values_write` (history kept, country roll-ups and computed coverage recomputed
there). Outreach says when contacts changed (`outreach.changes`); `contacts_changed` is
the listener this app registers there.

- Commodities add up by `Commodity.indicator_code`: monthly sums, which the roll-ups turn
  into quarters and years.
- Distinct people do not add up over months, so their quarters ("2025Q1") and years
  ("2025") are counted from the contacts too, and written beside the months.
- A period whose contacts are gone writes 0 over the values it had (history kept).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from hrnet.core.periods import MONTH, period_kind, period_range, quarter_of
from hrnet.core.types import Actor
from hrnet.evidence.models import DataValue, Indicator
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.outreach.models import Site
from hrnet.outreach.selectors.counts import (
    commodity_indicator_codes,
    commodity_sums,
    people_counts,
)

SOURCE = "programme data (contacts)"
SITE_BATCH = 50

# Distinct-people measures (`outreach.selectors.counts.MEASURES`) -> the evidence data
# element each feeds (the others are for the cascades only).
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


def _range_of(periods: Iterable[str]) -> tuple[datetime.date, datetime.date]:
    ranges = [period_range(period) for period in periods]
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _recompute(scope: _Scope, *, actor: Actor | None) -> int:
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
        if period_kind(period) == MONTH:
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
                    period_kind=period_kind(period),
                    source=SOURCE,
                    value=Decimal(number),
                )
            )
    if not values:
        return 0
    return data_values_write(values=values, actor=actor).written


def contact_months_recompute(*, site_id: int, months: set[str], actor: Actor | None = None) -> int:
    """Recompute the evidence values of `site_id` for `months` ("2025-01") from its
    contacts, with the quarters and years holding them (distinct people); returns the
    values written."""
    return sites_months_recompute(site_ids=[site_id], months=months, actor=actor)


def sites_months_recompute(
    *,
    site_ids: Iterable[int],
    months: set[str],
    actor: Actor | None = None,
    batch: int = SITE_BATCH,
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
    actor: Actor | None = None,
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


def contacts_changed(
    *, site_ids: list[int], months: set[str] | None, actor: Actor | None = None
) -> int:
    """The listener of `outreach.changes`: recompute the months that changed (every month
    when `months` is None) of these sites; returns the values written."""
    if months is None:
        return sites_recompute(site_ids=site_ids, actor=actor)
    if len(site_ids) == 1:
        return contact_months_recompute(site_id=site_ids[0], months=months, actor=actor)
    return sites_months_recompute(site_ids=site_ids, months=months, actor=actor)
