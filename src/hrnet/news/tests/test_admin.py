"""The admin asks the news policies, re-indexes what it saves and deletes to the trash."""

from __future__ import annotations

import pytest

from hrnet.news.models import Article
from hrnet.news.tests.factories import ArticleFactory, issue_area
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("geography")


def test_the_secretariat_edits_in_the_admin_and_the_search_follows(client, secretariat):
    article = ArticleFactory.create(title="Old title")
    hiv = issue_area()
    client.force_login(secretariat)
    published_at = article.published_at
    assert published_at is not None

    assert client.get("/en/admin/news/article/").status_code == 200
    assert client.get("/en/admin/news/digestsubscription/").status_code == 200
    assert client.get("/en/admin/news/digestsending/").status_code == 200
    page = client.get(f"/en/admin/news/article/{article.pk}/change/")
    assert page.status_code == 200

    response = client.post(
        f"/en/admin/news/article/{article.pk}/change/",
        {
            "kind": "news",
            "title": "New title",
            "lead": article.lead,
            "body": article.body,
            "language": "en",
            "issue_areas": [hiv.pk],
            "published_at_0": published_at.strftime("%Y-%m-%d"),
            "published_at_1": published_at.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 302
    entry = SearchEntry.objects.get(object_id=article.pk, url_name="news:article_detail")
    assert entry.title == "New title"
    assert list(entry.issue_areas.values_list("code", flat=True)) == ["HIV"]


def test_an_image_without_alt_text_is_refused_in_the_admin_too(client, secretariat):
    from hrnet.news.tests.factories import jpeg_upload

    article = ArticleFactory.create()
    client.force_login(secretariat)

    response = client.post(
        f"/en/admin/news/article/{article.pk}/change/",
        {
            "kind": "news",
            "title": article.title,
            "lead": article.lead,
            "language": "en",
            "image": jpeg_upload(),
            "image_alt": "",
        },
    )

    assert response.status_code == 200
    assert "the alternative text is required" in response.content.decode()


def test_deleting_in_the_admin_moves_to_the_trash(client, secretariat):
    article = ArticleFactory.create()
    client.force_login(secretariat)

    client.post(f"/en/admin/news/article/{article.pk}/delete/", {"post": "yes"})

    assert Article.all_objects.get(pk=article.pk).deleted_at is not None


def test_members_do_not_reach_the_news_admin(client, member):
    member.is_staff = True
    member.save()
    client.force_login(member)

    assert client.get("/en/admin/news/article/").status_code == 403
