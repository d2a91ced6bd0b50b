"""DHIS2 dataValueSets JSON in and out, through the mapping table (`Dhis2Mapping`) between
DHIS2 identifiers (UID or code) and ours: the format and the export here, the importers in
`imports.dhis2`.

Without a mapping, our own codes are understood: an indicator code as data element, an
ISO code as org unit (`site-<id>` for a site), `sex=female;age=<25` as category option
combo, and DHIS2's default combo (`HllvX50cXC0` or `default`) as the total. The export
uses the first mapping of each of ours (by id) and falls back to the same codes, so an
export imports again.

Every DHIS2 period type is read; only yearly, quarterly and monthly ones have a place
here, the others (weekly, six-monthly, financial years, daily...) are refused row by row
with their type and days named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.core.periods import period_parse, period_range
from hrnet.core.types import Actor
from hrnet.evidence.models import DERIVED_SOURCES, DataValue, Dhis2Mapping
from hrnet.evidence.policies import data_value_policy
from hrnet.evidence.selectors.values import ValueFilters, value_list
from hrnet.geo.models import Country
from hrnet.outreach.models import Site

DEFAULT_COMBO = "HllvX50cXC0"
DEFAULT_SOURCE = "DHIS2"
SITE_PREFIX = "site-"
# The keys of a data value that a row error may name (DHIS2's own).
SET_DEFAULTS = ("period", "orgUnit", "attributeOptionCombo", "dataSet", "completeDate")
MAX_EXPORT = 100_000
UID, CODE = "UID", "CODE"
ID_SCHEMES = (UID, CODE)
STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE")


def is_default_combo(text: str) -> bool:
    return text.strip() in {"", DEFAULT_COMBO} or text.strip().lower() == "default"


# --- periods -----------------------------------------------------------------------------
# Every DHIS2 2.40 period type: its pattern, and its name in users' words.
_WEEK_STARTS = {"": 0, "Wed": 2, "Thu": 3, "Sat": 5, "Sun": 6}
_SIX_MONTH_STARTS = {"": 1, "April": 4, "Nov": 11}
_FINANCIAL_STARTS = {"April": 4, "July": 7, "Oct": 10, "Nov": 11}
_PERIODS = (
    ("daily", re.compile(r"(\d{4})(\d{2})(\d{2})")),
    ("weekly", re.compile(r"(\d{4})(Wed|Thu|Sat|Sun)?W(\d{1,2})")),
    ("biweekly", re.compile(r"(\d{4})BiW(\d{1,2})")),
    ("monthly", re.compile(r"(\d{4})(\d{2})")),
    ("bimonthly", re.compile(r"(\d{4})(\d{2})B")),
    ("quarterly", re.compile(r"(\d{4})Q([1-4])")),
    ("quarterly_nov", re.compile(r"(\d{4})NovQ([1-4])")),
    ("sixmonthly", re.compile(r"(\d{4})(April|Nov)?S([12])")),
    ("yearly", re.compile(r"(\d{4})")),
    ("financial", re.compile(r"(\d{4})(April|July|Oct|Nov)")),
)
STORED_PERIOD_TYPES = ("yearly", "quarterly", "monthly")


def _period_type_label(kind: str) -> str:
    return {
        "daily": _("daily"),
        "weekly": _("weekly"),
        "biweekly": _("bi-weekly"),
        "monthly": _("monthly"),
        "bimonthly": _("bi-monthly"),
        "quarterly": _("quarterly"),
        "quarterly_nov": _("quarterly from November"),
        "sixmonthly": _("six-monthly"),
        "yearly": _("yearly"),
        "financial": _("financial year"),
    }[kind]


def _months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _week_one(year: int, weekday: int) -> date:
    """The first day of week 1: the week holding 4 January (ISO's rule, moved to weeks
    that start on Wednesday, Thursday, Saturday or Sunday as DHIS2 does)."""
    fourth = date(year, 1, 4)
    return fourth - timedelta(days=(fourth.weekday() - weekday) % 7)


def dhis2_period_range(text: str) -> tuple[str, date, date]:
    """Any DHIS2 period (`20240401`, `2024W14`, `2024SunW14`, `2024BiW7`, `202404`,
    `202402B`, `2024Q2`, `2024NovQ1`, `2024S1`, `2024AprilS2`, `2024`, `2024July`...)
    → its type and first and last day; ValueError if it is none."""
    value = text.strip()
    for kind, pattern in _PERIODS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        year = int(match[1])
        try:
            if kind == "daily":
                first = last = date(year, int(match[2]), int(match[3]))
            elif kind == "weekly":
                week = int(match[3])
                first = _week_one(year, _WEEK_STARTS[match[2] or ""]) + timedelta(weeks=week - 1)
                if not 1 <= week <= 53 or _week_one(year + 1, first.weekday()) <= first:
                    raise ValueError(value)
                last = first + timedelta(days=6)
            elif kind == "biweekly":
                number = int(match[2])
                first = _week_one(year, 0) + timedelta(weeks=2 * (number - 1))
                if not 1 <= number <= 27 or _week_one(year + 1, 0) <= first:
                    raise ValueError(value)
                last = first + timedelta(days=13)
            elif kind in {"monthly", "bimonthly"}:
                # Bi-monthly periods are numbered: 202402B is March and April.
                month = int(match[2]) if kind == "monthly" else int(match[2]) * 2 - 1
                first = date(year, month, 1)
                last = _months_later(first, 1 if kind == "monthly" else 2) - timedelta(days=1)
            elif kind == "quarterly":
                first = date(year, (int(match[2]) - 1) * 3 + 1, 1)
                last = _months_later(first, 3) - timedelta(days=1)
            elif kind == "quarterly_nov":
                first = _months_later(date(year - 1, 11, 1), (int(match[2]) - 1) * 3)
                last = _months_later(first, 3) - timedelta(days=1)
            elif kind == "sixmonthly":
                start = _SIX_MONTH_STARTS[match[2] or ""]
                # Six-monthly from November: 2024NovS1 runs November 2023 to April 2024.
                base = date(year - 1, 11, 1) if start == 11 else date(year, start, 1)
                first = _months_later(base, 6 * (int(match[3]) - 1))
                last = _months_later(first, 6) - timedelta(days=1)
            elif kind == "yearly":
                first, last = date(year, 1, 1), date(year, 12, 31)
            else:
                first = date(year, _FINANCIAL_STARTS[match[2]], 1)
                last = _months_later(first, 12) - timedelta(days=1)
        except ValueError as exc:
            raise ValueError(_("Not a DHIS2 period such as 2019, 2019Q1 or 201901.")) from exc
        return kind, first, last
    raise ValueError(_("Not a DHIS2 period such as 2019, 2019Q1 or 201901."))


def period_from_dhis2(text: str) -> tuple[str, str]:
    """DHIS2 `2019`, `2019Q1`, `201901` → our period and kind. Any other DHIS2 period type
    (daily, weekly, six-monthly, financial years...) is recognised and refused with its
    type and days named: values are stored by year, quarter and month only."""
    kind, first, last = dhis2_period_range(text)
    if kind in STORED_PERIOD_TYPES:
        return period_parse(text.strip())
    raise ValueError(
        _(
            "%(period)s is a %(type)s period (%(first)s to %(last)s): values are kept by "
            "year, quarter or month, so send it as yearly (2019), quarterly (2019Q1) or "
            "monthly (201901) data."
        )
        % {
            "period": text.strip(),
            "type": _period_type_label(kind),
            "first": first.isoformat(),
            "last": last.isoformat(),
        }
    )


def period_to_dhis2(period: str) -> str:
    return period.replace("-", "")


def dhis2_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


class MappingIndex:
    """The mapping table in both directions, loaded once. DHIS2 identifiers are read by
    UID (the mapping's DHIS2 id) or by CODE (its DHIS2 code), per `schemes`."""

    def __init__(self, schemes: dict[str, str] | None = None) -> None:
        self.schemes = schemes or {}
        self.forward: dict[str, dict[str, Dhis2Mapping]] = {kind: {} for kind in Dhis2Mapping.Kind}
        self.indicator_ids: dict[int, Dhis2Mapping] = {}
        self.country_ids: dict[int, Dhis2Mapping] = {}
        self.site_ids: dict[int, Dhis2Mapping] = {}
        self.combos: dict[str, Dhis2Mapping] = {}
        self.sources: dict[str, Dhis2Mapping] = {}
        mappings = Dhis2Mapping.objects.select_related("indicator", "country", "site").order_by(
            "pk"
        )
        for mapping in mappings:
            identifier = mapping.code if self.scheme(mapping.kind) == CODE else mapping.dhis2_id
            if identifier:
                self.forward[mapping.kind][identifier] = mapping
                self.forward[mapping.kind].setdefault(identifier.lower(), mapping)
            if mapping.kind == Dhis2Mapping.Kind.DATA_ELEMENT and mapping.indicator_id:
                self.indicator_ids.setdefault(mapping.indicator_id, mapping)
            elif mapping.kind == Dhis2Mapping.Kind.ORG_UNIT:
                if mapping.site_id:
                    self.site_ids.setdefault(mapping.site_id, mapping)
                elif mapping.country_id:
                    self.country_ids.setdefault(mapping.country_id, mapping)
            elif mapping.kind == Dhis2Mapping.Kind.CATEGORY_OPTION_COMBO:
                self.combos.setdefault(mapping.disaggregation_key, mapping)
            elif mapping.kind == Dhis2Mapping.Kind.ATTRIBUTE_OPTION_COMBO and mapping.source:
                self.sources.setdefault(mapping.source.lower(), mapping)

    def scheme(self, kind: str) -> str:
        return self.schemes.get(kind, UID)

    def find(self, kind: str, dhis2_id: str) -> Dhis2Mapping | None:
        table = self.forward[kind]
        return table.get(dhis2_id) or table.get(dhis2_id.lower())

    def identifier(self, kind: str, mapping: Dhis2Mapping | None, fallback: str) -> str:
        """How the export names a thing of ours: its mapping's UID or code, else ours."""
        if mapping is None:
            return fallback
        if self.scheme(kind) == CODE:
            return mapping.code or fallback
        return mapping.dhis2_id


def id_schemes(
    *, id_scheme: str = "", org_unit: str = "", data_element: str = "", combo: str = ""
) -> dict[str, str]:
    """DHIS2's idScheme and its narrower orgUnitIdScheme, dataElementIdScheme and
    categoryOptionComboIdScheme as a scheme per mapping kind; ValueError for an unknown
    scheme (UID and CODE are understood)."""
    for text in (id_scheme, org_unit, data_element, combo):
        if text and text.upper() not in ID_SCHEMES:
            raise ValueError(
                _("Unknown id scheme “%(scheme)s”: use UID or CODE.") % {"scheme": text}
            )
    default = (id_scheme or UID).upper()
    kinds = Dhis2Mapping.Kind
    return {
        kinds.DATA_ELEMENT: (data_element or default).upper(),
        kinds.ORG_UNIT: (org_unit or default).upper(),
        kinds.CATEGORY_OPTION_COMBO: (combo or default).upper(),
        kinds.ATTRIBUTE_OPTION_COMBO: (combo or default).upper(),
    }


# --- export ------------------------------------------------------------------------------
def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class OrgUnitFilter:
    """One org unit asked for: a country (its sites too when `children`) or a site."""

    country_id: int
    site_id: int | None = None
    children: bool = False

    def q(self) -> Q:
        if self.site_id is not None:
            return Q(site_id=self.site_id)
        if self.children:
            return Q(country_id=self.country_id)
        return Q(country_id=self.country_id, site__isnull=True)


def org_unit_resolve(
    text: str, *, mappings: MappingIndex, children: bool = False
) -> OrgUnitFilter | None:
    """An org unit by its mapped UID or code, an ISO code or `site-<id>`; None if unknown."""
    mapping = mappings.find(Dhis2Mapping.Kind.ORG_UNIT, text)
    if mapping is not None:
        if mapping.site is not None:
            return OrgUnitFilter(mapping.site.country_id, mapping.site.pk, children)
        return OrgUnitFilter(mapping.country_id, None, children) if mapping.country_id else None
    if text.lower().startswith(SITE_PREFIX) and text[len(SITE_PREFIX) :].isdigit():
        site = Site.objects.filter(pk=int(text[len(SITE_PREFIX) :])).first()
        return OrgUnitFilter(site.country_id, site.pk, children) if site else None
    country = Country.objects.filter(Q(iso2__iexact=text) | Q(iso3__iexact=text)).first()
    return OrgUnitFilter(country.pk, None, children) if country else None


def dhis2_values(
    *,
    user: Actor,
    indicators: Sequence[str] = (),
    countries: Sequence[str] = (),
    sites: Sequence[int] = (),
    org_units: Sequence[OrgUnitFilter] = (),
    data_sets: Sequence[str] = (),
    periods: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
    last_updated: datetime | None = None,
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
    if org_units:
        places = Q()
        for org_unit in org_units:
            places |= org_unit.q()
        values = values.filter(places)
    if data_sets:
        values = values.filter(dhis2__data_set__in=list(data_sets))
    if periods:
        values = values.filter(period__in=list(periods))
    if start or end:
        years = range((start or date(1900, 1, 1)).year, (end or date(2100, 12, 31)).year + 1)
        values = values.filter(period__regex=r"^(" + "|".join(str(y) for y in years) + ")")
    if last_updated:
        values = values.filter(updated_at__gte=last_updated)
    return values.select_related("indicator", "country", "site", "created_by", "dhis2")


def _stamp(moment: datetime | None) -> str:
    """DHIS2's own way of writing a time: 2024-04-08T10:15:30.000 (UTC, no zone)."""
    if moment is None:
        return ""
    moment = moment.astimezone(UTC) if timezone.is_aware(moment) else moment
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def dhis2_export(
    *,
    user: Actor,
    indicators: Sequence[str] = (),
    countries: Sequence[str] = (),
    sites: Sequence[int] = (),
    org_units: Sequence[OrgUnitFilter] = (),
    data_sets: Sequence[str] = (),
    periods: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
    last_updated: datetime | None = None,
    schemes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A dataValueSets document of the values `user` may see. A key reported by several
    sources without their own attribute option combo (DHIS2 has one value per key and
    combo) takes the latest entered value; computed and aggregated values and values not
    known are left out. What DHIS2 sent with a value (storedBy, created, lastUpdated,
    followup) is given back as it came, unless the value was changed here since."""
    mappings = MappingIndex(schemes)
    kinds = Dhis2Mapping.Kind
    chosen: dict[tuple[int, int, int, str, str, str], DataValue] = {}
    found = dhis2_values(
        user=user,
        indicators=indicators,
        countries=countries,
        sites=sites,
        org_units=org_units,
        data_sets=data_sets,
        periods=periods,
        start=start,
        end=end,
        last_updated=last_updated,
    ).order_by("updated_at", "pk")
    for value in found[:MAX_EXPORT]:
        if start or end:
            first, last = period_range(value.period)
            if (start and first < start) or (end and last > end):
                continue
        attribute = mappings.sources.get(value.source.lower())
        key = (
            value.indicator_id,
            value.country_id,
            value.site_id or 0,
            value.period,
            value.disaggregation_key,
            attribute.dhis2_id if attribute else "",
        )
        chosen[key] = value  # later ones win
    data_values = []
    for value in chosen.values():
        if value.value is None:
            continue
        if value.site_id:
            org_unit = mappings.identifier(
                kinds.ORG_UNIT,
                mappings.site_ids.get(value.site_id),
                f"{SITE_PREFIX}{value.site_id}",
            )
        else:
            org_unit = mappings.identifier(
                kinds.ORG_UNIT, mappings.country_ids.get(value.country_id), value.country.iso2
            )
        combo = mappings.identifier(
            kinds.CATEGORY_OPTION_COMBO,
            mappings.combos.get(value.disaggregation_key),
            value.disaggregation_key or DEFAULT_COMBO,
        )
        attribute_id = mappings.identifier(
            kinds.ATTRIBUTE_OPTION_COMBO, mappings.sources.get(value.source.lower()), DEFAULT_COMBO
        )
        record = getattr(value, "dhis2", None)
        kept = record is not None and record.value_updated_at == value.updated_at
        item: dict[str, Any] = {
            "dataElement": mappings.identifier(
                kinds.DATA_ELEMENT,
                mappings.indicator_ids.get(value.indicator_id),
                value.indicator.code,
            ),
            "period": period_to_dhis2(value.period),
            "orgUnit": org_unit,
            "categoryOptionCombo": combo,
            "attributeOptionCombo": attribute_id,
            "value": _number_text(value.value),
            "storedBy": (record.stored_by if kept and record else "")
            or (value.created_by.get_username() if value.created_by else ""),
            "created": _stamp(
                record.created if kept and record and record.created else value.created_at
            ),
            "lastUpdated": _stamp(
                record.last_updated if kept and record and record.last_updated else value.updated_at
            ),
            "followup": bool(record.followup) if record else False,
        }
        if value.comment:
            item["comment"] = value.comment
        data_values.append(item)
    data_values.sort(
        key=lambda item: (
            item["dataElement"],
            item["orgUnit"],
            item["period"],
            item["categoryOptionCombo"],
        )
    )
    document: dict[str, Any] = {}
    if len(data_sets) == 1:
        document["dataSet"] = data_sets[0]
        completed = {
            record.complete_date
            for value in chosen.values()
            if (record := getattr(value, "dhis2", None)) is not None and record.complete_date
        }
        if len(completed) == 1:
            document["completeDate"] = completed.pop().isoformat()
    document["dataValues"] = data_values
    return document


# --- the mapping table -------------------------------------------------------------------
def dhis2_mapping_list(*, user: Actor) -> QuerySet[Dhis2Mapping]:
    """The mapping table: the secretariat's (those who may change values)."""
    mappings = Dhis2Mapping.objects.select_related("indicator", "country", "site")
    if not data_value_policy.user_has_permission(user, "change"):
        return mappings.none()
    return mappings
