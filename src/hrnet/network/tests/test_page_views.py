"""The pages under /<lang>/pages/ in English and Russian: what visitors read, and the
secretariat's editor, preview, history and restore."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from hrnet.core.models import IssueArea
from hrnet.network.models import Page, PageDraft, PageRevision
from hrnet.network.services import pages

pytestmark = pytest.mark.django_db


def publish(actor: Any, page: Page, language: str, title: str, body: str = "") -> PageRevision:
    pages.page_draft_save(
        actor=actor, page=page, language=language, title=title, summary="", body=body
    )
    return pages.page_publish(actor=actor, page=page, language=language)


@pytest.fixture
def about(secretariat: Any) -> Page:
    page = pages.page_create(actor=secretariat, slug="about")
    publish(secretariat, page, "en", "About the network", "We are a **regional** network.")
    publish(secretariat, page, "ru", "О сети", "Мы — **региональная** сеть.")
    return page


def test_visitors_read_the_page_in_their_language(client: Any, about: Page) -> None:
    english = client.get("/en/pages/about/").content.decode()
    russian = client.get("/ru/pages/about/").content.decode()

    assert "About the network" in english
    assert "<strong>regional</strong>" in english
    assert "О сети" in russian
    assert "<strong>региональная</strong>" in russian
    assert "Manage this page" not in english


def test_a_page_not_translated_says_so_in_the_visitors_language(
    client: Any, secretariat: Any
) -> None:
    page = pages.page_create(actor=secretariat, slug="strategy")
    publish(secretariat, page, "en", "Strategy")

    with translation.override("ru"):
        note = translation.gettext(
            "This page is not yet translated: it is shown in its original language (%(language)s)."
        )
    html = client.get("/ru/pages/strategy/").content.decode()

    assert "Strategy" in html
    assert 'lang="en"' in html
    assert note.split("%(")[0].strip() in html


def test_the_index_lists_published_pages(client: Any, about: Page, secretariat: Any) -> None:
    pages.page_create(actor=secretariat, slug="hidden-draft")

    html = client.get("/ru/pages/").content.decode()

    assert "О сети" in html
    assert "hidden-draft" not in html


def test_unpublished_pages_are_not_found_by_visitors(
    client: Any, member: Any, secretariat: Any
) -> None:
    pages.page_create(actor=secretariat, slug="soon")

    assert client.get("/en/pages/soon/").status_code == 404
    client.force_login(member)
    assert client.get("/en/pages/soon/").status_code == 404
    client.force_login(secretariat)
    assert client.get("/en/pages/soon/").status_code == 200


def test_a_script_in_the_body_never_reaches_the_page(client: Any, secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="xss")
    publish(
        secretariat, page, "en", "Hello", '<script>alert(1)</script><a href="#" onclick="x()">a</a>'
    )

    html = client.get("/en/pages/xss/").content.decode()

    assert "alert(1)" not in html
    assert "onclick" not in html


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("member", 403), ("secretariat", 200)]
)
def test_only_the_secretariat_edits(
    client: Any, about: Page, member: Any, secretariat: Any, who: str, status: int
) -> None:
    if who != "anonymous":
        client.force_login(member if who == "member" else secretariat)

    for url in (
        "/en/pages/about/edit/?language=ru",
        "/en/pages/about/history/?language=ru",
        "/en/pages/new/",
    ):
        assert client.get(url).status_code == status
    revision = PageRevision.objects.filter(page=about, language="ru").first()
    assert revision is not None
    response = client.post(f"/en/pages/about/history/{revision.pk}/restore/")
    assert response.status_code == (status if status != 200 else 302)


def test_saving_a_draft_leaves_visitors_with_the_published_text(
    client: Any, about: Page, secretariat: Any
) -> None:
    client.force_login(secretariat)

    response = client.post(
        "/en/pages/about/edit/?language=ru",
        {"language": "ru", "title": "О нас", "summary": "", "body": "Новое", "action": "save"},
    )
    client.logout()

    assert response.status_code == 302
    assert PageDraft.objects.get(page=about, language="ru").title == "О нас"
    assert "О сети" in client.get("/ru/pages/about/").content.decode()


def test_publishing_in_russian_leaves_english_as_it_was(
    client: Any, about: Page, secretariat: Any
) -> None:
    client.force_login(secretariat)

    response = client.post(
        "/ru/pages/about/edit/?language=ru",
        {
            "language": "ru",
            "title": "О нас",
            "summary": "Кратко",
            "body": "Новое",
            "action": "publish",
        },
    )
    client.logout()

    assert response.status_code == 302
    assert response["Location"] == "/ru/pages/about/"
    assert "О нас" in client.get("/ru/pages/about/").content.decode()
    assert "About the network" in client.get("/en/pages/about/").content.decode()


def test_a_refused_publication_keeps_what_was_typed(
    client: Any, about: Page, secretariat: Any
) -> None:
    client.force_login(secretariat)

    response = client.post(
        "/ru/pages/about/edit/?language=ru",
        {
            "language": "ru",
            "title": "",
            "summary": "",
            "body": "Мой новый текст",
            "action": "publish",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Мой новый текст" in html
    assert 'class="errorlist' in html
    assert PageRevision.objects.filter(page=about, language="ru").count() == 1


def test_preview_shows_the_sanitised_body(client: Any, about: Page, secretariat: Any) -> None:
    client.force_login(secretariat)

    response = client.post(
        "/en/pages/about/preview/",
        {"title": "", "summary": "", "body": "**bold** <script>alert(2)</script>"},
        headers={"HX-Request": "true"},
    )
    page_post = client.post(
        "/en/pages/about/edit/?language=en",
        {"language": "en", "title": "T", "summary": "", "body": "*typed*", "action": "preview"},
    )

    assert "<strong>bold</strong>" in response.content.decode()
    assert "alert(2)" not in response.content.decode()
    assert "<em>typed</em>" in page_post.content.decode()
    assert not PageDraft.objects.filter(page=about, language="en", body="*typed*").exists()


def test_history_compares_and_restores(client: Any, about: Page, secretariat: Any) -> None:
    publish(secretariat, about, "ru", "О нас", "Новое")
    client.force_login(secretariat)

    html = client.get("/en/pages/about/history/?language=ru").content.decode()
    old = PageRevision.objects.get(page=about, language="ru", number=1)
    response = client.post(f"/en/pages/about/history/{old.pk}/restore/")

    assert "О <del>сети</del><ins>нас</ins>" in html
    assert "Restore revision 1" in html
    assert response.status_code == 302
    client.logout()
    assert "О сети" in client.get("/ru/pages/about/").content.decode()
    assert PageRevision.objects.filter(page=about, language="ru").count() == 3


def test_creating_a_page_goes_to_its_editor_and_keeps_typed_values_on_error(
    client: Any, about: Page, secretariat: Any
) -> None:
    client.force_login(secretariat)

    taken = client.post("/en/pages/new/", {"slug": "about", "menu_position": "4", "in_menu": "on"})
    created = client.post("/en/pages/new/", {"slug": "role", "menu_position": "3"})

    assert taken.status_code == 200
    assert 'value="4"' in taken.content.decode()
    assert created.status_code == 302
    assert created["Location"] == "/en/pages/role/edit/?language=en"
    assert Page.objects.get(slug="role").in_menu is False


def test_the_russian_interface_of_the_editor(client: Any, about: Page, secretariat: Any) -> None:
    client.force_login(secretariat)

    html = client.get("/ru/pages/about/edit/?language=ru").content.decode()

    assert 'lang="ru"' in html
    assert "О сети" in html


def test_the_editor_names_the_languages_not_yet_published(client: Any, secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="role")
    publish(secretariat, page, "en", "Our role")
    client.force_login(secretariat)

    html = client.get("/en/pages/role/edit/?language=ru").content.decode()

    assert html.count("not published") == 1
    assert 'aria-current="page">Russian</a>' in html


def test_an_issue_area_page_lists_its_published_news(client: Any, secretariat: Any) -> None:
    from hrnet.news.tests.factories import ArticleFactory

    area = IssueArea.objects.create(code="hcv", names={"en": "Hepatitis C", "ru": "Гепатит C"})
    page = pages.page_create(actor=secretariat, slug="hepatitis", issue_area=area)
    publish(secretariat, page, "en", "Hepatitis C")
    ArticleFactory(title="Treatment for all", issue_areas=[area])
    ArticleFactory(title="Unpublished story", issue_areas=[area], published_at=None)

    html = client.get("/en/pages/hepatitis/").content.decode()

    assert "Treatment for all" in html
    assert "Unpublished story" not in html


def test_the_menu_tag_lists_pages_in_the_current_language(about: Page, secretariat: Any) -> None:
    other = pages.page_create(actor=secretariat, slug="role", menu_position=5)
    publish(secretariat, other, "en", "Our role")
    request = RequestFactory().get("/ru/pages/about/")

    with translation.override("ru"):
        html = Template("{% load network_menu %}{% network_menu %}").render(
            Context({"request": request})
        )

    assert "О сети" in html
    assert 'lang="en">Our role</a>' in html
    assert html.index("О сети") < html.index("Our role")
