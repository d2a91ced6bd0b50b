"""Evidence in plain language: public pages name indicators and sources as readers say
them (never a code), in the reader's language; the year list reaches the latest year with
data; long tables are paged; funding has charts with their tables."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import translation

from hrnet.accounts.roles import Role
from hrnet.evidence.models import FundingRecord, FundingSource, NeedEstimate, ProgrammeArea
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")

BOM = "utf-8-sig"  # every export starts with a byte-order mark


class _Text(HTMLParser):
    """The text a reader sees: no markup, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def write(catalogue, code, iso2, year, value, *, source="UNAIDS GAM", site=None, kind="year"):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                site=site,
                period=str(year),
                period_kind=kind,
                source=source,
                value=Decimal(value),
            )
        ],
        actor=None,
    )


def profile_values(catalogue, iso2="KZ", years=range(2021, 2026)):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                period=str(year),
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal(value),
            )
            for year in years
            for code, value in (
                ("PWID_SIZE_ESTIMATE", 120000),
                ("NS_DISTRIBUTED", 9000000),
                ("OST_CLIENTS", 1800),
                ("PWID_REACHED", 60000),
                ("PWID_HIV_TESTED", 40000),
                ("PWID_LIVING_WITH_HIV", 16000),
                ("PWID_ON_ART", 7000),
                ("NSP_SITES", 65),
                ("HCV_AB_TESTED", 30000),
                ("HCV_AB_POSITIVE", 19000),
                ("HCV_RNA_TESTED", 15000),
                ("HCV_RNA_POSITIVE", 11000),
            )
        ],
        actor=None,
    )


def test_public_country_profile_shows_no_indicator_code(client: Client, catalogue):
    # given: a country with values of every figure of the profile, coverage computed here
    profile_values(catalogue)

    # when: a visitor opens its profile
    response = client.get("/en/evidence/countries/KZ/")

    # then: the indicators are named, never coded, and sources read as readers say them
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    codes = set(catalogue)
    shown = {token for token in re.findall(r"\b[A-Z][A-Z0-9_]{5,}\b", text) if token in codes}
    assert shown == set()
    assert "UNAIDS GAM" not in text
    assert "computed here" not in text
    assert "imported ready-made" not in text
    assert "reported by UNAIDS Global AIDS Monitoring" in text
    # HIV prevalence: living with HIV over the estimate, calculated on the fly
    assert (
        "calculated from: people who inject drugs living with HIV (estimate) "
        "(UNAIDS Global AIDS Monitoring, 2025) and estimated number of people who inject "
        "drugs (UNAIDS Global AIDS Monitoring, 2025)"
    ) in text
    # a stored computed coverage names what it was calculated from too
    assert (
        "calculated from: needles and syringes distributed by needle-syringe programmes "
        "(UNAIDS Global AIDS Monitoring, 2025)"
    ) in text


def test_chart_labels_are_never_cut(client: Client, catalogue):
    profile_values(catalogue)

    content = client.get("/en/evidence/countries/KZ/").content.decode()

    texts = re.findall(r"<text[^>]*>([^<]*)</text>", content)
    assert texts
    assert not [text for text in texts if text.endswith(("…", "..."))]
    # every long indicator name of the coverage chart is there in full, wrapped into lines
    legend = " ".join(texts)
    assert "Percentage of people who inject drugs tested for HIV who know" in legend


def test_year_list_goes_up_to_the_latest_year_with_data(client: Client, catalogue):
    # given: survey figures up to 2025, and naloxone kits (not on the profile) for 2026
    profile_values(catalogue, years=range(2024, 2026))
    write(catalogue, "NALOXONE_KITS", "KZ", 2026, "500")

    content = client.get("/en/evidence/countries/KZ/").content.decode()

    options = re.findall(r'<option value="(\d{4})"', content)
    assert options[0] == "2026"
    assert "2025" in options
    # the figures of 2025 are still shown "as of 2026"
    assert "120,000" in content


def test_units_and_sources_are_in_russian(client: Client, catalogue):
    profile_values(catalogue)

    with translation.override("ru"):
        profile = client.get("/ru/evidence/countries/KZ/").content.decode()
        indicators = client.get("/ru/evidence/indicators/").content.decode()

    text = visible_text(profile)
    assert "UNAIDS GAM" not in text
    assert "Глобальный мониторинг эпидемии СПИДа" in text
    assert "рассчитано по" in text
    listing = visible_text(indicators)
    for english in ("per PWID per year", "percent", "people"):
        assert not re.search(rf"\b{english}\b", listing), english
    assert "на одного ЛУИН в год" in listing


def test_long_value_tables_are_paged(client: Client, catalogue):
    # given: 60 values of one indicator
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue["NALOXONE_KITS"],
                country=country(iso2),
                period=str(year),
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal(100 + year),
            )
            for iso2 in ("MD", "GE", "UA", "KZ", "AM", "KG")
            for year in range(2016, 2026)
        ],
        actor=None,
    )

    first = client.get("/en/evidence/indicators/NALOXONE_KITS/").content.decode()
    second = client.get("/en/evidence/indicators/NALOXONE_KITS/?page=2").content.decode()

    assert first.count("UNAIDS Global AIDS Monitoring</td>") == 50
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    assert second.count("UNAIDS Global AIDS Monitoring</td>") == 10


def funding(iso2: str) -> None:
    place = country(iso2)
    for year in (2023, 2024, 2025):
        for source, amount in (
            (FundingSource.GLOBAL_FUND, 300_000),
            (FundingSource.DOMESTIC_PUBLIC, 100_000 * (year - 2021)),
        ):
            FundingRecord.objects.create(
                country=place,
                year=year,
                source=source,
                programme_area=ProgrammeArea.NSP,
                amount=Decimal(amount),
                amount_usd=Decimal(amount),
            )
        NeedEstimate.objects.create(
            country=place, year=year, amount=Decimal(900_000), amount_usd=Decimal(900_000)
        )


def test_funding_page_has_charts_with_tables_and_csv(client: Client):
    funding("KZ")

    response = client.get("/en/evidence/funding/KZ/")

    content = response.content.decode()
    assert response.status_code == 200
    for slug in ("funding-sources", "funding-need", "funding-gap"):
        assert f'data-chart="{slug}"' in content
        assert f"/en/evidence/funding/KZ/charts/{slug}.csv" in content
    assert "Funding by source, US dollars, Kazakhstan" in content
    # 2025: 300,000 + 400,000 of 900,000 needed
    assert "200,000 (22.2% of the need)" in content
    csv = client.get("/en/evidence/funding/KZ/charts/funding-gap.csv").content.decode(BOM)
    assert csv.splitlines()[0] == 'Year,"Gap, USD","Gap, percent of the need"'
    assert '2025,"200,000",22.2' in csv.splitlines()
    sources = client.get("/en/evidence/funding/KZ/charts/funding-sources.csv").content.decode(BOM)
    assert sources.splitlines()[0] == "Year,Global Fund,Domestic public"
    assert client.get("/en/evidence/funding/KZ/charts/nothing.csv").status_code == 404


def test_funding_in_the_region_has_a_gap_chart_with_its_csv(client: Client):
    funding("KZ")
    funding("MD")

    content = client.get("/en/evidence/funding/?year=2025").content.decode()

    assert 'data-chart="region-gap"' in content
    assert "Funding gap as a share of the need, 2025" in content
    assert "22.2% of the need (200,000 US dollars)" in content
    assert "/en/evidence/funding/charts/region-gap.csv?year=2025" in content
    csv = client.get("/en/evidence/funding/charts/region-gap.csv?year=2025").content.decode(BOM)
    assert 'Kazakhstan,"200,000",22.2' in csv.splitlines()


def test_funding_records_are_paged(client: Client, make_user):
    place = country("KZ")
    FundingRecord.objects.bulk_create(
        FundingRecord(
            country=place,
            year=2000 + number,
            source=FundingSource.GLOBAL_FUND,
            programme_area=ProgrammeArea.NSP,
            amount=Decimal(1000),
            amount_usd=Decimal(1000),
        )
        for number in range(60)
    )
    client.force_login(make_user(Role.SECRETARIAT))

    first = client.get("/en/evidence/funding/records/?country=KZ").content.decode()
    second = client.get("/en/evidence/funding/records/?country=KZ&page=2").content.decode()

    assert "60 records." in first
    assert "Page 1 of 2" in first
    assert "country=KZ&amp;page=2" in first
    assert second.count("/en/evidence/funding/KZ/") >= 10
