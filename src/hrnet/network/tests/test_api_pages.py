"""/api/v1/pages: published pages only, in the language asked for, bodies sanitised."""

from __future__ import annotations

from typing import Any

import pytest

from hrnet.network.models import Page
from hrnet.network.services import pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(secretariat: Any) -> Page:
    page = pages.page_create(actor=secretariat, slug="about", menu_position=1)
    for language, title, body in (
        ("en", "About", "We **work** <script>alert(1)</script>"),
        ("ru", "О сети", "Мы **работаем**"),
    ):
        pages.page_draft_save(
            actor=secretariat, page=page, language=language, title=title, summary="", body=body
        )
        pages.page_publish(actor=secretariat, page=page, language=language)
    return page


def test_the_list_has_published_pages_in_the_language_asked_for(
    client: Any, about: Page, secretariat: Any
) -> None:
    strategy = pages.page_create(actor=secretariat, slug="strategy", menu_position=2)
    pages.page_draft_save(
        actor=secretariat, page=strategy, language="en", title="Strategy", summary="S", body=""
    )
    pages.page_publish(actor=secretariat, page=strategy, language="en")
    pages.page_create(actor=secretariat, slug="never-published")

    items = client.get("/api/v1/pages?lang=ru").json()

    assert [(i["slug"], i["title"], i["language"], i["translated"]) for i in items] == [
        ("about", "О сети", "ru", True),
        ("strategy", "Strategy", "en", False),
    ]
    assert items[0]["url"].endswith("/ru/pages/about/")
    assert items[1]["summary"] == "S"
    assert items[0]["updated"]


def test_a_page_comes_as_sanitised_html_with_its_revision(client: Any, about: Page) -> None:
    english = client.get("/api/v1/pages/about?lang=en").json()
    russian = client.get("/api/v1/pages/about?lang=ru").json()

    assert english["title"] == "About"
    assert "<strong>work</strong>" in english["body_html"]
    assert "script" not in english["body_html"]
    assert "alert" not in english["body_html"]
    assert english["revision"] == 1
    assert english["published_at"]
    assert russian["title"] == "О сети"


def test_a_page_never_published_is_not_found(client: Any, about: Page, secretariat: Any) -> None:
    pages.page_create(actor=secretariat, slug="draft-only")
    client.force_login(secretariat)

    assert client.get("/api/v1/pages/draft-only").status_code == 404
    assert client.get("/api/v1/pages/nothing").status_code == 404
    assert client.get("/api/v1/pages", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
