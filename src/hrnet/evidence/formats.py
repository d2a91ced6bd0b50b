"""How values are written down: disaggregation keys in their one stored form, numbers as
spreadsheets in the region write them, the words for "not known", the stored precision.
(Periods are read by `hrnet.core.periods`.) Pure functions: no database."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hrnet.evidence.models import VALUE_PLACES

UNKNOWN_WORDS = frozenset(
    {"", "not known", "unknown", "na", "n/a", "n.a.", "nk", "-", "нет данных", "н/д", "неизвестно"}
)
QUANTUM = Decimal(1).scaleb(-VALUE_PLACES)


def disaggregation_key(disaggregation: Mapping[str, str]) -> str:
    """The canonical text of a disaggregation: sorted `name=value` pairs, `;`-joined."""
    return ";".join(f"{name}={disaggregation[name]}" for name in sorted(disaggregation))


def disaggregation_from_key(key: str) -> dict[str, str]:
    """The disaggregation whose canonical text is `key` (`disaggregation_key`'s inverse)."""
    return dict(pair.split("=", 1) for pair in key.split(";")) if key else {}


def disaggregation_parse(text: str) -> dict[str, str]:
    """`sex=female;age=<25` (or `sex:female,age:<25`) → a disaggregation; `total` → {}."""
    result: dict[str, str] = {}
    if text.strip().lower() in {"", "total"}:
        return result
    for pair in re.split(r"[;,]", text):
        name, sep, value = pair.replace(":", "=", 1).partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(pair)
        result[name.strip().lower()] = value.strip().lower()
    return result


def is_unknown_text(text: str) -> bool:
    return text.strip().lower() in UNKNOWN_WORDS


def number_parse(text: str) -> Decimal:
    """A number written `1234.5`, `1 234,5`, `1,234.5` or `1234,5`; ValueError otherwise."""
    value = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in value and "." in value:
        value = value.replace(",", "")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    return quantize(number)


def quantize(number: Decimal) -> Decimal:
    return number.quantize(QUANTUM, rounding=ROUND_HALF_UP)
