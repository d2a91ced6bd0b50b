"""The tidy-values importer (`evidence.values`): one value per row with the columns
`country`, `year` or `period`, `indicator`, `value`, optional `source` and `comment`, and
any other column as a disaggregation (sex, age, key_population, setting, ...)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.imports import Importer, RowError, RowInvalid, register_importer
from hrnet.core.models import TaskProgress
from hrnet.evidence.models import COMPUTED_SOURCE, VALUE_DIGITS, VALUE_PLACES, Indicator
from hrnet.evidence.periods import is_unknown_text, number_parse, period_parse
from hrnet.evidence.services import ValueIn, ValueKey, data_values_write
from hrnet.geo.selectors import CountryIndex

MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
SOURCE_LENGTH = 100
DISAGGREGATION_LENGTH = 64


@register_importer
class ValuesImporter(Importer[ValueIn]):
    name = "evidence.values"
    label = gettext_lazy("Indicator values")
    required_columns: ClassVar = ("country", "indicator", "value")
    optional_columns: ClassVar = ("year", "period", "source", "comment")

    def __init__(
        self,
        *,
        actor: Any = None,
        source: str = "",
        import_job: TaskProgress | None = None,
    ) -> None:
        super().__init__(actor=actor)
        self.default_source = source.strip()
        self.import_job = import_job
        self.seen: dict[ValueKey, int] = {}

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
        self.indicators = {
            indicator.code.upper(): indicator for indicator in Indicator.objects.all()
        }

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
        value: Decimal | None = None
        if not is_unknown_text(row["value"]):
            try:
                value = number_parse(row["value"])
            except ValueError:
                problems.append(("value", _("Not a number."), row["value"]))
            else:
                if value < 0:
                    problems.append(("value", _("A count cannot be negative."), row["value"]))
                elif value >= MAX_VALUE:
                    problems.append(("value", _("The number is too large."), row["value"]))
        source = row.get("source", "").strip() or self.default_source
        if not source:
            problems.append(("source", _("Name the source of the value."), ""))
        elif source.lower() == COMPUTED_SOURCE:
            # Recomputation owns this source and would overwrite the imported value.
            problems.append(
                ("source", _("“computed” is reserved for values hrnet computes."), source)
            )
        elif len(source) > SOURCE_LENGTH:
            problems.append(
                ("source", _("At most %(count)s characters.") % {"count": SOURCE_LENGTH}, source)
            )
        disaggregation = {
            name: row[name].strip().lower()
            for name in self.disaggregation_columns
            if row.get(name, "").strip()
        }
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
        )
        earlier = self.seen.setdefault(item.key, line)
        if earlier != line:
            raise RowInvalid(
                [
                    (
                        "indicator",
                        _("The same value is given on line %(line)s.") % {"line": earlier},
                        row["indicator"],
                    )
                ]
            )
        return item

    def write(self, rows: list[ValueIn]) -> int:
        return data_values_write(values=rows, actor=self.actor, import_job=self.import_job).written
