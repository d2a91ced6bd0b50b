"""Journey: a new organisation applies in Russian; the secretariat approves it; it appears
in the public directory under its sub-region and on the map; its admin edits the profile."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.reference import issue_areas_load, network_load
from hrnet.geo.reference import geography_load
from hrnet.members.reference import membership_types_load, principles_load

ORGANISATION = "Bishkek Harm Reduction Alliance"


def test_organisation_applies_in_russian_is_approved_listed_and_edits_its_profile(
    live_server, browser, page, make_user, settings
):
    # given: reference data, the principles, and a secretariat member
    settings.HRNET_SITE_URL = live_server.url
    geography_load()
    network_load()
    issue_areas_load()
    principles_load()
    membership_types_load()
    make_user(Role.SECRETARIAT, email="staff@example.org", preferred_language="en")

    # when: the organisation applies from the Russian form
    page.goto(f"{live_server.url}/ru/members/apply/?kind=organisation")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    form = page.locator("main form").last
    form.locator("input[name=name_en]").fill(ORGANISATION)
    form.locator("input[name=name_ru]").fill("Бишкекский альянс снижения вреда")
    form.locator("select[name=organisation_kind]").select_option("community_led")
    form.locator("select[name=country]").select_option("KG")
    form.locator("input[name=city]").fill("Бишкек")
    form.locator("input[name=is_public]").check()
    form.locator("input[name=contact_name]").fill("Айгерим Осмонова")
    form.locator("input[name=contact_email]").fill("aigerim@example.org")
    form.locator("textarea[name=motivation]").fill("Мы работаем с ЛУН в Бишкеке с 2015 года.")
    form.locator("input[name=accept_principles]").check()
    form.locator("button[type=submit]").click()

    # then: they land on their status page, in Russian, and got a confirmation email
    expect(page).to_have_url(re.compile(r"/ru/members/applications/status/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Бишкекский альянс")
    assert mail.outbox[-1].to == ["aigerim@example.org"]

    # when: the secretariat approves it from the review queue
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    secretariat = staff.new_page()
    secretariat.goto(f"{live_server.url}/en/accounts/login/")
    secretariat.get_by_label("Email address").fill("staff@example.org")
    secretariat.get_by_label("Password").fill(PASSWORD)
    secretariat.get_by_role("button", name="Sign in").click()
    secretariat.goto(f"{live_server.url}/en/members/applications/")
    secretariat.get_by_role("link", name=re.compile(ORGANISATION)).first.click()
    secretariat.get_by_role("button", name="Approve", exact=True).click()
    expect(secretariat.locator("main")).to_contain_text("Approved")
    staff.close()

    # then: anyone finds it in the public directory under Central Asia, and on the map
    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(f"{live_server.url}/en/members/directory/?subregion=CENTRAL_ASIA")
    expect(public.locator("main")).to_contain_text(ORGANISATION)
    kyrgyzstan = public.locator("svg a", has=public.locator("title", has_text="Kyrgyzstan"))
    expect(kyrgyzstan.locator("title")).to_contain_text("1")
    visitor.close()

    # when: the contact accepts the invitation that the approval sent
    invitation = next(m for m in mail.outbox if "/invite/" in m.body)
    link = re.search(r"https?://\S+/invite/\S+/", invitation.body)
    assert link is not None
    admin = browser.new_context(viewport={"width": 360, "height": 780})
    admin_page = admin.new_page()
    admin_page.goto(link.group(0))
    admin_page.locator("input[name=full_name]").fill("Айгерим Осмонова")
    admin_page.locator("input[name=password1]").fill("a long pass phrase 2026")
    admin_page.locator("input[name=password2]").fill("a long pass phrase 2026")
    admin_page.locator("main form button[type=submit]").click()

    # and edits the organisation's profile
    admin_page.goto(f"{live_server.url}/en/members/directory/?q=Bishkek")
    admin_page.get_by_role("link", name=ORGANISATION).first.click()
    admin_page.get_by_role("link", name=re.compile("Edit")).first.click()
    admin_page.locator("textarea[name=description_en]").fill(
        "Peer-led outreach, naloxone and legal aid in Bishkek."
    )
    admin_page.get_by_role("button", name="Save the profile").click()

    # then: the public profile shows the new description
    expect(admin_page.locator("main")).to_contain_text("Peer-led outreach, naloxone")
    admin.close()
