"""DHIS2 dataValueSets JSON in and out, through the mapping table (`Dhis2Mapping`)
between DHIS2 identifiers (UID or code) and ours.

Without a mapping, our own codes are understood: an indicator code as data element, an
ISO code as org unit (`site-<id>` for a site), `sex=female;age=<25` as category option
combo, and DHIS2's default combo (`HllvX50cXC0` or `default`) as the total. The export
uses the first mapping of each of ours (by id) and falls back to the same codes, so an
export imports again.

Only yearly, quarterly and monthly DHIS2 periods have a place here; weekly, six-monthly,
financial-year and daily values are refused row by row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.imports import (
    FileUnreadable,
    Importer,
    ImportReport,
    ProgressCallback,
    RowError,
    RowInvalid,
    register_importer,
)
from hrnet.core.models import TaskProgress
from hrnet.evidence.imports import CategoryIndex, SiteIndex, source_problems, value_problems
from hrnet.evidence.models import DERIVED_SOURCES, DataValue, Dhis2Mapping, Indicator
from hrnet.evidence.periods import disaggregation_key, disaggregation_parse, period_parse
from hrnet.evidence.policies import data_value_policy
from hrnet.evidence.selectors import ValueFilters, value_list
from hrnet.evidence.services import ValueIn, ValueKey, WriteResult, data_values_write
from hrnet.geo.models import Country
from hrnet.geo.selectors import CountryIndex
from hrnet.outreach.models import Site

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


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of one of our periods."""
    year = int(period[:4])
    if "Q" in period:
        quarter = int(period[5])
        first, last = 3 * quarter - 2, 3 * quarter
    elif "-" in period:
        first = last = int(period[5:7])
    else:
        first, last = 1, 12
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def _text(value: Any) -> str:
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


@register_importer
class Dhis2Importer(Importer[ValueIn]):
    """A DHIS2 dataValueSets JSON document: a row is one data value, its line the data
    value's position (from 1) and its columns DHIS2's keys."""

    name = "evidence.dhis2"
    label = gettext_lazy("DHIS2 data values")
    required_columns: ClassVar = ("dataElement", "period", "orgUnit", "value")
    optional_columns: ClassVar = (
        "categoryOptionCombo",
        "attributeOptionCombo",
        "comment",
        "storedBy",
    )
    records_import_job: ClassVar = True

    def __init__(
        self,
        *,
        actor: Any = None,
        source: str = "",
        import_job: TaskProgress | None = None,
    ) -> None:
        super().__init__(actor=actor)
        self.default_source = source.strip() or DEFAULT_SOURCE
        self.import_job = import_job
        self.seen: dict[ValueKey, int] = {}
        self.result: WriteResult | None = None

    @staticmethod
    def detect_format(filename: str, declared: str | None = None) -> str:
        fmt = (declared or Path(filename).suffix.lstrip(".")).lower()
        if fmt not in {"dhis2", "json"}:
            raise FileUnreadable(
                _("Unsupported file type “%(type)s”: upload a DHIS2 dataValueSets JSON file.")
                % {"type": fmt}
            )
        return "dhis2"

    # --- reading: JSON instead of a table --------------------------------------------------
    def read(self, data: bytes | dict[str, Any]) -> list[tuple[int, dict[str, str]]]:
        """The data values as rows of text, the set's period, orgUnit and
        attributeOptionCombo filled in where a value has none."""
        if isinstance(data, dict):
            payload: Any = data
        else:
            try:
                payload = json.loads(data.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise FileUnreadable(_("The file is not JSON.")) from exc
        if not isinstance(payload, dict) or not isinstance(payload.get("dataValues"), list):
            raise FileUnreadable(_("Not a DHIS2 dataValueSets document: “dataValues” is missing."))
        defaults = {key: _text(payload.get(key)) for key in SET_DEFAULTS}
        rows: list[tuple[int, dict[str, str]]] = []
        for line, item in enumerate(payload["dataValues"], start=1):
            fields = item if isinstance(item, dict) else {}
            row = {key: _text(value) for key, value in fields.items()}
            for key, value in defaults.items():
                if value and not row.get(key):
                    row[key] = value
            rows.append((line, row))
        return rows

    def run(
        self,
        data: bytes | dict[str, Any],
        *,
        fmt: str = "dhis2",
        partial: bool = False,
        progress: ProgressCallback | None = None,
    ) -> ImportReport:
        # Importer.run reads CSV or XLSX; the rest of the run is the same.
        report = ImportReport(partial=partial)
        try:
            rows = self.read(data)
        except FileUnreadable as exc:
            report.errors.append(RowError(0, "", str(exc)))
            return report
        report.rows = total = len(rows)
        self.prepare()
        cleaned: list[ValueIn] = []
        for index, (line, row) in enumerate(rows, start=1):
            try:
                cleaned.append(self.clean_row(row, line))
            except RowInvalid as exc:
                report.errors += [RowError(line, col, msg, val) for col, msg, val in exc.problems]
            if progress and (index % 200 == 0 or index == total):
                progress(index, total)
        if report.errors and not partial:
            return report
        report.written = self.write(cleaned) if cleaned else 0
        return report

    # --- cleaning ------------------------------------------------------------------------
    def prepare(self) -> None:
        self.mappings = MappingIndex()
        self.indicators = {
            indicator.code.upper(): indicator for indicator in Indicator.objects.all()
        }
        self.countries = {country.iso2.upper(): country for country in Country.objects.all()}
        self.countries.update(
            {country.iso3.upper(): country for country in self.countries.values()}
        )
        self.categories = CategoryIndex()
        self.sites = SiteIndex()

    def _indicator(self, text: str) -> Indicator | None:
        mapping = self.mappings.find(Dhis2Mapping.Kind.DATA_ELEMENT, text)
        if mapping is not None:
            return mapping.indicator
        return self.indicators.get(text.upper())

    def _place(self, text: str) -> tuple[Country | None, Site | None]:
        mapping = self.mappings.find(Dhis2Mapping.Kind.ORG_UNIT, text)
        if mapping is not None:
            if mapping.site is not None:
                return mapping.site.country, mapping.site
            return mapping.country, None
        if text.lower().startswith(SITE_PREFIX) and text[len(SITE_PREFIX) :].isdigit():
            site = self.sites.get(int(text[len(SITE_PREFIX) :]))
            return (site.country, site) if site else (None, None)
        return self.countries.get(text.upper()), None

    def _disaggregation(self, text: str) -> dict[str, str] | None:
        mapping = self.mappings.find(Dhis2Mapping.Kind.CATEGORY_OPTION_COMBO, text)
        if mapping is not None:
            return dict(mapping.disaggregation)
        if is_default_combo(text):
            return {}
        if "=" in text:
            try:
                return disaggregation_parse(text)
            except ValueError:
                return None
        return None

    def clean_row(self, row: dict[str, str], line: int) -> ValueIn:
        problems: list[tuple[str, str, str]] = []
        for key in self.required_columns:
            if key != "value" and not row.get(key):
                problems.append((key, _("Missing."), ""))
        element = row.get("dataElement", "")
        indicator = self._indicator(element) if element else None
        if element and indicator is None:
            problems.append(
                (
                    "dataElement",
                    _("Unknown data element: map it to an indicator or use an indicator code."),
                    element,
                )
            )
        period = kind = ""
        if row.get("period"):
            try:
                period, kind = period_from_dhis2(row["period"])
            except ValueError as exc:
                problems.append(("period", str(exc) or _("Bad period."), row["period"]))
        org_unit = row.get("orgUnit", "")
        country, site = self._place(org_unit) if org_unit else (None, None)
        if org_unit and country is None:
            problems.append(
                (
                    "orgUnit",
                    _(
                        "Unknown organisation unit: map it to a country or site, "
                        "or use an ISO code."
                    ),
                    org_unit,
                )
            )
        combo = row.get("categoryOptionCombo", "")
        disaggregation = self._disaggregation(combo)
        if disaggregation is None:
            problems.append(
                (
                    "categoryOptionCombo",
                    _("Unknown category option combo: map it to a disaggregation."),
                    combo,
                )
            )
        if not is_default_combo(row.get("attributeOptionCombo", "")):
            problems.append(
                (
                    "attributeOptionCombo",
                    _("Only the default attribute option combo is supported."),
                    row["attributeOptionCombo"],
                )
            )
        value, value_errors = value_problems(row.get("value", ""))
        problems += value_errors
        problems += source_problems(self.default_source)
        if indicator is not None and disaggregation:
            problems += [
                ("categoryOptionCombo", message, combo)
                for _name, message, _value in self.categories.problems(indicator, disaggregation)
            ]
        if problems or indicator is None or country is None or disaggregation is None:
            raise RowInvalid(problems)
        item = ValueIn(
            indicator=indicator,
            country=country,
            site=site,
            period=period,
            period_kind=kind,
            source=self.default_source,
            value=value,
            disaggregation=disaggregation,
            comment=row.get("comment", ""),
        )
        earlier = self.seen.setdefault(item.key, line)
        if earlier != line:
            raise RowInvalid(
                [
                    (
                        "dataElement",
                        _("The same value is given on line %(line)s.") % {"line": earlier},
                        element,
                    )
                ]
            )
        return item

    def write(self, rows: list[ValueIn]) -> int:
        self.result = data_values_write(values=rows, actor=self.actor, import_job=self.import_job)
        return self.result.written


# --- export ------------------------------------------------------------------------------
def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def dhis2_values(
    *,
    user: Any,
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
    user: Any,
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
            first, last = period_bounds(value.period)
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
def dhis2_mapping_list(*, user: Any) -> QuerySet[Dhis2Mapping]:
    """The mapping table: the secretariat's (those who may change values)."""
    mappings = Dhis2Mapping.objects.select_related("indicator", "country", "site")
    if not data_value_policy.user_has_permission(user, "change"):
        return mappings.none()
    return mappings


@register_importer
class Dhis2MappingImporter(Importer[Dhis2Mapping]):
    """Rows `kind, dhis2_id, indicator, disaggregation, country, site`: a data element
    names an indicator code, a category option combo a disaggregation (`sex=female;
    age=<25`, or `total`), an org unit a country (ISO code or name) or a site (its id, or
    its name with the country). A mapping of the same kind and DHIS2 id is replaced."""

    name = "evidence.dhis2_mappings"
    label = gettext_lazy("DHIS2 mappings")
    required_columns: ClassVar = ("kind", "dhis2_id")
    optional_columns: ClassVar = ("indicator", "disaggregation", "country", "site")

    def __init__(self, *, actor: Any = None) -> None:
        super().__init__(actor=actor)
        self.seen: dict[tuple[str, str], int] = {}

    def prepare(self) -> None:
        self.countries = CountryIndex()
        self.indicators = {
            indicator.code.upper(): indicator for indicator in Indicator.objects.all()
        }
        self.sites = SiteIndex()

    def clean_row(self, row: dict[str, str], line: int) -> Dhis2Mapping:
        problems: list[tuple[str, str, str]] = []
        kind = row["kind"].strip().lower()
        if kind not in Dhis2Mapping.Kind.values:
            problems.append(
                (
                    "kind",
                    _("Write one of: %(kinds)s.") % {"kinds": ", ".join(Dhis2Mapping.Kind.values)},
                    row["kind"],
                )
            )
        dhis2_id = row["dhis2_id"].strip()
        if not dhis2_id or len(dhis2_id) > 64:
            problems.append(
                ("dhis2_id", _("Give a DHIS2 UID or code of at most 64 characters."), dhis2_id)
            )
        mapping = Dhis2Mapping(kind=kind, dhis2_id=dhis2_id)
        if kind == Dhis2Mapping.Kind.DATA_ELEMENT:
            mapping.indicator = self.indicators.get(row.get("indicator", "").strip().upper())
            if mapping.indicator is None:
                problems.append(
                    ("indicator", _("Unknown indicator code."), row.get("indicator", ""))
                )
        elif kind == Dhis2Mapping.Kind.CATEGORY_OPTION_COMBO:
            try:
                mapping.disaggregation = disaggregation_parse(row.get("disaggregation", ""))
            except ValueError:
                problems.append(
                    (
                        "disaggregation",
                        _("Write a disaggregation as sex=female;age=<25 or total."),
                        row.get("disaggregation", ""),
                    )
                )
            mapping.disaggregation_key = disaggregation_key(mapping.disaggregation)
        elif kind == Dhis2Mapping.Kind.ORG_UNIT:
            country_text = row.get("country", "").strip()
            site_text = row.get("site", "").strip()
            country = None
            if country_text:
                try:
                    country = self.countries.resolve(country_text)
                except ValidationError:
                    problems.append(("country", _("Unknown country."), country_text))
            if site_text.isdigit():
                site = self.sites.get(int(site_text))
                if site is None:
                    problems.append(("site", _("Unknown site."), site_text))
                else:
                    mapping.site, mapping.country = site, site.country
            elif site_text and country is not None:
                try:
                    mapping.site = self.sites.resolve(site_text, country)
                    mapping.country = country
                except ValueError as exc:
                    problems.append(("site", str(exc), site_text))
            elif site_text:
                problems.append(("country", _("Name the site's country."), country_text))
            elif country is not None:
                mapping.country = country
            elif not country_text:
                problems.append(("country", _("Give a country or a site."), ""))
        earlier = self.seen.setdefault((kind, dhis2_id), line)
        if earlier != line:
            problems.append(
                (
                    "dhis2_id",
                    _("The same value is given on line %(line)s.") % {"line": earlier},
                    dhis2_id,
                )
            )
        if problems:
            raise RowInvalid(problems)
        return mapping

    def write(self, rows: list[Dhis2Mapping]) -> int:
        for mapping in rows:
            Dhis2Mapping.objects.update_or_create(
                kind=mapping.kind,
                dhis2_id=mapping.dhis2_id,
                defaults={
                    "indicator": mapping.indicator,
                    "disaggregation": mapping.disaggregation,
                    "disaggregation_key": mapping.disaggregation_key,
                    "country": mapping.country,
                    "site": mapping.site,
                },
            )
        return len(rows)
