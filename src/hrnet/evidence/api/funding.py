"""/api/v1/evidence/funding: funding records, the yearly analysis of a country, and the
transition scenario. Funding is public evidence: anyone may read it (`evidence.policies`).
Amounts are US dollars at the stored yearly rate; shares and coverage are percentages."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.evidence.models import FundingSource
from hrnet.evidence.selectors import funding as funding_selectors
from hrnet.geo.models import Country

router = Router(tags=["evidence"])
MAX_RECORDS = 5000


class ErrorOut(Schema):
    detail: str


class RecordOut(Schema):
    country: str = Field(description="ISO 3166 alpha-2 code.")
    year: int
    source: str
    programme_area: str
    amount: float
    currency: str
    amount_usd: float
    reference: str
    comment: str


class RecordFiltersIn(Schema):
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. UA.")
    year: int | None = None
    source: str = Field("", description="global_fund, domestic_public, pepfar, ...")


class ShareOut(Schema):
    source: str
    amount_usd: float
    share: float | None = Field(description="Percent of the year's funding.")


class YearOut(Schema):
    year: int
    funding_usd: float
    need_usd: float | None
    gap_usd: float | None = Field(description="Need minus funding; positive: money missing.")
    gap_percent: float | None
    shares: list[ShareOut]
    domestic_share: float | None
    donor_dependency: float | None = Field(
        description="Percent from the Global Fund, PEPFAR and other bilateral donors."
    )
    package_funding_usd: float = Field(description="Every programme area except advocacy.")
    people_reached: float | None
    cost_per_person_reached: float | None


class SummaryOut(Schema):
    country: str
    years: list[YearOut]
    dependency_trend: float | None = Field(
        description="Change of donor dependency in percentage points, first to last year."
    )


class SummaryIn(Schema):
    country: str = Field(description="ISO 3166 alpha-2 code.")
    year_from: int | None = None
    year_to: int | None = None


class ScenarioIn(Schema):
    country: str = Field(description="ISO 3166 alpha-2 code.")
    source: str = Field(description="The funding source withdrawn, e.g. global_fund.")
    from_year: int
    to_year: int | None = Field(
        None,
        description="The last year projected; by default the last year with funding records. "
        "Years after the records are projections (`projected`).",
    )
    projection: str = Field(
        "flat",
        description="How each source funds years after the records: flat (as in the last "
        "recorded year), trend (straight-line trend) or growth (`growth_rate`).",
    )
    growth_rate: Decimal | None = Field(
        None, description="Percent a year, with projection=growth (e.g. 5 or -10)."
    )


class ScenarioYearOut(Schema):
    year: int
    package_funding_usd: float
    withdrawn_usd: float
    remaining_usd: float
    people_reached: float
    people_reached_without_withdrawal: float
    pwid_estimate: float | None
    pwid_estimate_year: int | None
    coverage: float | None
    coverage_without_withdrawal: float | None
    band: str | None
    band_label: str
    projected: bool
    package_by_source: dict[str, float]


class ScenarioOut(Schema):
    country: str
    source: str
    from_year: int
    base_year: int
    base_package_funding_usd: float
    base_people_reached: float
    cost_per_person_reached: float
    last_recorded_year: int
    to_year: int
    projection: str
    growth_rate: float | None
    assumptions: list[str]
    years: list[ScenarioYearOut]


def _n(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _country(iso2: str) -> Country | None:
    return Country.objects.filter(iso2__iexact=iso2.strip()).first()


def _unknown_country(iso2: str) -> Status:
    return Status(400, {"detail": _("Unknown country “%(name)s”.") % {"name": iso2}})


def _year_out(year: funding_selectors.YearSummary) -> YearOut:
    return YearOut(
        year=year.year,
        funding_usd=float(year.funding_usd),
        need_usd=_n(year.need_usd),
        gap_usd=_n(year.gap_usd),
        gap_percent=_n(year.gap_percent),
        shares=[
            ShareOut(source=share.source, amount_usd=float(share.amount_usd), share=_n(share.share))
            for share in year.shares
        ],
        domestic_share=_n(year.domestic_share),
        donor_dependency=_n(year.donor_dependency),
        package_funding_usd=float(year.package_funding_usd),
        people_reached=_n(year.people_reached),
        cost_per_person_reached=_n(year.cost_per_person_reached),
    )


@router.get(
    "/records",
    response={200: list[RecordOut], 400: ErrorOut},
    auth=OPTIONAL_AUTH,
    operation_id="hrnet_evidence_api_funding_records",
)
def records(request: HttpRequest, filters: Query[RecordFiltersIn]) -> Status | list[RecordOut]:
    """Funding records filtered by country, year and source (at most 5000)."""
    source = filters.source.strip()
    if source and source not in FundingSource.values:
        return Status(
            400,
            {
                "detail": _("“%(value)s” is not one of: %(choices)s.")
                % {"value": source, "choices": ", ".join(FundingSource.values)}
            },
        )
    found = funding_selectors.funding_record_list(
        user=request.user, country=filters.country.strip(), year=filters.year, source=source
    )
    return [
        RecordOut(
            country=record.country.iso2,
            year=record.year,
            source=record.source,
            programme_area=record.programme_area,
            amount=float(record.amount),
            currency=record.currency,
            amount_usd=float(record.amount_usd),
            reference=record.reference,
            comment=record.comment,
        )
        for record in found[:MAX_RECORDS]
    ]


@router.get(
    "/summary",
    response={200: SummaryOut, 400: ErrorOut},
    auth=OPTIONAL_AUTH,
    operation_id="hrnet_evidence_api_funding_summary",
)
def summary(request: HttpRequest, query: Query[SummaryIn]) -> Status | SummaryOut:
    """A country's funding, need, gap, shares by source and cost per person reached by year."""
    country = _country(query.country)
    if country is None:
        return _unknown_country(query.country)
    found = funding_selectors.country_funding_summary(
        country=country, year_from=query.year_from, year_to=query.year_to, user=request.user
    )
    return SummaryOut(
        country=country.iso2,
        years=[_year_out(year) for year in found.years],
        dependency_trend=_n(found.dependency_trend),
    )


@router.get(
    "/scenario",
    response={200: ScenarioOut, 400: ErrorOut},
    auth=OPTIONAL_AUTH,
    operation_id="hrnet_evidence_api_funding_scenario",
)
def scenario(request: HttpRequest, query: Query[ScenarioIn]) -> Status | ScenarioOut:
    """Coverage if one source stops from `from_year` on, at constant cost per person
    reached (see `assumptions` in the answer)."""
    country = _country(query.country)
    if country is None:
        return _unknown_country(query.country)
    try:
        found = funding_selectors.transition_scenario(
            country=country,
            source=query.source.strip(),
            from_year=query.from_year,
            to_year=query.to_year,
            projection=query.projection.strip(),
            growth_rate=query.growth_rate,
            user=request.user,
        )
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return ScenarioOut(
        country=country.iso2,
        source=found.source,
        from_year=found.from_year,
        base_year=found.base_year,
        base_package_funding_usd=float(found.base_package_funding_usd),
        base_people_reached=float(found.base_people_reached),
        cost_per_person_reached=float(found.cost_per_person_reached),
        last_recorded_year=found.last_recorded_year,
        to_year=found.to_year,
        projection=found.projection,
        growth_rate=_n(found.growth_rate),
        assumptions=found.assumptions,
        years=[
            ScenarioYearOut(
                year=row.year,
                package_funding_usd=float(row.package_funding_usd),
                withdrawn_usd=float(row.withdrawn_usd),
                remaining_usd=float(row.remaining_usd),
                people_reached=float(row.people_reached),
                people_reached_without_withdrawal=float(row.people_reached_without_withdrawal),
                pwid_estimate=_n(row.pwid_estimate),
                pwid_estimate_year=row.pwid_estimate_year,
                coverage=_n(row.coverage),
                coverage_without_withdrawal=_n(row.coverage_without_withdrawal),
                band=row.band,
                band_label=row.band_label,
                projected=row.projected,
                package_by_source={
                    code: float(amount) for code, amount in row.package_by_source.items() if amount
                },
            )
            for row in found.years
        ],
    )
