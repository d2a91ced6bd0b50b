"""Atom feeds per language and per issue area, parsed by a real feed parser; the sitemap."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from hrnet.news.tests.factories import ArticleFactory, issue_area

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed, response.content.decode()


def test_the_language_feed_is_well_formed_atom_with_that_languages_articles(client):
    hiv = issue_area()
    english = ArticleFactory.create(
        title="Naloxone in Kyiv",
        lead="Peers carry naloxone.",
        body="More **kits**.",
        issue_areas=[hiv],
        published_at=timezone.now() - timedelta(days=2),
    )
    ArticleFactory.create(
        title="Налоксон в Киеве", language="ru", translation_key=english.translation_key
    )

    feed, _xml = parse(client, "/en/news/feed/")

    assert feed.feed.title.endswith("news")
    assert feed.feed.link == "http://testserver/en/news/"
    assert feed.feed.author
    assert [entry.title for entry in feed.entries] == ["Naloxone in Kyiv"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/en/news/{english.pk}/"
    assert entry.id == entry.link
    assert english.published_at is not None
    assert entry.published_parsed[:6] == english.published_at.utctimetuple()[:6]
    assert entry.updated_parsed is not None
    assert "<strong>kits</strong>" in entry.summary
    assert [tag.term for tag in entry.tags] == ["HIV prevention and treatment"]

    russian, _xml = parse(client, "/ru/news/feed/")
    assert [entry.title for entry in russian.entries] == ["Налоксон в Киеве"]
    assert russian.entries[0].link.startswith("http://testserver/ru/news/")


def test_the_issue_area_feed_has_only_that_issue_area(client):
    hiv, hepatitis = issue_area("HIV"), issue_area("VIRAL_HEPATITIS", "Viral hepatitis")
    ArticleFactory.create(title="HIV story", issue_areas=[hiv])
    ArticleFactory.create(title="Hepatitis story", issue_areas=[hepatitis])

    feed, _xml = parse(client, "/en/news/feed/VIRAL_HEPATITIS/")

    assert [entry.title for entry in feed.entries] == ["Hepatitis story"]
    assert "Viral hepatitis" in feed.feed.title
    assert client.get("/en/news/feed/NO_SUCH_AREA/").status_code == 404


def test_feeds_leave_out_drafts_scheduled_and_trashed_articles(client):
    hiv = issue_area()
    ArticleFactory.create(title="Published", issue_areas=[hiv])
    ArticleFactory.create(title="Draft", issue_areas=[hiv], published_at=None)
    ArticleFactory.create(
        title="Scheduled", issue_areas=[hiv], published_at=timezone.now() + timedelta(hours=1)
    )
    ArticleFactory.create(title="Trashed", issue_areas=[hiv], deleted_at=timezone.now())

    for url in ("/en/news/feed/", "/en/news/feed/HIV/"):
        feed, _xml = parse(client, url)
        assert [entry.title for entry in feed.entries] == ["Published"]


def test_script_payloads_stay_text_in_the_feed(client):
    ArticleFactory.create(title=f"Title {PAYLOAD}", lead=f"Lead {PAYLOAD}", body=f"Body {PAYLOAD}")

    feed, xml = parse(client, "/en/news/feed/")

    assert "<script" not in xml
    assert "<img" not in xml
    entry = feed.entries[0]
    assert entry.title == f"Title {PAYLOAD}"  # an Atom text element: shown as text
    assert "<script" not in entry.summary
    assert "<img" not in entry.summary
    assert "&lt;script&gt;" in entry.summary  # the lead, escaped as text


def test_the_sitemap_lists_published_articles_in_their_own_language(client):
    english = ArticleFactory.create()
    russian = ArticleFactory.create(language="ru")
    draft = ArticleFactory.create(published_at=None)
    scheduled = ArticleFactory.create(published_at=timezone.now() + timedelta(hours=1))

    xml = client.get("/sitemap.xml").content.decode()

    assert f"http://testserver/en/news/{english.pk}/" in xml
    assert f"http://testserver/ru/news/{russian.pk}/" in xml
    assert f"/news/{draft.pk}/" not in xml
    assert f"/news/{scheduled.pk}/" not in xml
