"""The tidy-values importer (`evidence.values`): one value per row with the columns
`country`, `year` or `period`, `indicator`, `value`, optional `site`, `source` and
`comment`, and any other column as a disaggregation (sex, age, key_population, ...).

The checks shared with the DHIS2 importer (a disaggregation against the indicator's
category set, a site within its country) live here as small helpers."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.imports import Importer, RowError, RowInvalid, register_importer
from hrnet.core.models import TaskProgress
from hrnet.core.periods import period_parse
from hrnet.core.types import Actor
from hrnet.evidence.formats import is_unknown_text, number_parse
from hrnet.evidence.models import DERIVED_SOURCES, VALUE_DIGITS, VALUE_PLACES, Indicator
from hrnet.evidence.services.store import ValueIn, ValueKey, WriteResult
from hrnet.evidence.services.values import data_values_write
from hrnet.geo.models import Country
from hrnet.geo.selectors import CountryIndex
from hrnet.outreach.models import Site

MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
SOURCE_LENGTH = 100
DISAGGREGATION_LENGTH = 64

Problem = tuple[str, str, str]


class CategoryIndex:
    """For each indicator with a category set, its categories and their option codes
    (lower case, as the importers store disaggregation values)."""

    def __init__(self) -> None:
        self._by_indicator: dict[int, dict[str, set[str]]] = {}
        indicators = Indicator.objects.filter(category_set__isnull=False).prefetch_related(
            "category_set__categories"
        )
        for indicator in indicators:
            category_set = indicator.category_set
            if category_set is None:
                continue
            self._by_indicator[indicator.pk] = {
                category.code.lower(): {code.lower() for code in category.option_codes}
                for category in category_set.categories.all()
            }

    def problems(self, indicator: Indicator, disaggregation: dict[str, str]) -> list[Problem]:
        """One (column, message, value) per disaggregation name or value the indicator's
        category set does not have; none for an indicator without a category set."""
        categories = self._by_indicator.get(indicator.pk)
        if categories is None:
            return []
        problems: list[Problem] = []
        for name, value in disaggregation.items():
            if name not in categories:
                problems.append(
                    (
                        name,
                        _("%(indicator)s is not split by “%(name)s”; it is split by: %(names)s.")
                        % {
                            "indicator": indicator.code,
                            "name": name,
                            "names": ", ".join(sorted(categories)) or "—",
                        },
                        value,
                    )
                )
            elif value not in categories[name]:
                problems.append(
                    (
                        name,
                        _("“%(value)s” is not an option of “%(name)s”; expected: %(options)s.")
                        % {
                            "value": value,
                            "name": name,
                            "options": ", ".join(sorted(categories[name])) or "—",
                        },
                        value,
                    )
                )
        return problems


class SiteIndex:
    """Sites by id and by name within their country, loaded once per import."""

    def __init__(self) -> None:
        self._by_id: dict[int, Site] = {}
        self._by_name: dict[tuple[int, str], list[Site]] = {}
        for site in Site.objects.all():
            self._by_id[site.pk] = site
            self._by_name.setdefault((site.country_id, site.name.strip().lower()), []).append(site)

    def get(self, pk: int) -> Site | None:
        return self._by_id.get(pk)

    def resolve(self, text: str, country: Country) -> Site:
        """The site named `text` (its id, or its name) in `country`; ValueError with the
        reason otherwise."""
        query = text.strip()
        if query.isdigit():
            site = self._by_id.get(int(query))
            if site is None:
                raise ValueError(_("Unknown site."))
            if site.country_id != country.pk:
                raise ValueError(
                    _("The site is in another country than %(country)s.")
                    % {"country": country.iso2}
                )
            return site
        found = self._by_name.get((country.pk, query.lower()), [])
        if not found:
            raise ValueError(_("No site of this name in %(country)s.") % {"country": country.iso2})
        if len(found) > 1:
            raise ValueError(
                _("Several sites have this name in %(country)s; give the site's id instead.")
                % {"country": country.iso2}
            )
        return found[0]


def source_problems(source: str) -> list[Problem]:
    if not source:
        return [("source", _("Name the source of the value."), "")]
    if source.lower() in DERIVED_SOURCES:
        # Recomputation and roll-ups own these sources and would overwrite the import.
        return [
            (
                "source",
                _("“%(source)s” is reserved for values hrnet computes.")
                % {"source": source.lower()},
                source,
            )
        ]
    if len(source) > SOURCE_LENGTH:
        return [("source", _("At most %(count)s characters.") % {"count": SOURCE_LENGTH}, source)]
    return []


def value_problems(text: str) -> tuple[Decimal | None, list[Problem]]:
    """The number in `text` (None for "not known") and what is wrong with it."""
    if is_unknown_text(text):
        return None, []
    try:
        value = number_parse(text)
    except ValueError:
        return None, [("value", _("Not a number."), text)]
    if value < 0:
        return None, [("value", _("A count cannot be negative."), text)]
    if value >= MAX_VALUE:
        return None, [("value", _("The number is too large."), text)]
    return value, []


def indicator_index() -> dict[str, Indicator]:
    """Every indicator by its code in upper case, as the importers look codes up."""
    return {indicator.code.upper(): indicator for indicator in Indicator.objects.all()}


class ValueRowsImporter(Importer[ValueIn]):
    """What the importers of values share (this one and DHIS2's): the import job they
    record, a value refused when the file gives it twice, and the writing of the rows
    through `data_values_write` (its result kept in `result`)."""

    records_import_job: ClassVar = True
    fallback_source: ClassVar = ""  # the source of a row that names none, when not given

    def __init__(
        self,
        *,
        actor: Actor | None = None,
        source: str = "",
        import_job: TaskProgress | None = None,
    ) -> None:
        super().__init__(actor=actor)
        self.default_source = source.strip() or self.fallback_source
        self.import_job = import_job
        self.seen: dict[ValueKey, int] = {}
        self.result: WriteResult | None = None

    def value_once(self, item: ValueIn, line: int, *, column: str, text: str) -> ValueIn:
        """`item`, unless the file gave the same value on an earlier line."""
        earlier = self.seen.setdefault(item.key, line)
        if earlier != line:
            raise RowInvalid(
                [
                    (
                        column,
                        _("The same value is given on line %(line)s.") % {"line": earlier},
                        text,
                    )
                ]
            )
        return item

    def write(self, rows: list[ValueIn]) -> int:
        self.result = data_values_write(values=rows, actor=self.actor, import_job=self.import_job)
        return self.result.written


@register_importer
class ValuesImporter(ValueRowsImporter):
    name = "evidence.values"
    label = gettext_lazy("Indicator values")
    required_columns: ClassVar = ("country", "indicator", "value")
    optional_columns: ClassVar = ("year", "period", "site", "source", "comment")

    def accepts_column(self, column: str) -> bool:
        return len(column) <= DISAGGREGATION_LENGTH

    def check_header(self, header: list[str]) -> list[RowError]:
        errors = super().check_header(header)
        if "year" not in header and "period" not in header:
            errors.append(RowError(1, "period", _("Give a “year” or a “period” column.")))
        if "source" not in header and not self.default_source:
            errors.append(
                RowError(1, "source", _("Give a “source” column or name the source of the file."))
            )
        self.disaggregation_columns = [
            column
            for column in header
            if column and column not in (*self.required_columns, *self.optional_columns)
        ]
        return errors

    def prepare(self) -> None:
        self.countries = CountryIndex()
        self.indicators = indicator_index()
        self.categories = CategoryIndex()
        self._sites: SiteIndex | None = None

    @property
    def sites(self) -> SiteIndex:
        if self._sites is None:  # only files with a site column pay for the lookup
            self._sites = SiteIndex()
        return self._sites

    def clean_row(self, row: dict[str, str], line: int) -> ValueIn:
        problems: list[tuple[str, str, str]] = []
        country = None
        try:
            country = self.countries.resolve(row["country"])
        except ValidationError:
            problems.append(("country", _("Unknown country."), row["country"]))
        indicator = self.indicators.get(row["indicator"].strip().upper())
        if indicator is None:
            problems.append(("indicator", _("Unknown indicator code."), row["indicator"]))
        column = "period" if row.get("period") else "year"
        period_text = row.get(column, "")
        period = kind = ""
        try:
            period, kind = period_parse(period_text)
            if column == "year" and kind != "year":
                raise ValueError(period_text)
        except ValueError:
            message = (
                _("Write a year such as 2019.")
                if column == "year"
                else _("Write a period as 2019, 2019Q1, 201901 or 2019-01.")
            )
            problems.append((column, message, period_text))
        value, problems_of_value = value_problems(row["value"])
        problems += problems_of_value
        source = row.get("source", "").strip() or self.default_source
        problems += source_problems(source)
        site = None
        if row.get("site", "").strip() and country is not None:
            try:
                site = self.sites.resolve(row["site"], country)
            except ValueError as exc:
                problems.append(("site", str(exc), row["site"]))
        disaggregation = {
            name: row[name].strip().lower()
            for name in self.disaggregation_columns
            if row.get(name, "").strip()
        }
        if indicator is not None:
            problems += self.categories.problems(indicator, disaggregation)
        if problems or country is None or indicator is None:
            raise RowInvalid(problems)
        item = ValueIn(
            indicator=indicator,
            country=country,
            period=period,
            period_kind=kind,
            source=source,
            value=value,
            disaggregation=disaggregation,
            comment=row.get("comment", "").strip(),
            site=site,
        )
        return self.value_once(item, line, column="indicator", text=row["indicator"])


def values_importer_for(filename: str, fmt: str | None) -> tuple[str, str | None]:
    """The importer of an uploaded values file and the format to give it: DHIS2 JSON when
    chosen or named .json, the tidy importer otherwise."""
    if fmt == "dhis2" or (not fmt and filename.lower().endswith(".json")):
        return "evidence.dhis2", "dhis2"
    return ValuesImporter.name, fmt or None
