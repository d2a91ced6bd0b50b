"""Importers for a network's own geography: sub-regions with their countries, and aliases.

The file format is the one of data/ceeca-regions.csv; name columns may be given for every
interface language (`subregion_name_<lang>`, `country_name_<lang>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.audit import log_action
from hrnet.core.imports import Importer, RowError, RowInvalid, register_importer
from hrnet.geo.audit import Action
from hrnet.geo.models import Country, CountryAlias, SubRegion, normalize_name
from hrnet.geo.selectors import CountryIndex

BATCH = 500
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
_NAME_COLUMN = re.compile(r"^(subregion|country)_name_(?P<lang>[a-z]{2,3}(?:-[a-z]+)?)$")


def _names(row: dict[str, str], prefix: str) -> dict[str, str]:
    return {
        match["lang"]: value
        for column, value in row.items()
        if (match := _NAME_COLUMN.match(column)) and column.startswith(prefix) and value
    }


@dataclass
class GeographyRow:
    subregion_code: str
    subregion_names: dict[str, str]
    iso2: str
    iso3: str
    country_names: dict[str, str]


@register_importer
class GeographyImporter(Importer[GeographyRow]):
    name = "geo.geography"
    label = gettext_lazy("Sub-regions and countries")
    required_columns = ("subregion_code", "country_iso2", "country_iso3")
    optional_columns = ("source",)

    def accepts_column(self, column: str) -> bool:
        match = _NAME_COLUMN.match(column)
        return bool(match and match["lang"] in LANGUAGE_CODES)

    def check_header(self, header: list[str]) -> list[RowError]:
        errors = super().check_header(header)
        for prefix in ("subregion", "country"):
            column = f"{prefix}_name_{settings.LANGUAGE_CODE}"
            if column not in header:
                message = _("Required column “%(column)s” is missing.") % {"column": column}
                errors.append(RowError(1, column, message))
        return errors

    def prepare(self) -> None:
        self.seen_iso2: dict[str, int] = {}
        self.seen_iso3: dict[str, int] = {}

    def clean_row(self, row: dict[str, str], line: int) -> GeographyRow:
        problems: list[tuple[str, str, str]] = []
        code = row["subregion_code"]
        iso2 = row["country_iso2"].upper()
        iso3 = row["country_iso3"].upper()
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,50}", code):
            problems.append(
                ("subregion_code", _("A code of letters, digits, - or _ is required."), code)
            )
        if not re.fullmatch(r"[A-Z]{2}", iso2):
            problems.append(("country_iso2", _("Two letters are required."), row["country_iso2"]))
        elif iso2 in self.seen_iso2:
            problems.append(
                (
                    "country_iso2",
                    _("Already given on line %(line)s.") % {"line": self.seen_iso2[iso2]},
                    iso2,
                )
            )
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            problems.append(("country_iso3", _("Three letters are required."), row["country_iso3"]))
        elif iso3 in self.seen_iso3:
            problems.append(
                (
                    "country_iso3",
                    _("Already given on line %(line)s.") % {"line": self.seen_iso3[iso3]},
                    iso3,
                )
            )
        subregion_names = _names(row, "subregion")
        country_names = _names(row, "country")
        default = settings.LANGUAGE_CODE
        if not subregion_names.get(default):
            problems.append((f"subregion_name_{default}", _("A name is required."), ""))
        if not country_names.get(default):
            problems.append((f"country_name_{default}", _("A name is required."), ""))
        if problems:
            raise RowInvalid(problems)
        self.seen_iso2[iso2] = line
        self.seen_iso3[iso3] = line
        return GeographyRow(code, subregion_names, iso2, iso3, country_names)

    def write(self, rows: list[GeographyRow]) -> int:
        subregions: dict[str, SubRegion] = {}
        positions: dict[str, int] = {}
        for row in rows:
            if row.subregion_code not in subregions:
                subregion, _created = SubRegion.objects.update_or_create(
                    code=row.subregion_code,
                    defaults={"names": row.subregion_names, "position": len(subregions)},
                )
                subregions[row.subregion_code] = subregion
            position = positions.get(row.subregion_code, 0)
            positions[row.subregion_code] = position + 1
            # Match an existing country on either code so a corrected code updates in place.
            country = (
                Country.objects.filter(iso2=row.iso2).first()
                or Country.objects.filter(iso3=row.iso3).first()
                or Country()
            )
            country.iso2, country.iso3 = row.iso2, row.iso3
            country.names = row.country_names
            country.subregion = subregions[row.subregion_code]
            country.position = position
            country.save()
        log_action(
            actor=self.actor,
            action=Action.GEOGRAPHY_IMPORT,
            changes={"countries": len(rows), "subregions": len(subregions)},
        )
        return len(rows)


@dataclass
class AliasRow:
    country: Country
    alias: str


@register_importer
class CountryAliasImporter(Importer[AliasRow]):
    name = "geo.aliases"
    label = gettext_lazy("Country aliases")
    required_columns = ("country", "alias")

    def prepare(self) -> None:
        self.index = CountryIndex()
        self.seen: dict[str, int] = {}

    def clean_row(self, row: dict[str, str], line: int) -> AliasRow:
        problems: list[tuple[str, str, str]] = []
        country = None
        try:
            country = self.index.resolve(row["country"])
        except ValidationError as exc:
            problems.append(("country", exc.messages[0], row["country"]))
        alias = row["alias"]
        key = normalize_name(alias)
        if not key:
            problems.append(("alias", _("An alias is required."), alias))
        elif key in self.seen:
            problems.append(
                ("alias", _("Already given on line %(line)s.") % {"line": self.seen[key]}, alias)
            )
        else:
            try:
                other = self.index.resolve(alias)
            except ValidationError:
                other = None
            if other is not None and country is not None and other != country:
                problems.append(
                    (
                        "alias",
                        _("This alias already refers to %(country)s.") % {"country": other.name},
                        alias,
                    )
                )
        if problems or country is None:
            raise RowInvalid(problems)
        self.seen[key] = line
        return AliasRow(country, alias)

    def write(self, rows: list[AliasRow]) -> int:
        # In bulk: one query per few hundred rows, not two per row.
        by_key = {normalize_name(row.alias): row for row in rows}
        keys = list(by_key)
        existing: dict[str, CountryAlias] = {}
        for start in range(0, len(keys), BATCH):
            for alias in CountryAlias.objects.filter(key__in=keys[start : start + BATCH]):
                existing[alias.key] = alias
        new: list[CountryAlias] = []
        changed: list[CountryAlias] = []
        for key, row in by_key.items():
            alias = existing.get(key) or CountryAlias(key=key)
            alias.country, alias.name = row.country, row.alias
            (changed if alias.pk else new).append(alias)
        CountryAlias.objects.bulk_create(new, batch_size=BATCH)
        CountryAlias.objects.bulk_update(changed, ["country", "name"], batch_size=BATCH)
        log_action(actor=self.actor, action=Action.ALIAS_IMPORT, changes={"aliases": len(rows)})
        return len(rows)
