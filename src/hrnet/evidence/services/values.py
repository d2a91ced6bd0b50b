"""Writes of data values: a later value for the same key replaces the earlier one and keeps
it in the history (`store`); the roll-ups and the computed indicators are then recomputed
for the affected keys only."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from hrnet.core.audit import log_action
from hrnet.core.models import TaskProgress
from hrnet.core.types import Actor
from hrnet.evidence.audit import Action
from hrnet.evidence.formats import quantize
from hrnet.evidence.models import AGGREGATED_SOURCE, COMPUTED_SOURCE, DataValue, Indicator
from hrnet.evidence.services.rollups import rollups_for_changes
from hrnet.evidence.services.store import (
    PlaceKey,
    ValueIn,
    ValueKey,
    WriteResult,
    values_existing,
    values_store,
)
from hrnet.geo.models import Country
from hrnet.outreach.models import Site

BATCH = 1000
# Computed indicators may be built on computed ones; deeper chains than this are a mistake.
MAX_DEPTH = 5


@transaction.atomic
def data_values_write(
    *,
    values: list[ValueIn],
    actor: Actor | None,
    import_job: TaskProgress | None = None,
) -> WriteResult:
    """Write `values` (created, or replacing the earlier value of the same key with its
    history kept), then roll them up (sites into countries, months into quarters and
    years) and recompute the computed indicators they feed, the rolled-up ones included."""
    result = values_store(values, actor=actor, import_job=import_job)
    rolled = rollups_for_changes(
        changed_keys=result.changed_keys, actor=actor, import_job=import_job
    )
    result.aggregated = rolled.written
    result.computed = computed_values_recompute(
        changed_keys=result.changed_keys | rolled.changed_keys,
        actor=actor,
        import_job=import_job,
    )
    log_action(
        actor=actor,
        action=Action.VALUES_WRITE,
        obj=import_job,
        changes={
            "created": result.created,
            "replaced": result.replaced,
            "unchanged": result.unchanged,
            "aggregated": result.aggregated,
            "computed": result.computed,
        },
    )
    return result


def _inputs_by_place(
    *, indicator_ids: set[int], places: set[PlaceKey]
) -> dict[tuple[int, PlaceKey], DataValue]:
    """For each input indicator and place, the value a computation uses: a reported value
    before an aggregated one (a roll-up of sites or months), then the most recently entered
    one when several sources report it (computed values are never inputs of the same place
    twice, so the "computed" source is one source among others)."""
    chosen: dict[tuple[int, PlaceKey], DataValue] = {}
    if not places:
        return chosen
    candidates = DataValue.objects.filter(
        indicator_id__in=indicator_ids,
        country_id__in={place[0] for place in places},
        period__in={place[2] for place in places},
    ).order_by("updated_at", "pk")
    for value in candidates.iterator(chunk_size=BATCH):
        place = (value.country_id, value.site_id or 0, value.period, value.disaggregation_key)
        if place not in places:
            continue
        current = chosen.get((value.indicator_id, place))
        if (
            current is not None
            and current.source != AGGREGATED_SOURCE
            and value.source == AGGREGATED_SOURCE
        ):
            continue
        chosen[(value.indicator_id, place)] = value  # later ones win
    return chosen


def _computed_value(
    indicator: Indicator, numerator: DataValue | None, denominator: DataValue | None
) -> tuple[Decimal | None, str] | None:
    """The computed value and the comment naming its inputs; None when nothing is known."""
    if numerator is None or denominator is None:
        return None
    comment = (
        f"{indicator.numerator.code if indicator.numerator else ''}: {numerator.source}; "
        f"{indicator.denominator.code if indicator.denominator else ''}: {denominator.source}"
    )
    if numerator.value is None or denominator.value is None or denominator.value == 0:
        return None, comment
    return quantize(numerator.value / denominator.value * indicator.factor), comment


def computed_values_recompute(
    *,
    changed_keys: set[ValueKey],
    actor: Actor | None,
    import_job: TaskProgress | None = None,
) -> int:
    """Recompute the computed indicators fed by the changed values, for the places
    (country, period, disaggregation) that changed and nothing else.

    value = numerator / denominator x factor, stored with the source "computed". When an
    input is not known or the denominator is zero, an existing computed value becomes "not
    known" (its history kept); none is created. Returns the computed values written.
    """
    written = 0
    changed: dict[int, set[PlaceKey]] = {}
    for indicator_id, country_id, site_id, period, disagg, _source in changed_keys:
        changed.setdefault(indicator_id, set()).add((country_id, site_id, period, disagg))
    for _depth in range(MAX_DEPTH):
        if not changed:
            break
        dependants = list(
            Indicator.objects.filter(kind=Indicator.Kind.COMPUTED)
            .filter(numerator__isnull=False, denominator__isnull=False)
            .filter(Q(numerator_id__in=set(changed)) | Q(denominator_id__in=set(changed)))
            .select_related("numerator", "denominator")
        )
        next_changed: dict[int, set[PlaceKey]] = {}
        for indicator in dependants:
            if indicator.numerator_id is None or indicator.denominator_id is None:
                continue
            places = changed.get(indicator.numerator_id, set()) | changed.get(
                indicator.denominator_id, set()
            )
            inputs = _inputs_by_place(
                indicator_ids={indicator.numerator_id, indicator.denominator_id}, places=places
            )
            items: list[ValueIn] = []
            stale: list[ValueIn] = []
            countries = Country.objects.in_bulk({place[0] for place in places})
            sites = Site.objects.in_bulk({place[1] for place in places if place[1]})
            for place in sorted(places):
                outcome = _computed_value(
                    indicator,
                    inputs.get((indicator.numerator_id, place)),
                    inputs.get((indicator.denominator_id, place)),
                )
                country_id, site_id, period, disagg = place
                template = inputs.get((indicator.numerator_id, place)) or inputs.get(
                    (indicator.denominator_id, place)
                )
                if template is None:
                    continue
                value, comment = outcome if outcome else (None, "")
                item = ValueIn(
                    indicator=indicator,
                    country=countries[country_id],
                    site=sites.get(site_id),
                    period=period,
                    period_kind=template.period_kind,
                    source=COMPUTED_SOURCE,
                    value=value,
                    disaggregation=dict(template.disaggregation),
                    comment=comment,
                )
                (items if value is not None else stale).append(item)
            # An unknown result only overwrites a computed value that exists already.
            existing = values_existing(item.key for item in stale)
            items += [item for item in stale if item.key in existing]
            result = values_store(items, actor=actor, import_job=import_job)
            written += result.written
            for key in result.changed_keys:
                next_changed.setdefault(key[0], set()).add((key[1], key[2], key[3], key[4]))
        changed = next_changed
    return written
