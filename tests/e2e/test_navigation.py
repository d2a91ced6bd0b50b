"""Journey: the secretariat finds its way through the grouped menu at 1280 px (a group opens
as a disclosure, a link leads to its page, which is then marked current) and at 360 px,
where the whole menu sits behind one "Menu" button. Screenshots go to /tmp/shots/nav-*.png."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.reference import network_load
from hrnet.geo.reference import geography_load

SHOTS = Path(tempfile.gettempdir()) / "shots"


def _sign_in(page: Any, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/en/accounts/login/?next={next_path}")
    page.locator("main input[type=email]").fill(email)
    page.locator("main input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"nav-{name}.png"))


def test_secretariat_uses_the_grouped_menu_on_a_desktop(live_server, browser, make_user):
    geography_load()
    make_user(Role.SECRETARIAT, email="office@example.org", is_staff=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, live_server.url, "office@example.org", "/en/news/")
        nav = page.get_by_role("navigation", name="Main")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(nav).to_be_visible()
        members = nav.locator("summary", has_text="Members")
        applications = nav.get_by_role("link", name="Applications")
        expect(applications).to_be_hidden()

        members.click()
        expect(applications).to_be_visible()
        _shot(page, "desktop-open")
        # One group at a time: opening another closes the first.
        nav.locator("summary", has_text="Secretariat").click()
        expect(applications).to_be_hidden()
        expect(nav.get_by_role("link", name="Audit log")).to_be_visible()
        page.keyboard.press("Escape")
        expect(nav.get_by_role("link", name="Audit log")).to_be_hidden()

        # From the keyboard: focus the group, open it with Enter, follow a link.
        members.focus()
        page.keyboard.press("Enter")
        expect(applications).to_be_visible()
        applications.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/en/members/applications/")

        current = page.locator('[aria-current="page"]')
        expect(current).to_have_count(1)
        expect(current).to_have_text("Applications")
        expect(nav.locator("details.is-current > summary")).to_contain_text("Members")
        _shot(page, "desktop-current")

        # In Russian the longer names still fit one row of groups.
        page.goto(f"{live_server.url}/ru/members/applications/")
        expect(page.locator("nav.site-nav details.is-current > summary")).to_contain_text(
            "Члены сети"
        )
        rows = page.evaluate(
            "new Set([...document.querySelectorAll('.site-nav__top > li')]"
            ".map((li) => li.getBoundingClientRect().top)).size"
        )
        _shot(page, "desktop-ru")
        assert rows == 1
    finally:
        context.close()


def test_on_a_phone_the_menu_is_behind_one_button(live_server, browser, make_user):
    geography_load()
    network_load()  # the network's real (long) name in the header
    make_user(Role.SECRETARIAT, email="office@example.org", is_staff=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, live_server.url, "office@example.org", "/en/news/")
        nav = page.get_by_role("navigation", name="Main")
        button = page.get_by_role("button", name="Menu")
        expect(button).to_be_visible()
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_have_attribute("aria-controls", "site-menu")
        expect(nav).to_be_hidden()
        # The header is one short row (the network's short name beside the button): the
        # page's own heading is high on the first screen.
        expect(page.locator(".site-header__short")).to_be_visible()
        expect(page.get_by_role("link", name="Eurasian Harm Reduction Network")).to_be_attached()
        heading = page.locator("main h1").bounding_box()
        assert heading is not None
        assert heading["y"] < 110
        _shot(page, "phone-closed")

        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()
        nav.locator("summary", has_text="Events").click()
        _shot(page, "phone-open")
        nav.get_by_role("link", name="Event reports").click()
        page.wait_for_url("**/en/events/reports/")

        expect(page.locator('[aria-current="page"]')).to_have_count(1)
        expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
        page.get_by_role("button", name="Menu").click()
        expect(nav.locator('[aria-current="page"]')).to_have_text("Event reports")
        _shot(page, "phone-current")
    finally:
        context.close()


def test_without_script_the_phone_menu_opens_as_the_pages_target(live_server, browser, db):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/en/news/")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_hidden()
        page.get_by_role("link", name="Menu").click()
        expect(nav).to_be_visible()
        nav.locator("summary", has_text="Network").click()
        expect(nav.get_by_role("link", name="Countries")).to_be_visible()
        _shot(page, "phone-noscript")
        page.get_by_role("link", name="Close menu").click()
        expect(nav).to_be_hidden()
    finally:
        context.close()
