from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from hrnet.core.models import AuditEntry
from hrnet.evidence.imports.funding import FundingImporter, NeedsImporter, RatesImporter
from hrnet.evidence.models import ExchangeRate, FundingRecord, NeedEstimate
from hrnet.evidence.services.funding import (
    FundingIn,
    NeedIn,
    exchange_rate_set,
    funding_record_create,
    funding_record_delete,
    funding_record_update,
    need_estimate_set,
)
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("geography")


def record(**fields) -> FundingIn:
    values: dict[str, Any] = {
        "country": country("UA"),
        "year": 2022,
        "source": "global_fund",
        "programme_area": "nsp",
        "amount": Decimal(1000),
        "currency": "USD",
    }
    values.update(fields)
    return FundingIn(**values)


def errors_of(report):
    return [(error.line, error.column, error.value) for error in report.errors]


def test_us_dollars_need_no_rate(secretariat):
    saved = funding_record_create(data=record(amount=Decimal("1234.5")), actor=secretariat)

    assert saved.amount_usd == Decimal("1234.50")
    assert AuditEntry.objects.filter(action="evidence.funding.create").count() == 1


def test_an_amount_is_converted_at_the_rate_of_its_year(secretariat):
    exchange_rate_set(currency="uah", year=2022, usd_per_unit=Decimal("0.03"), actor=secretariat)
    exchange_rate_set(currency="UAH", year=2023, usd_per_unit=Decimal("0.027"), actor=secretariat)

    saved = funding_record_create(
        data=record(amount=Decimal(1_000_000), currency="uah"), actor=secretariat
    )

    assert saved.currency == "UAH"
    assert saved.amount_usd == Decimal("30000.00")  # 1,000,000 x 0.03


def test_a_missing_rate_is_an_error_naming_currency_and_year(secretariat):
    exchange_rate_set(currency="UAH", year=2021, usd_per_unit=Decimal("0.036"), actor=secretariat)

    with pytest.raises(ValidationError) as caught:
        funding_record_create(data=record(currency="UAH", year=2022), actor=secretariat)

    message = caught.value.message_dict["currency"][0]
    assert "UAH" in message
    assert "2022" in message
    assert not FundingRecord.objects.exists()


def test_changing_a_rate_reconverts_that_currency_and_year_only(secretariat):
    exchange_rate_set(currency="UAH", year=2022, usd_per_unit=Decimal("0.03"), actor=secretariat)
    exchange_rate_set(currency="UAH", year=2023, usd_per_unit=Decimal("0.03"), actor=secretariat)
    of_2022 = funding_record_create(
        data=record(amount=Decimal(100_000), currency="UAH"), actor=secretariat
    )
    of_2023 = funding_record_create(
        data=record(amount=Decimal(100_000), currency="UAH", year=2023), actor=secretariat
    )
    need = need_estimate_set(
        data=NeedIn(
            country=country("UA"),
            year=2022,
            programme_area="",
            amount=Decimal(200_000),
            currency="UAH",
        ),
        actor=secretariat,
    )

    exchange_rate_set(currency="UAH", year=2022, usd_per_unit=Decimal("0.025"), actor=secretariat)

    of_2022.refresh_from_db()
    of_2023.refresh_from_db()
    need.refresh_from_db()
    assert of_2022.amount_usd == Decimal("2500.00")
    assert need.amount_usd == Decimal("5000.00")
    assert of_2023.amount_usd == Decimal("3000.00")
    assert ExchangeRate.objects.get(currency="UAH", year=2022).usd_per_unit == Decimal("0.025")


def test_a_negative_amount_or_unknown_currency_names_the_field(secretariat):
    with pytest.raises(ValidationError) as negative:
        funding_record_create(data=record(amount=Decimal(-1)), actor=secretariat)
    with pytest.raises(ValidationError) as currency:
        funding_record_create(data=record(currency="dollars"), actor=secretariat)

    assert "amount" in negative.value.message_dict
    assert "dollars" in currency.value.message_dict["currency"][0]


def test_update_and_delete_are_audited(secretariat):
    saved = funding_record_create(data=record(), actor=secretariat)

    funding_record_update(record=saved, data=record(amount=Decimal(2000)), actor=secretariat)
    funding_record_delete(record=saved, actor=secretariat)

    assert not FundingRecord.objects.exists()
    update = AuditEntry.objects.get(action="evidence.funding.update")
    assert update.changes["amount"] == {"old": "1000.00", "new": "2000.00"}
    assert AuditEntry.objects.filter(action="evidence.funding.delete").exists()


# --- imports ------------------------------------------------------------------------------


def test_funding_import_converts_and_replaces_the_same_record(secretariat):
    RatesImporter(actor=secretariat).run(
        b"currency,year,usd_per_unit,source\nGEL,2022,0.35,National Bank\n", fmt="csv"
    )
    text = (
        b"country,year,source,programme_area,amount,currency,reference\n"
        b"Georgia,2022,Global Fund,nsp,100000,GEL,GF grant\n"
        b"GE,2022,domestic_public,ost,50000,,\n"
    )

    first = FundingImporter(actor=secretariat).run(text, fmt="csv")
    again = FundingImporter(actor=secretariat).run(text, fmt="csv")

    assert first.ok, first.errors
    assert again.ok
    assert FundingRecord.objects.count() == 2
    grant = FundingRecord.objects.get(source="global_fund")
    assert grant.amount_usd == Decimal("35000.00")  # 100,000 GEL x 0.35
    assert FundingRecord.objects.get(source="domestic_public").currency == "USD"


def test_funding_import_reports_every_bad_row_and_writes_nothing(secretariat):
    exchange_rate_set(currency="GEL", year=2022, usd_per_unit=Decimal("0.35"), actor=secretariat)

    report = FundingImporter(actor=secretariat).run(
        (
            b"country,year,source,programme_area,amount,currency\n"
            b"GE,2022,global_fund,nsp,100,GEL\n"
            b"Atlantis,2022,global_fund,nsp,100,USD\n"
            b"GE,22,global_fund,nsp,100,USD\n"
            b"GE,2022,lottery,nsp,100,USD\n"
            b"GE,2022,pepfar,circus,100,USD\n"
            b"GE,2022,pepfar,nsp,lots,USD\n"
            b"GE,2022,pepfar,ost,-5,USD\n"
            b"GE,2023,pepfar,ost,5,GEL\n"
            b"GE,2022,global_fund,nsp,7,GEL\n"
        ),
        fmt="csv",
    )

    assert errors_of(report) == [
        (3, "country", "Atlantis"),
        (4, "year", "22"),
        (5, "source", "lottery"),
        (6, "programme_area", "circus"),
        (7, "amount", "lots"),
        (8, "amount", "-5"),
        (9, "currency", "GEL"),
        (10, "source", "global_fund"),
    ]
    missing_rate = report.errors[6].message
    assert "GEL" in missing_rate
    assert "2023" in missing_rate
    assert report.written == 0
    assert not FundingRecord.objects.exists()


def test_rates_import_reports_bad_rows():
    report = RatesImporter().run(
        b"currency,year,usd_per_unit\nEUR,2022,1.05\nEURO,2022,1\nKZT,2022,0\nKZT,2022,x\n",
        fmt="csv",
    )

    assert errors_of(report) == [
        (3, "currency", "EURO"),
        (4, "usd_per_unit", "0"),
        (5, "usd_per_unit", "x"),
    ]
    assert not ExchangeRate.objects.exists()


def test_needs_import_keeps_one_estimate_per_country_year_and_area(secretariat):
    report = NeedsImporter(actor=secretariat).run(
        b"country,year,programme_area,amount\nMD,2022,,500000\nMD,2022,nsp,200000\n",
        fmt="csv",
    )
    again = NeedsImporter(actor=secretariat).run(
        b"country,year,amount\nMD,2022,600000\n", fmt="csv"
    )

    assert report.ok, report.errors
    assert again.ok
    assert NeedEstimate.objects.count() == 2
    assert NeedEstimate.objects.get(programme_area="").amount_usd == Decimal("600000.00")
