"""Journey: an organisation admin whose membership ends within 30 days signs in, sees the
renewal on their start page and renews; the new term shows on their memberships page. On a
desktop and on a small phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.geo.reference import geography_load
from hrnet.members.models import MembershipType
from hrnet.members.services.memberships import term_end
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    membership_type,
)

ORGANISATION = "Tbilisi Harm Reduction Centre"


@pytest.mark.parametrize("width", [1280, 360])
def test_an_organisation_admin_sees_the_renewal_due_and_renews(
    live_server, browser, make_user, width
):
    # given: an organisation whose rolling 12-month term ends in 12 days, and its admin
    geography_load()
    today = timezone.localdate()
    organisation = OrganisationFactory.create(names={"en": ORGANISATION, "ru": ORGANISATION})
    membership = MembershipFactory.create(
        organisation=organisation,
        type=membership_type(code="rolling", term=MembershipType.Term.ROLLING),
        start_date=today - timedelta(days=353),
        end_date=today + timedelta(days=12),
    )
    user = make_user(Role.ORGADMIN, email="admin@tbilisi.example", preferred_language="en")
    AffiliationFactory.create(
        person=PersonFactory.create(user=user, email=user.email),
        organisation=organisation,
        is_admin=True,
    )
    assert membership.end_date is not None
    new_end = term_end(membership.type, membership.end_date + timedelta(days=1))
    with translation.override("en"):
        old_text, new_text = date_format(membership.end_date), date_format(new_end)

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # then: their start page shows the organisation's term and the renewal
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    main = page.locator("main")
    expect(main).to_contain_text(ORGANISATION)
    expect(main).to_contain_text(old_text)

    # when: they follow it
    page.get_by_role("link", name="Renew the membership").first.click()
    expect(page.get_by_role("heading", name="Renew")).to_be_visible()
    page.get_by_role("button", name="Renew for one more term").click()

    # then: the new term shows, and the renewal is no longer due
    expect(page).to_have_url(re.compile(rf"/en/members/memberships/{membership.pk}/$"))
    expect(page.locator("main")).to_contain_text(f"the membership now runs until {new_text}")
    page.goto(f"{live_server.url}/en/members/memberships/mine/")
    expect(page.locator("main")).to_contain_text(new_text)
    expect(page.locator("main")).not_to_contain_text("Renewal due")
    # nothing overflows sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    context.close()
    membership.refresh_from_db()
    assert membership.end_date == new_end
