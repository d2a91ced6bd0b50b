"""Writes of funding: yearly exchange rates, funding records and resource-need estimates.

Amounts are kept as entered and converted to US dollars at the stored rate of their
currency and year when written; US dollars need no rate. Changing a rate reconverts every
record and estimate of that currency and year, so `amount_usd` always matches the rates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.types import Actor
from hrnet.evidence.audit import Action
from hrnet.evidence.models import (
    MONEY_DIGITS,
    MONEY_PLACES,
    ExchangeRate,
    FundingRecord,
    FundingSource,
    NeedEstimate,
    ProgrammeArea,
)
from hrnet.geo.models import Country

USD = "USD"
MIN_YEAR, MAX_YEAR = 1990, 2100
MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_PLACES)
MAX_AMOUNT = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)
RATE_QUANTUM = Decimal(1).scaleb(-10)
MAX_RATE = Decimal(10) ** 10
_CURRENCY = re.compile(r"[A-Z]{3}")


def money(value: Decimal) -> Decimal:
    return value.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_UP)


def currency_clean(text: str) -> str:
    """An ISO 4217 code in capitals; ValidationError on `currency` otherwise."""
    code = (text or "").strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise ValidationError(
            {
                "currency": _(
                    "“%(value)s” is not a currency code: write three letters such as USD, "
                    "EUR or UAH."
                )
                % {"value": text}
            }
        )
    return code


def year_clean(year: int, *, field: str = "year") -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {
                field: _("%(value)s is not a year between %(first)s and %(last)s.")
                % {"value": year, "first": MIN_YEAR, "last": MAX_YEAR}
            }
        )
    return year


def amount_clean(amount: Decimal) -> Decimal:
    if amount < 0:
        raise ValidationError(
            {"amount": _("The amount %(value)s is negative.") % {"value": amount}}
        )
    if amount >= MAX_AMOUNT:
        raise ValidationError(
            {"amount": _("The amount %(value)s is too large.") % {"value": amount}}
        )
    return money(amount)


def missing_rate_error(*, currency: str, year: int) -> ValidationError:
    return ValidationError(
        {
            "currency": _(
                "No exchange rate of %(currency)s to US dollars is stored for %(year)s: add "
                "the rate first."
            )
            % {"currency": currency, "year": year}
        },
        code="missing_rate",
    )


class RateBook:
    """The stored rates, read once, for converting many amounts (an import)."""

    def __init__(self, pairs: Iterable[tuple[str, int]] | None = None) -> None:
        rates = ExchangeRate.objects.all()
        if pairs is not None:
            wanted = set(pairs)
            rates = rates.filter(
                currency__in={c for c, _y in wanted}, year__in={y for _c, y in wanted}
            )
        self.rates = {(rate.currency, rate.year): rate.usd_per_unit for rate in rates}

    def to_usd(self, *, amount: Decimal, currency: str, year: int) -> Decimal:
        if currency == USD:
            return money(amount)
        rate = self.rates.get((currency, year))
        if rate is None:
            raise missing_rate_error(currency=currency, year=year)
        return money(amount * rate)


def usd_convert(*, amount: Decimal, currency: str, year: int) -> Decimal:
    """`amount` of `currency` in US dollars at the stored rate of `year`.

    Raises ValidationError on `currency` naming the currency and year when no rate is
    stored.
    """
    return RateBook([(currency, year)]).to_usd(amount=amount, currency=currency, year=year)


# --- exchange rates ------------------------------------------------------------------------


@dataclass(frozen=True)
class RateIn:
    currency: str
    year: int
    usd_per_unit: Decimal
    source: str = ""


def rate_clean(item: RateIn) -> RateIn:
    currency = currency_clean(item.currency)
    if currency == USD:
        raise ValidationError({"currency": _("US dollars need no exchange rate.")})
    year_clean(item.year)
    if item.usd_per_unit <= 0 or item.usd_per_unit >= MAX_RATE:
        raise ValidationError(
            {
                "usd_per_unit": _("The rate %(value)s must be a positive number.")
                % {"value": item.usd_per_unit}
            }
        )
    return RateIn(
        currency=currency,
        year=item.year,
        usd_per_unit=item.usd_per_unit.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP),
        source=item.source.strip(),
    )


def _reconvert(currency: str, year: int, usd_per_unit: Decimal) -> int:
    records = list(FundingRecord.objects.filter(currency=currency, year=year))
    for record in records:
        record.amount_usd = money(record.amount * usd_per_unit)
    FundingRecord.objects.bulk_update(records, ["amount_usd"], batch_size=500)
    needs = list(NeedEstimate.objects.filter(currency=currency, year=year))
    for need in needs:
        need.amount_usd = money(need.amount * usd_per_unit)
    NeedEstimate.objects.bulk_update(needs, ["amount_usd"], batch_size=500)
    return len(records) + len(needs)


@transaction.atomic
def exchange_rates_write(
    *, rates: list[RateIn], actor: Actor | None, request: HttpRequest | None = None
) -> int:
    """Store rates (a rate for the same currency and year replaces the earlier one) and
    reconvert that currency-year's funding records and need estimates. Returns the number
    of rates written."""
    for item in map(rate_clean, rates):
        rate, created = ExchangeRate.objects.get_or_create(
            currency=item.currency,
            year=item.year,
            defaults={"usd_per_unit": item.usd_per_unit, "source": item.source},
        )
        before = rate.usd_per_unit
        if not created:
            rate.usd_per_unit = item.usd_per_unit
            rate.source = item.source
            rate.save(update_fields=["usd_per_unit", "source", "updated_at"])
        reconverted = 0 if created else _reconvert(rate.currency, rate.year, rate.usd_per_unit)
        log_action(
            actor=actor,
            action=Action.RATE_CREATE if created else Action.RATE_UPDATE,
            obj=rate,
            changes={
                "usd_per_unit": {
                    "old": None if created else str(before),
                    "new": str(rate.usd_per_unit),
                },
                "reconverted": reconverted,
            },
            request=request,
        )
    return len(rates)


def exchange_rate_set(
    *,
    currency: str,
    year: int,
    usd_per_unit: Decimal,
    source: str = "",
    actor: Actor | None,
    request: HttpRequest | None = None,
) -> ExchangeRate:
    item = rate_clean(
        RateIn(currency=currency, year=year, usd_per_unit=usd_per_unit, source=source)
    )
    exchange_rates_write(rates=[item], actor=actor, request=request)
    return ExchangeRate.objects.get(currency=item.currency, year=item.year)


@transaction.atomic
def exchange_rate_delete(
    *, rate: ExchangeRate, actor: Actor | None, request: HttpRequest | None = None
) -> None:
    """Refused while a funding record or need estimate is converted at this rate."""
    used = (
        FundingRecord.objects.filter(currency=rate.currency, year=rate.year).exists()
        or NeedEstimate.objects.filter(currency=rate.currency, year=rate.year).exists()
    )
    if used:
        raise ValidationError(
            _(
                "The rate of %(currency)s for %(year)s converts stored amounts: it cannot be "
                "deleted."
            )
            % {"currency": rate.currency, "year": rate.year}
        )
    log_action(actor=actor, action=Action.RATE_DELETE, obj=rate, request=request)
    rate.delete()


# --- funding records -----------------------------------------------------------------------


@dataclass(frozen=True)
class FundingIn:
    country: Country
    year: int
    source: str
    programme_area: str
    amount: Decimal
    currency: str = USD
    reference: str = ""
    comment: str = ""


def _choice_clean(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)}
            }
        )
    return value


def funding_clean(item: FundingIn, *, rates: RateBook | None = None) -> tuple[FundingIn, Decimal]:
    """The cleaned record and its amount in US dollars; ValidationError naming the field."""
    currency = currency_clean(item.currency)
    year_clean(item.year)
    _choice_clean(item.source, FundingSource, "source")
    _choice_clean(item.programme_area, ProgrammeArea, "programme_area")
    amount = amount_clean(item.amount)
    book = rates if rates is not None else RateBook([(currency, item.year)])
    usd = book.to_usd(amount=amount, currency=currency, year=item.year)
    cleaned = FundingIn(
        country=item.country,
        year=item.year,
        source=item.source,
        programme_area=item.programme_area,
        amount=amount,
        currency=currency,
        reference=item.reference.strip(),
        comment=item.comment.strip(),
    )
    return cleaned, usd


def _funding_fields(item: FundingIn, usd: Decimal) -> dict[str, Any]:
    return {
        "country": item.country,
        "year": item.year,
        "source": item.source,
        "programme_area": item.programme_area,
        "amount": item.amount,
        "currency": item.currency,
        "amount_usd": usd,
        "reference": item.reference,
        "comment": item.comment,
    }


def _snapshot(record: FundingRecord) -> dict[str, Any]:
    return {
        "country": record.country.iso2,
        "year": record.year,
        "source": record.source,
        "programme_area": record.programme_area,
        "amount": str(record.amount),
        "currency": record.currency,
        "amount_usd": str(record.amount_usd),
        "reference": record.reference,
        "comment": record.comment,
    }


@transaction.atomic
def funding_record_create(
    *, data: FundingIn, actor: Actor | None, request: HttpRequest | None = None
) -> FundingRecord:
    item, usd = funding_clean(data)
    user = actor if isinstance(actor, User) else None
    record = FundingRecord.objects.create(**_funding_fields(item, usd), created_by=user)
    log_action(
        actor=actor,
        action=Action.FUNDING_CREATE,
        obj=record,
        changes={"new": _snapshot(record)},
        request=request,
    )
    return record


@transaction.atomic
def funding_record_update(
    *,
    record: FundingRecord,
    data: FundingIn,
    actor: Actor | None,
    request: HttpRequest | None = None,
) -> FundingRecord:
    item, usd = funding_clean(data)
    before = _snapshot(record)
    for name, value in _funding_fields(item, usd).items():
        setattr(record, name, value)
    record.save()
    after = _snapshot(record)
    log_action(
        actor=actor,
        action=Action.FUNDING_UPDATE,
        obj=record,
        changes={k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]},
        request=request,
    )
    return record


@transaction.atomic
def funding_record_delete(
    *, record: FundingRecord, actor: Actor | None, request: HttpRequest | None = None
) -> None:
    log_action(
        actor=actor,
        action=Action.FUNDING_DELETE,
        obj=record,
        changes={"old": _snapshot(record)},
        request=request,
    )
    record.delete()


def funding_key(item: FundingIn) -> tuple[int, int, str, str, str]:
    """What identifies a record in an import: a row with the key of a stored record
    replaces it, so importing the same file twice does not count the money twice."""
    return (item.country.pk, item.year, item.source, item.programme_area, item.reference)


@transaction.atomic
def funding_records_write(
    *, records: list[tuple[FundingIn, Decimal]], actor: Actor | None, import_job: Any = None
) -> int:
    """Write cleaned records with their US-dollar amounts (an import): a record with the
    same country, year, source, programme area and reference is replaced."""
    user = actor if isinstance(actor, User) else None
    existing: dict[tuple[int, int, str, str, str], FundingRecord] = {}
    countries = {item.country.pk for item, _usd in records}
    years = {item.year for item, _usd in records}
    for stored in FundingRecord.objects.filter(country_id__in=countries, year__in=years):
        key = (
            stored.country_id,
            stored.year,
            stored.source,
            stored.programme_area,
            stored.reference,
        )
        existing.setdefault(key, stored)
    to_create: list[FundingRecord] = []
    to_update: list[FundingRecord] = []
    for item, usd in records:
        found = existing.get(funding_key(item))
        if found is None:
            to_create.append(FundingRecord(**_funding_fields(item, usd), created_by=user))
            continue
        for name, value in _funding_fields(item, usd).items():
            setattr(found, name, value)
        to_update.append(found)
    FundingRecord.objects.bulk_create(to_create, batch_size=500)
    FundingRecord.objects.bulk_update(
        to_update, ["amount", "currency", "amount_usd", "comment", "updated_at"], batch_size=500
    )
    log_action(
        actor=actor,
        action=Action.FUNDING_IMPORT,
        obj=import_job,
        changes={"created": len(to_create), "replaced": len(to_update)},
    )
    return len(records)


# --- need estimates ------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedIn:
    country: Country
    year: int
    programme_area: str  # "" for every area
    amount: Decimal
    currency: str = USD
    reference: str = ""


def need_clean(item: NeedIn, *, rates: RateBook | None = None) -> tuple[NeedIn, Decimal]:
    currency = currency_clean(item.currency)
    year_clean(item.year)
    if item.programme_area:
        _choice_clean(item.programme_area, ProgrammeArea, "programme_area")
    amount = amount_clean(item.amount)
    book = rates if rates is not None else RateBook([(currency, item.year)])
    usd = book.to_usd(amount=amount, currency=currency, year=item.year)
    return (
        NeedIn(
            country=item.country,
            year=item.year,
            programme_area=item.programme_area,
            amount=amount,
            currency=currency,
            reference=item.reference.strip(),
        ),
        usd,
    )


@transaction.atomic
def need_estimates_write(
    *,
    needs: list[tuple[NeedIn, Decimal]],
    actor: Actor | None,
    request: HttpRequest | None = None,
) -> int:
    """Store cleaned estimates: one per country, year and programme area, so a later one
    replaces the earlier."""
    for item, usd in needs:
        need, created = NeedEstimate.objects.update_or_create(
            country=item.country,
            year=item.year,
            programme_area=item.programme_area,
            defaults={
                "amount": item.amount,
                "currency": item.currency,
                "amount_usd": usd,
                "reference": item.reference,
            },
        )
        log_action(
            actor=actor,
            action=Action.NEED_CREATE if created else Action.NEED_UPDATE,
            obj=need,
            changes={"amount": str(item.amount), "currency": item.currency, "amount_usd": str(usd)},
            request=request,
        )
    return len(needs)


def need_estimate_set(
    *, data: NeedIn, actor: Actor | None, request: HttpRequest | None = None
) -> NeedEstimate:
    item, usd = need_clean(data)
    need_estimates_write(needs=[(item, usd)], actor=actor, request=request)
    return NeedEstimate.objects.get(
        country=item.country, year=item.year, programme_area=item.programme_area
    )


@transaction.atomic
def need_estimate_delete(
    *, need: NeedEstimate, actor: Actor | None, request: HttpRequest | None = None
) -> None:
    log_action(
        actor=actor,
        action=Action.NEED_DELETE,
        obj=need,
        changes={"amount": str(need.amount), "currency": need.currency},
        request=request,
    )
    need.delete()
