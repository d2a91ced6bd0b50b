"""Journey, at 1280 and 360 px: a visitor in Almaty (browser zone Asia/Almaty) opens a full
public webinar and sees its time in Almaty time; with no account they register as a guest,
confirm by the emailed link and land on the waiting list; a seat frees, the offer comes by
email, they open its link and accept: confirmed, with the online link."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import Registration
from hrnet.events.services.registration import registration_cancel
from hrnet.events.tests.factories import EventFactory, RegistrationFactory

TITLE = "Take-home naloxone for peers"
ROOM = "https://meet.example.org/take-home-naloxone"
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots for people to look at


def _mail_to(address: str, subject_part: str):
    found = [m for m in mail.outbox if m.to == [address] and subject_part in m.subject]
    assert found, [m.subject for m in mail.outbox]
    return found[-1]


def _link(message, kind: str) -> str:
    found = re.search(rf"https?://\S+/events/guest/\S+/{kind}/", message.body)
    assert found is not None, message.body
    return found.group(0)


@pytest.mark.parametrize("width", [1280, 360])
def test_guest_waiting_list_offer_by_email_in_almaty_time(live_server, browser, settings, width):
    # given: a full public webinar at 09:00 UTC (14:00 in Almaty), organised from Kyiv
    settings.HRNET_SITE_URL = live_server.url
    day = (datetime.now(UTC) + timedelta(days=10)).date()
    start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    webinar = EventFactory.create(
        titles={"en": TITLE},
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
        time_zone="Europe/Kyiv",
        capacity=1,
        online_url=ROOM,
    )
    owner = UserFactory.create()
    holder = RegistrationFactory.create(event=webinar, user=owner)
    email = f"aigerim.{width}@example.org"
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en-GB", timezone_id="Asia/Almaty"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # when: the visitor opens the event (the first answer shows the organisers' zone;
        # timezone.js stores the browser's zone and reloads once)
        page.goto(f"{live_server.url}/en/events/{webinar.pk}/")

        # then: the time is in Almaty time, and said so
        when = page.locator(".events-when")
        expect(when).to_contain_text("In your time zone (Asia/Almaty)")
        expect(when.locator("time").first).to_contain_text("14:00")
        expect(when).to_contain_text("Organisers’ time (Europe/Kyiv)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"events-detail-almaty-{width}.png"), full_page=True)

        # when: with no account, they join the waiting list as a guest
        page.get_by_role("link", name="Join the waiting list").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
        page.get_by_label("Your name").fill("Aigerim Nurlanovna")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Organisation").fill("Almaty harm reduction group")
        page.get_by_role("button", name="Join the waiting list").click()

        # then: they are asked to confirm by email; nothing counts yet
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        guest = Registration.objects.get(event=webinar, guest_email=email)
        assert guest.status == Registration.Status.UNVERIFIED

        # when: they open the emailed link and confirm
        page.goto(_link(_mail_to(email, "Please confirm"), "confirm"))
        page.get_by_role("button", name="Confirm my registration").click()

        # then: they are on the waiting list, number 1
        expect(page.locator(".events-status")).to_contain_text("On the waiting list")
        expect(page.locator(".events-status")).to_contain_text("number 1")
        guest.refresh_from_db()
        assert guest.status == Registration.Status.WAITING

        # when: the seat holder cancels
        registration_cancel(registration=holder, actor=owner)

        # then: the guest is offered the seat by email, with a link that needs no account
        offer = _mail_to(email, "A seat is free for you")
        page.goto(_link(offer, "offer"))
        expect(page.get_by_role("heading", level=1)).to_have_text("A seat is free for you")

        # when: they accept
        page.get_by_role("button", name="Accept the seat").click()

        # then: confirmed, with the online link and a way to cancel
        expect(page.locator(".events-notice")).to_contain_text("The seat is yours")
        expect(page.locator(".events-online")).to_contain_text(ROOM)
        expect(page.get_by_role("link", name="Cancel my registration")).to_be_visible()
        guest.refresh_from_db()
        assert guest.status == Registration.Status.CONFIRMED
        assert "/cancel/" in _mail_to(email, "You are registered").body

        # and: the phone shows the page without sideways scrolling
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"events-guest-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}/en/events/{webinar.pk}/register/")
        page.screenshot(path=str(SHOTS / f"events-register-{width}.png"), full_page=True)
    finally:
        context.close()
