"""Roll-ups: site values into their country, months into quarters and years, quarters into
years. Derived values are written with the source "aggregated" through the one write path
(history kept), so a value a source reported for the same key (a UNAIDS country-year) is
never overwritten.

Which input counts, per place, period and disaggregation: a reported value is preferred
over an aggregated one; among reported sources the most recently entered wins (the rule of
computed indicators too). Computed values are never rolled up: computed indicators are
computed from the rolled-up inputs instead.

A site's quarter and year come from its months (a reported quarter stands for its three
months in a year). A country's month, quarter and year come from its sites' values of that
period (SUM and LAST add the sites, AVERAGE averages them); a country without site values
for the period rolls up its own months (and reported quarters) instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hrnet.core.models import TaskProgress
from hrnet.core.periods import months_of, period_parse, quarter_of, quarters_of
from hrnet.core.types import Actor
from hrnet.evidence.formats import disaggregation_from_key, quantize
from hrnet.evidence.models import (
    AGGREGATED_SOURCE,
    DERIVED_SOURCES,
    DataValue,
    Indicator,
)
from hrnet.evidence.services.store import ValueIn, values_existing, values_store
from hrnet.geo.models import Country
from hrnet.outreach.models import Site

BATCH = 1000

# (indicator id, country id, site id or 0, period, disaggregation key): one derived value
Target = tuple[int, int, int, str, str]
# (indicator id, country id, site id or 0, period, disaggregation key) of an input
InputKey = tuple[int, int, int, str, str]


@dataclass
class RollupResult:
    written: int = 0
    changed_keys: set[tuple[int, int, int, str, str, str]] = field(default_factory=set)


def _end_month(period: str) -> str:
    return months_of(period)[-1]


def targets_of(
    *, indicator_id: int, country_id: int, site_id: int, period: str, disagg: str
) -> set[Target]:
    """The derived values a change of this value affects."""
    targets: set[Target] = set()
    if len(period) == 7 and "-" in period:  # a month
        parents = [quarter_of(period), period[:4]]
    elif "Q" in period:
        parents = [period[:4]]
    else:
        parents = []
    for parent in parents:
        targets.add((indicator_id, country_id, site_id, parent, disagg))
        if site_id:
            targets.add((indicator_id, country_id, 0, parent, disagg))
    if site_id:
        targets.add((indicator_id, country_id, 0, period, disagg))
    return targets


def _rank(value: DataValue) -> tuple[int, Any, int]:
    return (0 if value.source == AGGREGATED_SOURCE else 1, value.updated_at, value.pk)


def _choose(values: Iterable[DataValue]) -> dict[InputKey, DataValue]:
    """One input per place, period and disaggregation (reported before aggregated, then the
    most recently entered)."""
    chosen: dict[InputKey, DataValue] = {}
    for value in values:
        if value.source in DERIVED_SOURCES and value.source != AGGREGATED_SOURCE:
            continue
        key = (
            value.indicator_id,
            value.country_id,
            value.site_id or 0,
            value.period,
            value.disaggregation_key,
        )
        current = chosen.get(key)
        if current is None or _rank(value) > _rank(current):
            chosen[key] = value
    return chosen


def _combine(
    aggregation: str, inputs: list[tuple[str, DataValue]], *, across_sites: bool
) -> Decimal | None:
    """The derived number from (period, value) inputs; unknown inputs are skipped."""
    known = [(period, value.value) for period, value in inputs if value.value is not None]
    if not known:
        return None
    numbers = [number for _period, number in known]
    if aggregation == Indicator.Aggregation.AVERAGE:
        return quantize(sum(numbers, Decimal(0)) / len(numbers))
    if aggregation == Indicator.Aggregation.LAST and not across_sites:
        return max(known, key=lambda pair: _end_month(pair[0]))[1]
    return quantize(sum(numbers, Decimal(0)))


def _sub_period_inputs(
    target: Target, chosen: dict[InputKey, DataValue]
) -> tuple[list[tuple[str, DataValue]], int, int]:
    """The inputs of a quarter or year at one place: its months, with a reported quarter
    standing for its months in a year. Returns (inputs, months covered, months in all)."""
    indicator_id, country_id, site_id, period, disagg = target
    inputs: list[tuple[str, DataValue]] = []
    covered = 0
    groups = [[quarter, *months_of(quarter)] for quarter in quarters_of(period)]
    if "Q" in period:
        groups = [[period, *months_of(period)]]
    for quarter, *months in groups:
        quarter_value = chosen.get((indicator_id, country_id, site_id, quarter, disagg))
        if quarter != period and quarter_value and quarter_value.source != AGGREGATED_SOURCE:
            inputs.append((quarter, quarter_value))
            covered += len(months) if quarter_value.value is not None else 0
            continue
        for month in months:
            month_value = chosen.get((indicator_id, country_id, site_id, month, disagg))
            if month_value is not None:
                inputs.append((month, month_value))
                covered += 1 if month_value.value is not None else 0
    return inputs, covered, len(months_of(period))


def _by_country(chosen: dict[InputKey, DataValue]) -> dict[Target, list[tuple[str, DataValue]]]:
    """The chosen site values grouped by the country target they feed."""
    grouped: dict[Target, list[tuple[str, DataValue]]] = {}
    for (indicator_id, country_id, site_id, period, disagg), value in chosen.items():
        if site_id:
            grouped.setdefault((indicator_id, country_id, 0, period, disagg), []).append(
                (period, value)
            )
    return grouped


def _stage(target: Target) -> int:
    """Site targets first (countries read their sites' quarters and years), then countries
    by month, quarter, year."""
    period = target[3]
    level = 0 if len(period) == 7 and "-" in period else (1 if "Q" in period else 2)
    return level if target[2] else 3 + level


def rollups_recompute(
    *, targets: set[Target], actor: Actor | None, import_job: TaskProgress | None = None
) -> RollupResult:
    """Recompute these derived values (and nothing else) from their inputs."""
    result = RollupResult()
    indicators = Indicator.objects.in_bulk({target[0] for target in targets})
    targets = {
        target
        for target in targets
        if (indicator := indicators.get(target[0])) is not None
        and indicator.kind == Indicator.Kind.DATA
        and indicator.aggregation != Indicator.Aggregation.NONE
    }
    countries = Country.objects.in_bulk({target[1] for target in targets})
    sites = Site.objects.in_bulk({target[2] for target in targets if target[2]})
    for stage in range(6):
        batch = sorted(target for target in targets if _stage(target) == stage)
        for start in range(0, len(batch), BATCH):
            part = batch[start : start + BATCH]
            periods: set[str] = set()
            for target in part:
                periods |= {target[3], *months_of(target[3])}
                if len(target[3]) == 4:
                    periods |= set(quarters_of(target[3]))
            candidates = DataValue.objects.filter(
                indicator_id__in={target[0] for target in part},
                country_id__in={target[1] for target in part},
                period__in=periods,
            )
            if stage < 3:
                candidates = candidates.filter(site_id__in={target[2] for target in part})
            chosen = _choose(candidates.iterator(chunk_size=BATCH))
            site_inputs = _by_country(chosen)
            items: list[ValueIn] = []
            stale: list[ValueIn] = []
            for target in part:
                indicator = indicators[target[0]]
                _indicator_id, country_id, site_id, period, _disagg = target
                inputs: list[tuple[str, DataValue]] = []
                across_sites = False
                if not site_id:
                    inputs = site_inputs.get(target, [])
                    across_sites = bool(inputs)
                if across_sites:
                    verb = "average" if indicator.aggregation == "average" else "sum"
                    known = sum(1 for _period, value in inputs if value.value is not None)
                    comment = f"{verb} of {known} sites"
                elif len(period) == 7 and "-" in period:
                    continue  # a country month without site values is reported or nothing
                else:
                    inputs, covered, total = _sub_period_inputs(target, chosen)
                    comment = f"{covered} of {total} months"
                template = inputs[0][1] if inputs else None
                number = _combine(indicator.aggregation, inputs, across_sites=across_sites)
                _normal, kind = period_parse(period)
                item = ValueIn(
                    indicator=indicator,
                    country=countries[country_id],
                    site=sites.get(site_id),
                    period=period,
                    period_kind=kind,
                    source=AGGREGATED_SOURCE,
                    value=number,
                    disaggregation=dict(template.disaggregation) if template else {},
                    comment=comment if number is not None else "",
                )
                (items if number is not None else stale).append(item)
            # Nothing known: only an aggregated value that exists becomes "not known".
            existing = values_existing(item.key for item in stale)
            for item in stale:
                stored = existing.get(item.key)
                if stored is not None:
                    items.append(
                        ValueIn(
                            indicator=item.indicator,
                            country=item.country,
                            site=item.site,
                            period=item.period,
                            period_kind=item.period_kind,
                            source=AGGREGATED_SOURCE,
                            value=None,
                            disaggregation=disaggregation_from_key(stored.disaggregation_key),
                        )
                    )
            written = values_store(items, actor=actor, import_job=import_job)
            result.written += written.written
            result.changed_keys |= written.changed_keys
    return result


def rollups_for_changes(
    *,
    changed_keys: Iterable[tuple[int, int, int, str, str, str]],
    actor: Actor | None,
    import_job: TaskProgress | None = None,
) -> RollupResult:
    """The roll-ups a write affects: a site month's quarter and year, its country's month,
    quarter and year; a country month's quarter and year."""
    targets: set[Target] = set()
    for indicator_id, country_id, site_id, period, disagg, source in changed_keys:
        if source in DERIVED_SOURCES:
            continue
        targets |= targets_of(
            indicator_id=indicator_id,
            country_id=country_id,
            site_id=site_id,
            period=period,
            disagg=disagg,
        )
    if not targets:
        return RollupResult()
    return rollups_recompute(targets=targets, actor=actor, import_job=import_job)


def all_targets(values: Iterable[DataValue]) -> set[Target]:
    """Every derived value the given values feed, and the aggregated values themselves (so
    those whose inputs are gone become "not known")."""
    targets: set[Target] = set()
    for value in values:
        if value.source == AGGREGATED_SOURCE:
            targets.add(
                (
                    value.indicator_id,
                    value.country_id,
                    value.site_id or 0,
                    value.period,
                    value.disaggregation_key,
                )
            )
        elif value.source not in DERIVED_SOURCES:
            targets |= targets_of(
                indicator_id=value.indicator_id,
                country_id=value.country_id,
                site_id=value.site_id or 0,
                period=value.period,
                disagg=value.disaggregation_key,
            )
    return targets
