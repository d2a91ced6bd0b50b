"""Importers of funding (`evidence.funding`), exchange rates (`evidence.rates`) and
resource-need estimates (`evidence.needs`) through the core import framework: every bad
row is reported with its line, column, value and reason, and nothing is written unless
every row is valid (or the user asked for the valid ones).

Columns:
- funding: country, year, source, programme_area, amount, optional currency (USD),
  reference, comment. A row with the country, year, source, programme area and reference
  of a stored record replaces it.
- rates: currency, year, usd_per_unit, optional source. Stored records of that currency
  and year are reconverted.
- needs: country, year, amount, optional programme_area (blank: every area), currency,
  reference.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.imports import Importer, RowInvalid, register_importer
from hrnet.evidence.formats import number_parse
from hrnet.evidence.models import FundingSource, ProgrammeArea
from hrnet.evidence.services.funding import (
    USD,
    FundingIn,
    NeedIn,
    RateBook,
    RateIn,
    exchange_rates_write,
    funding_clean,
    funding_key,
    funding_records_write,
    need_clean,
    need_estimates_write,
    rate_clean,
)
from hrnet.geo.models import Country
from hrnet.geo.selectors import CountryIndex

Problems = list[tuple[str, str, str]]


def _choice(text: str, choices: Any) -> str | None:
    """A choice by its code or its English or current-language label, any case."""
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    for value, label in choices.choices:
        if wanted in {value, str(label).casefold().replace(" ", "_")}:
            return str(value)
    return None


def _year(row: dict[str, str], problems: Problems) -> int:
    text = row.get("year", "")
    if text.strip().isdigit() and len(text.strip()) == 4:
        return int(text)
    problems.append(("year", _("Write a year such as 2019."), text))
    return 0


def _number(row: dict[str, str], column: str, problems: Problems) -> Decimal | None:
    text = row.get(column, "")
    try:
        return number_parse(text)
    except ValueError:
        problems.append((column, _("Not a number."), text))
        return None


def _country(index: CountryIndex, row: dict[str, str], problems: Problems) -> Country | None:
    try:
        return index.resolve(row.get("country", ""))
    except ValidationError:
        problems.append(("country", _("Unknown country."), row.get("country", "")))
        return None


def _service_problems(exc: ValidationError, row: dict[str, str]) -> Problems:
    return [
        (name, str(message), row.get(name, ""))
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


@register_importer
class FundingImporter(Importer[tuple[FundingIn, Decimal]]):
    name = "evidence.funding"
    label = gettext_lazy("Funding records")
    required_columns: ClassVar = ("country", "year", "source", "programme_area", "amount")
    optional_columns: ClassVar = ("currency", "reference", "comment")

    def prepare(self) -> None:
        self.countries = CountryIndex()
        self.rates = RateBook()
        self.seen: dict[tuple[int, int, str, str, str], int] = {}

    def clean_row(self, row: dict[str, str], line: int) -> tuple[FundingIn, Decimal]:
        problems: Problems = []
        country = _country(self.countries, row, problems)
        year = _year(row, problems)
        source = _choice(row["source"], FundingSource)
        if source is None:
            problems.append(
                (
                    "source",
                    _("Unknown funding source; use one of: %(choices)s.")
                    % {"choices": ", ".join(FundingSource.values)},
                    row["source"],
                )
            )
        area = _choice(row["programme_area"], ProgrammeArea)
        if area is None:
            problems.append(
                (
                    "programme_area",
                    _("Unknown programme area; use one of: %(choices)s.")
                    % {"choices": ", ".join(ProgrammeArea.values)},
                    row["programme_area"],
                )
            )
        amount = _number(row, "amount", problems)
        if problems or country is None or source is None or area is None or amount is None:
            raise RowInvalid(problems)
        item = FundingIn(
            country=country,
            year=year,
            source=source,
            programme_area=area,
            amount=amount,
            currency=row.get("currency", "") or USD,
            reference=row.get("reference", ""),
            comment=row.get("comment", ""),
        )
        try:
            cleaned = funding_clean(item, rates=self.rates)
        except ValidationError as exc:
            raise RowInvalid(_service_problems(exc, row)) from exc
        earlier = self.seen.setdefault(funding_key(cleaned[0]), line)
        if earlier != line:
            raise RowInvalid(
                [
                    (
                        "source",
                        _("The same record is given on line %(line)s.") % {"line": earlier},
                        row["source"],
                    )
                ]
            )
        return cleaned

    def write(self, rows: list[tuple[FundingIn, Decimal]]) -> int:
        return funding_records_write(records=rows, actor=self.actor)


@register_importer
class RatesImporter(Importer[RateIn]):
    name = "evidence.rates"
    label = gettext_lazy("Exchange rates")
    required_columns: ClassVar = ("currency", "year", "usd_per_unit")
    optional_columns: ClassVar = ("source",)

    def prepare(self) -> None:
        self.seen: dict[tuple[str, int], int] = {}

    def clean_row(self, row: dict[str, str], line: int) -> RateIn:
        problems: Problems = []
        year = _year(row, problems)
        rate = _number(row, "usd_per_unit", problems)
        if problems or rate is None:
            raise RowInvalid(problems)
        try:
            item = rate_clean(
                RateIn(
                    currency=row["currency"],
                    year=year,
                    usd_per_unit=rate,
                    source=row.get("source", ""),
                )
            )
        except ValidationError as exc:
            raise RowInvalid(_service_problems(exc, row)) from exc
        earlier = self.seen.setdefault((item.currency, item.year), line)
        if earlier != line:
            raise RowInvalid(
                [
                    (
                        "currency",
                        _("The same rate is given on line %(line)s.") % {"line": earlier},
                        row["currency"],
                    )
                ]
            )
        return item

    def write(self, rows: list[RateIn]) -> int:
        return exchange_rates_write(rates=rows, actor=self.actor)


@register_importer
class NeedsImporter(Importer[tuple[NeedIn, Decimal]]):
    name = "evidence.needs"
    label = gettext_lazy("Resource-need estimates")
    required_columns: ClassVar = ("country", "year", "amount")
    optional_columns: ClassVar = ("programme_area", "currency", "reference")

    def prepare(self) -> None:
        self.countries = CountryIndex()
        self.rates = RateBook()
        self.seen: dict[tuple[int, int, str], int] = {}

    def clean_row(self, row: dict[str, str], line: int) -> tuple[NeedIn, Decimal]:
        problems: Problems = []
        country = _country(self.countries, row, problems)
        year = _year(row, problems)
        area_text = row.get("programme_area", "").strip()
        area: str | None = ""
        if area_text:
            area = _choice(area_text, ProgrammeArea)
            if area is None:
                problems.append(
                    (
                        "programme_area",
                        _("Unknown programme area; use one of: %(choices)s.")
                        % {"choices": ", ".join(ProgrammeArea.values)},
                        area_text,
                    )
                )
        amount = _number(row, "amount", problems)
        if problems or country is None or area is None or amount is None:
            raise RowInvalid(problems)
        try:
            cleaned = need_clean(
                NeedIn(
                    country=country,
                    year=year,
                    programme_area=area,
                    amount=amount,
                    currency=row.get("currency", "") or USD,
                    reference=row.get("reference", ""),
                ),
                rates=self.rates,
            )
        except ValidationError as exc:
            raise RowInvalid(_service_problems(exc, row)) from exc
        earlier = self.seen.setdefault((country.pk, year, area), line)
        if earlier != line:
            raise RowInvalid(
                [
                    (
                        "year",
                        _("The same estimate is given on line %(line)s.") % {"line": earlier},
                        row["year"],
                    )
                ]
            )
        return cleaned

    def write(self, rows: list[tuple[NeedIn, Decimal]]) -> int:
        return need_estimates_write(needs=rows, actor=self.actor)
