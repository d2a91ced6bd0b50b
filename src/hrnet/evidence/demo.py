"""Demo evidence: plausible (invented, not real) values for the 29 countries over ten
years for the main indicators, funding by source and resource needs, yearly exchange
rates, and monthly programme data at the two sites of the demo organisation
(`outreach.demo.demo_sites_create`).

Deterministic (a fixed random seed) and idempotent: does nothing when demo values exist.
Values go through the same write path as imports, so computed coverage and roll-ups are
what the application computes, not numbers typed here.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.evidence.models import (
    DataValue,
    Dhis2Mapping,
    ExchangeRate,
    FormSubmission,
    FundingRecord,
    FundingSource,
    Indicator,
    NeedEstimate,
    PeriodKind,
    ProgrammeArea,
)
from hrnet.evidence.services.reporting import reporting_form_default_create
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.geo.models import Country
from hrnet.outreach.demo import demo_sites_create
from hrnet.outreach.models import Site

# Stored as importers store it; readers see it named in their language
# (`evidence.sources.SOURCE_NAMES`). Demo databases made earlier have the old name.
DEMO_SOURCE = "UNAIDS GAM"
OLD_DEMO_SOURCE = "UNAIDS GAM (demo)"
PROGRAMME_SOURCE = "programme data"
YEARS = 10
SEED = 7

# Rough orders of magnitude of people who inject drugs, so the demo looks like the region
# (invented for the demo; the real estimates come from UNAIDS and national reports).
PWID: dict[str, int] = {
    "EE": 9_000, "LV": 10_000, "LT": 9_000, "CZ": 45_000, "HU": 10_000, "PL": 100_000,
    "SK": 18_000, "SI": 6_000, "AL": 6_000, "BA": 12_000, "BG": 20_000, "HR": 7_000,
    "XK": 5_000, "MK": 9_000, "ME": 2_500, "RO": 30_000, "RS": 20_000, "BY": 75_000,
    "MD": 30_000, "UA": 350_000, "AM": 8_000, "AZ": 70_000, "GE": 50_000, "KZ": 120_000,
    "KG": 25_000, "TJ": 22_000, "TM": 20_000, "UZ": 50_000, "RU": 1_800_000,
}  # fmt: skip
# Countries where the Global Fund left during the decade (EU members) or never funded.
NO_GLOBAL_FUND = {"EE", "LV", "LT", "CZ", "HU", "PL", "SK", "SI", "HR", "RO", "BG"}
RATES = {"EUR": Decimal("1.10"), "UAH": Decimal("0.027"), "KZT": Decimal("0.0022")}


def _user(role: str) -> User | None:
    return get_user_model().objects.filter(email=demo_email(role)).first()


def _years() -> list[int]:
    last = timezone.localdate().year - 1
    return list(range(last - YEARS + 1, last + 1))


def _country_values(
    rng: random.Random, country: Country, indicators: dict[str, Indicator]
) -> list[ValueIn]:
    """One country's yearly values: coverage drifts up from a country-specific start."""
    size = PWID.get(country.iso2, 10_000)
    syringes_per_person = rng.uniform(15, 180)
    ost_per_100 = rng.uniform(0.2, 12)
    reached_share = rng.uniform(0.1, 0.5)
    hiv_prevalence = rng.uniform(0.02, 0.35)
    on_art_share = rng.uniform(0.2, 0.5)
    items: list[ValueIn] = []
    years = _years()

    def add(code: str, year: int, value: float | None) -> None:
        if code not in indicators:
            return
        items.append(
            ValueIn(
                indicator=indicators[code],
                country=country,
                period=str(year),
                period_kind=PeriodKind.YEAR,
                source=DEMO_SOURCE,
                value=None if value is None else Decimal(round(value)),
            )
        )

    for index, year in enumerate(years):
        growth = 1 + 0.06 * index
        estimate = size * rng.uniform(0.97, 1.03)
        # One country has not reported its newest estimate: an explicit "not known".
        not_known = country.iso2 == "TM" and index == YEARS - 1
        add("PWID_SIZE_ESTIMATE", year, None if not_known else estimate)
        add("NS_DISTRIBUTED", year, estimate * syringes_per_person * growth)
        add("OST_CLIENTS", year, estimate * ost_per_100 * growth / 100)
        add("PWID_REACHED", year, estimate * min(reached_share * growth, 0.95))
        add("PWID_HIV_TESTED", year, estimate * min(reached_share * growth * 0.7, 0.9))
        living = estimate * hiv_prevalence
        add("PWID_LIVING_WITH_HIV", year, living)
        add("PWID_ON_ART", year, living * min(on_art_share * growth, 0.9))
        add("NSP_SITES", year, max(1, estimate / rng.uniform(800, 3000)))
        add("OST_SITES", year, max(1, estimate * ost_per_100 / 100 / rng.uniform(60, 200)))
        add("NALOXONE_KITS", year, estimate * rng.uniform(0.01, 0.2) * growth)
        if index >= YEARS - 3:  # the hepatitis C cascade is reported only recently
            tested = estimate * rng.uniform(0.1, 0.4)
            positive = tested * rng.uniform(0.4, 0.7)
            rna_tested = positive * rng.uniform(0.5, 0.9)
            rna_positive = rna_tested * rng.uniform(0.6, 0.8)
            started = rna_positive * rng.uniform(0.2, 0.6)
            add("HCV_AB_TESTED", year, tested)
            add("HCV_AB_POSITIVE", year, positive)
            add("HCV_RNA_TESTED", year, rna_tested)
            add("HCV_RNA_POSITIVE", year, rna_positive)
            add("HCV_TREATMENT_STARTED", year, started)
            add("HCV_CURED", year, started * rng.uniform(0.8, 0.95))
    return items


def _funding(rng: random.Random, country: Country, years: list[int]) -> list[FundingRecord]:
    size = PWID.get(country.iso2, 10_000)
    records: list[FundingRecord] = []
    areas = [
        (ProgrammeArea.NSP, 0.35),
        (ProgrammeArea.OST, 0.25),
        (ProgrammeArea.HIV_TESTING, 0.15),
        (ProgrammeArea.HCV, 0.1),
        (ProgrammeArea.COMMUNITY_SYSTEMS, 0.1),
        (ProgrammeArea.ADVOCACY, 0.05),
    ]
    per_person = rng.uniform(25, 90)
    transition_year = rng.choice(years[3:]) if country.iso2 not in NO_GLOBAL_FUND else 0
    for index, year in enumerate(years):
        total = size * per_person * (1 + 0.03 * index)
        if country.iso2 in NO_GLOBAL_FUND:
            shares = {FundingSource.DOMESTIC_PUBLIC: 0.85, FundingSource.PRIVATE: 0.15}
        elif year < transition_year:
            domestic = 0.15 + 0.04 * index
            shares = {
                FundingSource.GLOBAL_FUND: 0.75 - domestic,
                FundingSource.DOMESTIC_PUBLIC: domestic,
                FundingSource.PEPFAR: 0.15 if country.iso2 in {"UA", "KZ", "KG", "TJ"} else 0,
                FundingSource.OTHER_BILATERAL: 0.05,
                FundingSource.PRIVATE: 0.05,
            }
        else:
            shares = {
                FundingSource.GLOBAL_FUND: 0.2,
                FundingSource.DOMESTIC_PUBLIC: 0.6,
                FundingSource.OTHER_BILATERAL: 0.1,
                FundingSource.PRIVATE: 0.05,
            }
        for source, share in shares.items():
            if not share:
                continue
            for area, area_share in areas:
                amount = Decimal(round(total * share * area_share, 2)).quantize(Decimal("0.01"))
                records.append(
                    FundingRecord(
                        country=country,
                        year=year,
                        source=source,
                        programme_area=area,
                        amount=amount,
                        currency="USD",
                        amount_usd=amount,
                        reference="",
                    )
                )
    return records


def _needs(country: Country, years: list[int]) -> list[NeedEstimate]:
    size = PWID.get(country.iso2, 10_000)
    return [
        NeedEstimate(
            country=country,
            year=year,
            programme_area="",
            amount=Decimal(size * 120),
            currency="USD",
            amount_usd=Decimal(size * 120),
            reference="Investment case: 120 USD per person who injects drugs a year",
        )
        for year in years
    ]


def _site_months(
    rng: random.Random, sites: list[Site], indicators: dict[str, Indicator]
) -> list[ValueIn]:
    """A year of monthly programme data for each site, up to last month."""
    today = timezone.localdate()
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(f"{year}-{month:02d}")
    items: list[ValueIn] = []
    for scale, site in zip((1.0, 0.4), sites, strict=False):
        for period in sorted(months):
            reached = round(rng.uniform(250, 400) * scale)
            values = {
                "PWID_REACHED": reached,
                "NS_DISTRIBUTED": reached * rng.randint(12, 25),
                "CONDOMS_DISTRIBUTED": reached * rng.randint(2, 6),
                "NALOXONE_KITS": round(reached * rng.uniform(0.02, 0.1)),
                "PWID_HIV_TESTED": round(reached * rng.uniform(0.1, 0.3)),
                "HCV_AB_TESTED": round(reached * rng.uniform(0.05, 0.2)),
            }
            for code, number in values.items():
                if code in indicators:
                    items.append(
                        ValueIn(
                            indicator=indicators[code],
                            country=site.country,
                            site=site,
                            period=period,
                            period_kind=PeriodKind.MONTH,
                            source=PROGRAMME_SOURCE,
                            value=Decimal(number),
                        )
                    )
    return items


def _submissions_create(sites: list[Site], months: list[str]) -> None:
    """The monthly form submitted for every month with data, except the van's latest
    month, which is left as a draft so "forms due" has something to show."""
    form = reporting_form_default_create()
    worker = _user(Role.SITESTAFF)
    now = timezone.now()
    for site in sites:
        for month in months:
            draft = site.kind == Site.Kind.MOBILE and month == months[-1]
            FormSubmission.objects.get_or_create(
                form=form,
                site=site,
                period=month,
                defaults={
                    "status": FormSubmission.Status.DRAFT
                    if draft
                    else FormSubmission.Status.SUBMITTED,
                    "submitted_by": None if draft else worker,
                    "submitted_at": None if draft else now,
                },
            )


def _dhis2_mappings(indicators: dict[str, Indicator]) -> None:
    """A national DHIS2's identifiers for a few data elements and two org units
    (invented UIDs in DHIS2's 11-character shape)."""
    for uid, code in (
        ("dHrNsp00001", "NS_DISTRIBUTED"),
        ("dHrOst00001", "OST_CLIENTS"),
        ("dHrReach001", "PWID_REACHED"),
    ):
        if code in indicators:
            Dhis2Mapping.objects.get_or_create(
                kind=Dhis2Mapping.Kind.DATA_ELEMENT,
                dhis2_id=uid,
                defaults={"indicator": indicators[code]},
            )
    for uid, iso2 in (("oUnitUkr001", "UA"), ("oUnitMda001", "MD")):
        country = Country.objects.filter(iso2=iso2).first()
        if country:
            Dhis2Mapping.objects.get_or_create(
                kind=Dhis2Mapping.Kind.ORG_UNIT, dhis2_id=uid, defaults={"country": country}
            )


@transaction.atomic
def evidence_demo_create() -> None:
    if DataValue.objects.filter(source__in=[DEMO_SOURCE, OLD_DEMO_SOURCE]).exists():
        return
    actor = _user(Role.SECRETARIAT)
    rng = random.Random(SEED)  # noqa: S311 - demo numbers, not secrets
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    countries = list(Country.objects.order_by("iso2"))
    years = _years()
    values: list[ValueIn] = []
    funding: list[FundingRecord] = []
    needs: list[NeedEstimate] = []
    for country in countries:
        values += _country_values(rng, country, indicators)
        funding += _funding(rng, country, years)
        needs += _needs(country, years)
    data_values_write(values=values, actor=actor)
    FundingRecord.objects.bulk_create(funding, batch_size=1000)
    NeedEstimate.objects.bulk_create(needs, batch_size=1000)
    for currency, rate in RATES.items():
        for year in years:
            ExchangeRate.objects.get_or_create(
                currency=currency,
                year=year,
                defaults={"usd_per_unit": rate, "source": "yearly average"},
            )
    sites = demo_sites_create()
    if sites:
        months = _site_months(rng, sites, indicators)
        data_values_write(values=months, actor=actor)
        _submissions_create(sites, sorted({item.period for item in months}))
    _dhis2_mappings(indicators)
