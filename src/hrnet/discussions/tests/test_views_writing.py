"""The writing pages: a new thread, a reply, an edit, a flag, a translation, following.
A form that fails keeps what was typed and says why, in the reader's language; what the
writer may not read is 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.discussions.models import Attachment, Flag, Post, Thread, Watch
from hrnet.discussions.services import moderation
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.tests.factories import (
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


def text(response: Any) -> str:
    return response.content.decode()


# --- a new thread ---------------------------------------------------------------------


def test_a_member_starts_a_thread_with_a_file(client, member):
    category = members_category()
    client.force_login(member)
    form = client.get(f"/ru/discussions/c/{category.slug}/new/")
    assert "Новая тема" in text(form)
    assert "Язык вашего текста" in text(form)
    assert "Этот раздел читают только члены сети." in text(form)

    response = client.post(
        f"/en/discussions/c/{category.slug}/new/",
        {
            "title": "Naloxone in pharmacies",
            "body": "Is it **sold** without prescription where you work?",
            "language": "en",
            "attachments": [SimpleUploadedFile("rules.pdf", PDF, "application/pdf")],
        },
        follow=True,
    )

    thread = Thread.objects.get()
    assert response.redirect_chain[-1][0] == f"/en/discussions/t/{thread.pk}/"
    html = text(response)
    assert "Your thread is posted." in html
    assert "<h1>Naloxone in pharmacies</h1>" in html
    assert "<strong>sold</strong>" in html
    assert Attachment.objects.get().name == "rules.pdf"


def test_the_thread_form_keeps_what_was_typed_and_says_why_in_russian(client, member):
    category = members_category()
    client.force_login(member)
    response = client.post(
        f"/ru/discussions/c/{category.slug}/new/",
        {
            "title": "Хм",
            "body": "Мой длинный текст о снижении вреда",
            "language": "ru",
            "attachments": [SimpleUploadedFile("notes.pdf", b"MZ\x90\x00", "application/pdf")],
        },
    )
    html = text(response)
    assert response.status_code == 200
    assert not Thread.objects.exists()
    assert "Тема ещё не создана: исправьте то, что отмечено ниже." in html
    assert 'value="Хм"' in html
    assert "Мой длинный текст о снижении вреда</textarea>" in html
    assert "Выберите файлы ещё раз" in html

    response = client.post(
        f"/ru/discussions/c/{category.slug}/new/",
        {"title": "Хм", "body": "Текст", "language": "ru"},
    )
    assert "Дайте теме название не короче 5 символов." in text(response)
    response = client.post(
        f"/ru/discussions/c/{category.slug}/new/",
        {"title": "Заголовок темы", "body": "   ", "language": "ru"},
    )
    assert "Напишите что-нибудь, прежде чем отправлять." in text(response)
    assert 'value="Заголовок темы"' in text(response)


def test_a_refused_file_is_named_in_the_readers_language(client, member):
    category = members_category()
    client.force_login(member)
    response = client.post(
        f"/ru/discussions/c/{category.slug}/new/",
        {
            "title": "Заголовок темы",
            "body": "Текст",
            "language": "ru",
            "attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00rest", "application/pdf")],
        },
    )
    html = text(response)
    assert "«virus.pdf» — это" in html
    assert "Прикладывайте документы PDF" in html
    assert not Thread.objects.exists()


def test_who_may_start_a_thread(client, member, make_user):
    public = public_category()
    closed = members_category()
    response = client.get(f"/en/discussions/c/{public.slug}/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(f"/en/discussions/c/{closed.slug}/new/").status_code == 404
    client.force_login(make_user(Role.SITESTAFF))
    assert client.get(f"/en/discussions/c/{public.slug}/new/").status_code == 403
    assert (
        client.post(
            f"/en/discussions/c/{closed.slug}/new/", {"title": "Hello there", "body": "x"}
        ).status_code
        == 404
    )
    assert not Thread.objects.exists()


def test_markup_typed_into_the_forms_is_shown_as_text(client, member):
    category = members_category()
    client.force_login(member)
    client.post(
        f"/en/discussions/c/{category.slug}/new/",
        {
            "title": "<script>alert(1)</script> title",
            "body": '<img src=x onerror="alert(1)"> and <script>alert(2)</script>',
            "language": "en",
        },
    )
    thread = Thread.objects.get()
    html = text(client.get(f"/en/discussions/t/{thread.pk}/"))
    assert "<script>alert" not in html
    assert "<img" not in html.split('<main id="main"')[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; title" in html


# --- replies --------------------------------------------------------------------------


def test_a_reply_lands_on_its_post_and_mentions_notify(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category())
    handle = preference_for(member).handle
    client.force_login(aigerim)
    response = client.post(
        f"/en/discussions/t/{thread.pk}/reply/",
        {"body": f"@{handle} we have some left.", "language": "en"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/discussions/t/{thread.pk}/#post-2"
    reply = Post.objects.get(number=2)
    assert reply.author == aigerim
    assert list(reply.mentioned.all()) == [member]
    html = text(client.get(response["Location"]))
    assert "Your reply is posted." in html
    assert "we have some left." in html


def test_a_reply_with_errors_comes_back_with_the_text_and_reasons_in_russian(
    client, member, aigerim
):
    thread = thread_with_posts(author=member, category=members_category())
    client.force_login(aigerim)
    response = client.post(
        f"/ru/discussions/t/{thread.pk}/reply/", {"body": "  ", "language": "en"}
    )
    html = text(response)
    assert response.status_code == 200
    assert "Ответ ещё не отправлен" in html
    assert "Напишите что-нибудь, прежде чем отправлять." in html
    assert '<option value="en" selected>' in html
    assert 'id="post-1"' in html  # the thread is still there above the form
    assert Post.objects.count() == 1

    response = client.post(
        f"/ru/discussions/t/{thread.pk}/reply/",
        {
            "body": "Длинный ответ",
            "language": "ru",
            "attachments": [SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf")],
        },
    )
    html = text(response)
    assert "Длинный ответ</textarea>" in html
    assert "«a.pdf» — это" in html


def test_a_locked_thread_takes_no_reply(client, member, aigerim, secretariat):
    thread = thread_with_posts(author=member, category=members_category())
    moderation.thread_lock(actor=secretariat, thread=thread, locked=True)
    client.force_login(aigerim)
    html = text(client.get(f"/en/discussions/t/{thread.pk}/"))
    assert "This thread is locked: it takes no more replies." in html
    assert 'name="body"' not in html
    response = client.post(f"/en/discussions/t/{thread.pk}/reply/", {"body": "Hello"}, follow=True)
    assert "This thread is locked" in text(response)
    assert Post.objects.count() == 1


def test_who_may_reply(client, member, make_user):
    public_thread = thread_with_posts(author=member, category=public_category())
    closed_thread = thread_with_posts(author=member, category=members_category())
    response = client.post(f"/en/discussions/t/{public_thread.pk}/reply/", {"body": "Hi"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    html = text(client.get(f"/en/discussions/t/{public_thread.pk}/"))
    assert "Sign in to reply" in html
    assert 'name="body"' not in html
    assert (
        client.post(f"/en/discussions/t/{closed_thread.pk}/reply/", {"body": "Hi"}).status_code
        == 404
    )
    client.force_login(make_user(Role.SITESTAFF))
    html = text(client.get(f"/en/discussions/t/{public_thread.pk}/"))
    assert "Only members of the network can write here." in html
    client.post(f"/en/discussions/t/{public_thread.pk}/reply/", {"body": "Hi"})
    assert Post.objects.count() == 2  # the two opening posts


def test_a_quoted_reply_records_what_it_answers(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category())
    first = opening_post(thread)
    client.force_login(aigerim)
    client.post(
        f"/en/discussions/t/{thread.pk}/reply/",
        {"body": "> Who else\n\nWe do.", "language": "en", "reply_to": first.pk},
    )
    reply = Post.objects.get(number=2)
    assert reply.reply_to == first
    html = text(client.get(f"/en/discussions/t/{thread.pk}/"))
    assert "In reply to #1" in html
    assert "<blockquote>" in html


# --- edits ----------------------------------------------------------------------------


def test_the_author_edits_within_the_window_title_included(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category(), body="Old text")
    post = opening_post(thread)
    client.force_login(member)
    form = text(client.get(f"/ru/discussions/p/{post.pk}/edit/"))
    assert "Изменение сообщения" in form
    assert "Old text</textarea>" in form
    assert 'name="title"' in form

    response = client.post(
        f"/en/discussions/p/{post.pk}/edit/", {"title": "Shorter", "body": "New text"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#post-1")
    thread.refresh_from_db()
    post.refresh_from_db()
    assert (thread.title, post.body) == ("Shorter", "New text")
    assert post.revisions.get().body == "Old text"

    client.force_login(aigerim)
    assert client.get(f"/en/discussions/p/{post.pk}/edit/").status_code == 403
    assert client.post(f"/en/discussions/p/{post.pk}/edit/", {"body": "Mine"}).status_code == 403


def test_a_reply_edit_has_no_title_and_keeps_errors(client, member, aigerim):
    thread = thread_with_posts(
        author=member, category=members_category(), replies=[(aigerim, "Hi")]
    )
    reply = thread.posts.get(number=2)
    client.force_login(aigerim)
    form = text(client.get(f"/en/discussions/p/{reply.pk}/edit/"))
    assert 'name="title"' not in form
    response = client.post(f"/ru/discussions/p/{reply.pk}/edit/", {"body": ""})
    assert "Напишите что-нибудь, прежде чем отправлять." in text(response)
    assert "Изменения ещё не сохранены" in text(response)


def test_no_edit_after_the_window(client, member, settings):
    settings.HRNET_DISCUSSION_EDIT_MINUTES = 30
    thread = thread_with_posts(author=member, category=members_category())
    post = opening_post(thread)
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    client.force_login(member)
    assert client.get(f"/en/discussions/p/{post.pk}/edit/").status_code == 403
    client.post(f"/en/discussions/p/{post.pk}/edit/", {"title": "Changed title", "body": "New"})
    post.refresh_from_db()
    assert post.body != "New"


# --- flags ----------------------------------------------------------------------------


def test_a_member_flags_a_post_and_is_thanked(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category())
    post = opening_post(thread)
    client.force_login(aigerim)
    response = client.post(
        f"/ru/discussions/p/{post.pk}/flag/", {"reason": "spam", "note": ""}, follow=True
    )
    assert "Спасибо. Секретариат рассмотрит это сообщение." in text(response)
    flag = Flag.objects.get()
    assert (flag.post, flag.flagged_by, flag.reason) == (post, aigerim, "spam")

    response = client.post(f"/en/discussions/p/{post.pk}/flag/", {"reason": "spam"})
    assert "You have already flagged this post" in text(response)
    assert Flag.objects.count() == 1


def test_a_flag_needs_a_reason_and_a_note_for_something_else(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category())
    post = opening_post(thread)
    client.force_login(aigerim)
    html = text(client.post(f"/ru/discussions/p/{post.pk}/flag/", {"reason": "", "note": "x"}))
    assert "Выберите, почему это сообщение нужно проверить." in html
    html = text(client.post(f"/ru/discussions/p/{post.pk}/flag/", {"reason": "other"}))
    assert "Напишите, что не так с этим сообщением." in html
    assert '<option value="other" selected>' in html
    assert not Flag.objects.exists()


def test_nobody_flags_their_own_post_or_one_they_cannot_read(client, member, make_user):
    thread = thread_with_posts(author=member, category=members_category())
    post = opening_post(thread)
    client.force_login(member)
    assert client.post(f"/en/discussions/p/{post.pk}/flag/", {"reason": "spam"}).status_code == 403
    client.force_login(make_user(Role.SITESTAFF))
    assert client.post(f"/en/discussions/p/{post.pk}/flag/", {"reason": "spam"}).status_code == 404
    assert not Flag.objects.exists()


# --- following ------------------------------------------------------------------------


def test_following_a_thread_toggles_with_and_without_htmx(client, member, aigerim):
    thread = thread_with_posts(author=member, category=members_category())
    client.force_login(aigerim)
    url = f"/en/discussions/t/{thread.pk}/watch/"
    response = client.post(url, {"watching": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Stop following the thread" in text(response)
    assert "<html" not in text(response)
    assert Watch.objects.filter(user=aigerim, thread=thread).exists()

    response = client.post(url, {"watching": "0"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/discussions/t/{thread.pk}/"
    assert "You no longer follow this thread." in text(response)
    assert not Watch.objects.filter(user=aigerim, thread=thread).exists()
    assert "Follow the thread" in text(response)


def test_following_a_category_from_the_list_comes_back_to_the_list(client, member):
    category = members_category()
    client.force_login(member)
    response = client.post(
        f"/ru/discussions/c/{category.slug}/watch/",
        {"watching": "1", "next": "/ru/discussions/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/ru/discussions/"
    assert "Теперь вы следите за этим разделом." in text(response)
    assert "Не следить за разделом" in text(response)
    assert Watch.objects.filter(user=member, category=category).exists()
    # another address in `next` is not followed
    response = client.post(
        f"/en/discussions/c/{category.slug}/watch/",
        {"watching": "0", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/en/discussions/c/{category.slug}/"


def test_following_needs_a_reader(client, member, make_user):
    closed = members_category()
    thread = thread_with_posts(author=member, category=closed)
    public_thread = thread_with_posts(author=member, category=public_category())
    response = client.post(f"/en/discussions/t/{public_thread.pk}/watch/", {"watching": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert (
        client.post(f"/en/discussions/t/{thread.pk}/watch/", {"watching": "1"}).status_code == 404
    )
    client.force_login(make_user(Role.SITESTAFF))
    assert (
        client.post(f"/en/discussions/c/{closed.slug}/watch/", {"watching": "1"}).status_code == 404
    )
    assert not Watch.objects.exclude(user=member).exists()


# --- translation ----------------------------------------------------------------------


def test_a_translation_server_that_is_down_gives_a_clear_message(client, member, aigerim, settings):
    settings.HRNET_TRANSLATE_URL = "http://127.0.0.1:9"  # nothing listens there
    thread = thread_with_posts(author=member, category=members_category(), language="en")
    client.force_login(aigerim)
    response = client.post(
        f"/ru/discussions/p/{opening_post(thread).pk}/translate/",
        {"language": "ru"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'role="alert"' in text(response)


def test_translating_what_one_may_not_read_is_404(client, member, make_user, settings):
    settings.HRNET_TRANSLATE_URL = "http://127.0.0.1:9"
    thread = thread_with_posts(author=member, category=members_category())
    client.force_login(make_user(Role.SITESTAFF))
    response = client.post(
        f"/ru/discussions/p/{opening_post(thread).pk}/translate/", {"language": "ru"}
    )
    assert response.status_code == 404
