"""Values out as tidy CSV or XLSX with the columns the importer reads (an export imports
again), and the upload templates with two example rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import QuerySet

from hrnet.core.types import Actor
from hrnet.evidence.models import DERIVED_SOURCES, DataValue
from hrnet.evidence.selectors.values import ValueFilters, value_list

TIDY_COLUMNS = ("country", "site", "period", "indicator", "value", "source", "comment")
UNKNOWN_TEXT = "not known"
MAX_EXPORT_ROWS = 200_000
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
    values = value_list(user=user, filters=filters).select_related("site")
    if not include_derived:
        values = values.exclude(source__in=DERIVED_SOURCES)
    return values


def _number_text(value: Decimal | None) -> str:
    return UNKNOWN_TEXT if value is None else format(value.normalize(), "f")


def tidy_table(values: Iterable[DataValue]) -> tuple[list[str], list[list[str]]]:
    """The header (the importer's columns, then one per disaggregation) and the rows."""
    items = list(values)
    names = sorted({name for value in items for name in value.disaggregation})
    header = [*TIDY_COLUMNS, *names]
    rows = [
        [
            value.country.iso2,
            str(value.site_id or ""),
            value.period,
            value.indicator.code,
            _number_text(value.value),
            value.source,
            value.comment,
            *[value.disaggregation.get(name, "") for name in names],
        ]
        for value in items
    ]
    return header, rows


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # With a BOM, spreadsheet programmes in the region open the file as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if sheet is None:  # a new workbook always has one sheet
        sheet = workbook.create_sheet()
    sheet.title = "values"
    sheet.append(list(header))
    value_column = list(header).index("value") if "value" in header else -1
    for number, row in enumerate(rows, start=2):
        for index, text in enumerate(row):
            if index == value_column and text and text != UNKNOWN_TEXT:
                sheet.cell(number, index + 1, Decimal(text))
                continue
            cell = sheet.cell(number, index + 1, text or None)
            # Text that looks like a formula stays text (formula injection).
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def values_export(*, values: Iterable[DataValue], fmt: str) -> bytes:
    header, rows = tidy_table(values)
    return xlsx_bytes(header, rows) if fmt == "xlsx" else csv_bytes(header, rows)


def template_export(*, fmt: str) -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes(TEMPLATE_HEADER, TEMPLATE_ROWS)
    return csv_bytes(TEMPLATE_HEADER, TEMPLATE_ROWS)
