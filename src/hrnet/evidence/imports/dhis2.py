"""The DHIS2 importers: a dataValueSets JSON document of data values, and the mapping
table (`Dhis2Mapping`) between DHIS2 identifiers and ours. The format itself (periods,
the mapping index, the export) is in `evidence.dhis2`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
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
from hrnet.core.types import Actor
from hrnet.evidence.dhis2 import (
    DEFAULT_SOURCE,
    SET_DEFAULTS,
    SITE_PREFIX,
    MappingIndex,
    dhis2_text,
    is_default_combo,
    period_from_dhis2,
)
from hrnet.evidence.formats import disaggregation_key, disaggregation_parse
from hrnet.evidence.imports.values import (
    CategoryIndex,
    SiteIndex,
    ValueRowsImporter,
    indicator_index,
    source_problems,
    value_problems,
)
from hrnet.evidence.models import Dhis2Mapping, Indicator
from hrnet.evidence.services.store import ValueIn
from hrnet.geo.models import Country
from hrnet.geo.selectors import CountryIndex
from hrnet.outreach.models import Site


@register_importer
class Dhis2Importer(ValueRowsImporter):
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
    fallback_source: ClassVar = DEFAULT_SOURCE

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
        defaults = {key: dhis2_text(payload.get(key)) for key in SET_DEFAULTS}
        rows: list[tuple[int, dict[str, str]]] = []
        for line, item in enumerate(payload["dataValues"], start=1):
            fields = item if isinstance(item, dict) else {}
            row = {key: dhis2_text(value) for key, value in fields.items()}
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
        self.indicators = indicator_index()
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
        return self.value_once(item, line, column="dataElement", text=element)


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

    def __init__(self, *, actor: Actor | None = None) -> None:
        super().__init__(actor=actor)
        self.seen: dict[tuple[str, str], int] = {}

    def prepare(self) -> None:
        self.countries = CountryIndex()
        self.indicators = indicator_index()
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
