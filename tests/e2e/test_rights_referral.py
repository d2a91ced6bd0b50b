"""Journey on a phone (360 px): a documenter refers the person in a case to a health
service, follows the referral from made to accepted to completed with its outcome (the
earlier versions stay listed), closes the case, and reopens it with a reason."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from hrnet.accounts.tests.factories import PASSWORD
from hrnet.geo.reference import geography_load
from hrnet.members.tests.factories import OrganisationFactory
from hrnet.rights.models import Case, CaseResponse
from hrnet.rights.tests.factories import CaseFactory, documenter_of, use_test_keys

OUTCOME = "Seen at the city clinic; wound treated and a follow-up booked."


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"


def edit_the_referral(page, status: str, outcome: str = "") -> None:
    page.locator("#responses").get_by_role("link", name=re.compile("Edit the response")).click()
    page.wait_for_url(re.compile(r"/responses/\d+/edit/$"))
    no_sideways_scroll(page)
    form = page.locator("form.response-form")
    form.locator("select[name=referral_status]").select_option(status)
    if outcome:
        form.locator("textarea[name=outcome]").fill(outcome)
    form.get_by_role("button", name="Save the response").click()
    page.wait_for_url(re.compile(r"/en/rights/cases/[^/]+/(#response-\d+)?$"))


def test_a_referral_is_followed_to_its_outcome_on_a_phone(live_server, page):
    # given: a documenter and an open case of their organisation
    geography_load()
    home = OrganisationFactory.create()
    case = CaseFactory.create(organisation=home, key_populations=["people_who_use_drugs"])
    documenter = documenter_of(home, email="dina@example.org")
    base = live_server.url
    page.goto(f"{base}/en/accounts/login/?next=/en/rights/cases/{case.reference}/")
    page.locator("input[name=username], input[type=email]").first.fill(documenter.email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/en/rights/cases/{case.reference}/$"))
    expect(page.locator("main")).to_contain_text("People who use drugs")
    no_sideways_scroll(page)

    # when: the person is referred to a health service (htmx, no reload)
    responses = page.locator("#responses")
    responses.locator("select[name=action]").select_option("referral")
    responses.locator("select[name=service]").select_option("health")
    responses.locator("input[name=responder]").fill("City clinic")
    responses.locator("input[name=date]").fill("2024-03-20")
    responses.get_by_role("button", name="Add the response").click()

    # then: the referral is listed as made
    expect(page.locator("#responses [role=status]")).to_contain_text("The response was added")
    expect(page.locator("#responses ol.responses")).to_contain_text("Health care")
    expect(page.locator("#responses ol.responses")).to_contain_text("Referral made")
    no_sideways_scroll(page)

    # when: the clinic accepts it, then it is completed with the outcome
    edit_the_referral(page, "accepted")
    expect(page.locator("#responses ol.responses")).to_contain_text("Accepted by the service")
    edit_the_referral(page, "completed", OUTCOME)

    # then: the case page shows it completed, with its outcome and its two earlier versions
    listed = page.locator("#responses ol > li").first
    expect(listed).to_contain_text("Completed")
    expect(listed).to_contain_text(OUTCOME)
    listed.locator("summary").click()
    expect(listed.locator("summary")).to_contain_text("2 earlier versions")
    expect(listed.locator(".response-versions")).to_contain_text("Referral made")
    response = CaseResponse.objects.get(case=case)
    assert (response.referral_status, response.outcome) == ("completed", OUTCOME)
    assert response.versions.count() == 2
    no_sideways_scroll(page)

    # when: the case is closed
    page.locator("textarea[name=reason]").fill("The person got the care needed.")
    page.get_by_role("button", name="Close the case").click()

    # then: no response can be added; it can be reopened with a reason
    expect(page.locator("#responses")).to_contain_text("reopen it to add a response")
    expect(page.locator("#responses form")).to_have_count(0)
    no_sideways_scroll(page)
    page.locator("textarea[name=reason]").fill("The clinic cancelled the follow-up.")
    page.get_by_role("button", name="Reopen the case").click()
    expect(page.locator("main")).to_contain_text("The case was reopened.")
    expect(page.locator("main")).to_contain_text("The clinic cancelled the follow-up.")
    expect(page.locator("#responses form")).to_have_count(1)
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN
    no_sideways_scroll(page)
