"""Journey: a Russian-speaking member opens the site, switches to English, signs in,
opens their profile and creates an API token that then works against the API."""

from __future__ import annotations

import re

from django.test import Client
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.reference import network_load
from hrnet.geo.reference import geography_load


def test_member_switches_to_english_signs_in_and_creates_an_api_token(live_server, page, make_user):
    # given: the reference data and a member
    geography_load()
    network_load()
    make_user(Role.MEMBER, email="member@demo.example", full_name="Mariam Member")

    # when: they open the Russian home page
    page.goto(f"{live_server.url}/ru/")

    # then: the interface is Russian
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # (on a phone the menu, with the account and language links, opens from one button)
    page.get_by_role("button", name="Меню").click()
    expect(page.locator("nav.site-nav")).to_contain_text("Новости и библиотека")
    expect(page.get_by_role("link", name="Войти")).to_be_visible()

    # when: they switch to English
    page.get_by_role("link", name="English").click()

    # then: the same page is shown in English
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # when: they sign in
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill("member@demo.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # then: they are signed in, and open their profile
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.locator("main").get_by_text("member@demo.example").first).to_be_visible()

    # when: they create an API token
    page.get_by_label("Token name").fill("Reporting script")
    page.get_by_role("button", name="Create token").click()

    # then: the token is shown once, and it authenticates against the API
    token = page.locator(".token")
    expect(token).to_be_visible()
    key = token.inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", key)
    # (a fresh client without the browser's session cookie, so only the token counts)
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["email"] == "member@demo.example"

    # and the profile lists it by name
    page.get_by_role("link", name="Back to your profile").click()
    expect(page.get_by_role("table")).to_contain_text("Reporting script")
