"""The one writer of export files: CSV (UTF-8 with a byte-order mark, streamed or whole) and
XLSX (written row by row), with every text cell kept from running as a formula; the
download responses that no cache keeps; and the hourly allowance of exports for readers
who have not signed in.

Every export of the apps goes through `csv_stream`/`csv_bytes`/`xlsx_bytes` (a test looks
for `csv.writer(` anywhere else), so no export can forget the formula guard.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import chain
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "-5", "+0.5", "-1,5", "1e-3": a number a spreadsheet reads as a number, never a formula;
# left alone so that exports import again.
PLAIN_NUMBER = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?")
# A CSV stream is sent in pieces of this many rows.
CSV_CHUNK_ROWS = 500
ANONYMOUS_EXPORT_SCOPE = "core.export.anonymous"

Row = Sequence[Any]


def spreadsheet_safe(value: Any) -> Any:
    """`value`, with a quote before text that a spreadsheet would run as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def spreadsheet_text(value: str) -> str:
    """The text an export cell stood for: the quote `spreadsheet_safe` put before a
    formula character taken off again (importers of our own exports call it)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return spreadsheet_safe(value if isinstance(value, str | int | float) else str(value))


class _Echo:
    """A file that hands back what is written to it, so csv.writer formats one row."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: Row, rows: Iterable[Row]) -> Iterator[bytes]:
    """The CSV file in pieces: a byte-order mark (spreadsheet programs in the region then
    read it as UTF-8; Cyrillic stays legible), the header, then the rows a few hundred at a
    time, so memory does not grow with the rows."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow([_csv_cell(value) for value in header]).encode()
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([_csv_cell(value) for value in row]))
        if len(batch) >= CSV_CHUNK_ROWS:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def csv_bytes(header: Row, rows: Iterable[Row]) -> bytes:
    """The whole CSV file (small tables)."""
    return b"".join(csv_stream(header, rows))


Sheet = tuple[str, Row, Iterable[Row]]

# A workbook written directly (SpreadsheetML in a zip), row by row: several times faster
# than openpyxl's writer without lxml, so a bounded export stays well inside a worker's
# timeout. Text is inline text (never a formula), numbers are numbers, dates are dates.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_DATE_STYLE, _DATETIME_STYLE = 1, 2
_EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - a spreadsheet's day 0, no time zone
# Characters XML 1.0 cannot hold (control characters other than tab and line breaks).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _sheet_title(title: str, used: set[str]) -> str:
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("", text), {'"': "&quot;"})


def _xlsx_cell(reference: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
        number = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return f'<c r="{reference}"><v>{number}</v></c>'
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # a workbook has no time zones: the time as read here
            value = timezone.localtime(value).replace(tzinfo=None)
        serial = (value - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{reference}" s="{_DATETIME_STYLE}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        serial_day = (value - _EXCEL_EPOCH.date()).days
        return f'<c r="{reference}" s="{_DATE_STYLE}"><v>{serial_day}</v></c>'
    return (
        f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">'
        f"{_xml_text(str(value))}</t></is></c>"
    )


def _sheet_xml(header: Row, rows: Iterable[Row]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
    yield "<sheetData>"
    columns: list[str] = []
    for number, row in enumerate(chain([[str(text) for text in header]], rows), start=1):
        while len(columns) < len(row):
            columns.append(_column(len(columns)))
        cells = "".join(
            _xlsx_cell(f"{columns[index]}{number}", value) for index, value in enumerate(row)
        )
        yield f'<row r="{number}">{cells}</row>'
    yield "</sheetData></worksheet>"


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of (title, header, rows) sheets, written row by row. Text cells are
    text, so a cell starting with "=" is shown, never run; numbers and dates stay numbers
    and dates."""
    buffer = io.BytesIO()
    used: set[str] = set()
    titles: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for title, header, rows in sheets:
            titles.append(_sheet_title(str(title), used))
            name = f"xl/worksheets/sheet{len(titles)}.xml"
            with archive.open(name, "w", force_zip64=True) as out:
                batch: list[str] = []
                for piece in _sheet_xml(header, rows):
                    batch.append(piece)
                    if len(batch) >= CSV_CHUNK_ROWS:
                        out.write("".join(batch).encode())
                        batch = []
                out.write("".join(batch).encode())
        if not titles:  # a workbook has at least one sheet
            titles.append("Sheet")
            archive.writestr("xl/worksheets/sheet1.xml", "".join(_sheet_xml([], [])))
        sheet_entries = "".join(
            f'<sheet name="{_xml_text(title)}" sheetId="{number}" r:id="rId{number}"/>'
            for number, title in enumerate(titles, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{sheet_entries}</sheets>'
            "</workbook>",
        )
        styles_id = len(titles) + 1
        relations = "".join(
            f'<Relationship Id="rId{number}" Type="{_RELS}/worksheet" '
            f'Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, len(titles) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{_PACKAGE_RELS}">{relations}'
            f'<Relationship Id="rId{styles_id}" Type="{_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _STYLES)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
            f'ContentType="{_TYPES}.worksheet+xml"/>'
            for number in range(1, len(titles) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
    return buffer.getvalue()


def download_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """`content` as a file to save, kept by no cache (exports hold people's records)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(header: Row, rows: Iterable[Row], *, filename: str) -> StreamingHttpResponse:
    """A CSV download sent while it is written: `rows` is read lazily (pass a queryset's
    `.iterator()`), so a large export holds neither memory nor the first byte back."""
    response = StreamingHttpResponse(csv_stream(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(sheets: Iterable[Sheet], *, filename: str) -> HttpResponse:
    return download_response(xlsx_bytes(sheets), filename=filename, content_type=XLSX_TYPE)


# --- readers who have not signed in -------------------------------------------------------


def export_throttled(request: HttpRequest) -> HttpResponse | None:
    """None when the request may export; else the "too many downloads" page (429).

    Readers who have not signed in get HRNET_EXPORTS_PER_HOUR exports per network address
    an hour: each export holds a web worker for seconds, and a few parallel ones must not
    keep the site from answering others."""
    # Here, not at the top: importers read exports' cells before the models are loaded.
    from hrnet.core.throttle import address_key, throttle_hit

    if request.user.is_authenticated:
        return None
    if throttle_hit(
        scope=ANONYMOUS_EXPORT_SCOPE,
        key=address_key(request),
        limit=settings.HRNET_EXPORTS_PER_HOUR,
        window=timedelta(hours=1),
    ):
        return None
    response = render(
        request,
        "core/export_throttled.html",
        {"limit": settings.HRNET_EXPORTS_PER_HOUR},
        status=429,
    )
    response["Retry-After"] = "3600"
    response["Cache-Control"] = "no-store"
    return response


def anonymous_xlsx_too_large(request: HttpRequest, *, rows: int) -> bool:
    """True when a reader who has not signed in asks for an XLSX file of more rows than
    HRNET_ANONYMOUS_XLSX_MAX_ROWS: a workbook is built whole before its first byte is
    sent, so a large one would hold a web worker past its timeout (CSV streams instead)."""
    return not request.user.is_authenticated and rows > settings.HRNET_ANONYMOUS_XLSX_MAX_ROWS
