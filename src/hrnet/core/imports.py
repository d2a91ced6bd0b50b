"""The one import framework: parse a CSV or XLSX file, validate every row, report every
error with its line and column, and write in one transaction.

By default nothing is written unless every row is valid. With `partial=True` (the user
asked for it) the valid rows are written and the rejected ones reported.

An importer declares its columns, cleans one row at a time (raising `RowInvalid` with one
message per bad column) and writes the cleaned rows:

    class AliasImporter(Importer[Alias]):
        name = "geo.aliases"
        required_columns = ("country", "alias")
        def clean_row(self, row, line): ...
        def write(self, rows, *, actor): ...
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hrnet.core.exports import spreadsheet_text
from hrnet.core.types import Actor

T = TypeVar("T")
ProgressCallback = Callable[[int, int], None]

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "value": self.value,
        }


class RowInvalid(Exception):
    """Raised by `clean_row`: a list of (column, message, value) problems."""

    def __init__(self, problems: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(problems)
        self.problems = list(problems)


class FileUnreadable(Exception):
    """The file as a whole cannot be read (wrong format, no header)."""


@dataclass
class ImportReport:
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)
    partial: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({error.line for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "written": self.written,
            "partial": self.partial,
            "rejected_lines": self.rejected_lines,
            "errors": [error.as_dict() for error in self.errors],
        }


def detect_format(filename: str, declared: str | None = None) -> str:
    fmt = (declared or Path(filename).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise FileUnreadable(
            _("Unsupported file type “%(type)s”: upload a CSV or XLSX file.") % {"type": fmt}
        )
    return fmt


def csv_decode(data: bytes) -> str:
    """The text of a CSV file as people have them: UTF-16 with a byte-order mark (Microsoft
    Teams), UTF-8 with or without a BOM (Zoom, spreadsheets), or Windows-1251 (old
    Russian-language Excel). FileUnreadable otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileUnreadable(_("The file is not UTF-8, UTF-16 or Windows-1251 text."))


def csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """Every row of a CSV text with its line number, cells stripped. The delimiter (comma,
    semicolon or tab) is sniffed from the first 50 non-empty lines, so a summary above the
    table (a video call's export) does not hide it. FileUnreadable for a broken line."""
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    try:
        dialect: Any = csv.Sniffer().sniff(sample[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        raise FileUnreadable(
            _("Line %(line)s cannot be read: %(problem)s")
            % {"line": reader.line_num, "problem": exc}
        ) from exc
    return rows


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileUnreadable(_("The file is not a readable XLSX workbook.")) from exc
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [_cell_text(value) for value in values]
    workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(data: bytes, fmt: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (normalised names) and the non-empty rows with their line numbers."""
    reader = _read_xlsx(data) if fmt == "xlsx" else iter(csv_rows(csv_decode(data)))
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in reader:
        if header is None:
            if not any(cell.strip() for cell in cells):
                continue
            header = [cell.strip().lower() for cell in cells]
            continue
        if not any(cell.strip() for cell in cells):
            continue
        padded = [*cells, *[""] * (len(header) - len(cells))]
        # Our exports quote text that starts like a formula; the import takes it off again.
        cells_by_name = {
            name: spreadsheet_text(padded[i].strip()) for i, name in enumerate(header) if name
        }
        rows.append((line, cells_by_name))
    if header is None:
        raise FileUnreadable(_("The file is empty: the first row must name the columns."))
    return header, rows


class Importer(Generic[T]):
    """Base class of every importer; see the module docstring."""

    name: ClassVar[str]
    label: ClassVar[str | Promise] = ""
    required_columns: ClassVar[Sequence[str]] = ()
    optional_columns: ClassVar[Sequence[str]] = ()

    def __init__(self, *, actor: Actor | None = None) -> None:
        self.actor = actor

    # --- to override -------------------------------------------------------------------
    def accepts_column(self, column: str) -> bool:
        """Columns beyond the declared ones (e.g. one name column per language)."""
        return False

    def prepare(self) -> None:
        """Load lookups once before rows are cleaned (e.g. the country index)."""

    def clean_row(self, row: dict[str, str], line: int) -> T:
        raise NotImplementedError

    def write(self, rows: list[T]) -> int:
        """Write the cleaned rows; called inside a transaction. Returns rows written."""
        raise NotImplementedError

    # --- the run -------------------------------------------------------------------------
    def check_header(self, header: list[str]) -> list[RowError]:
        errors = [
            RowError(1, column, _("Required column “%(column)s” is missing.") % {"column": column})
            for column in self.required_columns
            if column not in header
        ]
        known = set(self.required_columns) | set(self.optional_columns)
        errors += [
            RowError(
                1,
                column,
                _("Unknown column “%(column)s”; expected: %(expected)s.")
                % {
                    "column": column,
                    "expected": ", ".join([*self.required_columns, *self.optional_columns]),
                },
            )
            for column in header
            if column and column not in known and not self.accepts_column(column)
        ]
        return errors

    def run(
        self,
        data: bytes,
        *,
        fmt: str,
        partial: bool = False,
        progress: ProgressCallback | None = None,
    ) -> ImportReport:
        report = ImportReport(partial=partial)
        try:
            header, rows = read_rows(data, fmt)
        except FileUnreadable as exc:
            report.errors.append(RowError(0, "", str(exc)))
            return report
        report.rows = len(rows)
        report.errors += self.check_header(header)
        if report.errors:
            return report
        self.prepare()
        total = len(rows)
        cleaned: list[T] = []
        for index, (line, row) in enumerate(rows, start=1):
            try:
                cleaned.append(self.clean_row(row, line))
            except RowInvalid as exc:
                report.errors += [RowError(line, col, msg, val) for col, msg, val in exc.problems]
            if progress and (index % 200 == 0 or index == total):
                progress(index, total)
        if report.errors and not partial:
            return report
        with transaction.atomic():
            report.written = self.write(cleaned) if cleaned else 0
        return report


_registry: dict[str, type[Importer[Any]]] = {}


def register_importer(importer: type[Importer[Any]]) -> type[Importer[Any]]:
    """Class decorator: makes an importer available to the upload page and the task."""
    _registry[importer.name] = importer
    return importer


def get_importer(name: str) -> type[Importer[Any]]:
    """The importer registered under `name`; KeyError if there is none."""
    return _registry[name]


def importer_names() -> list[str]:
    """The names of every registered importer, sorted."""
    return sorted(_registry)
