"""Journey: on a small phone, the secretariat previews merging an old record of a member
into the one an import made today; the preview names the earlier membership, the "member
since" that wins and the signatures that move; the merge keeps the 2013 history."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.campaigns.tests.factories import SignatureFactory
from hrnet.geo.reference import geography_load
from hrnet.members.models import Membership
from hrnet.members.tests.factories import MembershipFactory, OrganisationFactory


def test_the_merge_preview_shows_what_moves_and_the_merge_keeps_history(
    live_server, browser, make_user
):
    # given: #4, a member since 2013, and #473, made by an import today
    geography_load()
    old = OrganisationFactory.create(names={"en": "New Way Dnipro"})
    MembershipFactory.create(
        organisation=old,
        status=Membership.Status.LAPSED,
        start_date=date(2013, 3, 1),
        end_date=date(2015, 2, 28),
    )
    SignatureFactory.create(organisation=old)
    imported = OrganisationFactory.create(names={"en": "New Way Dnipro"})
    membership = MembershipFactory.create(organisation=imported)
    user = make_user(Role.SECRETARIAT, email="sec@hrnet.example", preferred_language="en")

    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # when: they open the preview
    page.goto(
        f"{live_server.url}/en/members/register/merge/"
        f"?kind=organisation&keep={imported.pk}&merge={old.pk}"
    )

    # then: it names what moves, and fits the phone's width
    main = page.locator("main")
    expect(main).to_contain_text("Other records that move")
    expect(main).to_contain_text("Signatures: 1")
    expect(main).to_contain_text("Kept as an earlier membership")
    expect(main).to_contain_text("Member since (the earliest of the two)")
    expect(main).to_contain_text("Restoring the merged record from the trash undoes the merge")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # when: they merge
    page.get_by_role("button", name=f"Merge “New Way Dnipro” (#{old.pk})").click()

    # then: the membership kept counts from 2013 and shows the earlier term
    expect(main).to_contain_text("was merged into")
    page.goto(f"{live_server.url}/en/members/memberships/{membership.pk}/")
    expect(page.locator("main")).to_contain_text("Earlier memberships")
    expect(page.locator("main")).to_contain_text("2013")
    context.close()
