"""The DHIS2 importers: a dataValueSets JSON document of data values, and the mapping
table (`Dhis2Mapping`) between DHIS2 identifiers and ours. The format itself (periods,
the mapping index, the export) is in `evidence.dhis2`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
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
    STRATEGIES,
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
from hrnet.evidence.models import DataValue, Dhis2Mapping, Dhis2ValueRecord, Indicator
from hrnet.evidence.services.rollups import rollups_for_changes
from hrnet.evidence.services.store import ValueIn, ValueKey, values_existing
from hrnet.evidence.services.values import computed_values_recompute
from hrnet.geo.models import Country
from hrnet.geo.selectors import CountryIndex
from hrnet.outreach.models import Site

_TRUE = {"true", "1", "yes"}


@dataclass(frozen=True)
class Dhis2Extra:
    """What a DHIS2 data value carries besides the value itself."""

    deleted: bool = False
    data_set: str = ""
    stored_by: str = ""
    created: datetime | None = None
    last_updated: datetime | None = None
    complete_date: date | None = None
    followup: bool = False


@dataclass
class Dhis2Counts:
    """DHIS2's importCount."""

    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0


def _moment(text: str) -> datetime | None:
    """A DHIS2 time (2024-04-08T10:15:30.000, zone optional, UTC if none); ValueError."""
    if not text:
        return None
    day = parse_date(text)
    moment = parse_datetime(text) or (datetime.combine(day, datetime.min.time()) if day else None)
    if moment is None:
        raise ValueError(text)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


@register_importer
class Dhis2Importer(ValueRowsImporter):
    """A DHIS2 dataValueSets JSON document: a row is one data value, its line the data
    value's position (from 1) and its columns DHIS2's keys.

    As DHIS2 2.40 does: `dry_run` checks and counts without writing; `strategy` is
    CREATE_AND_UPDATE, CREATE (existing values ignored), UPDATE (new ones ignored) or
    DELETE; `"deleted": true` deletes the value; identifiers are read by UID or CODE
    (`schemes`); an attribute option combo is a source through its mapping."""

    name = "evidence.dhis2"
    label = gettext_lazy("DHIS2 data values")
    required_columns: ClassVar = ("dataElement", "period", "orgUnit", "value")
    optional_columns: ClassVar = (
        "categoryOptionCombo",
        "attributeOptionCombo",
        "comment",
        "storedBy",
        "created",
        "lastUpdated",
        "followup",
        "deleted",
    )
    fallback_source: ClassVar = DEFAULT_SOURCE

    def __init__(
        self,
        *,
        actor: Actor | None = None,
        source: str = "",
        import_job: Any = None,
        dry_run: bool = False,
        strategy: str = "CREATE_AND_UPDATE",
        schemes: dict[str, str] | None = None,
    ) -> None:
        super().__init__(actor=actor, source=source, import_job=import_job)
        self.dry_run = dry_run
        self.strategy = strategy.upper() if strategy.upper() in STRATEGIES else STRATEGIES[0]
        self.schemes = schemes or {}
        self.extras: dict[ValueKey, Dhis2Extra] = {}
        self.counts = Dhis2Counts()

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
            self.counts.ignored = report.rows
            return report
        with transaction.atomic():
            report.written = self.write(cleaned) if cleaned else 0
            if self.dry_run:
                transaction.set_rollback(True)  # counted as if, nothing kept
        self.counts.ignored = report.rows - (
            self.counts.imported + self.counts.updated + self.counts.deleted
        )
        return report

    # --- cleaning ------------------------------------------------------------------------
    def prepare(self) -> None:
        self.mappings = MappingIndex(self.schemes)
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
        attribute = row.get("attributeOptionCombo", "")
        source = self.default_source
        attribute_mapping = self.mappings.find(Dhis2Mapping.Kind.ATTRIBUTE_OPTION_COMBO, attribute)
        if attribute_mapping is not None and attribute_mapping.source:
            source = attribute_mapping.source
        elif not is_default_combo(attribute):
            problems.append(
                (
                    "attributeOptionCombo",
                    _("Unknown attribute option combo: map it to a source."),
                    attribute,
                )
            )
        extra, extra_problems = self._extra(row)
        problems += extra_problems
        if extra.deleted or self.strategy == "DELETE":
            value = None  # a value being deleted need not be a number
        else:
            value, value_errors = value_problems(row.get("value", ""))
            problems += value_errors
        problems += source_problems(source)
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
            source=source,
            value=value,
            disaggregation=disaggregation,
            comment=row.get("comment", ""),
        )
        item = self.value_once(item, line, column="dataElement", text=element)
        self.extras[item.key] = extra
        return item

    def _extra(self, row: dict[str, str]) -> tuple[Dhis2Extra, list[tuple[str, str, str]]]:
        problems: list[tuple[str, str, str]] = []
        moments: dict[str, datetime | None] = {}
        for key in ("created", "lastUpdated"):
            try:
                moments[key] = _moment(row.get(key, ""))
            except ValueError:
                moments[key] = None
                problems.append(
                    (key, _("Not a date and time such as 2024-04-08T10:15:30."), row[key])
                )
        complete: date | None = None
        if row.get("completeDate"):
            complete = parse_date(row["completeDate"][:10])
            if complete is None:
                problems.append(
                    ("completeDate", _("Not a date such as 2024-04-08."), row["completeDate"])
                )
        extra = Dhis2Extra(
            deleted=row.get("deleted", "").lower() in _TRUE,
            data_set=row.get("dataSet", "")[:64],
            stored_by=row.get("storedBy", "")[:255],
            created=moments["created"],
            last_updated=moments["lastUpdated"],
            complete_date=complete,
            followup=row.get("followup", "").lower() in _TRUE,
        )
        return extra, problems

    # --- writing -------------------------------------------------------------------------
    def write(self, rows: list[ValueIn]) -> int:
        """Deletes, creates and updates as the strategy says; counts as DHIS2 does (a value
        sent unchanged is ignored, so an export imported again changes nothing)."""
        existing = values_existing(item.key for item in rows)
        deleting = self.strategy == "DELETE"
        to_delete = [
            existing[item.key]
            for item in rows
            if (deleting or self.extras[item.key].deleted) and item.key in existing
        ]
        to_write = [
            item
            for item in rows
            if not (deleting or self.extras[item.key].deleted)
            and not (self.strategy == "CREATE" and item.key in existing)
            and not (self.strategy == "UPDATE" and item.key not in existing)
        ]
        if to_delete:
            deleted_keys = {
                (
                    v.indicator_id,
                    v.country_id,
                    v.site_id or 0,
                    v.period,
                    v.disaggregation_key,
                    v.source,
                )
                for v in to_delete
            }
            DataValue.objects.filter(pk__in=[v.pk for v in to_delete]).delete()
            rolled = rollups_for_changes(
                changed_keys=deleted_keys, actor=self.actor, import_job=self.import_job
            )
            computed_values_recompute(
                changed_keys=deleted_keys | rolled.changed_keys,
                actor=self.actor,
                import_job=self.import_job,
            )
            self.counts.deleted = len(to_delete)
        if to_write:
            super().write(to_write)
            result = self.result
            self.counts.imported = result.created if result else 0
            self.counts.updated = (result.replaced if result else 0) + self._records_keep(
                to_write, changed=result.changed_keys if result else set()
            )
        return self.counts.imported + self.counts.updated + self.counts.deleted

    def _records_keep(self, rows: list[ValueIn], *, changed: set[ValueKey]) -> int:
        """Keep what DHIS2 said of each value written; the number of values whose only
        change is there (a new follow-up flag, another storedBy), which DHIS2 counts as
        updated."""
        stored = values_existing(item.key for item in rows)
        records = {
            record.pk: record
            for record in Dhis2ValueRecord.objects.filter(
                data_value_id__in=[value.pk for value in stored.values()]
            )
        }
        changed_meta = 0
        to_save: list[Dhis2ValueRecord] = []
        for item in rows:
            value = stored.get(item.key)
            if value is None:
                continue
            extra = self.extras[item.key]
            wanted = Dhis2ValueRecord(
                data_value_id=value.pk,
                data_set=extra.data_set,
                stored_by=extra.stored_by,
                created=extra.created,
                last_updated=extra.last_updated,
                complete_date=extra.complete_date,
                followup=extra.followup,
                value_updated_at=value.updated_at,
            )
            record = records.get(value.pk)
            if record is not None and wanted.complete_date is None:
                wanted.complete_date = record.complete_date  # a file without one keeps it
            fields = (
                "data_set",
                "stored_by",
                "created",
                "last_updated",
                "complete_date",
                "followup",
            )
            same = record is not None and all(
                getattr(record, name) == getattr(wanted, name) for name in fields
            )
            if same and record is not None and record.value_updated_at == value.updated_at:
                continue
            if not same and item.key not in changed:
                changed_meta += 1
            to_save.append(wanted)
        Dhis2ValueRecord.objects.bulk_create(
            to_save,
            update_conflicts=True,
            unique_fields=["data_value"],
            update_fields=[
                "data_set",
                "stored_by",
                "created",
                "last_updated",
                "complete_date",
                "followup",
                "value_updated_at",
            ],
        )
        return changed_meta


@register_importer
class Dhis2MappingImporter(Importer[Dhis2Mapping]):
    """Rows `kind, dhis2_id, indicator, disaggregation, country, site`: a data element
    names an indicator code, a category option combo a disaggregation (`sex=female;
    age=<25`, or `total`), an org unit a country (ISO code or name) or a site (its id, or
    its name with the country). A mapping of the same kind and DHIS2 id is replaced."""

    name = "evidence.dhis2_mappings"
    label = gettext_lazy("DHIS2 mappings")
    required_columns: ClassVar = ("kind", "dhis2_id")
    optional_columns: ClassVar = (
        "indicator",
        "disaggregation",
        "country",
        "site",
        "code",
        "source",
    )

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
        mapping = Dhis2Mapping(kind=kind, dhis2_id=dhis2_id, code=row.get("code", "").strip()[:64])
        if kind == Dhis2Mapping.Kind.ATTRIBUTE_OPTION_COMBO:
            mapping.source = row.get("source", "").strip()
            problems += [(n, m, v) for n, m, v in source_problems(mapping.source)]
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
                    "code": mapping.code,
                    "source": mapping.source,
                },
            )
        return len(rows)
