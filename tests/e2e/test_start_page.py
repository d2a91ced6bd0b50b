"""Journey: a secretariat officer signs in, lands on the start page, sees what waits for
them with the counts, and follows one queue to its page; on a laptop and on a phone."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.campaigns.models import Signature
from hrnet.campaigns.tests.factories import SignatureFactory
from hrnet.core.models import TaskProgress
from hrnet.geo.reference import geography_load
from hrnet.members.tests.factories import ApplicationFactory, MembershipFactory

SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots for people to look at


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (360, 780)])
def test_the_secretariat_signs_in_to_its_queues_and_opens_one(
    live_server, browser, make_user, width, height
):
    # given: a secretariat officer, and work waiting: three signatures, two applications,
    # a renewal due, a failed import
    geography_load()
    officer = make_user(Role.SECRETARIAT, is_staff=True, email="aida@example.org")
    for _ in range(3):
        SignatureFactory.create(status=Signature.Status.PENDING)
    ApplicationFactory.create_batch(2)
    MembershipFactory.create(end_date=timezone.localdate() + datetime.timedelta(days=12))
    TaskProgress.objects.create(name="Import", status=TaskProgress.Status.FAILED)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # when: they sign in
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()

    # then: they land on their start page, with each queue's count
    expect(page).to_have_url(f"{live_server.url}/en/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    signatures = page.locator('[data-queue="signatures"]')
    expect(signatures).to_contain_text("Signatures to verify")
    expect(signatures.locator(".work-count")).to_have_text("3")
    expect(page.locator('[data-queue="applications"] .work-count')).to_have_text("2")
    expect(page.locator('[data-queue="renewals_due"] .work-count')).to_have_text("1")
    expect(page.locator('[data-queue="jobs_failed"] .work-count')).to_have_text("1")
    # (an empty queue is still there, quietly, with its 0)
    expect(page.locator('[data-queue="votes_owed"] .work-count')).to_have_text("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"start-secretariat-{width}.png"), full_page=True)

    # when: they follow the signatures queue
    signatures.get_by_role("link").click()

    # then: the queue's page lists them
    expect(page).to_have_url(f"{live_server.url}/en/campaigns/signatures/")
    expect(page.locator("main")).to_contain_text("Signing Org")
    context.close()
