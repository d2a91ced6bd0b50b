"""GET /api/v1/news and /api/v1/news/{id}: the same visibility and filters as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hrnet.geo.models import Country
from hrnet.news.models import Article
from hrnet.news.tests.factories import ArticleFactory, issue_area, jpeg_upload

pytestmark = pytest.mark.usefixtures("geography")
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def titles(response):
    return [item["title"] for item in response.json()["items"]]


def test_the_public_gets_published_articles_with_their_details(client):
    hiv = issue_area()
    english = ArticleFactory.create(
        title="Naloxone in Kyiv",
        body="Peers carry **naloxone**.",
        issue_areas=[hiv],
        countries=[Country.objects.get(iso2="UA")],
        image=jpeg_upload(),
        image_alt="Outreach workers",
        image_credit="© Network",
    )
    russian = ArticleFactory.create(language="ru", translation_key=english.translation_key)
    ArticleFactory.create(published_at=None)
    ArticleFactory.create(published_at=timezone.now() + timedelta(days=1))

    response = client.get("/api/v1/news?language=en")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == "Naloxone in Kyiv"
    assert item["state"] == "published"
    assert item["body_html"] == "<p>Peers carry <strong>naloxone</strong>.</p>"
    assert item["issue_areas"] == [{"code": "HIV", "name": "HIV prevention and treatment"}]
    assert item["countries"][0]["iso2"] == "UA"
    assert item["image"]["alt"] == "Outreach workers"
    assert item["image"]["credit"] == "© Network"
    assert item["image"]["url"].startswith("http://testserver/")
    assert item["url"] == f"http://testserver/en/news/{english.pk}/"
    assert [t["id"] for t in item["translations"]] == [russian.pk]
    assert client.get("/api/v1/news").json()["count"] == 2


def test_filters(client):
    hiv = issue_area()
    ArticleFactory.create(
        title="HIV", issue_areas=[hiv], countries=[Country.objects.get(iso2="MD")]
    )
    ArticleFactory.create(title="Announcement", kind=Article.Kind.ANNOUNCEMENT)
    ArticleFactory.create(title="Русская", language="ru")

    assert titles(client.get("/api/v1/news?issue_area=HIV")) == ["HIV"]
    assert titles(client.get("/api/v1/news?country=md")) == ["HIV"]
    assert titles(client.get("/api/v1/news?kind=announcement")) == ["Announcement"]
    assert titles(client.get("/api/v1/news?language=ru")) == ["Русская"]
    assert client.get("/api/v1/news?kind=nonsense").status_code == 422


def test_pagination(client):
    for _ in range(5):
        ArticleFactory.create()

    body = client.get("/api/v1/news?limit=2&offset=4").json()

    assert body["count"] == 5
    assert body["limit"] == 2
    assert len(body["items"]) == 1


def test_drafts_and_scheduled_articles_are_hidden_except_from_the_secretariat(
    client, member, secretariat
):
    draft = ArticleFactory.create(title="Draft", published_at=None)
    ArticleFactory.create(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory.create(title="Published")

    assert titles(client.get("/api/v1/news")) == ["Published"]
    assert client.get(f"/api/v1/news/{draft.pk}").status_code == 404
    client.force_login(member)
    assert titles(client.get("/api/v1/news")) == ["Published"]
    assert client.get(f"/api/v1/news/{draft.pk}").status_code == 404

    client.force_login(secretariat)
    assert titles(client.get("/api/v1/news")) == ["Draft", "Scheduled", "Published"]
    detail = client.get(f"/api/v1/news/{draft.pk}")
    assert detail.status_code == 200
    assert detail.json()["state"] == "draft"
    assert titles(client.get("/api/v1/news?state=scheduled")) == ["Scheduled"]


def test_the_state_filter_does_not_reveal_drafts_to_the_public(client):
    ArticleFactory.create(title="Draft", published_at=None)

    assert titles(client.get("/api/v1/news?state=draft")) == []


def test_a_wrong_token_is_refused_not_treated_as_anonymous(client):
    response = client.get("/api/v1/news", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 401


def test_trashed_articles_are_gone(client):
    article = ArticleFactory.create(deleted_at=timezone.now())

    assert client.get("/api/v1/news").json()["count"] == 0
    assert client.get(f"/api/v1/news/{article.pk}").status_code == 404


def test_payloads_come_back_as_text_or_sanitised_html(client):
    article = ArticleFactory.create(title=f"T {PAYLOAD}", lead=f"L {PAYLOAD}", body=f"B {PAYLOAD}")

    item = client.get(f"/api/v1/news/{article.pk}").json()

    assert item["title"] == f"T {PAYLOAD}"  # documented as plain text
    assert item["lead"] == f"L {PAYLOAD}"
    assert "<script" not in item["body_html"]
    assert "onerror" not in item["body_html"]
    assert item["body_html"].startswith("<p>B ")


def test_the_openapi_document_lists_the_news_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/news" in paths
    assert "/api/v1/news/{article_id}" in paths
