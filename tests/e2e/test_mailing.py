"""Journey: the secretariat saves the segment "Caucasus, NGOs" watching its live count,
writes a mailing in English and Russian to it, sends it and sees the progress bar finish;
each contact person gets it once, in their language. Screenshots go to /tmp/shots/
(mailing-*.png, at 1280 and 360 px) for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.geo.reference import geography_load
from hrnet.mailings.models import Mailing
from hrnet.mailings.tests.factories import member_organisation
from hrnet.members.models import Organisation

SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots for people to look at


def sign_in(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/en/accounts/login/?next={next_path}")
    page.locator("input[name=username], input[type=email]").first.fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_secretariat_sends_a_bilingual_mailing_to_caucasus_ngos(
    live_server, browser, make_user, settings
):
    # given: two NGOs in the Caucasus (one contact reads Russian), a network in Georgia
    # and an NGO in Moldova
    settings.HRNET_MAILING_RATE_PER_MINUTE = 0
    geography_load()
    member_organisation("GE", contact_email="nino@example.org", language="ru")
    member_organisation("AM", contact_email="anna@example.org", language="en")
    member_organisation("GE", kind=Organisation.Kind.NETWORK, contact_email="net@example.org")
    member_organisation("MD", contact_email="ion@example.org")
    secretariat = make_user(Role.SECRETARIAT, is_staff=True, email="aida@example.org")
    SHOTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, secretariat.email, "/en/mailings/segments/new/")

    # when: the filters change, the count follows them
    count = page.locator("#segment-count")
    expect(count).to_contain_text("4 members match")
    page.get_by_label("Name of the segment").fill("Caucasus, NGOs")
    page.get_by_label("Sub-region").select_option("CAUCASUS")
    expect(count).to_contain_text("3 members match")
    page.get_by_label("Type", exact=True).select_option("ngo")
    expect(count).to_contain_text("2 members match")
    expect(count).to_contain_text("2 email addresses")
    page.screenshot(path=str(SHOTS / "mailing-segment-1280.png"), full_page=True)
    page.get_by_role("button", name="Save the segment").click()
    expect(page.locator("h1")).to_have_text("Caucasus, NGOs")

    # and: a mailing in both languages is written to it and previewed
    page.get_by_role("link", name="Write a mailing to this segment").click()
    expect(page.get_by_label("Segment")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Subject (English)").fill("Regional meeting in Tbilisi")
    page.get_by_label("Message (Markdown) (English)").fill("Join us on **12 May**.")
    page.get_by_label("Subject (Русский)").fill("Региональная встреча в Тбилиси")
    page.get_by_label("Message (Markdown) (Русский)").fill("Ждём вас **12 мая**.")
    page.screenshot(path=str(SHOTS / "mailing-form-1280.png"), full_page=True)
    page.get_by_role("button", name="Save and preview").click()
    preview = page.locator(".mailing-preview")
    expect(preview).to_have_count(2)
    expect(preview.first.locator("strong")).to_have_text("12 May")
    expect(page.locator("main")).to_contain_text("2 email addresses today")

    # and: sent now
    page.get_by_role("button", name="Send the mailing").click()

    # then: the progress bar finishes and the mailing is sent, once to each, in their language
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("[data-status]")).to_have_text("Sent")
    expect(page.locator("main")).to_contain_text("2 of 2 sent")
    page.screenshot(path=str(SHOTS / "mailing-sent-1280.png"), full_page=True)
    assert Mailing.objects.get().status == Mailing.Status.SENT
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "nino@example.org": "Региональная встреча в Тбилиси",
        "anna@example.org": "Regional meeting in Tbilisi",
    }
    page.get_by_role("link", name="2 of 2 sent").click()
    expect(page.locator("tbody tr")).to_have_count(2)

    # and: the same pages on a small phone
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=str(SHOTS / "mailing-recipients-360.png"), full_page=True)
    page.go_back()
    page.screenshot(path=str(SHOTS / "mailing-sent-360.png"), full_page=True)
    page.goto(f"{base}/en/mailings/segments/new/")
    page.get_by_label("Sub-region").select_option("CAUCASUS")
    expect(page.locator("#segment-count")).to_contain_text("3 members match")
    page.screenshot(path=str(SHOTS / "mailing-segment-360.png"), full_page=True)
    context.close()
