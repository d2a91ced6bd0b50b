"""The demo news: every issue area, both languages, linked translations, a scheduled
announcement, pictures with descriptions and credits; running it twice adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from hrnet.core.reference import issue_areas_load
from hrnet.news.demo import news_demo_create
from hrnet.news.models import Article
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("geography")


def test_the_demo_news(secretariat):
    issue_areas_load()

    news_demo_create()
    count = Article.objects.count()
    news_demo_create()

    articles = list(Article.objects.prefetch_related("issue_areas"))
    assert Article.objects.count() == count
    assert {a.language for a in articles} == {"en", "ru"}
    covered = {area.code for a in articles for area in a.issue_areas.all()}
    assert len(covered) == 10
    linked = Counter(a.translation_key for a in articles)
    assert sum(1 for n in linked.values() if n == 2) >= 5
    scheduled = {a.translation_key for a in articles if a.state == Article.State.SCHEDULED}
    assert len(scheduled) == 1  # one announcement, in both languages
    assert all(a.state != Article.State.DRAFT for a in articles)
    with_image = [a for a in articles if a.image]
    assert len(with_image) >= 4
    assert all(a.image_alt and a.image_credit for a in with_image)
    assert SearchEntry.objects.count() == count
