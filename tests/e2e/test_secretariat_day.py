"""Journey: a secretariat officer's morning, in one go. They sign in and land on their
start page, see what waits, verify three signatures in one action from the queue the page
links, then save the segment "Caucasus, NGOs" from the menu, send it a mailing in English
and Russian and watch the progress bar finish."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.campaigns.tests.factories import CampaignFactory, SignatureFactory
from hrnet.geo.reference import geography_load
from hrnet.mailings.tests.factories import member_organisation
from hrnet.members.models import Organisation

SIGNERS = ("Alliance Kyiv", "Chisinau Outreach", "Almaty Peer Network")


def test_the_secretariats_morning_from_queues_to_a_mailing(
    live_server, browser, make_user, settings
):
    # given: four signatures waiting, member organisations in the Caucasus and Moldova
    settings.HRNET_MAILING_RATE_PER_MINUTE = 0
    geography_load()
    campaign = CampaignFactory.create()
    for name in (*SIGNERS, "Late Signer"):
        SignatureFactory.create(campaign=campaign, status="pending", organisation_name=name)
    member_organisation("GE", contact_email="nino@example.org", language="ru")
    member_organisation("AM", contact_email="anna@example.org", language="en")
    member_organisation("GE", kind=Organisation.Kind.NETWORK, contact_email="net@example.org")
    member_organisation("MD", contact_email="ion@example.org")
    staff = make_user(Role.SECRETARIAT, is_staff=True, email="aida@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # when: they sign in
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # then: they land on their start page, which counts the signatures waiting
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    signatures = page.locator("[data-queue=signatures]")
    expect(signatures.locator(".work-count")).to_have_text("4")

    # when: they open that queue and verify three in one action
    signatures.get_by_role("link").click()
    for name in SIGNERS:
        page.get_by_role("checkbox", name=f"Select {name}").check()
    page.locator(".bulk-actions").get_by_role("button", name="Verify").click()
    expect(page.locator("main")).to_contain_text("3 signatures verified.")

    # then: back on the start page, one is left
    page.get_by_role("link", name="My work").click()
    expect(page.locator("[data-queue=signatures] .work-count")).to_have_text("1")

    # when: they open Segments from the Secretariat menu and save "Caucasus, NGOs"
    page.locator("summary", has_text="Secretariat").click()
    page.get_by_role("link", name="Segments").click()
    page.get_by_role("link", name="New segment").click()
    count = page.locator("#segment-count")
    page.get_by_label("Name of the segment").fill("Caucasus, NGOs")
    page.get_by_label("Sub-region").select_option("CAUCASUS")
    page.get_by_label("Type", exact=True).select_option("ngo")
    expect(count).to_contain_text("2 members match")
    page.get_by_role("button", name="Save the segment").click()
    expect(page.locator("h1")).to_have_text("Caucasus, NGOs")

    # and: write the mailing in both languages and send it
    page.get_by_role("link", name="Write a mailing to this segment").click()
    page.get_by_label("Subject (English)").fill("Regional meeting in Tbilisi")
    page.get_by_label("Message (Markdown) (English)").fill("Join us on **12 May**.")
    page.get_by_label("Subject (Русский)").fill("Региональная встреча в Тбилиси")
    page.get_by_label("Message (Markdown) (Русский)").fill("Ждём вас **12 мая**.")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("button", name="Send the mailing").click()

    # then: the progress bar finishes, and each contact got it once, in their language
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("[data-status]")).to_have_text("Sent")
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "nino@example.org": "Региональная встреча в Тбилиси",
        "anna@example.org": "Regional meeting in Tbilisi",
    }
    assert re.search(r"/en/mailings/\d+/", page.url)
    context.close()
