"""Journey: the secretariat uploads an XLSX of country values with two bad rows, sees both
rows named with their reasons and nothing imported; fixes them and imports with the
progress bar; the map and a country profile show the new values and their bands."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.evidence.models import DataValue, Indicator, PeriodKind
from hrnet.evidence.reference import indicators_load
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.geo.models import Country
from hrnet.geo.reference import geography_load

HEADER = ["country", "year", "indicator", "value", "source"]


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page, base: str, content: bytes) -> None:
    page.goto(f"{base}/en/evidence/imports/")
    page.locator("input[type=file]").set_input_files(
        {
            "name": "country-values-2024.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": content,
        }
    )
    page.get_by_role("button", name="Upload and import").click()


def test_secretariat_fixes_a_bad_upload_and_sees_the_bands_on_the_map_and_profile(
    live_server, page, make_user
):
    # given: countries, the catalogue, and each country's estimate of people who inject
    geography_load()
    indicators_load()
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    secretariat = make_user(Role.SECRETARIAT, is_staff=True, email="aida@example.org")
    data_values_write(
        values=[
            ValueIn(
                indicator=indicators["PWID_SIZE_ESTIMATE"],
                country=Country.objects.get(iso2=iso2),
                period="2024",
                period_kind=PeriodKind.YEAR,
                source="UNAIDS GAM",
                value=Decimal(size),
            )
            for iso2, size in (("MD", 30_000), ("GE", 50_000))
        ],
        actor=secretariat,
    )
    base = live_server.url
    page.goto(f"{base}/en/accounts/login/?next=/en/evidence/imports/")
    page.locator("input[name=username], input[type=email]").first.fill(secretariat.email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/en/evidence/imports/$"))

    # when: a file with an unknown country on line 3 and a value that is no number on line 4
    upload(
        page,
        base,
        xlsx(
            [
                ["Republic of Moldova", 2024, "NS_DISTRIBUTED", 4_500_000, "National report"],
                ["Atlantis", 2024, "NS_DISTRIBUTED", 1_000, "National report"],
                ["GE", 2024, "NS_DISTRIBUTED", "about two million", "National report"],
                ["MD", 2024, "OST_CLIENTS", 9_000, "National report"],
            ]
        ),
    )

    # then: both rows are named with their reasons, and nothing was written
    report = page.locator("section[aria-labelledby=report-heading]")
    expect(report).to_contain_text("Nothing was written")
    rows = report.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("3")
    expect(rows.nth(0)).to_contain_text("Atlantis")
    expect(rows.nth(0)).to_contain_text("Unknown country")
    expect(rows.nth(1)).to_contain_text("4")
    expect(rows.nth(1)).to_contain_text("about two million")
    expect(rows.nth(1)).to_contain_text("Not a number")
    assert not DataValue.objects.filter(source="National report").exists()

    # when: the fixed file is uploaded
    upload(
        page,
        base,
        xlsx(
            [
                ["Republic of Moldova", 2024, "NS_DISTRIBUTED", 4_500_000, "National report"],
                ["Georgia", 2024, "NS_DISTRIBUTED", 2_000_000, "National report"],
                ["MD", 2024, "OST_CLIENTS", 9_000, "National report"],
            ]
        ),
    )

    # then: the progress bar is full and every row was written
    progress = page.locator("progress")
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("#job-progress")).to_contain_text("Rows: 3 of 3")
    expect(page.locator("section[aria-labelledby=report-heading]")).to_contain_text(
        "Rows written: 3"
    )

    # and: the map gives Moldova 150 syringes per person (exactly inside the medium band)
    # and Georgia 40 (low)
    page.goto(f"{base}/en/evidence/?indicator=NSP_COVERAGE&year=2024")
    moldova = page.locator("svg path[data-country=MD] title")
    expect(moldova).to_contain_text("150")
    expect(moldova).to_contain_text("medium", ignore_case=True)
    georgia = page.locator("svg path[data-country=GE] title")
    expect(georgia).to_contain_text("40")
    expect(georgia).to_contain_text("low", ignore_case=True)

    # and: Moldova's profile shows the coverage with its band and where it came from
    page.goto(f"{base}/en/evidence/countries/MD/")
    expect(page.locator("main")).to_contain_text("150")
    coverage = page.locator("main").get_by_text(re.compile("syringes", re.IGNORECASE)).first
    expect(coverage).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile("medium", re.IGNORECASE))
    # OST: 9,000 per 30,000 people = 30 per 100, medium
    expect(page.locator("main")).to_contain_text("30")
