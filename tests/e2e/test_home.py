"""Journey: a visitor who comes from the newsletter opens the home page in English and in
Russian, on a desktop and on a phone, and finds the story published a minute ago, the
next event, a campaign and the library's newest resource."""

from __future__ import annotations

import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hrnet.campaigns.tests.factories import CampaignFactory
from hrnet.core.reference import network_load
from hrnet.events.tests.factories import EventFactory
from hrnet.geo.reference import geography_load
from hrnet.library.tests.factories import ResourceFactory
from hrnet.news.tests.factories import ArticleFactory

SHOTS = Path(tempfile.gettempdir()) / "shots"


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (360, 780)])
def test_visitor_finds_the_story_published_a_minute_ago_in_both_languages(
    live_server, browser, width, height
):
    # given: the network, a story published a minute ago in both languages, an older one,
    # an event next week, an active campaign and a new resource
    geography_load()
    network_load()
    key = uuid.uuid4()
    minute_ago = timezone.now() - timedelta(minutes=1)
    ArticleFactory.create(title="Older story", published_at=timezone.now() - timedelta(days=5))
    ArticleFactory.create(
        title="Naloxone reaches every outreach van in Moldova",
        translation_key=key,
        published_at=minute_ago,
    )
    ArticleFactory.create(
        title="Налоксон теперь есть в каждом аутрич-автобусе Молдовы",
        language="ru",
        translation_key=key,
        published_at=minute_ago,
    )
    EventFactory.create(
        titles={"en": "Webinar: take-home naloxone", "ru": "Вебинар: налоксон на руки"}
    )
    CampaignFactory.create(titles={"en": "Support. Don't Punish", "ru": "Поддержи. Не наказывай"})
    ResourceFactory.create(title="Community-led naloxone distribution: a guide")
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()

    # when: they open the English home page
    page.goto(f"{live_server.url}/en/")

    # then: the newest story comes first, and nothing says "will appear here"
    news = page.locator("#news-heading + ul li")
    expect(news.first).to_contain_text("Naloxone reaches every outreach van in Moldova")
    expect(page.locator("main")).not_to_contain_text("will appear here")
    expect(page.get_by_role("link", name="Webinar: take-home naloxone")).to_be_visible()
    expect(page.get_by_role("link", name="Support. Don't Punish")).to_be_visible()
    expect(
        page.get_by_role("link", name="Community-led naloxone distribution: a guide")
    ).to_be_visible()
    # (no box is wider than the screen)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"home-en-{width}.png"), full_page=True)

    # when: they switch to Russian (on a phone the menu opens first, if it is folded)
    switch = page.get_by_role("link", name="Русский")
    if not switch.is_visible():
        page.get_by_role("button", name="Menu").click()
    switch.click()

    # then: the same story in Russian, and the event in Russian
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#news-heading + ul li").first).to_contain_text(
        "Налоксон теперь есть в каждом аутрич-автобусе Молдовы"
    )
    expect(page.get_by_role("link", name="Вебинар: налоксон на руки")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("will appear here")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"home-ru-{width}.png"), full_page=True)
    context.close()
