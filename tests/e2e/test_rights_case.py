"""Journey on a phone (360 px): a documenter records a human-rights case and adds a
response without leaving the page (htmx); the public statistics count it, showing "<5"
where cells are small."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from hrnet.accounts.tests.factories import PASSWORD
from hrnet.geo.reference import geography_load
from hrnet.members.tests.factories import OrganisationFactory, country
from hrnet.rights.models import Case, CaseResponse, ViolationType
from hrnet.rights.reference import violation_types_load
from hrnet.rights.tests.factories import CaseFactory, documenter_of, use_test_keys

NARRATIVE = "Two officers stopped her near the pharmacy and took her methadone dose."


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"


def moldova_row(page):
    return page.locator("tbody tr").filter(has=page.locator("th", has_text=re.compile("Moldova")))


def test_documenter_records_a_case_with_a_response_and_the_statistics_count_it(live_server, page):
    # given: four shared cases in Moldova in 2024 and two in Georgia (too few to publish),
    # and a documenter
    geography_load()
    violation_types_load()
    home = OrganisationFactory.create()
    police = ViolationType.objects.order_by("position").first()
    assert police is not None
    for _ in range(4):
        CaseFactory.create(
            organisation=home,
            country=country("MD"),
            date_from=date(2024, 2, 1),
            consent_to_share=True,
            violation_types=[police],
        )
    for _ in range(2):
        CaseFactory.create(
            organisation=home,
            country=country("GE"),
            date_from=date(2024, 6, 1),
            consent_to_share=True,
            violation_types=[police],
        )
    documenter = documenter_of(home, email="dina@example.org")
    base = live_server.url
    page.goto(f"{base}/en/rights/statistics/?group_by=country&year=2024")
    expect(moldova_row(page).locator("td")).to_have_text("<5")

    # when: the documenter signs in and records a case on the phone
    page.goto(f"{base}/en/accounts/login/?next=/en/rights/cases/new/")
    page.locator("input[name=username], input[type=email]").first.fill(documenter.email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/en/rights/cases/new/$"))
    no_sideways_scroll(page)
    form = page.locator("form.case-form")
    form.locator("input[name=date_from]").fill("2024-05-02")
    form.locator("select[name=country]").select_option(str(country("MD").pk))
    form.locator("input[name=locality]").fill("Cahul")
    form.locator("select[name=age_group]").select_option("25-34")
    form.locator("select[name=gender]").select_option("woman")
    form.locator("input[name=key_populations][value=pwid]").check()
    form.locator(f"input[name=violation_types][value='{police.pk}']").check()
    form.locator("input[name=perpetrator_types][value=police]").check()
    form.locator("textarea[name=narrative]").fill(NARRATIVE)
    form.locator("input[name=consent_to_record]").check()
    form.locator("input[name=consent_to_share]").check()
    form.locator("input[name=consent_date]").fill("2024-05-03")
    form.get_by_role("button", name="Record the case").click()

    # then: the case page shows what was recorded
    page.wait_for_url(re.compile(r"/en/rights/cases/[^/]+/$"))
    case = Case.objects.get(locality="Cahul")
    expect(page.locator("h1")).to_contain_text(case.reference)
    expect(page.locator("main")).to_contain_text(NARRATIVE)
    no_sideways_scroll(page)

    # when: a response is added (htmx swaps the responses in place)
    responses = page.locator("#responses")
    responses.locator("select[name=action]").select_option("legal_aid")
    responses.locator("input[name=responder]").fill("Community paralegal")
    responses.locator("input[name=date]").fill("2024-05-04")
    responses.locator("textarea[name=outcome]").fill("Dose returned after a complaint.")
    responses.get_by_role("button", name="Add the response").click()

    # then: it is listed without a reload
    expect(page.locator("#responses [role=status]")).to_contain_text("The response was added")
    expect(page.locator("#responses ol")).to_contain_text("Legal aid")
    expect(page.locator("#responses ol")).to_contain_text("Dose returned after a complaint.")
    assert CaseResponse.objects.filter(case=case).count() == 1
    no_sideways_scroll(page)

    # and: the statistics count it (five in Moldova now), small cells still show "<5"
    page.goto(f"{base}/en/rights/statistics/?group_by=country&year=2024")
    expect(moldova_row(page).locator("td")).to_have_text("5")
    georgia = page.locator("tbody tr").filter(has=page.locator("th", has_text="Georgia"))
    expect(georgia.locator("td")).to_have_text("<5")
    no_sideways_scroll(page)
