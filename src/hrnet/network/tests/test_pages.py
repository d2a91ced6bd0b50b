"""Services and selectors of the network's pages: drafts, revisions, restore, compare,
sanitising, what visitors of each language see, and issue-area pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from hrnet.core.models import AuditEntry, IssueArea
from hrnet.core.rendering import body_html
from hrnet.network.models import Page, PageDraft, PageRevision
from hrnet.network.selectors import pages as page_selectors
from hrnet.network.services import pages

pytestmark = pytest.mark.django_db


def publish(actor: Any, page: Page, language: str, title: str, body: str = "") -> PageRevision:
    pages.page_draft_save(
        actor=actor, page=page, language=language, title=title, summary="", body=body
    )
    return pages.page_publish(actor=actor, page=page, language=language)


def test_publishing_numbers_revisions_per_language(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")

    first = publish(secretariat, page, "en", "About us")
    second = publish(secretariat, page, "en", "About the network")
    russian = publish(secretariat, page, "ru", "О нас")

    assert (first.number, second.number, russian.number) == (1, 2, 1)
    assert second.published_by == secretariat
    assert set(
        AuditEntry.objects.filter(object_id=str(page.pk)).values_list("action", flat=True)
    ) >= {"network.page.create", "network.page.draft_save", "network.page.publish"}


def test_a_draft_is_not_seen_until_published(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")
    publish(secretariat, page, "en", "About us")

    pages.page_draft_save(
        actor=secretariat, page=page, language="en", title="Work in progress", summary="", body=""
    )

    live = page_selectors.page_live(user=AnonymousUser(), page=page, language="en")
    assert live.revision is not None
    assert live.revision.title == "About us"


def test_an_empty_title_is_not_published(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")
    pages.page_draft_save(
        actor=secretariat, page=page, language="ru", title="  ", summary="", body="Текст"
    )

    with pytest.raises(ValidationError) as error:
        pages.page_publish(actor=secretariat, page=page, language="ru")

    assert "title" in error.value.message_dict
    assert not PageRevision.objects.exists()


def test_a_taken_or_reserved_address_is_refused(secretariat: Any) -> None:
    pages.page_create(actor=secretariat, slug="about")

    for slug in ("about", "new", "not valid!"):
        with pytest.raises(ValidationError) as error:
            pages.page_create(actor=secretariat, slug=slug)
        assert "slug" in error.value.message_dict


def test_restoring_publishes_the_old_text_as_a_new_revision(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")
    old = publish(secretariat, page, "ru", "О сети", "Старый текст")
    publish(secretariat, page, "ru", "О нас", "Новый текст")

    restored = pages.page_revision_restore(actor=secretariat, revision=old)

    assert restored.number == 3
    assert restored.restored_from == old
    assert (restored.title, restored.body) == ("О сети", "Старый текст")
    draft = PageDraft.objects.get(page=page, language="ru")
    assert draft.title == "О сети"
    live = page_selectors.page_live(user=AnonymousUser(), page=page, language="ru")
    assert live.revision == restored
    assert AuditEntry.objects.filter(action="network.page.restore").exists()


def test_compare_marks_removed_and_added_words_and_escapes_text(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")
    old = publish(secretariat, page, "en", "About us", "We <b>serve</b> people.")
    new = publish(secretariat, page, "en", "About the network", "We <b>serve</b> communities.")

    title, summary, body = page_selectors.page_revisions_compare(old=old, new=new)

    assert (title.changed, summary.changed, body.changed) == (True, False, True)
    assert "<del>us</del>" in title.html
    assert "<ins>the network</ins>" in title.html
    assert "&lt;b&gt;serve&lt;/b&gt;" in body.html
    assert "<b>" not in body.html
    assert "<del>people.</del><ins>communities.</ins>" in body.html


def test_script_and_event_handlers_are_kept_as_typed_and_never_output(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")
    body = 'Hello <script>alert("x")</script><img src=x onerror="alert(1)"> **world**'

    revision = publish(secretariat, page, "en", "About", body)

    assert revision.body == body
    html = body_html(revision.body)
    assert "<script" not in html
    assert "onerror" not in html
    assert "alert" not in html
    assert "<strong>world</strong>" in html


def test_a_page_not_yet_translated_is_shown_in_another_language(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="strategy")
    publish(secretariat, page, "en", "Strategy")

    live = page_selectors.page_live(user=AnonymousUser(), page=page, language="ru")
    menu = page_selectors.page_menu(language="ru")

    assert live.revision is not None
    assert live.revision.title == "Strategy"
    assert not live.is_translated
    assert live.language == "en"
    assert [(entry.slug, entry.title, entry.is_translated) for entry in menu] == [
        ("strategy", "Strategy", False)
    ]


def test_the_menu_lists_published_pages_in_order_in_the_visitors_language(
    secretariat: Any,
) -> None:
    role = pages.page_create(actor=secretariat, slug="role", menu_position=2)
    about = pages.page_create(actor=secretariat, slug="about", menu_position=1)
    hidden = pages.page_create(actor=secretariat, slug="hidden", in_menu=False)
    pages.page_create(actor=secretariat, slug="unpublished")
    publish(secretariat, role, "en", "Our role")
    publish(secretariat, role, "ru", "Наша роль")
    publish(secretariat, about, "en", "About")
    publish(secretariat, hidden, "en", "Hidden")

    menu = page_selectors.page_menu(language="ru")

    assert [entry.title for entry in menu] == ["About", "Наша роль"]


def test_unpublished_pages_and_drafts_are_the_secretariats(secretariat: Any, member: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")

    for user in (AnonymousUser(), member):
        with pytest.raises(Page.DoesNotExist):
            page_selectors.page_get(user=user, slug="about")
        with pytest.raises(PermissionDenied):
            page_selectors.page_draft_for_edit(user=user, page=page, language="en")
        with pytest.raises(PermissionDenied):
            page_selectors.page_history(user=user, page=page, language="en")
        assert page_selectors.page_list(user=user, language="en") == []
    assert page_selectors.page_get(user=secretariat, slug="about") == page
    assert [entry.slug for entry in page_selectors.page_list(user=secretariat, language="en")] == [
        "about"
    ]


def test_editing_starts_from_the_published_text(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")
    publish(secretariat, page, "en", "About", "Body")
    PageDraft.objects.all().delete()

    draft = page_selectors.page_draft_for_edit(user=secretariat, page=page, language="en")
    empty = page_selectors.page_draft_for_edit(user=secretariat, page=page, language="ru")

    assert (draft.title, draft.body) == ("About", "Body")
    assert empty.title == ""


def test_history_compares_each_revision_with_the_one_before(secretariat: Any) -> None:
    page = pages.page_create(actor=secretariat, slug="about")
    publish(secretariat, page, "en", "One")
    publish(secretariat, page, "en", "Two")

    rows = page_selectors.page_history(user=secretariat, page=page, language="en")

    assert [row.revision.number for row in rows] == [2, 1]
    assert rows[0].is_live
    assert "<del>One</del><ins>Two</ins>" in rows[0].changes[0].html
    assert "<ins>One</ins>" in rows[1].changes[0].html


def test_an_issue_area_page_lists_only_published_public_items(
    secretariat: Any, geography: None
) -> None:
    from hrnet.news.models import Article
    from hrnet.news.tests.factories import ArticleFactory

    area = IssueArea.objects.create(code="hiv", names={"en": "HIV"})
    page = pages.page_create(actor=secretariat, slug="hiv", issue_area=area)
    published = ArticleFactory(title="Published news")
    published.issue_areas.add(area)
    draft = ArticleFactory(title="Draft news", published_at=None)
    draft.issue_areas.add(area)

    for user in (AnonymousUser(), secretariat):
        items = page_selectors.issue_area_items(user=user, issue_area=area, language="en")
        assert [article.title for article in items.articles] == ["Published news"]
    assert page.issue_area == area
    assert Article.objects.count() == 2
