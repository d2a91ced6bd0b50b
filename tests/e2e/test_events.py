"""Journey: a member registers for a full webinar and is put on the waiting list; another
registrant cancels; the member gets the offer by email, opens the link, accepts, sees the
online link, and the .ics downloads and parses with the link in it."""

from __future__ import annotations

import re

import icalendar
from django.core import mail
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.events.models import Registration
from hrnet.events.services.registration import registration_cancel
from hrnet.events.tests.factories import EventFactory, RegistrationFactory

TITLE = "Naloxone in the hands of peers"
ROOM = "https://meet.example.org/peer-naloxone-room"


def test_waiting_list_offer_by_email_accept_and_ics(live_server, page, make_user, settings):
    # given: a webinar with one seat, taken
    settings.HRNET_SITE_URL = live_server.url
    webinar = EventFactory.create(titles={"en": TITLE}, capacity=1, online_url=ROOM)
    holder = RegistrationFactory.create(event=webinar)
    make_user(Role.MEMBER, email="member@example.org", time_zone="Asia/Tbilisi")

    # when: the member signs in and registers
    page.goto(f"{live_server.url}/en/accounts/login/?next=/en/events/{webinar.pk}/")
    page.locator("input[name=username], input[type=email]").first.fill("member@example.org")
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Asia/Tbilisi")  # times in their zone
    expect(page.locator("main")).not_to_contain_text(ROOM)
    page.get_by_role("link", name="Join the waiting list").click()
    page.get_by_label("Gender").select_option("woman")
    page.locator("main form button[type=submit]").first.click()

    # then: they are on the waiting list, and told so by email
    expect(page.locator(".messages")).to_contain_text("waiting list (number 1)")
    waiting = Registration.objects.get(event=webinar, user__email="member@example.org")
    assert waiting.status == Registration.Status.WAITING
    assert "waiting list" in mail.outbox[-1].body

    # when: the registrant with the seat cancels
    registration_cancel(registration=holder, actor=holder.user)

    # then: the member is offered the seat by email, with a link
    offer = next(m for m in reversed(mail.outbox) if m.to == ["member@example.org"])
    assert TITLE in offer.subject
    link = re.search(r"https?://\S+/offer/", offer.body)
    assert link is not None

    # when: they open the link and accept
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("A seat is free for you")
    page.get_by_role("button", name="Accept the seat").click()

    # then: they are confirmed and see the online link
    expect(page.locator(".messages")).to_contain_text("The seat is yours")
    expect(page.locator(".events-online")).to_contain_text(ROOM)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED

    # and: their .ics downloads and parses, with the link in it
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), "rb") as handle:
        calendar = icalendar.Calendar.from_ical(handle.read())
    entries = list(calendar.walk("VEVENT"))
    assert len(entries) == 1
    assert str(entries[0]["summary"]) == TITLE
    assert ROOM in str(entries[0]["description"])
    assert str(entries[0]["uid"]).startswith(str(webinar.uid))
