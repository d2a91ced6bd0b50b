"""The one write path of data values: a later value for the same key replaces the earlier
one and keeps it in the history; nothing else happens here. `values.data_values_write`
(roll-ups and computed indicators after the write) and the roll-ups build on it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.core.models import TaskProgress
from hrnet.core.types import Actor
from hrnet.evidence.formats import disaggregation_key, quantize
from hrnet.evidence.models import VALUE_DIGITS, VALUE_PLACES, DataValue, DataValueHistory, Indicator
from hrnet.geo.models import Country
from hrnet.outreach.models import Site

BATCH = 1000

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


def values_existing(keys: Iterable[ValueKey]) -> dict[ValueKey, DataValue]:
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


def _history_of(value: DataValue, *, actor: Actor | None, now: Any) -> DataValueHistory:
    return DataValueHistory(
        data_value_id=value.pk,
        value=value.value,
        is_unknown=value.is_unknown,
        comment=value.comment,
        entered_by_id=value.created_by_id,
        entered_at=value.updated_at,
        import_job_id=value.import_job_id,
        replaced_by=actor if isinstance(actor, User) else None,
        replaced_at=now,
    )


def values_store(
    items: list[ValueIn], *, actor: Actor | None, import_job: TaskProgress | None
) -> WriteResult:
    result = WriteResult()
    for start in range(0, len(items), CHUNK):
        _write_chunk(
            items[start : start + CHUNK], actor=actor, import_job=import_job, result=result
        )
    return result


def _write_chunk(
    items: list[ValueIn],
    *,
    actor: Actor | None,
    import_job: TaskProgress | None,
    result: WriteResult,
) -> None:
    now = timezone.now()
    user = actor if isinstance(actor, User) else None
    user_id = user.pk if user else None
    job_id = import_job.pk if import_job else None
    stamp = connection.ops.adapt_datetimefield_value(now)
    job_column = TaskProgress._meta.pk.get_db_prep_save(job_id, connection) if job_id else None
    json_field = DataValue._meta.get_field("disaggregation")
    stored_json: dict[str, Any] = {}
    existing = values_existing(item.key for item in items)
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
