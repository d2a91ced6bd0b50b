"""Loading geography reference data: the network's sub-regions, countries and aliases from
the data files (the same importers the secretariat's upload uses)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hrnet.core.imports import ImportReport
from hrnet.core.types import Actor
from hrnet.geo.imports import CountryAliasImporter, GeographyImporter

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_GEOGRAPHY = DATA_DIR / "ceeca-regions.csv"
DEFAULT_ALIASES = DATA_DIR / "country-aliases.csv"


def _raise_on_errors(report: ImportReport, path: Path) -> ImportReport:
    if report.errors:
        lines = "; ".join(
            f"{error.line}:{error.column}: {error.message}" for error in report.errors[:20]
        )
        raise ValidationError(
            _("%(file)s was not loaded: %(errors)s") % {"file": path.name, "errors": lines}
        )
    return report


def geography_load(
    *,
    geography: Path = DEFAULT_GEOGRAPHY,
    aliases: Path | None = DEFAULT_ALIASES,
    actor: Actor | None = None,
) -> tuple[int, int]:
    """Load (or refresh) sub-regions, countries and aliases; returns (countries, aliases)."""
    report = GeographyImporter(actor=actor).run(geography.read_bytes(), fmt="csv")
    _raise_on_errors(report, geography)
    alias_count = 0
    if aliases is not None:
        alias_report = CountryAliasImporter(actor=actor).run(aliases.read_bytes(), fmt="csv")
        alias_count = _raise_on_errors(alias_report, aliases).written
    return report.written, alias_count
