"""The news pages: listing with teasers, filters and pagination; an article with its
translations; the secretariat's editor, publishing, scheduling and trash."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hrnet.core.models import AuditEntry
from hrnet.geo.models import Country
from hrnet.news.models import Article
from hrnet.news.tests.factories import ArticleFactory, issue_area, jpeg_upload

pytestmark = pytest.mark.usefixtures("geography")
LIST = "/en/news/"


def titles(html: str) -> list[str]:
    return re.findall(r'class="news-teaser__title"><a href="[^"]+">([^<]+)</a>', html)


def test_the_url_names_are_stable():
    assert reverse("news:article_list") == LIST
    assert reverse("news:article_detail", args=[7]) == "/en/news/7/"
    assert reverse("news:feed") == "/en/news/feed/"
    assert reverse("news:digest_settings") == "/en/news/digest/"


def test_the_listing_shows_teasers_with_photo_alt_credit_date_and_issue_areas(client):
    hiv = issue_area()
    article = ArticleFactory.create(
        title="OST reaches prisons in Moldova",
        lead="Opioid agonist therapy is now available in two more prisons.",
        image=jpeg_upload(),
        image_alt="A nurse hands a cup of methadone to a patient",
        image_credit="© Olivier Papegnies",
        issue_areas=[hiv],
        published_at=timezone.now() - timedelta(days=1),
    )

    response = client.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == ["OST reaches prisons in Moldova"]
    assert 'alt="A nurse hands a cup of methadone to a patient"' in html
    assert '<figcaption class="news-credit">© Olivier Papegnies</figcaption>' in html
    assert "Opioid agonist therapy is now available in two more prisons." in html
    assert article.published_at is not None
    assert f'datetime="{article.published_at.isoformat()}"' in html
    assert "HIV prevention and treatment" in html
    assert 'type="application/atom+xml"' in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_drafts_and_scheduled_articles_are_invisible_to_the_public(client, member):
    ArticleFactory.create(title="Published story")
    draft = ArticleFactory.create(title="Draft story", published_at=None)
    scheduled = ArticleFactory.create(
        title="Scheduled story", published_at=timezone.now() + timedelta(hours=2)
    )

    for user in (None, member):
        if user:
            client.force_login(user)
        html = client.get(LIST).content.decode()
        assert titles(html) == ["Published story"]
        assert client.get(f"/en/news/{draft.pk}/").status_code == 404
        assert client.get(f"/en/news/{scheduled.pk}/").status_code == 404


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(client):
    scheduled = ArticleFactory.create(
        title="Scheduled story", published_at=timezone.now() + timedelta(hours=2)
    )
    assert client.get(f"/en/news/{scheduled.pk}/").status_code == 404

    # The time comes (no task runs in between).
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )

    assert client.get(f"/en/news/{scheduled.pk}/").status_code == 200
    assert titles(client.get(LIST).content.decode()) == ["Scheduled story"]


def test_the_secretariat_sees_drafts_and_scheduled_articles_marked(client, secretariat):
    ArticleFactory.create(title="Draft story", published_at=None)
    ArticleFactory.create(title="Scheduled story", published_at=timezone.now() + timedelta(hours=2))
    ArticleFactory.create(title="Published story")
    client.force_login(secretariat)

    html = client.get(LIST).content.decode()

    assert titles(html) == ["Draft story", "Scheduled story", "Published story"]
    assert '<span class="badge badge--error">Draft</span>' in html
    assert '<span class="badge badge--error">Scheduled</span>' in html
    assert titles(client.get(LIST + "?state=draft").content.decode()) == ["Draft story"]


def test_filters_by_issue_area_country_language_and_type(client):
    hiv, hepatitis = issue_area("HIV"), issue_area("VIRAL_HEPATITIS", "Viral hepatitis")
    moldova, georgia = Country.objects.get(iso2="MD"), Country.objects.get(iso2="GE")
    ArticleFactory.create(title="HIV in Moldova", issue_areas=[hiv], countries=[moldova])
    ArticleFactory.create(
        title="Hepatitis in Georgia", issue_areas=[hepatitis], countries=[georgia]
    )
    ArticleFactory.create(title="Гепатит в Грузии", language="ru", countries=[georgia])
    ArticleFactory.create(title="Call for proposals", kind=Article.Kind.ANNOUNCEMENT)

    assert titles(client.get(LIST + "?issue_area=HIV").content.decode()) == ["HIV in Moldova"]
    assert titles(client.get(LIST + "?country=ge&language=en").content.decode()) == [
        "Hepatitis in Georgia"
    ]
    assert titles(client.get(LIST + "?language=ru").content.decode()) == ["Гепатит в Грузии"]
    assert titles(client.get(LIST + "?kind=announcement").content.decode()) == [
        "Call for proposals"
    ]
    # A value that does not fit is ignored, never a 500.
    assert client.get(LIST + "?country=XX&issue_area=nope&page=abc").status_code == 200


def test_the_htmx_request_gets_only_the_results(client):
    ArticleFactory.create(title="Story")

    response = client.get(LIST + "?kind=news", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert titles(html) == ["Story"]
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_a_story_translated_shows_once_in_the_readers_language(client):
    english = ArticleFactory.create(title="Naloxone in Kyiv", language="en")
    ArticleFactory.create(
        title="Налоксон в Киеве", language="ru", translation_key=english.translation_key
    )
    ArticleFactory.create(title="Только по-русски", language="ru")

    assert titles(client.get(LIST).content.decode()) == ["Только по-русски", "Naloxone in Kyiv"]
    assert titles(client.get("/ru/news/").content.decode()) == [
        "Только по-русски",
        "Налоксон в Киеве",
    ]


def test_the_listing_is_paginated_with_few_queries(client, django_assert_max_num_queries):
    hiv = issue_area()
    for _ in range(15):
        ArticleFactory.create(issue_areas=[hiv])

    with django_assert_max_num_queries(12):
        first = client.get(LIST).content.decode()
    second = client.get(LIST + "?page=2").content.decode()

    assert len(titles(first)) == 12
    assert len(titles(second)) == 3
    assert "Page 1 of 2" in first
    assert 'href="/en/news/?page=2"' in first


def test_the_detail_page_shows_the_article_and_its_translations(client):
    english = ArticleFactory.create(
        title="Naloxone in Kyiv",
        body="## What changed\n\nPeers carry **naloxone**.",
        image=jpeg_upload(),
        image_alt="Two outreach workers with naloxone kits",
        image_credit="© Photo: Alliance for Public Health",
    )
    russian = ArticleFactory.create(
        title="Налоксон в Киеве", language="ru", translation_key=english.translation_key
    )

    html = client.get(f"/en/news/{english.pk}/").content.decode()

    assert "<h1>Naloxone in Kyiv</h1>" in html
    assert "<h2>What changed</h2>" in html
    assert "<strong>naloxone</strong>" in html
    assert 'alt="Two outreach workers with naloxone kits"' in html
    assert "© Photo: Alliance for Public Health" in html
    assert re.search(rf'Also in:\s*<a href="/ru/news/{russian.pk}/"[^>]*>Русский</a>', html)


def test_a_draft_translation_is_not_offered_to_the_public(client):
    english = ArticleFactory.create(title="Naloxone in Kyiv")
    ArticleFactory.create(language="ru", translation_key=english.translation_key, published_at=None)

    html = client.get(f"/en/news/{english.pk}/").content.decode()

    assert "Also in" not in html


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_and_event_handlers_never_reach_the_pages(client, secretariat):
    article = ArticleFactory.create(
        title=f"Title {PAYLOAD}",
        lead=f"Lead {PAYLOAD}",
        body=f'Body {PAYLOAD} <a href="javascript:alert(1)">link</a> <p onclick="x()">p</p>',
        image=jpeg_upload(),
        image_alt='alt" onerror="alert(1)',
        image_credit=PAYLOAD,
    )
    client.force_login(secretariat)

    for url in (LIST, f"/en/news/{article.pk}/", f"/en/news/{article.pk}/edit/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x onerror" not in html, url
        assert 'onerror="alert(1)"' not in html, url
        assert "<p onclick" not in html, url
        assert 'href="javascript:' not in html, url
        assert "&lt;script&gt;" in html, url


def test_the_secretariat_writes_a_draft_and_publishes_it(client, secretariat):
    hiv = issue_area()
    client.force_login(secretariat)

    response = client.post(
        "/en/news/new/",
        {
            "kind": "news",
            "language": "en",
            "title": "Community-led monitoring in Tajikistan",
            "lead": "Peers checked 12 sites.",
            "body": "They found stock-outs of *naloxone*.",
            "issue_areas": [hiv.pk],
            "countries": [Country.objects.get(iso2="TJ").pk],
            "image": jpeg_upload(),
            "image_alt": "Peer monitors at a pharmacy counter",
            "image_credit": "© Network",
        },
    )

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/news/{article.pk}/"
    assert article.state == Article.State.DRAFT
    assert article.author == secretariat
    assert article.image_width == 60
    assert list(article.countries.values_list("iso2", flat=True)) == ["TJ"]
    assert AuditEntry.objects.filter(
        action="news.article.create", object_id=str(article.pk)
    ).exists()
    assert client.get(LIST).status_code == 200

    client.post(f"/en/news/{article.pk}/publish/")

    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED
    client.logout()
    assert titles(client.get(LIST).content.decode()) == ["Community-led monitoring in Tajikistan"]


def test_an_image_without_alt_text_is_refused_with_a_message(client, secretariat):
    client.force_login(secretariat)

    response = client.post(
        "/en/news/new/",
        {
            "kind": "news",
            "language": "en",
            "title": "Story",
            "lead": "Lead.",
            "image": jpeg_upload(),
            "image_alt": "",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "the alternative text is required when there is an image" in html
    assert not Article.all_objects.exists()


def test_a_file_that_is_not_an_image_is_refused_with_a_message(client, secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat)

    response = client.post(
        "/en/news/new/",
        {
            "kind": "news",
            "language": "en",
            "title": "Story",
            "lead": "Lead.",
            "image": SimpleUploadedFile("photo.jpg", b"<svg onload=alert(1)>", "image/jpeg"),
            "image_alt": "A photo",
        },
    )

    assert response.status_code == 200
    assert "“photo.jpg” is not a PNG, JPEG or WebP image." in response.content.decode()
    assert not Article.all_objects.exists()


def test_editing_keeps_the_image_and_can_remove_it(client, secretariat):
    article = ArticleFactory.create(image=jpeg_upload(), image_alt="A photo", image_credit="© Me")
    client.force_login(secretariat)
    data = {"kind": "news", "language": "en", "title": "New title", "lead": "New lead."}

    client.post(f"/en/news/{article.pk}/edit/", {**data, "image_alt": "A photo"})
    article.refresh_from_db()
    assert article.title == "New title"
    assert article.image

    response = client.post(f"/en/news/{article.pk}/edit/", data)
    assert "the alternative text is required" in response.content.decode()

    client.post(f"/en/news/{article.pk}/edit/", {**data, "image-clear": "on"})
    article.refresh_from_db()
    assert not article.image
    changes = AuditEntry.objects.filter(action="news.article.change", object_id=str(article.pk))
    assert changes.count() == 2


def test_scheduling_then_unpublishing(client, secretariat):
    article = ArticleFactory.create(published_at=None)
    client.force_login(secretariat)
    when = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)

    client.post(
        f"/en/news/{article.pk}/publish/", {"published_at": when.strftime("%Y-%m-%dT%H:%M")}
    )
    article.refresh_from_db()
    assert article.state == Article.State.SCHEDULED
    assert article.published_at == when

    response = client.post(
        f"/en/news/{article.pk}/publish/", {"published_at": "2001-01-01T10:00"}, follow=True
    )
    assert "Choose a time in the future" in response.content.decode()
    article.refresh_from_db()
    assert article.published_at == when

    client.post(f"/en/news/{article.pk}/unpublish/")
    article.refresh_from_db()
    assert article.state == Article.State.DRAFT
    assert AuditEntry.objects.filter(action="news.article.unpublish").exists()


def test_a_translation_starts_from_the_original_and_links_to_it(client, secretariat):
    hiv = issue_area()
    english = ArticleFactory.create(title="Naloxone in Kyiv", issue_areas=[hiv])
    client.force_login(secretariat)

    form = client.get(f"/en/news/new/?translation_of={english.pk}&language=ru").content.decode()
    assert "A translation of “Naloxone in Kyiv”" in form
    client.post(
        f"/en/news/new/?translation_of={english.pk}",
        {"kind": "news", "language": "ru", "title": "Налоксон в Киеве", "lead": "Лид."},
    )
    again = client.post(
        f"/en/news/new/?translation_of={english.pk}",
        {"kind": "news", "language": "ru", "title": "Ещё раз", "lead": "Лид."},
    )

    russian = Article.objects.get(language="ru")
    assert russian.translation_key == english.translation_key
    assert "This story already has a version in Russian" in again.content.decode()
    assert Article.objects.count() == 2


def test_the_trash_takes_the_article_away_and_restores_it(client, secretariat):
    article = ArticleFactory.create(title="Story")
    client.force_login(secretariat)

    assert "Move to the trash" in client.get(f"/en/news/{article.pk}/trash/").content.decode()
    client.post(f"/en/news/{article.pk}/trash/")

    assert client.get(f"/en/news/{article.pk}/").status_code == 404
    assert titles(client.get(LIST).content.decode()) == []
    assert "Story" in client.get("/en/trash/").content.decode()
