"""Reads behind the evidence dashboards: the regional table, the map, a country's profile
and its sites' values. Each takes the acting user and returns only what that user may see
(`evidence.policies`): public indicators for the public, and site values below
`HRNET_SUPPRESSION_THRESHOLD` as "<5" for anyone but the site's organisation and the
secretariat (the number itself never leaves this module for them). A value computed from a
suppressed one is suppressed too: with the other input anyone could work the count out.

One value per indicator, country and year is shown: a known value before a "not known";
then, for a computed indicator, the value computed here; for a data element, a reported
(imported) source before one rolled up here from sites and months; among several reported
sources the most recently updated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.types import Actor
from hrnet.evidence.formats import quantize
from hrnet.evidence.models import (
    AGGREGATED_SOURCE,
    COMPUTED_SOURCE,
    DERIVED_SOURCES,
    Band,
    DataValue,
    FundingRecord,
    FundingSource,
    Indicator,
    PeriodKind,
)
from hrnet.evidence.policies import (
    INPUT_DEPTH,
    indicator_policy,
    suppressed_values,
    visible_site_ids,
)
from hrnet.evidence.sources import lower_first, source_name, unit_name
from hrnet.geo.models import Country
from hrnet.members.policies import is_secretariat

# Where a shown value comes from.
ORIGIN_IMPORTED = "imported"  # as a source published or reported it
ORIGIN_COMPUTED = "computed"  # numerator / denominator x factor, computed here
ORIGIN_AGGREGATED = "aggregated"  # sites and months summed here

ORIGIN_LABELS = {
    ORIGIN_IMPORTED: gettext_lazy("as reported by the source"),
    ORIGIN_COMPUTED: gettext_lazy("calculated from other figures"),
    ORIGIN_AGGREGATED: gettext_lazy("added up from the sites' and months' reports"),
}

COVERAGE_CODES = (
    "NSP_COVERAGE",
    "OST_COVERAGE",
    "PREVENTION_COVERAGE",
    "HIV_TESTING_COVERAGE",
    "ART_COVERAGE",
)
CASCADE_CODES = (
    "HCV_AB_TESTED",
    "HCV_AB_POSITIVE",
    "HCV_RNA_TESTED",
    "HCV_RNA_POSITIVE",
    "HCV_TREATMENT_STARTED",
    "HCV_CURED",
)
# Figures of the profile's cards; the two prevalences are computed on the fly from these
# when no indicator of their own is in the catalogue.
CARD_CODES = ("PWID_SIZE_ESTIMATE", "NSP_SITES", "OST_SITES", "HCV_RNA_POSITIVE")
HIV_PREVALENCE_CODE = "PWID_HIV_PREVALENCE"
HIV_PREVALENCE_INPUTS = ("PWID_LIVING_WITH_HIV", "PWID_SIZE_ESTIMATE")
HCV_PREVALENCE_CODE = "PWID_HCV_PREVALENCE"
HCV_PREVALENCE_INPUTS = ("HCV_AB_POSITIVE", "HCV_AB_TESTED")
# The profile's trend charts: one per unit, so a chart never mixes scales.
TREND_GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "coverage",
        gettext_lazy("Coverage among people who inject drugs (percent)"),
        ("OST_COVERAGE", "PREVENTION_COVERAGE", "HIV_TESTING_COVERAGE", "ART_COVERAGE"),
    ),
    (
        "nsp",
        gettext_lazy("Needles and syringes per person who injects drugs per year"),
        ("NSP_COVERAGE",),
    ),
    (
        "pwid",
        gettext_lazy("Estimated number of people who inject drugs"),
        ("PWID_SIZE_ESTIMATE",),
    ),
)
PROFILE_CODES = tuple(
    dict.fromkeys(
        (
            *CARD_CODES,
            HIV_PREVALENCE_CODE,
            *HIV_PREVALENCE_INPUTS,
            HCV_PREVALENCE_CODE,
            *HCV_PREVALENCE_INPUTS,
            *COVERAGE_CODES,
            *CASCADE_CODES,
            *(code for _slug, _title, codes in TREND_GROUPS for code in codes),
        )
    )
)


def origin_of(source: str) -> str:
    if source == COMPUTED_SOURCE:
        return ORIGIN_COMPUTED
    if source == AGGREGATED_SOURCE:
        return ORIGIN_AGGREGATED
    return ORIGIN_IMPORTED


@dataclass(frozen=True)
class Cell:
    """The one value shown for an indicator, place and period."""

    code: str
    label: str
    unit: str
    period: str
    value: Decimal | None  # None: "not known"
    band: str | None
    source: str
    origin: str
    # For a calculated value: the values it was calculated from, when the reader may see
    # them (the numerator's and the denominator's of the same place and year).
    inputs: tuple[Cell, ...] = ()

    @property
    def is_unknown(self) -> bool:
        return self.value is None

    @property
    def unit_label(self) -> str:
        return unit_name(self.unit)

    @property
    def band_label(self) -> str:
        return str(Band(self.band).label) if self.band else ""

    @property
    def origin_label(self) -> str:
        return str(ORIGIN_LABELS[self.origin])

    @property
    def source_label(self) -> str:
        """The source as readers name it; for a calculated value, what it was calculated
        from: "calculated from: estimated number of people who inject drugs (UNAIDS Global
        AIDS Monitoring, 2025) and ..."."""
        if self.origin == ORIGIN_COMPUTED and self.inputs:
            parts = [
                _("%(indicator)s (%(source)s, %(year)s)")
                % {
                    "indicator": lower_first(cell.label),
                    "source": cell.source_label,
                    "year": cell.period,
                }
                for cell in self.inputs
            ]
            if len(parts) == 2:
                return _("calculated from: %(first)s and %(second)s") % {
                    "first": parts[0],
                    "second": parts[1],
                }
            return _("calculated from: %(inputs)s") % {"inputs": "; ".join(parts)}
        return source_name(self.source)

    @property
    def provenance(self) -> str:
        """Where the value comes from, in one phrase for a card or a table cell."""
        if self.origin == ORIGIN_IMPORTED:
            return _("reported by %(source)s") % {"source": self.source_label}
        return self.source_label

    @property
    def year(self) -> int:
        return int(self.period[:4])


def cell_of(indicator: Indicator, *, period: str, value: Decimal | None, source: str) -> Cell:
    return Cell(
        code=indicator.code,
        label=indicator.name,
        unit=indicator.unit,
        period=period,
        value=value,
        band=indicator.band(value),
        source=source,
        origin=origin_of(source),
    )


def visible_indicators(
    *, user: Actor | None, codes: Iterable[str] | None = None
) -> list[Indicator]:
    """The indicators `user` may see, in catalogue order (those of `codes` only, if given)."""
    indicators = indicator_policy.instances_user_has_permission_for(user, "list")
    if codes is not None:
        indicators = indicators.filter(code__in=list(codes))
    return list(indicators.order_by("position", "code"))


def _preferred_values(
    indicators: Sequence[Indicator],
    *,
    user: Actor | None,
    country_ids: Iterable[int] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict[tuple[int, int, str], Cell]:
    """The chosen country-level yearly total per (indicator id, country id, year): one
    query, the choice made by the database (a window over each key's candidates)."""
    if not indicators:
        return {}
    by_id = {indicator.pk: indicator for indicator in indicators}
    computed_ids = [i.pk for i in indicators if i.kind == Indicator.Kind.COMPUTED]
    values = DataValue.objects.filter(
        indicator_id__in=list(by_id),
        site__isnull=True,
        period_kind=PeriodKind.YEAR,
        disaggregation_key="",
    )
    if not is_secretariat(user):
        values = values.exclude(suppressed_values())
    if country_ids is not None:
        values = values.filter(country_id__in=list(country_ids))
    if year_from is not None:
        values = values.filter(period__gte=str(year_from))
    if year_to is not None:
        values = values.filter(period__lte=str(year_to))
    preference = Case(
        When(Q(source=COMPUTED_SOURCE, indicator_id__in=computed_ids), then=Value(0)),
        When(source__in=sorted(DERIVED_SOURCES), then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        values.annotate(
            choice=Window(
                RowNumber(),
                partition_by=[F("indicator_id"), F("country_id"), F("period")],
                order_by=[
                    F("is_unknown").asc(),
                    preference.asc(),
                    F("updated_at").desc(),
                    F("pk").desc(),
                ],
            )
        )
        .filter(choice=1)
        .values_list("indicator_id", "country_id", "period", "value", "is_unknown", "source")
    )
    chosen: dict[tuple[int, int, str], Cell] = {}
    for indicator_id, country_id, period, value, is_unknown, source in rows:
        chosen[(indicator_id, country_id, period)] = cell_of(
            by_id[indicator_id],
            period=period,
            value=None if is_unknown else value,
            source=source,
        )
    return chosen


# The regional table and the map


@dataclass(frozen=True)
class CountryRow:
    country: Country
    cells: list[Cell | None]


@dataclass
class RegionalTable:
    indicators: list[Indicator]
    countries: list[Country]
    years: list[int]
    # (indicator code, country ISO2, year) -> the value shown
    cells: dict[tuple[str, str, int], Cell] = field(default_factory=dict)

    def cell(self, code: str, iso2: str, year: int) -> Cell | None:
        return self.cells.get((code, iso2, year))

    def rows(self, year: int) -> list[CountryRow]:
        """One row per country, one cell per indicator, for `year`."""
        return [
            CountryRow(
                country=country,
                cells=[self.cell(i.code, country.iso2, year) for i in self.indicators],
            )
            for country in self.countries
        ]


def regional_table(
    *,
    user: Actor | None,
    indicators: Sequence[str],
    year_from: int,
    year_to: int,
    subregion: str | None = None,
) -> RegionalTable:
    """The value shown per country x indicator x year (country totals of whole years),
    for the indicator codes `user` may see. Three queries whatever the size: the
    indicators, the countries, and the values (the choice between sources is made in the
    database)."""
    chosen_indicators = visible_indicators(user=user, codes=indicators)
    countries = Country.objects.select_related("subregion")
    if subregion:
        countries = countries.filter(subregion__code=subregion)
    country_list = list(countries)
    by_country = {country.pk: country for country in country_list}
    chosen = _preferred_values(
        chosen_indicators,
        user=user,
        country_ids=None if not subregion else list(by_country),
        year_from=year_from,
        year_to=year_to,
    )
    table = RegionalTable(
        indicators=chosen_indicators,
        countries=country_list,
        years=list(range(year_from, year_to + 1)),
    )
    codes = {indicator.pk: indicator.code for indicator in chosen_indicators}
    for (indicator_id, country_id, period), cell in chosen.items():
        country = by_country.get(country_id)
        if country is not None:
            table.cells[(codes[indicator_id], country.iso2, int(period))] = cell
    return table


@dataclass(frozen=True)
class MapItem:
    country: Country
    cell: Cell | None

    @property
    def band(self) -> str | None:
        return self.cell.band if self.cell else None


@dataclass(frozen=True)
class MapData:
    indicator: Indicator
    year: int
    items: list[MapItem]


def map_from_table(table: RegionalTable, *, indicator: Indicator, year: int) -> MapData:
    return MapData(
        indicator=indicator,
        year=year,
        items=[
            MapItem(country=country, cell=table.cell(indicator.code, country.iso2, year))
            for country in table.countries
        ],
    )


def map_data(*, user: Actor, indicator: str, year: int) -> MapData | None:
    """Each country's value and band of `indicator` in `year`; None for an indicator
    `user` may not see."""
    table = regional_table(user=user, indicators=[indicator], year_from=year, year_to=year)
    if not table.indicators:
        return None
    return map_from_table(table, indicator=table.indicators[0], year=year)


def indicator_years(*, user: Actor, indicator: Indicator) -> list[int]:
    """The years with a country-level value of `indicator` `user` may see, newest first
    (one query: whether `user` may see the indicator is asked in it)."""
    values = DataValue.objects.filter(
        indicator=indicator,
        indicator__in=indicator_policy.instances_user_has_permission_for(user, "view"),
        site__isnull=True,
        period_kind=PeriodKind.YEAR,
    )
    if not is_secretariat(user):
        values = values.exclude(suppressed_values())
    periods = values.order_by().values_list("period", flat=True).distinct()
    return sorted({int(period) for period in periods}, reverse=True)


# The country profile


@dataclass(frozen=True)
class TrendSeries:
    code: str
    label: str
    points: list[tuple[int, Decimal]]


@dataclass(frozen=True)
class TrendGroup:
    slug: str
    title: str
    series: list[TrendSeries]


@dataclass(frozen=True)
class CascadeStep:
    code: str
    label: str
    value: Decimal | None
    source: str
    origin: str
    # This step as a percentage of the step before it (None for the first, or unknown).
    percent_of_previous: Decimal | None


@dataclass(frozen=True)
class FundingShare:
    source: str
    label: str
    amount_usd: Decimal
    percent: Decimal


@dataclass
class CountryProfile:
    country: Country
    year: int | None  # the year asked for, else the latest with any value
    cards: list[Cell]
    coverage: list[Cell]
    trends: list[TrendGroup]
    cascade_year: int | None
    cascade: list[CascadeStep]
    funding_year: int | None
    funding: list[FundingShare]
    years: list[int]  # the years with any value, newest first

    @property
    def funding_total(self) -> Decimal:
        return sum((share.amount_usd for share in self.funding), Decimal(0))


def _latest(
    chosen: dict[tuple[int, int, str], Cell], indicator: Indicator, year: int | None
) -> Cell | None:
    """The value of the latest year up to `year` (any year when None)."""
    best: Cell | None = None
    for (indicator_id, _country_id, period), cell in chosen.items():
        if indicator_id != indicator.pk or (year is not None and int(period) > year):
            continue
        if best is None or period > best.period:
            best = cell
    return best


def _ratio_cell(
    *,
    code: str,
    label: str,
    numerator: Cell | None,
    denominator: Cell | None,
) -> Cell | None:
    """numerator / denominator x 100 for the same year, computed here on the fly."""
    if numerator is None or denominator is None or numerator.period != denominator.period:
        return None
    value: Decimal | None = None
    if numerator.value is not None and denominator.value:
        value = quantize(numerator.value / denominator.value * 100)
    return Cell(
        code=code,
        label=label,
        unit="percent",
        period=numerator.period,
        value=value,
        band=None,
        source=COMPUTED_SOURCE,
        origin=ORIGIN_COMPUTED,
        inputs=(numerator, denominator),
    )


def _pair_latest(
    chosen: dict[tuple[int, int, str], Cell],
    numerator: Indicator | None,
    denominator: Indicator | None,
    year: int | None,
) -> tuple[Cell | None, Cell | None]:
    """The latest year up to `year` in which both inputs have a value."""
    if numerator is None or denominator is None:
        return None, None
    periods = sorted(
        {period for (i, _c, period) in chosen if i == numerator.pk}
        & {period for (i, _c, period) in chosen if i == denominator.pk},
        reverse=True,
    )
    for period in periods:
        if year is None or int(period) <= year:
            country_id = next(c for (i, c, p) in chosen if i == numerator.pk and p == period)
            return (
                chosen[(numerator.pk, country_id, period)],
                chosen[(denominator.pk, country_id, period)],
            )
    return None, None


def _funding_by_source(country: Country, year: int | None) -> tuple[int | None, list[FundingShare]]:
    """Funding per source in the latest year (up to `year`) with records: one query."""
    rows = (
        FundingRecord.objects.filter(country=country)
        .values("year", "source")
        .annotate(total=Sum("amount_usd"))
        .order_by()
    )
    by_year: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        if year is None or row["year"] <= year:
            by_year.setdefault(row["year"], {})[row["source"]] = row["total"] or Decimal(0)
    if not by_year:
        return None, []
    latest = max(by_year)
    totals = by_year[latest]
    grand = sum(totals.values(), Decimal(0))
    labels = dict(FundingSource.choices)
    order = [source for source, _label in FundingSource.choices]
    shares = [
        FundingShare(
            source=source,
            label=str(labels.get(source, source)),
            amount_usd=amount,
            percent=quantize(amount / grand * 100) if grand else Decimal(0),
        )
        for source, amount in sorted(
            totals.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]
    return latest, shares


def _with_inputs(
    chosen: dict[tuple[int, int, str], Cell], by_pk: dict[int, Indicator]
) -> dict[tuple[int, int, str], Cell]:
    """Each calculated value with the values of the same place and year it was calculated
    from (those among `chosen`)."""
    result = dict(chosen)
    for (indicator_id, country_id, period), cell in chosen.items():
        indicator = by_pk.get(indicator_id)
        if cell.origin != ORIGIN_COMPUTED or indicator is None:
            continue
        inputs = tuple(
            found
            for pk in (indicator.numerator_id, indicator.denominator_id)
            if pk is not None and (found := chosen.get((pk, country_id, period))) is not None
        )
        if inputs:
            result[(indicator_id, country_id, period)] = replace(cell, inputs=inputs)
    return result


def value_years(*, user: Actor, country: Country, indicators: Sequence[Indicator]) -> list[int]:
    """The years with any country-level yearly value `user` may see, newest first: the
    year list goes up to the latest year with data, whichever indicator it is of."""
    values = DataValue.objects.filter(
        country=country,
        indicator_id__in=[indicator.pk for indicator in indicators],
        site__isnull=True,
        period_kind=PeriodKind.YEAR,
        disaggregation_key="",
    )
    if not is_secretariat(user):
        values = values.exclude(suppressed_values())
    periods = values.order_by().values_list("period", flat=True).distinct()
    return sorted({int(period) for period in periods}, reverse=True)


def country_profile(*, user: Actor, country: Country, year: int | None = None) -> CountryProfile:
    """A country's figures in the manner of the Global State of Harm Reduction, as of
    `year` (each figure from the latest year up to it) or the latest year with values.
    Four queries: the indicators, the years with values, the values, the funding."""
    visible = visible_indicators(user=user)
    by_pk = {indicator.pk: indicator for indicator in visible}
    profile = [indicator for indicator in visible if indicator.code in PROFILE_CODES]
    # The figures a calculated one is calculated from, to say so beside it.
    input_ids = {
        pk
        for indicator in profile
        if indicator.kind == Indicator.Kind.COMPUTED
        for pk in (indicator.numerator_id, indicator.denominator_id)
        if pk in by_pk
    }
    indicators = [*profile, *(by_pk[pk] for pk in input_ids if by_pk[pk] not in profile)]
    by_code = {indicator.code: indicator for indicator in indicators}
    chosen = _with_inputs(_preferred_values(indicators, user=user, country_ids=[country.pk]), by_pk)
    years = value_years(user=user, country=country, indicators=visible)
    as_of = year if year is not None else (years[0] if years else None)

    def latest(code: str) -> Cell | None:
        indicator = by_code.get(code)
        return _latest(chosen, indicator, as_of) if indicator else None

    prevalences: dict[str, Cell] = {}
    for code, inputs, label in (
        (
            HIV_PREVALENCE_CODE,
            HIV_PREVALENCE_INPUTS,
            _("HIV prevalence among people who inject drugs"),
        ),
        (
            HCV_PREVALENCE_CODE,
            HCV_PREVALENCE_INPUTS,
            _("HCV antibody prevalence among people tested"),
        ),
    ):
        cell = latest(code)
        if cell is None:
            numerator, denominator = _pair_latest(
                chosen, by_code.get(inputs[0]), by_code.get(inputs[1]), as_of
            )
            cell = _ratio_cell(code=code, label=label, numerator=numerator, denominator=denominator)
        if cell is not None:
            prevalences[code] = cell
    card_order = (
        "PWID_SIZE_ESTIMATE",
        HIV_PREVALENCE_CODE,
        HCV_PREVALENCE_CODE,
        "HCV_RNA_POSITIVE",
        "NSP_SITES",
        "OST_SITES",
    )
    cards = [
        cell for code in card_order if (cell := prevalences.get(code) or latest(code)) is not None
    ]

    coverage = [cell for code in COVERAGE_CODES if (cell := latest(code)) is not None]

    trends: list[TrendGroup] = []
    for slug, title, codes in TREND_GROUPS:
        series = [
            TrendSeries(
                code=code,
                label=by_code[code].name,
                points=sorted(
                    (int(period), cell.value)
                    for (i, _c, period), cell in chosen.items()
                    if i == by_code[code].pk and cell.value is not None
                ),
            )
            for code in codes
            if code in by_code
        ]
        series = [item for item in series if item.points]
        if series:
            trends.append(TrendGroup(slug=slug, title=str(title), series=series))

    cascade_year: int | None = None
    cascade: list[CascadeStep] = []
    cascade_indicators = [by_code[code] for code in CASCADE_CODES if code in by_code]
    cascade_years = sorted(
        {
            int(period)
            for (i, _c, period) in chosen
            if i in {indicator.pk for indicator in cascade_indicators}
            and (as_of is None or int(period) <= as_of)
        },
        reverse=True,
    )
    if cascade_years:
        cascade_year = cascade_years[0]
        previous: Decimal | None = None
        for position, indicator in enumerate(cascade_indicators):
            cell = chosen.get((indicator.pk, country.pk, str(cascade_year)))
            value = cell.value if cell else None
            percent = (
                quantize(value / previous * 100)
                if position and value is not None and previous
                else None
            )
            cascade.append(
                CascadeStep(
                    code=indicator.code,
                    label=indicator.name,
                    value=value,
                    source=cell.source_label if cell else "",
                    origin=cell.origin if cell else "",
                    percent_of_previous=percent,
                )
            )
            previous = value

    funding_year, funding = _funding_by_source(country, as_of)
    return CountryProfile(
        country=country,
        year=as_of,
        cards=cards,
        coverage=coverage,
        trends=trends,
        cascade_year=cascade_year,
        cascade=cascade,
        funding_year=funding_year,
        funding=funding,
        years=years,
    )


# Site values


@dataclass(frozen=True)
class SiteValue:
    site_name: str
    city: str
    organisation: str
    code: str
    label: str
    period: str
    # None when not known or suppressed: a suppressed number never leaves this module.
    value: Decimal | None
    is_suppressed: bool
    is_unknown: bool
    source: str

    @property
    def text(self) -> str:
        if self.is_suppressed:
            return suppressed_text()
        if self.is_unknown or self.value is None:
            return _("not known")
        return format_number(self.value)


def suppressed_text() -> str:
    return f"<{settings.HRNET_SUPPRESSION_THRESHOLD}"


def format_number(value: Decimal) -> str:
    """A value as shown: whole numbers without decimals, others with at most two."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.quantize(Decimal("0.01")).normalize())


def is_small(value: Decimal | None) -> bool:
    """Counts below the threshold are suppressed for the public, 0 included: "none at
    this site this month" is as telling as "three"."""
    return value is not None and value < settings.HRNET_SUPPRESSION_THRESHOLD


def _computed_from_small(rows: Sequence[DataValue], *, own: set[int], period: str) -> set[int]:
    """The computed values among `rows`, at sites outside `own`, with a numerator or a
    denominator of the same site and period that is suppressed (or computed from one that
    is): multiplied by the other input it would give the count back. Two queries, and only
    when there are such values.

    The input a value was computed from is the one `services.values` takes: a reported
    value before one summed here, then the most recently entered."""
    computed = [
        row
        for row in rows
        if row.source == COMPUTED_SOURCE and row.site_id is not None and row.site_id not in own
    ]
    if not computed:
        return set()
    definitions = {
        indicator.pk: (indicator.numerator_id, indicator.denominator_id)
        for indicator in Indicator.objects.filter(kind=Indicator.Kind.COMPUTED)
    }
    chosen: dict[tuple[int, int], tuple[str, Decimal | None]] = {}
    candidates = (
        DataValue.objects.filter(
            site_id__in={row.site_id for row in computed},
            period=period,
            disaggregation_key="",
        )
        .order_by("updated_at", "pk")
        .values_list("indicator_id", "site_id", "source", "value")
    )
    for indicator_id, site_id, source, value in candidates:
        current = chosen.get((indicator_id, site_id))
        if current is None or current[0] == AGGREGATED_SOURCE or source != AGGREGATED_SOURCE:
            chosen[(indicator_id, site_id)] = (source, value)

    def hides(indicator_id: int, site_id: int, depth: int) -> bool:
        """Whether the value of this input gives a suppressed count away."""
        found = chosen.get((indicator_id, site_id))
        if found is None:
            return False
        source, value = found
        return is_small(value) or (
            source == COMPUTED_SOURCE and depth > 0 and from_hidden(indicator_id, site_id, depth)
        )

    def from_hidden(indicator_id: int, site_id: int, depth: int) -> bool:
        return any(
            hides(pk, site_id, depth - 1)
            for pk in definitions.get(indicator_id, (None, None))
            if pk is not None
        )

    return {
        row.pk
        for row in computed
        if row.site_id is not None and from_hidden(row.indicator_id, row.site_id, INPUT_DEPTH)
    }


def site_values(
    *,
    user: Actor,
    country: Country,
    indicator: str | None = None,
    period: str | None = None,
) -> tuple[str | None, list[SiteValue]]:
    """Site totals in `country` for `period` (default: the latest month with site values),
    of one indicator or all `user` may see. Returns the period and the values; for sites
    outside `visible_site_ids(user)`, values below the threshold are suppressed, and so are
    values computed from them."""
    indicators = visible_indicators(user=user, codes=[indicator] if indicator else None)
    values = DataValue.objects.filter(
        country=country,
        site__isnull=False,
        disaggregation_key="",
        indicator__in=[i.pk for i in indicators],
    )
    if period is None:
        # Months are what sites report; quarters and years are sums of them.
        latest = (
            values.order_by(
                Case(When(period_kind=PeriodKind.MONTH, then=Value(0)), default=Value(1)),
                "-period",
            )
            .values_list("period", flat=True)
            .first()
        )
        if latest is None:
            return None, []
        period = latest
    own = visible_site_ids(user)
    rows = list(
        values.filter(period=period)
        .select_related("site__organisation", "indicator")
        .order_by("site__name", "site_id", "indicator__position", "indicator__code", "source")
    )
    from_small = _computed_from_small(rows, own=own, period=period)
    result = []
    for row in rows:
        site = row.site
        if site is None:  # filtered out above
            continue
        suppressed = row.site_id not in own and (is_small(row.value) or row.pk in from_small)
        result.append(
            SiteValue(
                site_name=site.name,
                city=site.city,
                organisation=site.organisation.name,
                code=row.indicator.code,
                label=row.indicator.name,
                period=row.period,
                value=None if suppressed or row.is_unknown else row.value,
                is_suppressed=suppressed,
                is_unknown=row.is_unknown,
                source=source_name(row.source),
            )
        )
    return period, result
