"""What the apps' export files share: text cells that a spreadsheet will not run as a
formula, and the download response that no cache keeps."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

CSV_TYPE = "text/csv; charset=utf-8"
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """`value`, with a quote before text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def download_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """`content` as a file to save, kept by no cache (exports hold people's records)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
