"""Journey: the secretariat edits the about page in Russian with a preview and publishes
it; a visitor sees the change in /ru/ and not in /en/ until the English version is edited;
the secretariat sees the revision history, compares, and restores the previous Russian
version, which visitors then read again."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.network.models import PageRevision
from hrnet.network.services import pages


def publish(actor: Any, page: Any, language: str, title: str, body: str) -> None:
    pages.page_draft_save(
        actor=actor, page=page, language=language, title=title, summary="", body=body
    )
    pages.page_publish(actor=actor, page=page, language=language)


def edit_and_publish(page: Any, url: str, title: str, body: str) -> None:
    page.goto(url)
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=body]").fill(body)
    page.locator("button[name=action][value=publish]").click()


def test_secretariat_edits_publishes_and_restores_the_russian_about_page(
    live_server: Any, page: Any, browser: Any, make_user: Any
) -> None:
    # given: the about page in English and Russian, and a secretariat member
    secretariat = make_user(Role.SECRETARIAT, is_staff=True, email="aida@example.org")
    about = pages.page_create(actor=secretariat, slug="about")
    publish(secretariat, about, "en", "About the network", "We are a **regional** network.")
    publish(secretariat, about, "ru", "О сети", "Мы — **региональная** сеть.")
    base = live_server.url
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{base}/ru/accounts/login/?next=/ru/pages/about/edit/%3Flanguage%3Dru")
    page.locator("input[name=username], input[type=email]").first.fill(secretariat.email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/ru/pages/about/edit/\?language=ru$"))

    # when: they type the new Russian text and preview it (htmx, nothing saved)
    expect(page.locator("input[name=title]")).to_have_value("О сети")
    page.locator("input[name=title]").fill("О нашей сети")
    page.locator("textarea[name=body]").fill("Мы **объединяем** сообщества.")
    page.locator("button[name=action][value=preview]").click()
    expect(page.locator("#page-preview strong")).to_have_text("объединяем")
    assert PageRevision.objects.filter(page=about, language="ru").count() == 1

    # and publish it
    page.locator("button[name=action][value=publish]").click()
    page.wait_for_url(re.compile(r"/ru/pages/about/$"))
    expect(page.locator("h1")).to_have_text("О нашей сети")

    # then: a visitor reads the change in Russian and the old text in English
    visitor = browser.new_context(viewport={"width": 360, "height": 780})
    reader = visitor.new_page()
    reader.goto(f"{base}/ru/pages/about/")
    expect(reader.locator("article h1")).to_have_text("О нашей сети")
    expect(reader.locator("article strong")).to_have_text("объединяем")
    reader.goto(f"{base}/en/pages/about/")
    expect(reader.locator("article h1")).to_have_text("About the network")

    # when: the English version is edited too, English visitors see it
    edit_and_publish(
        page, f"{base}/en/pages/about/edit/?language=en", "About our network", "We **unite**."
    )
    page.wait_for_url(re.compile(r"/en/pages/about/$"))
    reader.goto(f"{base}/en/pages/about/")
    expect(reader.locator("article h1")).to_have_text("About our network")

    # when: the secretariat opens the Russian history, compares and restores revision 1
    page.goto(f"{base}/ru/pages/about/history/?language=ru")
    revisions = page.locator(".network-history__revision")
    expect(revisions).to_have_count(2)
    latest = page.locator("#revision-2")
    latest.locator("summary").click()
    expect(latest.locator("ins").first).to_contain_text("нашей")
    expect(latest.locator("del").filter(has_text="региональная")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#revision-1 form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ru/pages/about/history/\?language=ru$"))
    expect(revisions).to_have_count(3)
    expect(page.locator("#revision-3 h2 .badge")).to_be_visible()

    # then: visitors read the restored Russian text; the English one stays as edited
    reader.goto(f"{base}/ru/pages/about/")
    expect(reader.locator("article h1")).to_have_text("О сети")
    expect(reader.locator("article strong")).to_have_text("региональная")
    reader.goto(f"{base}/en/pages/about/")
    expect(reader.locator("article h1")).to_have_text("About our network")
    restored = PageRevision.objects.get(page=about, language="ru", number=3)
    assert restored.restored_from is not None
    assert restored.restored_from.number == 1
    visitor.close()
    assert blocked == []
