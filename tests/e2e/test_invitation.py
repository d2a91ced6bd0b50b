"""Journey: the secretariat invites an expert in Russian; the expert opens the emailed
link, chooses a password and is signed in with their role."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.reference import network_load


def test_secretariat_invites_an_expert_who_joins_in_russian(
    live_server, browser, page, make_user, settings
):
    # given: the network, a secretariat member, and links in emails that point here
    settings.HRNET_SITE_URL = live_server.url
    network_load()
    make_user(Role.SECRETARIAT, email="staff@example.org", preferred_language="en")

    # when: the secretariat signs in and sends an invitation
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email address").fill("staff@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Menu").click()
    page.locator("nav.site-nav summary", has_text="Members").click()
    page.locator("nav.site-nav").get_by_role("link", name="Invitations").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email address").fill("nino@example.org")
    page.get_by_label("Full name").fill("Nino Beridze")
    page.get_by_label("Role").select_option(Role.EXPERT.value)
    page.get_by_label("Language of the invitation").select_option("ru")
    page.get_by_role("button", name="Send the invitation").click()

    # then: the list shows it as open, and a Russian email with a link went out
    expect(page.get_by_role("table")).to_contain_text("nino@example.org")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nino@example.org"]
    assert "откройте эту ссылку и задайте пароль" in email.body
    link = re.search(r"https?://\S+/invite/\S+/", email.body)
    assert link is not None

    # when: the invitee opens the link in their own browser and creates the account
    invitee = browser.new_context(viewport={"width": 360, "height": 780})
    invitee_page = invitee.new_page()
    invitee_page.goto(link.group(0))
    expect(invitee_page.locator("html")).to_have_attribute("lang", "ru")
    invitee_page.locator("input[name=full_name]").fill("Нино Беридзе")
    invitee_page.locator("input[name=password1]").fill("a long pass phrase 2026")
    invitee_page.locator("input[name=password2]").fill("a long pass phrase 2026")
    invitee_page.get_by_role("button", name="Создать учётную запись").click()

    # then: they are signed in and land on their start page; their profile shows the
    # expert role, and the link is spent
    expect(invitee_page.get_by_role("heading", level=1)).to_have_text("Моя работа")
    invitee_page.goto(f"{live_server.url}/ru/accounts/profile/")
    expect(invitee_page.get_by_text("Эксперт по технической помощи")).to_be_visible()
    user = User.objects.get(email="nino@example.org")
    assert user.groups.filter(name=Role.EXPERT).exists()
    assert user.preferred_language == "ru"
    invitee_page.goto(link.group(0))
    expect(invitee_page.get_by_role("heading", level=1)).to_have_text(
        "Это приглашение нельзя использовать"
    )
    invitee.close()
