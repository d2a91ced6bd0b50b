"""What the search is told about articles, after every write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hrnet.core.trash import trash_restore
from hrnet.geo.models import Country
from hrnet.news.search_documents import article_search_document
from hrnet.news.services import articles as services
from hrnet.news.tests.factories import ArticleFactory, issue_area
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("geography")


def entry_for(article):
    return SearchEntry.objects.filter(object_id=article.pk, url_name="news:article_detail").first()


def test_the_search_document_of_an_article(db):
    article = ArticleFactory.create(
        kind="announcement",
        title="Call for proposals",
        lead="Community-led monitoring grants.",
        body="## Who\n\nNetworks of **people who use drugs**.",
        issue_areas=[issue_area()],
        countries=[Country.objects.get(iso2="KZ")],
    )

    document = article_search_document(article)

    assert document is not None
    assert document.kind == "announcement"
    assert document.summary == "Community-led monitoring grants."
    assert document.body == "Who Networks of people who use drugs."
    assert document.url_name == "news:article_detail"
    assert document.visibility == "public"
    assert document.issue_areas == ["HIV"]
    assert document.countries == ["KZ"]
    assert article.published_at is not None
    assert document.year == article.published_at.year
    assert article_search_document(ArticleFactory.create(published_at=None)) is None


def test_every_write_updates_the_index(secretariat):
    hiv = issue_area()
    article = services.article_create(
        actor=secretariat, title="Naloxone", lead="Lead.", language="en", issue_areas=[hiv]
    )
    assert entry_for(article) is None  # a draft

    services.article_publish(article=article, actor=secretariat)
    entry = entry_for(article)
    assert entry is not None
    assert entry.title == "Naloxone"
    assert list(entry.issue_areas.values_list("code", flat=True)) == ["HIV"]

    services.article_update(
        article=article,
        actor=secretariat,
        kind="news",
        title="Naloxone saves lives",
        lead="Lead.",
        language="en",
    )
    assert entry_for(article).title == "Naloxone saves lives"
    assert entry_for(article).issue_areas.count() == 0

    services.article_unpublish(article=article, actor=secretariat)
    assert entry_for(article) is None


def test_a_scheduled_article_is_indexed_with_its_future_time(secretariat):
    article = services.article_create(actor=secretariat, title="Later", lead="L.", language="en")
    when = timezone.now() + timedelta(days=3)

    services.article_publish(article=article, actor=secretariat, at=when)

    assert entry_for(article).published_at == when


def test_the_trash_takes_it_out_of_the_index_and_restore_puts_it_back(secretariat):
    article = services.article_create(actor=secretariat, title="Story", lead="L.", language="en")
    services.article_publish(article=article, actor=secretariat)

    services.article_trash(article=article, actor=secretariat)
    assert entry_for(article) is None

    trash_restore(obj=article, actor=secretariat)
    assert entry_for(article) is not None
