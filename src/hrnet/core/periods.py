"""Calendar periods in their one stored form: a year "2025", a quarter "2025Q1", a month
"2025-03". Reading them, their first and last day, the months and quarters in them.
Pure functions: no database (evidence stores values by period, outreach counts contacts
by period)."""

from __future__ import annotations

import datetime
import re

YEAR, QUARTER, MONTH = "year", "quarter", "month"

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*[-/ ]?\s*Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})(?:[-/.](\d{1,2})|(\d{2}))")
MIN_YEAR, MAX_YEAR = 1900, 2100


def period_parse(text: str) -> tuple[str, str]:
    """`2019` → year, `2019Q1` → quarter, `201901` or `2019-01` → month `2019-01`; returns
    the period and its kind ("year", "quarter" or "month").

    Raises ValueError for anything else (and for years outside 1900-2100).
    """
    value = text.strip()
    year: str
    if match := _YEAR.fullmatch(value):
        year, kind, normal = match[1], YEAR, match[1]
    elif match := _QUARTER.fullmatch(value):
        year, kind, normal = match[1], QUARTER, f"{match[1]}Q{match[2]}"
    elif match := _MONTH.fullmatch(value):
        year, month = match[1], int(match[2] or match[3])
        if not 1 <= month <= 12:
            raise ValueError(value)
        kind, normal = MONTH, f"{year}-{month:02d}"
    else:
        raise ValueError(value)
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValueError(value)
    return normal, kind


def period_kind(period: str) -> str:
    """The kind of a stored period: "year", "quarter" or "month"."""
    if len(period) == 4:
        return YEAR
    return QUARTER if "Q" in period else MONTH


def period_text(day: datetime.date, kind: str) -> str:
    """The month, quarter or year (`kind`) holding `day`."""
    if kind == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if kind == QUARTER:
        return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def period_range(period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of "2025-03", "2025Q1" or "2025"."""
    year = int(period[:4])
    if len(period) == 4:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if "Q" in period:
        first = (int(period[5]) - 1) * 3 + 1
        start = datetime.date(year, first, 1)
        last_month = first + 2
    else:
        start = datetime.date(year, int(period[5:7]), 1)
        last_month = start.month
    following = (
        datetime.date(year + 1, 1, 1)
        if last_month == 12
        else datetime.date(year, last_month + 1, 1)
    )
    return start, following - datetime.timedelta(days=1)


def quarter_of(month: str) -> str:
    return f"{month[:4]}Q{(int(month[5:7]) - 1) // 3 + 1}"


def months_of(period: str) -> list[str]:
    """The months of a quarter or a year (a month is its own)."""
    if len(period) == 4:
        return [f"{period}-{month:02d}" for month in range(1, 13)]
    if "Q" in period:
        first = (int(period[5]) - 1) * 3 + 1
        return [f"{period[:4]}-{month:02d}" for month in range(first, first + 3)]
    return [period]


def quarters_of(year: str) -> list[str]:
    return [f"{year}Q{quarter}" for quarter in range(1, 5)]
