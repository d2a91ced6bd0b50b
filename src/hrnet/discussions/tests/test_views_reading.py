"""The reading pages: the category list, a category, a thread, a post's address, its
history and attachments, in English and Russian; and everything a reader may not read
answers 404, as if it did not exist."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.discussions.models import Post, PostTranslation, Thread
from hrnet.discussions.services import moderation, posting
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    opening_post,
    public_category,
    thread_with_posts,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def aigerim(make_user: Any) -> Any:
    return make_user(Role.MEMBER, full_name="Айгерим Нурланова", email="aigerim@example.org")


def html_of(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


# --- the category list ----------------------------------------------------------------


def test_anonymous_readers_see_public_categories_only_and_a_sign_in_hint(client, member):
    public = public_category(names={"en": "Harm reduction news", "ru": "Новости снижения вреда"})
    members_category(names={"en": "Members' lounge", "ru": "Гостиная членов сети"})
    thread_with_posts(author=member, category=public, title="Open question about OST")

    html = main_of(html_of(client, "/en/discussions/"))
    assert "Harm reduction news" in html
    assert "Members&#x27; lounge" not in html
    assert "Members' lounge" not in html
    assert "Members see more categories after signing in." in html
    assert "Open question about OST" in html

    html = main_of(html_of(client, "/ru/discussions/"))
    assert "Новости снижения вреда" in html
    assert "Гостиная членов сети" not in html
    assert "После входа члены сети видят больше разделов." in html
    assert "Последние темы" in html


def test_members_see_their_categories_with_counts_and_new_threads(client, member, aigerim):
    lounge = members_category(names={"en": "Members lounge", "ru": "Гостиная"})
    group = WorkingGroupFactory.create()
    group_category(group, names={"en": "Steering committee", "ru": "Руководящий комитет"})
    thread_with_posts(author=aigerim, category=lounge, replies=[(aigerim, "More")])
    client.force_login(member)

    html = main_of(html_of(client, "/en/discussions/"))
    assert "Members lounge" in html
    assert "Steering committee" not in html
    assert "1 thread" in html
    assert "2 posts" in html
    assert "1 new" in html
    assert "Follow the category" in html
    assert "Members see more categories" not in html

    html = main_of(html_of(client, "/ru/discussions/"))
    assert "1 тема" in html
    assert "2 сообщения" in html
    assert "новых тем: 1" in html
    assert "Следить за разделом" in html


# --- a category -----------------------------------------------------------------------


def test_a_category_lists_its_threads_with_markers(client, member, aigerim, secretariat):
    category = public_category(names={"en": "Open forum", "ru": "Открытый форум"})
    pinned = thread_with_posts(author=member, category=category, title="Rules of this forum")
    moderation.thread_pin(actor=secretariat, thread=pinned, pinned=True)
    locked = thread_with_posts(
        author=member, category=category, title="Old announcement", replies=[(aigerim, "Ok")]
    )
    moderation.thread_lock(actor=secretariat, thread=locked, locked=True)
    client.force_login(member)

    html = main_of(html_of(client, f"/en/discussions/c/{category.slug}/"))
    rows = re.findall(r'<li class="discussion-thread[^"]*">(.*?)</li>', html, re.DOTALL)
    assert "Rules of this forum" in rows[0]
    assert "Pinned" in rows[0]
    assert "Old announcement" in rows[1]
    assert "Locked" in rows[1]
    assert "1 reply" in rows[1]
    assert "by Айгерим Нурланова" in rows[1]
    assert "New thread" in html
    assert f"/en/discussions/c/{category.slug}/feed/" in html
    # the reader wrote both threads and read them; the reply by another is unread
    assert "1 unread" in rows[1]
    assert "unread" not in rows[0]

    html = main_of(html_of(client, f"/ru/discussions/c/{category.slug}/"))
    assert "Закреплена" in html
    assert "Закрыта" in html
    assert "1 ответ" in html
    assert "Новая тема" in html
    assert "1 непрочитанное" in html


def test_a_members_category_has_no_feed_link_and_readers_without_writing_get_no_button(
    client, make_user, member
):
    category = members_category()
    client.force_login(member)
    html = html_of(client, f"/en/discussions/c/{category.slug}/")
    assert "/feed/" not in main_of(html)
    assert "New thread" in html

    public = public_category()
    anonymous = html_of(client.__class__(), f"/en/discussions/c/{public.slug}/")
    assert "New thread" not in main_of(anonymous)
    assert "Members of the network write here." in anonymous
    sitestaff = make_user(Role.SITESTAFF)
    client.force_login(sitestaff)
    assert "New thread" not in main_of(html_of(client, f"/en/discussions/c/{public.slug}/"))


def test_the_category_pages_hold_30_threads(client, member, settings):
    settings.HRNET_DISCUSSION_POSTS_PER_HOUR = 100
    category = members_category()
    for n in range(31):
        thread_with_posts(author=member, category=category, title=f"Question number {n:02}")
    client.force_login(member)
    first = html_of(client, f"/en/discussions/c/{category.slug}/")
    assert first.count('<li class="discussion-thread') == 30
    assert "Page 1 of 2" in first
    second = html_of(client, f"/en/discussions/c/{category.slug}/?page=2")
    assert second.count('<li class="discussion-thread') == 1
    assert "Question number 00" in second


# --- what a reader may not read is 404 ------------------------------------------------


def test_members_only_and_group_discussions_are_404_to_those_outside(
    client, member, aigerim, make_user
):
    closed = members_category()
    group = WorkingGroupFactory.create()
    grouped = group_category(group)
    group.members.add(aigerim)
    pdf = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")
    members_thread = posting.thread_create(
        actor=member, category=closed, title="Members only talk", body="x", files=[pdf]
    )
    group_thread = thread_with_posts(author=aigerim, category=grouped, title="Group talk")
    attachment = opening_post(members_thread).attachments.get()

    def paths(category: Any, thread: Thread) -> list[str]:
        post = opening_post(thread)
        return [
            f"/en/discussions/c/{category.slug}/",
            f"/en/discussions/c/{category.slug}/new/",
            f"/en/discussions/t/{thread.pk}/",
            f"/en/discussions/p/{post.pk}/",
            f"/en/discussions/p/{post.pk}/history/",
        ]

    anonymous = client.__class__()
    for path in [*paths(closed, members_thread), f"/en/discussions/a/{attachment.pk}/"]:
        assert anonymous.get(path).status_code == 404, path
    for path in paths(grouped, group_thread):
        assert anonymous.get(path).status_code == 404, path
    client.force_login(member)  # a network member outside the working group
    for path in paths(grouped, group_thread):
        assert client.get(path).status_code == 404, path
    assert "Group talk" not in html_of(client, "/en/discussions/")
    client.force_login(aigerim)
    assert client.get(f"/en/discussions/t/{group_thread.pk}/").status_code == 200
    assert client.get("/en/discussions/c/no-such-category/").status_code == 404
    assert client.get("/en/discussions/t/999999/").status_code == 404
    sitestaff = make_user(Role.SITESTAFF)
    client.force_login(sitestaff)
    assert client.get(f"/en/discussions/t/{members_thread.pk}/").status_code == 404


def test_a_hidden_thread_is_404_but_to_moderators(client, member, secretariat):
    thread = thread_with_posts(author=member, category=public_category(), title="Gone thread")
    moderation.thread_hide(actor=secretariat, thread=thread, hidden=True)
    client.force_login(member)
    assert client.get(f"/en/discussions/t/{thread.pk}/").status_code == 404
    client.force_login(secretariat)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert "Hidden" in html
    assert "Show the thread again" in html


# --- a thread -------------------------------------------------------------------------


def test_a_thread_shows_its_posts_in_english_and_russian(client, member, aigerim):
    thread = thread_with_posts(
        author=member,
        category=members_category(),
        title="Naloxone stock-outs",
        body="Who has **naloxone** left?",
        replies=[(aigerim, "We have _some_.")],
    )
    client.force_login(aigerim)
    html = main_of(html_of(client, f"/en/discussions/t/{thread.pk}/"))
    assert "<h1>Naloxone stock-outs</h1>" in html
    assert 'id="post-1"' in html
    assert 'id="post-2"' in html
    assert "<strong>naloxone</strong>" in html
    assert "<em>some</em>" in html
    assert "Айгерим Нурланова" in html
    assert "Your reply" in html
    assert "Quote" in html
    assert "Flag" in html

    html = main_of(html_of(client, f"/ru/discussions/t/{thread.pk}/"))
    assert "Ваш ответ" in html
    assert "Цитировать" in html
    assert "Пожаловаться" in html
    assert "Отправить ответ" in html
    # the posts are in English: marked so on a Russian page
    assert '<span class="badge" title="Язык, на котором оно написано">English</span>' in html
    assert 'lang="en"' in html


def test_an_erased_author_is_a_former_member(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category())
    Post.objects.filter(thread=thread).update(author=None)
    client.force_login(aigerim)
    assert "Former member" in html_of(client, f"/en/discussions/t/{thread.pk}/")


@pytest.mark.parametrize(
    "attack",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "<img src=x onerror=alert(1)>"],
)
def test_markup_in_a_title_or_post_never_reaches_a_page(client, member, aigerim, attack):
    category = members_category()
    thread = thread_with_posts(
        author=member,
        category=category,
        title=f"Title {attack}",
        body=f"Body {attack} and [link](javascript:alert(1))",
        replies=[(aigerim, f"Reply {attack}")],
    )
    client.force_login(aigerim)
    pages = [
        f"/en/discussions/t/{thread.pk}/",
        f"/en/discussions/c/{category.slug}/",
        "/en/discussions/",
        f"/ru/discussions/t/{thread.pk}/?quote={opening_post(thread).pk}",
    ]
    for url in pages:
        html = html_of(client, url)
        assert "<script>alert" not in html, url
        assert "<img" not in main_of(html), url
        assert 'href="javascript' not in html, url
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert "Title &lt;" in html


def test_quote_prefills_the_reply_with_a_markdown_quote_and_the_authors_name(
    client, member, aigerim
):
    thread = thread_with_posts(
        author=aigerim, category=members_category(), body="Line one\nLine two"
    )
    quoted = opening_post(thread)
    handle = preference_for(aigerim).handle
    client.force_login(member)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/?quote={quoted.pk}")
    box = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert box is not None
    assert box.group(1).strip() == f"@{handle}\n&gt; Line one\n&gt; Line two"
    assert f'name="reply_to" value="{quoted.pk}"' in html
    # a post of another thread, or one that does not exist, quotes nothing
    other = thread_with_posts(author=aigerim, category=members_category(), body="Elsewhere")
    html = html_of(client, f"/en/discussions/t/{thread.pk}/?quote={opening_post(other).pk}")
    assert "Elsewhere" not in html


def test_posts_come_20_to_a_page_and_a_posts_address_finds_its_page(client, member, aigerim):
    thread = thread_with_posts(
        author=member,
        category=members_category(),
        replies=[(aigerim, f"Reply {n}") for n in range(1, 22)],
    )
    client.force_login(member)
    first = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert first.count('<article class="discussion-post') == 20
    post_21 = thread.posts.get(number=21)
    response = client.get(f"/en/discussions/p/{post_21.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/discussions/t/{thread.pk}/?page=2#post-21"
    second = html_of(client, response["Location"])
    assert 'id="post-21"' in second
    assert 'id="post-22"' in second
    post_3 = thread.posts.get(number=3)
    assert client.get(f"/en/discussions/p/{post_3.pk}/")["Location"].endswith("#post-3")


def test_unread_markers_clear_after_reading(client, member, aigerim):
    category = members_category()
    thread = thread_with_posts(author=aigerim, category=category, replies=[(aigerim, "More")])
    client.force_login(member)
    assert "1 new" in html_of(client, "/en/discussions/")
    row = html_of(client, f"/en/discussions/c/{category.slug}/")
    assert ">new<" in row

    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert html.count("discussion-post--new") == 0  # never opened: nothing to tell apart

    assert "1 new" not in html_of(client, "/en/discussions/")
    assert "unread" not in main_of(html_of(client, f"/en/discussions/c/{category.slug}/"))
    assert ">new<" not in main_of(html_of(client, f"/en/discussions/c/{category.slug}/"))

    # a new reply: one unread, marked on the thread page until read
    posting.post_create(actor=aigerim, thread=thread, body="Third")
    assert "1 unread" in html_of(client, f"/en/discussions/c/{category.slug}/")
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert html.count("discussion-post--new") == 1
    assert "1 unread" not in html_of(client, f"/en/discussions/c/{category.slug}/")


def test_a_hidden_post_shows_the_reason_to_others_and_its_text_to_author_and_moderators(
    client, member, aigerim, secretariat
):
    thread = thread_with_posts(
        author=member, category=members_category(), replies=[(aigerim, "Call me on +7 701 ...")]
    )
    reply = thread.posts.get(number=2)
    moderation.post_hide(actor=secretariat, post=reply, reason="Personal data")
    client.force_login(member)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert "Hidden by the moderators: Personal data" in html
    assert "+7 701" not in html
    assert client.get(f"/en/discussions/p/{reply.pk}/history/").status_code == 404
    html = html_of(client, f"/ru/discussions/t/{thread.pk}/")
    assert "Скрыто модераторами: Personal data" in html

    client.force_login(aigerim)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert "+7 701" in html
    assert "Hidden by the moderators: Personal data" in html
    client.force_login(secretariat)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert "+7 701" in html
    assert "Show the post again" in html


def test_moderator_controls_appear_only_for_moderators(client, member, aigerim, secretariat):
    thread = thread_with_posts(author=member, category=members_category())
    public_category()  # somewhere to move it
    client.force_login(aigerim)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert "/moderate/" not in html
    client.force_login(secretariat)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert f'action="/en/discussions/t/{thread.pk}/moderate/"' in html
    assert f'action="/en/discussions/p/{opening_post(thread).pk}/moderate/"' in html
    for value in ("lock", "pin", "hide", "move"):
        assert f'name="action" value="{value}"' in html
    assert 'name="reason"' in html
    assert 'name="category"' in html


def test_an_edited_post_links_to_its_history_newest_first(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category(), body="First text")
    post = opening_post(thread)
    posting.post_edit(actor=member, post=post, body="Second text", title="A better title")
    posting.post_edit(actor=member, post=post, body="Third **text**")
    client.force_login(aigerim)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert f'href="/en/discussions/p/{post.pk}/history/"' in html
    assert ">edited<" in html
    history = main_of(html_of(client, f"/en/discussions/p/{post.pk}/history/"))
    assert history.index("Second text") < history.index("First text")
    assert "Naloxone stock-outs this winter" in history  # the title it had
    assert "Earlier versions of post #1" in history
    history = html_of(client, f"/ru/discussions/p/{post.pk}/history/")
    assert "Прежние версии сообщения № 1" in history


def test_the_translate_button_shows_only_when_translation_is_on_and_the_language_differs(
    client, member, aigerim, settings
):
    thread = thread_with_posts(author=member, category=members_category(), language="en")
    client.force_login(aigerim)
    settings.HRNET_TRANSLATE_URL = ""
    assert "/translate/" not in html_of(client, f"/ru/discussions/t/{thread.pk}/")
    settings.HRNET_TRANSLATE_URL = "http://127.0.0.1:9/"
    html = html_of(client, f"/ru/discussions/t/{thread.pk}/")
    assert f'hx-post="/ru/discussions/p/{opening_post(thread).pk}/translate/"' in html
    assert '<input type="hidden" name="language" value="ru">' in html
    assert "/translate/" not in html_of(client, f"/en/discussions/t/{thread.pk}/")


def test_a_kept_translation_is_marked_as_machine_translation(client, member, aigerim, settings):
    settings.HRNET_TRANSLATE_URL = "http://127.0.0.1:9/"
    thread = thread_with_posts(author=member, category=members_category(), body="Hello")
    post = opening_post(thread)
    PostTranslation.objects.create(
        post=post,
        language="ru",
        body_html="<p>Привет</p><script>alert(1)</script>",
        source_body=post.body,
    )
    client.force_login(aigerim)
    response = client.post(
        f"/ru/discussions/p/{post.pk}/translate/", {"language": "ru"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Машинный перевод" in html
    assert "<p>Привет</p>" in html
    assert "<script>" not in html
    assert "<html" not in html
    # without script, the button posts a form and a page shows the translation
    page = client.post(f"/ru/discussions/p/{post.pk}/translate/", {"language": "ru"})
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert "Машинный перевод" in page.content.decode()


# --- attachments ----------------------------------------------------------------------


def test_attachments_download_only_for_readers_of_the_thread(client, member, aigerim, make_user):
    thread = posting.thread_create(
        actor=member,
        category=members_category(),
        title="Our new leaflet",
        body="See the file.",
        files=[SimpleUploadedFile("leaflet.pdf", PDF, "application/pdf")],
    )
    attachment = opening_post(thread).attachments.get()
    client.force_login(aigerim)
    html = html_of(client, f"/en/discussions/t/{thread.pk}/")
    assert f'href="/en/discussions/a/{attachment.pk}/"' in html
    assert "leaflet.pdf" in html

    response = client.get(f"/en/discussions/a/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "leaflet.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(
        action="discussions.attachment.download", actor=aigerim
    ).exists()

    client.force_login(make_user(Role.SITESTAFF))
    assert client.get(f"/en/discussions/a/{attachment.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/en/discussions/a/{attachment.pk}/").status_code == 404


def test_a_public_attachment_is_not_audited_and_a_hidden_posts_files_are_404(
    client, member, aigerim, secretariat
):
    thread = posting.thread_create(
        actor=member,
        category=public_category(),
        title="Public leaflet",
        body="See the file.",
        files=[SimpleUploadedFile("leaflet.pdf", PDF, "application/pdf")],
    )
    post = opening_post(thread)
    attachment = post.attachments.get()
    assert client.get(f"/en/discussions/a/{attachment.pk}/").status_code == 200
    assert not AuditEntry.objects.filter(action="discussions.attachment.download").exists()
    moderation.post_hide(actor=secretariat, post=post, reason="Wrong file")
    client.force_login(aigerim)
    assert client.get(f"/en/discussions/a/{attachment.pk}/").status_code == 404
    client.force_login(member)
    assert client.get(f"/en/discussions/a/{attachment.pk}/").status_code == 200


def test_the_edit_link_shows_within_the_window_only(client, member, settings):
    thread = thread_with_posts(author=member, category=members_category())
    post = opening_post(thread)
    client.force_login(member)
    assert f"/en/discussions/p/{post.pk}/edit/" in html_of(
        client, f"/en/discussions/t/{thread.pk}/"
    )
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=2))
    settings.HRNET_DISCUSSION_EDIT_MINUTES = 60
    assert f"/en/discussions/p/{post.pk}/edit/" not in html_of(
        client, f"/en/discussions/t/{thread.pk}/"
    )
