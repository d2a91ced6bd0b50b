"""Writes of data values: a later value for the same key replaces the earlier one and keeps
it in the history; computed indicators are then recomputed for the affected keys only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from hrnet.core.audit import log_action
from hrnet.core.models import TaskProgress
from hrnet.evidence.models import (
    AGGREGATED_SOURCE,
    COMPUTED_SOURCE,
    VALUE_DIGITS,
    VALUE_PLACES,
    DataValue,
    DataValueHistory,
    Indicator,
)
from hrnet.evidence.periods import disaggregation_key, quantize
from hrnet.geo.models import Country
from hrnet.outreach.models import Site

BATCH = 1000
# Computed indicators may be built on computed ones; deeper chains than this are a mistake.
MAX_DEPTH = 5

# (indicator id, country id, site id or 0, period, disaggregation key, source)
ValueKey = tuple[int, int, int, str, str, str]
# (country id, site id or 0, period, disaggregation key): where a computed indicator is
# recomputed
PlaceKey = tuple[int, int, str, str]


@dataclass(frozen=True)
class ValueIn:
    """One value to write, as an import or a form delivers it."""

    indicator: Indicator
    country: Country
    period: str
    period_kind: str
    source: str
    value: Decimal | None
    disaggregation: dict[str, str] = field(default_factory=dict)
    comment: str = ""
    site: Site | None = None

    @property
    def is_unknown(self) -> bool:
        return self.value is None

    @cached_property
    def key(self) -> ValueKey:
        return (
            self.indicator.pk,
            self.country.pk,
            self.site.pk if self.site else 0,
            self.period,
            disaggregation_key(self.disaggregation),
            self.source,
        )


@dataclass
class WriteResult:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    computed: int = 0
    aggregated: int = 0
    changed_keys: set[ValueKey] = field(default_factory=set)

    @property
    def written(self) -> int:
        return self.created + self.replaced


def _key_of(value: DataValue) -> ValueKey:
    return (
        value.indicator_id,
        value.country_id,
        value.site_id or 0,
        value.period,
        value.disaggregation_key,
        value.source,
    )


def _existing(keys: Iterable[ValueKey]) -> dict[ValueKey, DataValue]:
    """The stored values with these keys, fetched per (indicator, country) in few queries.

    Only the columns a comparison and the history need are read, into unsaved-looking
    instances (`only()` would cost a deferred-field check per attribute)."""
    wanted = set(keys)
    found: dict[ValueKey, DataValue] = {}
    if not wanted:
        return found
    candidates = DataValue.objects.filter(
        indicator_id__in={key[0] for key in wanted},
        country_id__in={key[1] for key in wanted},
        period__in={key[3] for key in wanted},
    ).values_list(*_COMPARED)
    for row in candidates.iterator(chunk_size=BATCH * 5):
        key = (row[1], row[2], row[3] or 0, row[4], row[5], row[6])
        if key in wanted:
            found[key] = DataValue(**dict(zip(_COMPARED, row, strict=True)))
    return found


_COMPARED = (
    "pk",
    "indicator_id",
    "country_id",
    "site_id",
    "period",
    "disaggregation_key",
    "source",
    "value",
    "is_unknown",
    "comment",
    "created_by_id",
    "import_job_id",
    "updated_at",
)
_INSERTED = (
    "indicator_id",
    "country_id",
    "site_id",
    "period",
    "period_kind",
    "disaggregation",
    "disaggregation_key",
    "source",
    "value",
    "is_unknown",
    "comment",
    "created_by_id",
    "import_job_id",
    "created_at",
    "updated_at",
)
# Rows written per statement or per COPY; imports are cut into chunks of this many values
# so memory stays flat however long the file.
CHUNK = 20_000


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """Insert new values. The ORM's bulk_create spent most of an import preparing each
    field of each row; these rows are already in their stored form, so they go straight
    to the database: COPY on PostgreSQL, one executemany on SQLite."""
    if not rows:
        return
    table = connection.ops.quote_name(DataValue._meta.db_table)
    # The columns are named as the attributes (no db_column on the model).
    columns = ", ".join(connection.ops.quote_name(name) for name in _INSERTED)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(_INSERTED))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(insert, rows)


def _history_of(value: DataValue, *, actor: Any, now: Any) -> DataValueHistory:
    return DataValueHistory(
        data_value_id=value.pk,
        value=value.value,
        is_unknown=value.is_unknown,
        comment=value.comment,
        entered_by_id=value.created_by_id,
        entered_at=value.updated_at,
        import_job_id=value.import_job_id,
        replaced_by=actor if getattr(actor, "is_authenticated", False) else None,
        replaced_at=now,
    )


def _write(items: list[ValueIn], *, actor: Any, import_job: TaskProgress | None) -> WriteResult:
    result = WriteResult()
    for start in range(0, len(items), CHUNK):
        _write_chunk(
            items[start : start + CHUNK], actor=actor, import_job=import_job, result=result
        )
    return result


def _write_chunk(
    items: list[ValueIn], *, actor: Any, import_job: TaskProgress | None, result: WriteResult
) -> None:
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    user_id = user.pk if user else None
    job_id = import_job.pk if import_job else None
    stamp = connection.ops.adapt_datetimefield_value(now)
    job_column = TaskProgress._meta.pk.get_db_prep_save(job_id, connection) if job_id else None
    json_field = DataValue._meta.get_field("disaggregation")
    stored_json: dict[str, Any] = {}
    existing = _existing(item.key for item in items)
    to_create: list[tuple[Any, ...]] = []
    to_update: list[DataValue] = []
    history: list[DataValueHistory] = []
    for item in items:
        key = item.key
        value = quantize(item.value) if item.value is not None else None
        stored = existing.get(key)
        if stored is None:
            if key[4] not in stored_json:
                stored_json[key[4]] = json_field.get_db_prep_save(
                    dict(sorted(item.disaggregation.items())), connection
                )
            to_create.append(
                (
                    key[0],
                    key[1],
                    key[2] or None,
                    item.period,
                    item.period_kind,
                    stored_json[key[4]],
                    key[4],
                    item.source,
                    connection.ops.adapt_decimalfield_value(value, VALUE_DIGITS, VALUE_PLACES),
                    value is None,
                    item.comment,
                    user_id,
                    job_column,
                    stamp,
                    stamp,
                )
            )
            existing[key] = DataValue()  # a repeated key in one write is an update
            result.changed_keys.add(key)
            continue
        if stored.pk is None:
            continue  # created a moment ago in this same write: the first one stands
        if (
            stored.value == value
            and stored.is_unknown == (value is None)
            and stored.comment == item.comment
        ):
            result.unchanged += 1
            continue
        history.append(_history_of(stored, actor=actor, now=now))
        stored.value = value
        stored.is_unknown = value is None
        stored.comment = item.comment
        stored.created_by_id = user_id
        stored.import_job_id = job_id
        stored.updated_at = now
        to_update.append(stored)
        result.changed_keys.add(key)
    _insert(to_create)
    DataValue.objects.bulk_update(
        to_update,
        ["value", "is_unknown", "comment", "created_by", "import_job", "updated_at"],
        batch_size=BATCH,
    )
    DataValueHistory.objects.bulk_create(history, batch_size=BATCH)
    result.created += len(to_create)
    result.replaced += len(to_update)


@transaction.atomic
def data_values_write(
    *,
    values: list[ValueIn],
    actor: Any,
    import_job: TaskProgress | None = None,
) -> WriteResult:
    """Write `values` (created, or replacing the earlier value of the same key with its
    history kept), then roll them up (sites into countries, months into quarters and
    years) and recompute the computed indicators they feed, the rolled-up ones included."""
    from hrnet.evidence.rollups import rollups_for_changes

    result = _write(values, actor=actor, import_job=import_job)
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
        action="evidence.values_write",
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
    actor: Any,
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
            existing = _existing(item.key for item in stale)
            items += [item for item in stale if item.key in existing]
            result = _write(items, actor=actor, import_job=import_job)
            written += result.written
            for key in result.changed_keys:
                next_changed.setdefault(key[0], set()).add((key[1], key[2], key[3], key[4]))
        changed = next_changed
    return written
