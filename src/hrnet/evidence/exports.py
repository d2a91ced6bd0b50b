"""Values out as tidy CSV (streamed) or XLSX with the columns the importer reads (an export
imports again), and the upload templates with two example rows; written by the kernel's
one export writer (core.exports)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from hrnet.core.exports import CSV_TYPE, csv_bytes, csv_response, download_response, xlsx_response
from hrnet.core.types import Actor
from hrnet.evidence.models import DERIVED_SOURCES, DataValue
from hrnet.evidence.selectors.values import ValueFilters, value_list

TIDY_COLUMNS = ("country", "site", "period", "indicator", "value", "source", "comment")
UNKNOWN_TEXT = "not known"
MAX_EXPORT_ROWS = 200_000
CHUNK_ROWS = 2000
TEMPLATE_HEADER = ["country", "period", "indicator", "value", "source", "comment", "sex"]
TEMPLATE_ROWS = [
    ["MD", "2024", "PWID_SIZE_ESTIMATE", "27500", "UNAIDS GAM", "", ""],
    ["Georgia", "2024Q1", "OST_CLIENTS", "1200", "national report", "women only", "female"],
]


def export_values(
    *, user: Actor, filters: ValueFilters, include_derived: bool = False
) -> QuerySet[DataValue]:
    """The values `user` may see; without the computed and aggregated ones unless asked,
    because the importer refuses those sources."""
    values = value_list(user=user, filters=filters)
    if not include_derived:
        values = values.exclude(source__in=DERIVED_SOURCES)
    return values


def disaggregation_names(values: QuerySet[DataValue]) -> list[str]:
    """The disaggregation columns of the export, from the distinct disaggregations (not
    row by row), so the header is known before the rows are streamed."""
    names: set[str] = set()
    for disaggregation in values.order_by().values_list("disaggregation", flat=True).distinct():
        names.update(disaggregation or {})
    return sorted(names)


def _value_cell(value: Decimal | None) -> Decimal | str:
    return UNKNOWN_TEXT if value is None else value.normalize()


def tidy_rows(values: QuerySet[DataValue], names: Sequence[str]) -> Iterator[list[Any]]:
    """One row a value (at most MAX_EXPORT_ROWS), read from the database in chunks (a
    server-side cursor on PostgreSQL), so memory does not grow with the rows."""
    for (
        country,
        site,
        period,
        indicator,
        value,
        source,
        comment,
        disaggregation,
    ) in values.values_list(
        "country__iso2",
        "site_id",
        "period",
        "indicator__code",
        "value",
        "source",
        "comment",
        "disaggregation",
    )[:MAX_EXPORT_ROWS].iterator(chunk_size=CHUNK_ROWS):
        yield [
            country,
            str(site or ""),
            period,
            indicator,
            _value_cell(value),
            source,
            comment,
            *[(disaggregation or {}).get(name, "") for name in names],
        ]


def tidy_table(values: QuerySet[DataValue]) -> tuple[list[str], Iterator[list[Any]]]:
    """The header (the importer's columns, then one per disaggregation) and the rows."""
    names = disaggregation_names(values)
    return [*TIDY_COLUMNS, *names], tidy_rows(values, names)


def export_size(values: QuerySet[DataValue]) -> int:
    """How many rows an export of `values` holds."""
    return min(values.count(), MAX_EXPORT_ROWS)


def values_csv(values: QuerySet[DataValue]) -> StreamingHttpResponse:
    header, rows = tidy_table(values)
    return csv_response(header, rows, filename="values.csv")


def values_xlsx(values: QuerySet[DataValue]) -> HttpResponse:
    header, rows = tidy_table(values)
    return xlsx_response([("values", header, rows)], filename="values.xlsx")


def template_export(*, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        return xlsx_response(
            [("values", TEMPLATE_HEADER, TEMPLATE_ROWS)], filename="values-template.xlsx"
        )
    return download_response(
        csv_bytes(TEMPLATE_HEADER, TEMPLATE_ROWS),
        filename="values-template.csv",
        content_type=CSV_TYPE,
    )
