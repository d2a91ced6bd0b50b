"""DHIS2 dataValueSets JSON in and out, through the mapping table (`Dhis2Mapping`) between
DHIS2 identifiers (UID or code) and ours: the format and the export here, the importers in
`imports.dhis2`.

Without a mapping, our own codes are understood: an indicator code as data element, an
ISO code as org unit (`site-<id>` for a site), `sex=female;age=<25` as category option
combo, and DHIS2's default combo (`HllvX50cXC0` or `default`) as the total. The export
uses the first mapping of each of ours (by id) and falls back to the same codes, so an
export imports again.

Only yearly, quarterly and monthly DHIS2 periods have a place here; weekly, six-monthly,
financial-year and daily values are refused row by row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hrnet.core.periods import period_parse, period_range
from hrnet.core.types import Actor
from hrnet.evidence.models import DERIVED_SOURCES, DataValue, Dhis2Mapping
from hrnet.evidence.policies import data_value_policy
from hrnet.evidence.selectors.values import ValueFilters, value_list

DEFAULT_COMBO = "HllvX50cXC0"
DEFAULT_SOURCE = "DHIS2"
SITE_PREFIX = "site-"
# The keys of a data value that a row error may name (DHIS2's own).
SET_DEFAULTS = ("period", "orgUnit", "attributeOptionCombo")
_SUPPORTED_PERIOD = re.compile(r"\d{4}(?:Q[1-4]|0[1-9]|1[0-2])?")
# Other DHIS2 period types: daily, weekly (W, BiW, WedW...), bi-monthly, quarterly from
# November, six-monthly, financial years.
_OTHER_PERIOD = re.compile(
    r"\d{8}|\d{4}(?:[A-Za-z]*W\d{1,2}|\d{2}B|NovQ[1-4]|[A-Za-z]*S[12]|April|July|Oct|Nov)"
)
MAX_EXPORT = 100_000


def is_default_combo(text: str) -> bool:
    return text.strip() in {"", DEFAULT_COMBO} or text.strip().lower() == "default"


def period_from_dhis2(text: str) -> tuple[str, str]:
    """DHIS2 `2019`, `2019Q1`, `201901` → our period and kind; ValueError with the reason."""
    value = text.strip()
    if _SUPPORTED_PERIOD.fullmatch(value):
        return period_parse(value)
    if _OTHER_PERIOD.fullmatch(value):
        raise ValueError(
            _(
                "Period type not supported: use yearly (2019), quarterly (2019Q1) or "
                "monthly (201901) periods."
            )
        )
    raise ValueError(_("Not a DHIS2 period such as 2019, 2019Q1 or 201901."))


def period_to_dhis2(period: str) -> str:
    return period.replace("-", "")


def dhis2_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


class MappingIndex:
    """The mapping table in both directions, loaded once."""

    def __init__(self) -> None:
        self.forward: dict[str, dict[str, Dhis2Mapping]] = {kind: {} for kind in Dhis2Mapping.Kind}
        self.indicator_ids: dict[int, str] = {}
        self.country_ids: dict[int, str] = {}
        self.site_ids: dict[int, str] = {}
        self.combos: dict[str, str] = {}
        mappings = Dhis2Mapping.objects.select_related("indicator", "country", "site").order_by(
            "pk"
        )
        for mapping in mappings:
            self.forward[mapping.kind][mapping.dhis2_id] = mapping
            self.forward[mapping.kind].setdefault(mapping.dhis2_id.lower(), mapping)
            if mapping.kind == Dhis2Mapping.Kind.DATA_ELEMENT and mapping.indicator_id:
                self.indicator_ids.setdefault(mapping.indicator_id, mapping.dhis2_id)
            elif mapping.kind == Dhis2Mapping.Kind.ORG_UNIT:
                if mapping.site_id:
                    self.site_ids.setdefault(mapping.site_id, mapping.dhis2_id)
                elif mapping.country_id:
                    self.country_ids.setdefault(mapping.country_id, mapping.dhis2_id)
            elif mapping.kind == Dhis2Mapping.Kind.CATEGORY_OPTION_COMBO:
                self.combos.setdefault(mapping.disaggregation_key, mapping.dhis2_id)

    def find(self, kind: str, dhis2_id: str) -> Dhis2Mapping | None:
        table = self.forward[kind]
        return table.get(dhis2_id) or table.get(dhis2_id.lower())


# --- export ------------------------------------------------------------------------------
def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def dhis2_values(
    *,
    user: Actor,
    indicators: Sequence[str] = (),
    countries: Sequence[str] = (),
    sites: Sequence[int] = (),
    periods: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[DataValue]:
    """The values `user` may see that a DHIS2 export would hold (reported, known)."""
    values = value_list(user=user, filters=ValueFilters()).exclude(source__in=DERIVED_SOURCES)
    values = values.filter(is_unknown=False)
    if indicators:
        values = values.filter(indicator__code__in=list(indicators))
    if countries:
        values = values.filter(country__iso2__in=[code.upper() for code in countries])
    if sites:
        values = values.filter(site_id__in=list(sites))
    if periods:
        values = values.filter(period__in=list(periods))
    if start or end:
        years = range((start or date(1900, 1, 1)).year, (end or date(2100, 12, 31)).year + 1)
        values = values.filter(period__regex=r"^(" + "|".join(str(y) for y in years) + ")")
    return values.select_related("indicator", "country", "site")


def dhis2_export(
    *,
    user: Actor,
    indicators: Sequence[str] = (),
    countries: Sequence[str] = (),
    sites: Sequence[int] = (),
    periods: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    """A dataValueSets document of the values `user` may see. A key reported by several
    sources (DHIS2 has one value per key) takes the latest entered value; computed and
    aggregated values and values not known are left out."""
    mappings = MappingIndex()
    chosen: dict[tuple[int, int, int, str, str], DataValue] = {}
    found = dhis2_values(
        user=user,
        indicators=indicators,
        countries=countries,
        sites=sites,
        periods=periods,
        start=start,
        end=end,
    ).order_by("updated_at", "pk")
    for value in found[:MAX_EXPORT]:
        if start or end:
            first, last = period_range(value.period)
            if (start and first < start) or (end and last > end):
                continue
        key = (
            value.indicator_id,
            value.country_id,
            value.site_id or 0,
            value.period,
            value.disaggregation_key,
        )
        chosen[key] = value  # later ones win
    data_values = []
    for value in chosen.values():
        if value.value is None:
            continue
        if value.site_id:
            org_unit = mappings.site_ids.get(value.site_id, f"{SITE_PREFIX}{value.site_id}")
        else:
            org_unit = mappings.country_ids.get(value.country_id, value.country.iso2)
        combo = mappings.combos.get(
            value.disaggregation_key, value.disaggregation_key or DEFAULT_COMBO
        )
        item = {
            "dataElement": mappings.indicator_ids.get(value.indicator_id, value.indicator.code),
            "period": period_to_dhis2(value.period),
            "orgUnit": org_unit,
            "categoryOptionCombo": combo,
            "attributeOptionCombo": DEFAULT_COMBO,
            "value": _number_text(value.value),
            "lastUpdated": value.updated_at.isoformat(),
        }
        if value.comment:
            item["comment"] = value.comment
        data_values.append(item)
    data_values.sort(key=lambda item: (item["dataElement"], item["orgUnit"], item["period"]))
    return {"dataValues": data_values}


# --- the mapping table -------------------------------------------------------------------
def dhis2_mapping_list(*, user: Actor) -> QuerySet[Dhis2Mapping]:
    """The mapping table: the secretariat's (those who may change values)."""
    mappings = Dhis2Mapping.objects.select_related("indicator", "country", "site")
    if not data_value_policy.user_has_permission(user, "change"):
        return mappings.none()
    return mappings
