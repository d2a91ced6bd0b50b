"""Journey: on a 360 px phone, a worker records a new client's contact in at most 5
interactions and a returning client's in at most 4; then, with the network cut, records a
contact that waits on the phone and is sent exactly once when the network returns.

Interactions are counted as the page's template comment says: each tap (click) plus one
per field filled. Waiting for the page to answer is not an interaction.
"""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

from hrnet.accounts.tests.factories import PASSWORD
from hrnet.geo.reference import geography_load
from hrnet.outreach.models import Client, Contact
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import ClientFactory, SiteFactory, SiteStaffFactory

QUEUE_KEY = "hrnet.outreach.queue"


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
