"""Journey: the secretariat verifies three signatures of a sign-on statement in one action;
a fourth stays waiting, and the three show on the campaign's page."""

from __future__ import annotations

from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.campaigns.tests.factories import CampaignFactory, SignatureFactory
from hrnet.geo.reference import geography_load

SIGNERS = ("Alliance Kyiv", "Chisinau Outreach", "Almaty Peer Network")


def test_the_secretariat_verifies_three_signatures_in_one_action(live_server, browser, make_user):
    # given: a campaign with four signatures waiting, and a secretariat officer
    geography_load()
    campaign = CampaignFactory.create()
    for name in (*SIGNERS, "Late Signer"):
        SignatureFactory.create(campaign=campaign, status="pending", organisation_name=name)
    staff = make_user(Role.SECRETARIAT, email="staff@example.org", preferred_language="en")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # when: they tick three signatures on the queue and verify them in one action
    page.goto(f"{live_server.url}/en/campaigns/signatures/")
    expect(page.locator("main")).to_contain_text("4 signatures await verification")
    for name in SIGNERS:
        page.get_by_role("checkbox", name=f"Select {name}").check()
    page.locator(".bulk-actions").get_by_role("button", name="Verify").click()

    # then: the three are verified, the fourth still waits
    main = page.locator("main")
    expect(main).to_contain_text("3 signatures verified.")
    expect(main).to_contain_text("1 signature awaits verification")
    expect(main).to_contain_text("Late Signer")
    for name in SIGNERS:
        expect(main).not_to_contain_text(name)

    # and: one box ticks every row left on the page
    page.get_by_label("Select all on this page").check()
    expect(page.get_by_role("checkbox", name="Select Late Signer")).to_be_checked()

    # and: they show on the campaign's public page
    page.goto(f"{live_server.url}/en/campaigns/{campaign.slug}/")
    for name in SIGNERS:
        expect(page.locator("main")).to_contain_text(name)
    context.close()
