"""Reads of the funding analysis: funding against need and the gap, shares by source
(donor dependency, domestic share), cost per person reached, and the transition scenario.

Every function returns plain dataclasses so pages, the API, dashboards and benchmarks use
the same figures. Definitions (also stated on the pages):

- *Funding* of a country-year is the sum of its funding records in US dollars.
- *Need* is the estimate for every programme area when one is stored, otherwise the sum of
  the per-area estimates; the *gap* is need minus funding (positive: money is missing),
  and as a percentage of the need.
- *Donor dependency* is the share of international sources (Global Fund, PEPFAR, other
  bilateral) in the funding; the *domestic share* that of domestic public money.
- *Cost per person reached* is the funding of the prevention package, that is every
  programme area except advocacy, divided by PWID_REACHED of the country and year.
- *People reached* (PWID_REACHED) and the PWID estimate (PWID_SIZE_ESTIMATE) are the
  country's yearly total values: reported sources before derived ones (computed,
  aggregated), the most recently entered first. Values of indicators the user may not see,
  and small counts summed from sites (`policies.suppressed_values`), count as not known.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Max, Min, QuerySet, Sum, TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hrnet.core.types import Actor
from hrnet.evidence.models import (
    DERIVED_SOURCES,
    Band,
    DataValue,
    ExchangeRate,
    FundingRecord,
    FundingSource,
    Indicator,
    NeedEstimate,
    PeriodKind,
    ProgrammeArea,
)
from hrnet.evidence.policies import (
    exchange_rate_policy,
    funding_record_policy,
    indicator_policy,
    need_estimate_policy,
    suppressed_values,
)
from hrnet.geo.models import Country, SubRegion
from hrnet.members.policies import is_secretariat

INTERNATIONAL_SOURCES = frozenset(
    {FundingSource.GLOBAL_FUND, FundingSource.PEPFAR, FundingSource.OTHER_BILATERAL}
)
DOMESTIC_SOURCES = frozenset({FundingSource.DOMESTIC_PUBLIC})
# The prevention package whose cost per person reached is measured: all but advocacy,
# which does not reach people with services.
PACKAGE_AREAS = frozenset(area for area in ProgrammeArea.values if area != ProgrammeArea.ADVOCACY)
REACHED = "PWID_REACHED"
PWID_ESTIMATE = "PWID_SIZE_ESTIMATE"
COVERAGE = "PREVENTION_COVERAGE"
HUNDRED = Decimal(100)
PERCENT_QUANTUM = Decimal("0.01")
MONEY_QUANTUM = Decimal("0.01")


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def _money(value: Decimal) -> Decimal:
    return value.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SourceShare:
    source: str
    label: str
    amount_usd: Decimal
    share: Decimal | None  # percent of the year's funding


@dataclass(frozen=True)
class YearSummary:
    year: int
    funding_usd: Decimal
    need_usd: Decimal | None
    gap_usd: Decimal | None  # need - funding; positive when money is missing
    gap_percent: Decimal | None  # gap / need x 100
    shares: list[SourceShare]  # every source, in the order of FundingSource
    domestic_share: Decimal | None  # percent
    donor_dependency: Decimal | None  # percent from international sources
    package_funding_usd: Decimal
    people_reached: Decimal | None
    cost_per_person_reached: Decimal | None

    def share_of(self, source: str) -> SourceShare:
        return next(share for share in self.shares if share.source == source)


@dataclass(frozen=True)
class CountrySummary:
    country: Country
    year_from: int
    year_to: int
    years: list[YearSummary]
    # change of donor dependency in percentage points between the first and the last year
    # with funding (None with fewer than two such years)
    dependency_trend: Decimal | None


@dataclass(frozen=True)
class CountryRow:
    country: Country
    summary: YearSummary


@dataclass(frozen=True)
class RegionSummary:
    year: int
    subregion: SubRegion | None
    countries: list[CountryRow]
    total: YearSummary  # gap over the countries with a need estimate only
    countries_with_need: int


@dataclass(frozen=True)
class ScenarioYear:
    year: int
    package_funding_usd: Decimal  # as recorded (or projected), all sources
    withdrawn_usd: Decimal  # the removed source's part of it
    remaining_usd: Decimal
    people_reached: Decimal  # projected, whole people
    people_reached_without_withdrawal: Decimal
    pwid_estimate: Decimal | None
    pwid_estimate_year: int | None  # the year whose estimate was used
    coverage: Decimal | None  # percent, with the withdrawal
    coverage_without_withdrawal: Decimal | None
    band: str | None  # PREVENTION_COVERAGE band of `coverage` (see `scenario_band`)
    band_label: str = ""  # the band in words, also when it cannot be known
    projected: bool = False  # a year after the last funding record: money is assumed
    package_by_source: dict[str, Decimal] = field(default_factory=dict)  # recorded/assumed


@dataclass(frozen=True)
class Scenario:
    country: Country
    source: str
    source_label: str
    from_year: int
    base_year: int
    base_package_funding_usd: Decimal
    base_people_reached: Decimal
    cost_per_person_reached: Decimal
    years: list[ScenarioYear] = field(default_factory=list)
    last_recorded_year: int = 0
    to_year: int = 0
    projection: str = "flat"  # how years after the records are funded: Projection
    growth_rate: Decimal | None = None  # percent a year, with Projection.GROWTH
    assumptions: list[str] = field(default_factory=list)  # stated in words, page and API
    sources: list[tuple[str, str]] = field(default_factory=list)  # (code, label) with money


# --- records -----------------------------------------------------------------------------


def funding_record_list(
    *, user: Actor, country: str = "", year: int | None = None, source: str = ""
) -> QuerySet[FundingRecord]:
    """Funding records the user may see (everyone: they are public evidence), filtered by
    country (ISO2), year and source."""
    records = funding_record_policy.instances_user_has_permission_for(_user(user), "list")
    if country:
        records = records.filter(country__iso2__iexact=country)
    if year is not None:
        records = records.filter(year=year)
    if source:
        records = records.filter(source=source)
    return records.select_related("country").order_by(
        "country__position", "country__iso2", "year", "source", "programme_area", "pk"
    )


def need_estimate_list(*, user: Actor, country: str = "") -> QuerySet[NeedEstimate]:
    needs = need_estimate_policy.instances_user_has_permission_for(_user(user), "list")
    if country:
        needs = needs.filter(country__iso2__iexact=country)
    return needs.select_related("country").order_by(
        "country__position", "country__iso2", "-year", "programme_area"
    )


def exchange_rate_list(*, user: Actor) -> QuerySet[ExchangeRate]:
    return exchange_rate_policy.instances_user_has_permission_for(_user(user), "list").order_by(
        "currency", "-year"
    )


# --- reading ------------------------------------------------------------------------------


def _user(user: Actor | None) -> Actor:
    return AnonymousUser() if user is None else user


def indicator_values(
    *, code: str, countries: list[Country], years: range | set[int], user: Actor | None = None
) -> dict[tuple[int, int], Decimal]:
    """{(country id, year): value} of a country's yearly total of indicator `code`:
    reported before derived sources, the most recently entered first; none for an
    indicator the user may not see."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None or not indicator_policy.user_has_permission_for_instance(
        _user(user), "view", indicator
    ):
        return {}
    rows = DataValue.objects.filter(
        indicator=indicator,
        country__in=countries,
        site__isnull=True,
        period_kind=PeriodKind.YEAR,
        period__in=[str(year) for year in years],
        disaggregation_key="",
        value__isnull=False,
    )
    if not is_secretariat(user):
        # A cost per person reached divides public money by the count: it must not be
        # worked out from a count the reader may not see.
        rows = rows.exclude(suppressed_values())
    found = rows.values_list("country_id", "period", "source", "value", "updated_at", "pk")
    best: dict[tuple[int, int], tuple[tuple[int, Any, int], Decimal]] = {}
    for country_id, period, source, value, updated_at, pk in found:
        rank = (0 if source in DERIVED_SOURCES else 1, updated_at, pk)
        key = (country_id, int(period))
        if value is not None and (key not in best or rank > best[key][0]):
            best[key] = (rank, value)
    return {key: value for key, (_rank, value) in best.items()}


@dataclass
class _Money:
    """Funding of one place and year, by source, and of the package, by source."""

    by_source: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    package_by_source: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def total(self) -> Decimal:
        return sum(self.by_source.values(), Decimal(0))

    @property
    def package(self) -> Decimal:
        return sum(self.package_by_source.values(), Decimal(0))

    def add(self, other: _Money) -> None:
        for source, amount in other.by_source.items():
            self.by_source[source] += amount
        for source, amount in other.package_by_source.items():
            self.package_by_source[source] += amount


def _funding(countries: list[Country], years: range | set[int]) -> dict[tuple[int, int], _Money]:
    found: dict[tuple[int, int], _Money] = defaultdict(_Money)
    rows = (
        FundingRecord.objects.filter(country__in=countries, year__in=list(years))
        .values("country_id", "year", "source", "programme_area")
        .annotate(usd=Sum("amount_usd"))
    )
    for row in rows:
        money = found[(row["country_id"], row["year"])]
        money.by_source[row["source"]] += row["usd"]
        if row["programme_area"] in PACKAGE_AREAS:
            money.package_by_source[row["source"]] += row["usd"]
    return found


def _needs(countries: list[Country], years: range | set[int]) -> dict[tuple[int, int], Decimal]:
    whole: dict[tuple[int, int], Decimal] = {}
    by_area: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    rows = NeedEstimate.objects.filter(country__in=countries, year__in=list(years)).values_list(
        "country_id", "year", "programme_area", "amount_usd"
    )
    for country_id, year, area, usd in rows:
        if area:
            by_area[(country_id, year)] += usd
        else:
            whole[(country_id, year)] = usd
    return {**by_area, **whole}


def _summary(
    year: int,
    money: _Money,
    need: Decimal | None,
    reached: Decimal | None,
    *,
    funding_for_gap: Decimal | None = None,
) -> YearSummary:
    total = money.total
    against_need = total if funding_for_gap is None else funding_for_gap
    gap = None if need is None else need - against_need
    international = sum(
        (money.by_source.get(source, Decimal(0)) for source in INTERNATIONAL_SOURCES), Decimal(0)
    )
    domestic = sum(
        (money.by_source.get(source, Decimal(0)) for source in DOMESTIC_SOURCES), Decimal(0)
    )
    shares = [
        SourceShare(
            source=str(source),
            label=str(source.label),
            amount_usd=money.by_source.get(source, Decimal(0)),
            share=percent(money.by_source.get(source, Decimal(0)), total),
        )
        for source in FundingSource
    ]
    package = money.package
    cost = _money(package / reached) if reached and package else None
    return YearSummary(
        year=year,
        funding_usd=total,
        need_usd=need,
        gap_usd=gap,
        gap_percent=percent(gap, need) if gap is not None else None,
        shares=shares,
        domestic_share=percent(domestic, total),
        donor_dependency=percent(international, total),
        package_funding_usd=package,
        people_reached=reached,
        cost_per_person_reached=cost,
    )


def funding_years(*, country: Country | None = None) -> list[int]:
    """The years with a funding record or a need estimate (of a country, or any)."""
    records = FundingRecord.objects.all()
    needs = NeedEstimate.objects.all()
    if country is not None:
        records = records.filter(country=country)
        needs = needs.filter(country=country)
    years = set(records.values_list("year", flat=True).distinct())
    years |= set(needs.values_list("year", flat=True).distinct())
    return sorted(years)


def country_funding_summary(
    *,
    country: Country,
    year_from: int | None = None,
    year_to: int | None = None,
    user: Actor | None = None,
) -> CountrySummary:
    """The yearly analysis of one country from `year_from` to `year_to` (both included;
    by default the years with records). Years without funding and need are left out."""
    if year_from is None or year_to is None:
        bounds = FundingRecord.objects.filter(country=country).aggregate(
            first=Min("year"), last=Max("year")
        )
        year_from = year_from if year_from is not None else bounds["first"]
        year_to = year_to if year_to is not None else bounds["last"]
    if year_from is None or year_to is None or year_from > year_to:
        return CountrySummary(country, year_from or 0, year_to or 0, [], None)
    years = range(year_from, year_to + 1)
    funding = _funding([country], years)
    needs = _needs([country], years)
    reached = indicator_values(code=REACHED, countries=[country], years=years, user=user)
    summaries = [
        _summary(
            year,
            funding.get((country.pk, year), _Money()),
            needs.get((country.pk, year)),
            reached.get((country.pk, year)),
        )
        for year in years
        if (country.pk, year) in funding or (country.pk, year) in needs
    ]
    funded = [s for s in summaries if s.donor_dependency is not None]
    trend = None
    if len(funded) >= 2:
        trend = funded[-1].donor_dependency - funded[0].donor_dependency  # type: ignore[operator]
    return CountrySummary(country, year_from, year_to, summaries, trend)


def region_countries(subregion: SubRegion | None = None) -> list[Country]:
    countries = Country.objects.select_related("subregion")
    if subregion is not None:
        countries = countries.filter(subregion=subregion)
    return list(countries)


def region_funding_summary(
    *, year: int, subregion: SubRegion | None = None, user: Actor | None = None
) -> RegionSummary:
    """One row per country of the region (or sub-region) for `year`, and the total. The
    total's gap counts only the countries with a need estimate, so a country without one
    does not look like a surplus; its cost per person reached only the countries that
    report people reached."""
    countries = region_countries(subregion)
    funding = _funding(countries, {year})
    needs = _needs(countries, {year})
    reached = indicator_values(code=REACHED, countries=countries, years={year}, user=user)
    rows: list[CountryRow] = []
    total = _Money()
    need_total = Decimal(0)
    funding_with_need = Decimal(0)
    with_need = 0
    package_with_reach = _Money()
    reached_total = Decimal(0)
    for country in countries:
        key = (country.pk, year)
        money = funding.get(key, _Money())
        need = needs.get(key)
        people = reached.get(key)
        rows.append(CountryRow(country, _summary(year, money, need, people)))
        total.add(money)
        if need is not None:
            with_need += 1
            need_total += need
            funding_with_need += money.total
        if people:
            reached_total += people
            package_with_reach.add(money)
    summary = _summary(
        year,
        total,
        need_total if with_need else None,
        None,
        funding_for_gap=funding_with_need,
    )
    cost = (
        _money(package_with_reach.package / reached_total)
        if reached_total and package_with_reach.package
        else None
    )
    summary = YearSummary(
        **{
            **summary.__dict__,
            "people_reached": reached_total or None,
            "cost_per_person_reached": cost,
        }
    )
    return RegionSummary(year, subregion, rows, summary, with_need)


# --- the transition scenario --------------------------------------------------------------


class Projection(TextChoices):
    """How each source funds the years after the last funding record."""

    FLAT = "flat", _lazy("Flat: each source gives what it gave in the last recorded year")
    TREND = "trend", _lazy("Trend: each source follows its straight-line trend")
    GROWTH = "growth", _lazy("Growth rate: each source changes by a set percentage a year")


# A projection further out than this is guesswork dressed as evidence.
MAX_PROJECTED_YEARS = 20
MIN_GROWTH_RATE = Decimal(-100)
MAX_GROWTH_RATE = Decimal(1000)


def _trend(amounts: list[Decimal], year_offset: int) -> Decimal:
    """The least-squares straight line through `amounts` (one per recorded year, oldest
    first) at `year_offset` years after the last one; never below zero."""
    count = len(amounts)
    if count < 2:  # a line needs two points; one point stays flat
        return amounts[-1] if amounts else Decimal(0)
    xs = [Decimal(x) for x in range(count)]
    mean_x = sum(xs, Decimal(0)) / count
    mean_y = sum(amounts, Decimal(0)) / count
    spread = sum(((x - mean_x) ** 2 for x in xs), Decimal(0))
    slope = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, amounts, strict=True)), Decimal(0))
    slope /= spread
    value = mean_y + slope * (Decimal(count - 1 + year_offset) - mean_x)
    return max(value, Decimal(0))


def _projected_package(
    history: dict[str, list[Decimal]],
    *,
    projection: str,
    growth_rate: Decimal | None,
    year_offset: int,
) -> dict[str, Decimal]:
    """Package funding per source `year_offset` years after the last recorded year."""
    projected: dict[str, Decimal] = {}
    for source, amounts in history.items():
        last = amounts[-1]
        if projection == Projection.TREND:
            amount = _trend(amounts, year_offset)
        elif projection == Projection.GROWTH:
            amount = last * (1 + (growth_rate or Decimal(0)) / HUNDRED) ** year_offset
        else:
            amount = last
        projected[source] = _money(amount)
    return projected


def scenario_band(indicator: Indicator | None, coverage: Decimal | None) -> tuple[str | None, str]:
    """The band of `coverage` and its words. The indicator's bands when it has them;
    without bands, whether its target is reached (PREVENTION_COVERAGE has a target of 90
    but no Technical Guide bands); otherwise it says why there is none."""
    if coverage is None:
        return None, _("not known: no estimate of people who inject drugs")
    if indicator is None:
        return None, _("no band: the indicator %(code)s is not in the catalogue") % {
            "code": COVERAGE
        }
    if indicator.has_bands:
        band = indicator.band(coverage)
        return band, str(Band(band).label) if band else ""
    if indicator.target is not None:
        target = f"{indicator.target.normalize():f}"
        if coverage >= indicator.target:
            return "target_met", _("Target of %(target)s reached") % {"target": target}
        return "below_target", _("Below the target of %(target)s") % {"target": target}
    return None, _("no band: %(code)s has neither bands nor a target") % {"code": COVERAGE}


def scenario_assumptions(
    *, projection: str, growth_rate: Decimal | None, last_recorded_year: int
) -> list[str]:
    """The assumptions of a scenario in words, as the page and the API state them."""
    stated = [
        _("The cost per person reached stays that of the base year."),
        _("The other sources give what is recorded for each year."),
        _("Nobody replaces the withdrawn funds."),
        _(
            "Coverage uses the estimate of people who inject drugs of each year, or the "
            "last known before it."
        ),
    ]
    after = {"year": last_recorded_year}
    if projection == Projection.TREND:
        stated.append(
            _(
                "After %(year)s (the last year with funding records) each source follows the "
                "straight line fitted to its recorded years, never below zero; a source with "
                "one recorded year stays flat."
            )
            % after
        )
    elif projection == Projection.GROWTH:
        stated.append(
            _(
                "After %(year)s (the last year with funding records) each source changes by "
                "%(rate)s percent a year from what it gave in %(year)s."
            )
            % {**after, "rate": f"{(growth_rate or Decimal(0)).normalize():f}"}
        )
    else:
        stated.append(
            _(
                "After %(year)s (the last year with funding records) each source gives every "
                "year what it gave in %(year)s."
            )
            % after
        )
    stated.append(_("Years after the last funding record are projections, not records."))
    return stated


def _no_base_year(country: Country, from_year: int) -> ValidationError:
    return ValidationError(
        {
            "from_year": _(
                "No year before %(year)s has both funding and people reached "
                "(PWID_REACHED) for %(country)s, so there is no cost per person reached "
                "to project with."
            )
            % {"year": from_year, "country": country.name}
        }
    )


def transition_scenario(
    *,
    country: Country,
    source: str,
    from_year: int,
    user: Actor | None = None,
    to_year: int | None = None,
    projection: str = Projection.FLAT,
    growth_rate: Decimal | None = None,
) -> Scenario:
    """What coverage would be if `source` stopped funding `country` from `from_year` on.

    Assumptions: the cost per person reached stays that of the base year (the last year
    before `from_year` with both package funding and people reached); the other sources
    give what is recorded; nobody replaces the withdrawn money; coverage is people reached
    / the PWID estimate of the year (or the last one known before it) x 100. Projected for
    every year from `from_year` to `to_year` (by default the last year with funding
    records); years after the records are funded as `projection` says (flat, trend, or
    `growth_rate` percent a year) and marked as projected.

    Raises ValidationError (on `source`, `from_year`, `to_year`, `projection` or
    `growth_rate`) when it cannot be computed.
    """
    if source not in FundingSource.values:
        raise ValidationError(
            {
                "source": _("“%(value)s” is not one of: %(choices)s.")
                % {"value": source, "choices": ", ".join(FundingSource.values)}
            }
        )
    if projection not in Projection.values:
        raise ValidationError(
            {
                "projection": _("“%(value)s” is not one of: %(choices)s.")
                % {"value": projection, "choices": ", ".join(Projection.values)}
            }
        )
    if projection == Projection.GROWTH:
        if growth_rate is None:
            raise ValidationError(
                {"growth_rate": _("Set the growth rate, in percent a year (e.g. 5 or -10).")}
            )
        if not growth_rate.is_finite() or not MIN_GROWTH_RATE <= growth_rate <= MAX_GROWTH_RATE:
            raise ValidationError(
                {
                    "growth_rate": _(
                        "A growth rate of %(value)s percent a year is outside %(low)s to %(high)s."
                    )
                    % {"value": growth_rate, "low": MIN_GROWTH_RATE, "high": MAX_GROWTH_RATE}
                }
            )
    bounds = FundingRecord.objects.filter(country=country).aggregate(
        first=Min("year"), last=Max("year")
    )
    first_year, last_year = bounds["first"], bounds["last"]
    if last_year is None:
        raise ValidationError(
            {
                "from_year": _(
                    "%(country)s has no funding records, so there is nothing to project from."
                )
                % {"country": country.name}
            }
        )
    if to_year is None and from_year > last_year:
        raise ValidationError(
            {
                "from_year": _(
                    "%(country)s has no funding records from %(year)s on; set a later "
                    "“Last year to project” to project beyond the records."
                )
                % {"country": country.name, "year": from_year}
            }
        )
    end_year = last_year if to_year is None else to_year
    if end_year < from_year:
        raise ValidationError(
            {
                "to_year": _("The last year, %(to)s, is before the first, %(from)s.")
                % {"to": end_year, "from": from_year}
            }
        )
    if end_year > last_year + MAX_PROJECTED_YEARS:
        raise ValidationError(
            {
                "to_year": _(
                    "%(year)s is more than %(count)s years after the last funding record "
                    "(%(last)s)."
                )
                % {"year": end_year, "count": MAX_PROJECTED_YEARS, "last": last_year}
            }
        )
    if from_year <= first_year:
        # No year before it can have records: refused before any range is built from it.
        raise _no_base_year(country, from_year)
    recorded = range(first_year, last_year + 1)
    funding = _funding([country], recorded)
    reached = indicator_values(code=REACHED, countries=[country], years=recorded, user=user)
    base_year = next(
        (
            year
            for year in reversed(range(recorded.start, min(from_year, last_year + 1)))
            if funding.get((country.pk, year), _Money()).package and reached.get((country.pk, year))
        ),
        None,
    )
    if base_year is None:
        raise _no_base_year(country, from_year)
    base_package = funding[(country.pk, base_year)].package
    base_reached = reached[(country.pk, base_year)]
    cost = base_package / base_reached
    estimate_years = range(1990, end_year + 1)
    estimates = indicator_values(
        code=PWID_ESTIMATE, countries=[country], years=estimate_years, user=user
    )
    coverage_indicator = Indicator.objects.filter(code=COVERAGE).first()
    # Each source's package funding over the recorded years (0 in a year without records),
    # the ground the projection stands on.
    history: dict[str, list[Decimal]] = {
        code: [
            funding.get((country.pk, year), _Money()).package_by_source.get(code, Decimal(0))
            for year in range(first_year, last_year + 1)
        ]
        for code in FundingSource.values
    }
    history = {code: amounts for code, amounts in history.items() if any(amounts)}
    rows: list[ScenarioYear] = []
    for year in range(from_year, end_year + 1):
        projected = year > last_year
        if projected:
            by_source = _projected_package(
                history,
                projection=projection,
                growth_rate=growth_rate,
                year_offset=year - last_year,
            )
        else:
            by_source = dict(funding.get((country.pk, year), _Money()).package_by_source)
        package = sum(by_source.values(), Decimal(0))
        withdrawn = by_source.get(source, Decimal(0))
        remaining = package - withdrawn
        people = remaining / cost
        people_all = package / cost
        known = [y for y in estimate_years if y <= year and (country.pk, y) in estimates]
        estimate_year = known[-1] if known else None
        estimate = estimates[(country.pk, estimate_year)] if estimate_year else None
        coverage = percent(people, estimate) if estimate else None
        band, band_label = scenario_band(coverage_indicator, coverage)
        rows.append(
            ScenarioYear(
                year=year,
                package_funding_usd=package,
                withdrawn_usd=withdrawn,
                remaining_usd=remaining,
                people_reached=people.quantize(Decimal(1), rounding=ROUND_HALF_UP),
                people_reached_without_withdrawal=people_all.quantize(
                    Decimal(1), rounding=ROUND_HALF_UP
                ),
                pwid_estimate=estimate,
                pwid_estimate_year=estimate_year,
                coverage=coverage,
                coverage_without_withdrawal=percent(people_all, estimate) if estimate else None,
                band=band,
                band_label=band_label,
                projected=projected,
                package_by_source={
                    code: by_source.get(code, Decimal(0)) for code in FundingSource.values
                },
            )
        )
    sources = [
        (code, str(label))
        for code, label in FundingSource.choices
        if any(row.package_by_source.get(code) for row in rows)
    ]
    return Scenario(
        country=country,
        source=source,
        source_label=str(FundingSource(source).label),
        from_year=from_year,
        base_year=base_year,
        base_package_funding_usd=base_package,
        base_people_reached=base_reached,
        cost_per_person_reached=_money(cost),
        years=rows,
        last_recorded_year=last_year,
        to_year=end_year,
        projection=projection,
        growth_rate=growth_rate if projection == Projection.GROWTH else None,
        assumptions=scenario_assumptions(
            projection=projection,
            growth_rate=growth_rate if projection == Projection.GROWTH else None,
            last_recorded_year=last_year,
        ),
        sources=sources,
    )
