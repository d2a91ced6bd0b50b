"""The one export writer: every text cell kept from running as a formula, numbers left as
numbers, CSV with a byte-order mark and streamed, and no other CSV writer in the code."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hrnet.core.exports import (
    csv_bytes,
    csv_response,
    csv_stream,
    spreadsheet_safe,
    spreadsheet_text,
    xlsx_bytes,
)

SOURCE = Path(__file__).resolve().parents[2]  # src/hrnet


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+7 999 123", "'+7 999 123"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("-5", "-5"),
        ("-0.5", "-0.5"),
        ("+12", "+12"),
        ("-1,5", "-1,5"),
        ("Bălți", "Bălți"),
        ("", ""),
    ],
)
def test_text_that_would_run_as_a_formula_is_quoted_and_numbers_stay(text, written):
    assert spreadsheet_safe(text) == written
    assert spreadsheet_text(written) == text  # what an import reads back


def test_csv_has_a_bom_every_cell_guarded_and_plain_values():
    content = csv_bytes(
        ["name", "=header"],
        [["=1+1", Decimal("27500.50")], ["Молдова", None], ["-5", 3]],
    )

    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ["name", "'=header"],
        ["'=1+1", "27500.50"],
        ["Молдова", ""],
        ["-5", "3"],
    ]


def test_csv_is_sent_in_pieces_while_rows_are_read():
    read: list[int] = []

    def rows():
        for number in range(1200):
            read.append(number)
            yield [number]

    stream = csv_stream(["n"], rows())
    next(stream)  # the header is out before any row is read
    assert read == []
    response = csv_response(["n"], rows(), filename="n.csv")
    assert response.streaming
    assert response["Cache-Control"] == "no-store"
    assert len(b"".join(response.streaming_content).splitlines()) == 1201  # type: ignore[arg-type]


def test_xlsx_keeps_formulas_as_text_and_numbers_as_numbers():
    content = xlsx_bytes([("values", ["comment", "value"], [["=1+1", Decimal(9000)]])])

    sheet = load_workbook(io.BytesIO(content)).active
    cell, number = sheet["A2"], sheet["B2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert number.value == 9000


def test_every_export_uses_the_one_writer():
    """No module writes CSV itself: a writer elsewhere would skip the formula guard."""
    pattern = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        and path != SOURCE / "core" / "exports.py"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
