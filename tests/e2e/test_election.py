"""Journey at 360 px in Russian: an organisation admin opens the open steering-committee
election, reads a candidate's statement in Russian and in English, votes (ticks a
candidate, confirms), keeps the receipt shown once, signs out, and as an anonymous
visitor checks on the public page that a ballot with that receipt is counted (and is
not told how anyone voted). Screenshots go to /tmp/shots/election-*.png."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from hrnet.accounts.tests.factories import PASSWORD
from hrnet.geo.reference import geography_load
from hrnet.governance.models import Ballot, VoterRecord
from hrnet.governance.tests.factories import candidate, election, voting_organisation

SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots for people to look at


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"election-{name}.png"), full_page=True)


def test_an_organisation_admin_votes_and_checks_the_receipt(live_server, page):
    # given: an open election with two candidates, and a member organisation on its roll
    geography_load()
    vote = election(seats=1)
    ana = candidate(vote, name="Ana Popescu")
    ana.statements = {
        "en": "I will bring the voice of outreach workers to the committee.",
        "ru": "Я донесу до комитета голос аутрич-работников.",
    }
    ana.save()
    candidate(vote, name="Giorgi Beridze")
    _entry, admin = voting_organisation(vote.roll)
    base = live_server.url

    # when: the admin signs in and opens the election from the governance page
    page.goto(f"{base}/ru/accounts/login/?next=/ru/governance/")
    page.locator("main input[type=email]").fill(admin.email)
    page.locator("main input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ru/governance/$"))
    expect(page.locator("[data-voter=can-vote]")).to_have_text("Вы можете проголосовать")
    shot(page, "index-360-ru")
    page.get_by_role("link", name="Координационный комитет 2027").click()

    # then: the statement is in Russian first, the English one opens on request
    card = page.locator(f"[data-candidate='{ana.pk}']")
    russian = card.get_by_text("Я донесу до комитета голос аутрич-работников.")
    english = card.get_by_text("I will bring the voice of outreach workers to the committee.")
    expect(russian).to_be_visible()
    expect(english).to_be_hidden()
    card.get_by_text("Читать на английском").click()
    expect(english).to_be_visible()
    shot(page, "election-360-ru")

    # when: they vote for Ana and confirm
    page.get_by_role("link", name="Голосовать").click()
    page.get_by_label(re.compile("Ana Popescu")).check()
    shot(page, "ballot-360-ru")
    page.get_by_role("button", name="Перейти к проверке выбора").click()
    expect(page.locator("main")).to_contain_text("После подачи голос изменить нельзя.")
    expect(page.locator(".ballot-confirm")).to_contain_text("Ana Popescu")
    assert not Ballot.objects.exists()
    shot(page, "confirm-360-ru")
    page.get_by_role("button", name="Подать голос").click()

    # then: the receipt is shown once, large, with the way to the public check
    expect(page.locator("h1")).to_have_text("Ваш голос подан")
    receipt = page.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", receipt)
    assert Ballot.objects.get().receipt == receipt
    assert VoterRecord.objects.count() == 1
    check_url = page.get_by_role("link", name="Проверить квитанцию на открытой странице")
    check_path = check_url.get_attribute("href")
    shot(page, "receipt-360-ru")

    # when: they sign out and check the receipt as anyone could
    page.get_by_role("button", name="Меню").click()
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_load_state()
    page.goto(f"{base}{check_path}")
    expect(page.locator(".account-nav a[href*='/accounts/login/']")).to_have_count(1)
    page.get_by_label("Квитанция").fill(receipt.lower())
    page.get_by_role("button", name="Проверить").click()

    # then: counted, and nothing about the choice
    expect(page.locator("[data-answer]")).to_have_text("Бюллетень с этой квитанцией учтён.")
    expect(page.locator("main")).not_to_contain_text("Ana Popescu")
    shot(page, "receipt-check-360-ru")
    page.get_by_label("Квитанция").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("[data-answer]")).to_have_text("Бюллетеня с этой квитанцией нет.")
