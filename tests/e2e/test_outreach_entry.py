"""Journey: on a 360 px phone, a worker records a new client's contact in at most 5
interactions and a returning client's in at most 4; then, with the network cut, records a
contact that waits on the phone and is sent exactly once when the network returns.

Interactions are counted as the page's template comment says: each tap (click) plus one
per field filled. Waiting for the page to answer is not an interaction.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from hrnet.accounts.tests.factories import PASSWORD
from hrnet.geo.reference import geography_load
from hrnet.outreach.models import Client, Contact
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import ClientFactory, SiteFactory, SiteStaffFactory

QUEUE_KEY = "hrnet.outreach.queue"
SHOTS = Path(tempfile.gettempdir()) / "shots"


class Worker:
    """Drives the page and counts the interactions a person would make."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.interactions = 0

    def fill(self, selector: str, value: str) -> None:
        self.page.locator(selector).fill(value)
        self.interactions += 1

    def tap(self, locator: Any) -> None:
        locator.click()
        self.interactions += 1


def _sign_in(page: Any, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/ru/accounts/login/?next={next_path}")
    page.locator("input[name=username], input[type=email]").first.fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def _queued(page: Any) -> list[dict[str, Any]]:
    return json.loads(page.evaluate(f"localStorage.getItem('{QUEUE_KEY}') || '[]'"))


def test_fast_entry_new_and_returning_clients_and_offline_queue(live_server, page, make_user):
    geography_load()
    commodities_load()
    site = SiteFactory.create(name="Пункт Алматы")
    worker = make_user(email="worker@example.org", preferred_language="ru")
    SiteStaffFactory.create(site=site, user=worker)
    ClientFactory.create(first_site=site, uic="F1990ZHIV", sex=Client.Sex.FEMALE)
    entry = f"/ru/sites/{site.pk}/entry/"
    addresses: list[str] = []
    page.on("request", lambda request: addresses.append(request.url))
    _sign_in(page, live_server.url, "worker@example.org", entry)
    expect(page.locator("#entry-form")).to_be_visible()
    # (the page's script is wired up: typing before it is covered by its own catch-up)
    expect(page.locator("#entry")).to_have_attribute("data-ready", "true")
    badge = page.locator("#entry-client")
    status = page.locator("#entry-status")
    standard = page.locator(".entry-bundle", has_text="Стандартный набор ПОШ")
    save = page.locator("button.entry-save")

    # A new client: 1 type the code, 2 tap the bundle, 3 save (sex and year come from the
    # code; tapping the sex to confirm would make 4).
    new = Worker(page)
    new.fill("#id_uic", "м1985анив")
    expect(badge).to_have_attribute("data-state", "new")
    new.tap(standard)
    new.tap(save)
    expect(status).to_have_attribute("data-state", "saved")
    assert new.interactions <= 5
    client = Client.objects.get(uic="M1985ANIV")
    assert (client.sex, client.birth_year) == (Client.Sex.MALE, 1985)
    contact = Contact.objects.get(client=client)
    assert {item.commodity.code: item.quantity for item in contact.items.all()}["syringes"] == 10
    assert contact.worker == worker

    # A returning client: 1 type the code, 2 tap the bundle, 3 save.
    returning = Worker(page)
    returning.fill("#id_uic", "F1990ZHIV")
    expect(badge).to_have_attribute("data-state", "returning")
    expect(page.locator("#entry-new")).to_be_hidden()
    returning.tap(standard)
    returning.tap(save)
    expect(status).to_have_attribute("data-state", "saved")
    assert returning.interactions <= 4
    assert Contact.objects.filter(client__uic="F1990ZHIV").count() == 1
    assert _queued(page) == []

    # On a 360 x 740 phone the Save button of a returning client is on the first screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.locator("#id_uic").fill("F1990ZHIV")
    expect(badge).to_have_attribute("data-state", "returning")
    standard.click()
    page.evaluate("window.scrollTo(0, 0)")
    box = save.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 740, box
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "nav-outreach-entry-360.png"))
    page.locator("#id_uic").fill("")

    # The contacts saved on this phone are listed by time and services, never by code...
    recent = page.locator("#entry-recent li")
    expect(recent).to_have_count(2)
    expect(recent.first).to_contain_text("Стандартный набор ПОШ")
    assert "F1990" not in page.locator("#entry-recent").inner_text()
    assert "1985" not in page.evaluate("localStorage.getItem('hrnet.outreach.recent')")
    # ...and the last one is corrected from there.
    last = Contact.objects.filter(client__uic="F1990ZHIV").get()
    page.locator("#entry-recent").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "nav-outreach-recent-360.png"))
    recent.first.get_by_role("link").click()
    page.wait_for_url(f"**/entry/{last.pk}/correct/")
    assert "F1990" not in page.content()
    page.screenshot(path=str(SHOTS / "nav-outreach-correct-360.png"), full_page=True)
    page.locator("#id_extra_syringes").fill("12")
    page.locator("button.entry-save").click()
    page.wait_for_url(f"**{entry}")
    expect(page.locator(".messages")).to_be_visible()
    quantities = {item.commodity.code: item.quantity for item in last.items.all()}
    assert quantities["syringes"] == 12
    assert quantities["needles"] == 10
    status = page.locator("#entry-status")
    badge = page.locator("#entry-client")

    # The network is cut on the open page: the contact waits on the phone.
    page.context.set_offline(True)
    offline = Worker(page)
    offline.fill("#id_uic", "F1990ZHIV")
    expect(badge).to_have_attribute("data-state", "unknown")
    offline.tap(standard)
    offline.tap(save)
    expect(status).to_have_attribute("data-state", "kept")
    queue = page.locator("#entry-queue")
    expect(queue).to_be_visible()
    expect(queue).to_contain_text("1")
    waiting = _queued(page)
    assert len(waiting) == 1
    contact_id = waiting[0]["payload"]["id"]
    assert not Contact.objects.filter(pk=contact_id).exists()

    # The network returns: the contact is sent once and leaves the phone.
    page.context.set_offline(False)
    expect(queue).to_be_hidden()
    assert _queued(page) == []
    assert Contact.objects.filter(pk=contact_id).count() == 1
    assert Contact.objects.filter(client__uic="F1990ZHIV").count() == 2

    # The same contact sent again (a phone that did not hear the answer) is not stored twice.
    page.evaluate(
        "([key, items]) => localStorage.setItem(key, JSON.stringify(items))",
        [QUEUE_KEY, waiting],
    )
    page.reload()
    expect(page.locator("#entry-queue")).to_be_hidden()
    assert _queued(page) == []
    assert Contact.objects.filter(pk=contact_id).count() == 1
    assert Contact.objects.count() == 3
    # No code ever travelled in an address (access logs, history).
    assert not [url for url in addresses if "1985" in url or "1990" in url]

    # After a first visit the page opens without a connection (the service worker keeps it).
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#entry-form")).to_be_visible()
    expect(page.locator(".entry-bundle", has_text="Стандартный набор ПОШ")).to_be_visible()
    # its script came from the kept copy too: it hides the new-client part until needed
    expect(page.locator("#entry-new")).to_be_hidden()
    page.context.set_offline(False)
