"""The emails of new posts: at once or in a daily summary, in each person's language, with
a one-click unsubscribe, each exactly once, and never to someone who may no longer read
the post."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from hrnet.accounts.roles import Role
from hrnet.discussions.models import Notification, Preference
from hrnet.discussions.services import following, moderation, posting
from hrnet.discussions.services.notifications import daily_summaries_send, notifications_send
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    thread_with_posts,
)
from hrnet.discussions.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(make_user: Any) -> Any:
    """A member who reads Russian and follows a members-only category."""
    return make_user(Role.MEMBER, full_name="Айгерим Нурланова", preferred_language="ru")


@pytest.fixture
def category(reader: Any) -> Any:
    category = members_category(names={"en": "Central Asia", "ru": "Центральная Азия"})
    following.category_watch(actor=reader, category=category, watching=True)
    return category


def _set_email(user: Any, email: str) -> None:
    following.preference_change(actor=user, email=email)


def test_a_follower_gets_the_post_at_once_in_their_language(
    member: Any, reader: Any, category: Any, settings: Any
) -> None:
    settings.HRNET_SITE_URL = "https://hrnet.example.org"
    member.full_name = "Mariam Member"
    member.save()
    # when
    thread = posting.thread_create(
        actor=member,
        category=category,
        title="Naloxone stock-outs",
        body="Who else is **running out** of naloxone?",
        language="en",
    )
    sent = notifications_send()
    # then
    assert sent == 1
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert "Naloxone stock-outs" in message.subject
    assert "Новая тема" in message.subject
    assert "Mariam Member" in message.body
    assert "Центральная Азия" in message.body
    assert "Who else is running out of naloxone?" in message.body
    post = thread.posts.get(number=1)
    assert f"https://hrnet.example.org/ru/discussions/p/{post.pk}/" in message.body
    assert "https://hrnet.example.org/ru/discussions/settings/" in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert "<strong>running out</strong>" in html
    assert message.extra_headers["Content-Language"] == "ru"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    token = unsubscribe_token(reader)
    assert unsubscribe == f"<https://hrnet.example.org/ru/discussions/unsubscribe/{token}/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The link stops them, as the mail client's one-click button would.
    assert following.unsubscribe(token=token) == reader
    assert preference_for(reader).email == Preference.Email.NEVER


def test_a_mention_says_so_and_each_post_is_emailed_exactly_once(
    member: Any, reader: Any, make_user: Any
) -> None:
    other = make_user(Role.MEMBER, full_name="Erlan Expert")
    thread = thread_with_posts(author=member, category=members_category())
    handle = preference_for(reader).handle
    posting.post_create(actor=other, thread=thread, body=f"@{handle}, what do you see in Osh?")
    # when: two runs (the task after the commit, then the cron)
    first, second = notifications_send(), notifications_send()
    call_command("discussions_notify", stdout=io.StringIO())
    # then: one email each for the mentioned reader and the thread's author
    assert (first, second) == (2, 0)
    by_person = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert "Erlan Expert упомянул(а) вас" in by_person[reader.email].subject
    assert "Naloxone stock-outs this winter" in by_person[member.email].subject
    assert not Notification.objects.filter(emailed_at__isnull=True, skipped=False).exists()


def test_nothing_is_sent_to_someone_who_may_no_longer_read_the_post(
    member: Any, reader: Any, category: Any, make_user: Any, secretariat: Any
) -> None:
    # given: four posts in the category the reader follows, then
    thread = thread_with_posts(author=member, category=category, title="Moved thread")
    hidden_post = posting.post_create(actor=member, thread=thread, body="A post then hidden")
    group = WorkingGroupFactory.create()
    moderation.post_hide(actor=secretariat, post=hidden_post, reason="Names a client")
    # ... the thread is moved to a working group's category the reader is not in,
    moderation.thread_move(actor=secretariat, thread=thread, category=group_category(group))
    # ... a thread is hidden,
    hidden = thread_with_posts(author=member, category=category, title="Hidden thread")
    moderation.thread_hide(actor=secretariat, thread=hidden, hidden=True)
    # ... and one still readable.
    thread_with_posts(author=member, category=category, title="Still readable")
    # when
    sent = notifications_send()
    # then
    assert sent == 1
    assert [m.subject for m in mail.outbox] == ["[hrnet] Новая тема: Still readable"]
    assert Notification.objects.filter(user=reader, skipped=True).count() == 3


def test_a_person_who_left_the_network_or_was_deactivated_gets_nothing(
    member: Any, reader: Any, category: Any, make_user: Any
) -> None:
    leaver = make_user(Role.MEMBER)
    following.category_watch(actor=leaver, category=category, watching=True)
    thread_with_posts(author=member, category=category)
    # when: one loses their membership, the other's account is closed
    leaver.groups.clear()
    reader.is_active = False
    reader.save()
    sent = notifications_send()
    # then
    assert sent == 0
    assert not mail.outbox
    assert Notification.objects.filter(skipped=True).count() == 2


def test_a_non_member_mentioned_in_a_members_thread_gets_nothing(
    member: Any, make_user: Any
) -> None:
    outsider = make_user(Role.SITESTAFF, full_name="Sabina Sitestaff")
    handle = preference_for(outsider).handle
    thread = thread_with_posts(author=member, category=members_category())
    posting.post_create(actor=member, thread=thread, body=f"@{handle} can you see this?")
    notifications_send()
    daily_summaries_send()
    assert not [m for m in mail.outbox if outsider.email in m.to]
    # Even a row written for them (say, before they lost access) is skipped.
    post = thread.posts.get(number=2)
    Notification.objects.create(user=outsider, post=post, reason=Notification.Reason.MENTION)
    assert notifications_send() == 0
    assert Notification.objects.get(user=outsider).skipped


def test_never_means_never(member: Any, reader: Any, category: Any) -> None:
    _set_email(reader, Preference.Email.NEVER)
    thread_with_posts(author=member, category=category)
    assert notifications_send() == 0
    assert daily_summaries_send() == 0
    assert not mail.outbox
    assert Notification.objects.get(user=reader).skipped


def test_the_daily_summary_goes_once_a_day_grouped_by_thread(
    member: Any, reader: Any, category: Any, make_user: Any
) -> None:
    # given
    _set_email(reader, Preference.Email.DAILY)
    other = make_user(Role.MEMBER, full_name="Oleksandr Orgadmin")
    first = thread_with_posts(
        author=member,
        category=category,
        title="OST take-home doses in winter",
        replies=[(other, "In Bishkek they give five days at once.")],
    )
    thread_with_posts(author=other, category=category, title="NSP funding after the Global Fund")
    # when: the immediate run leaves the daily rows waiting (the author of the first
    # thread wants each reply at once)
    assert notifications_send() == 1
    assert [m.to for m in mail.outbox] == [[member.email]]
    mail.outbox.clear()
    today = date(2025, 1, 15)
    sent = daily_summaries_send(today=today)
    again = daily_summaries_send(today=today)
    # then
    assert (sent, again) == (1, 0)
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert "3 новых сообщения" in message.subject
    assert "OST take-home doses in winter" in message.body
    assert "NSP funding after the Global Fund" in message.body
    assert "In Bishkek they give five days at once." in message.body
    assert f"/ru/discussions/p/{first.posts.get(number=1).pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert preference_for(reader).daily_sent_on == today

    # A new post the same day waits for tomorrow's summary.
    posting.post_create(actor=other, thread=first, body="And in Osh only three.")
    assert daily_summaries_send(today=today) == 0
    assert daily_summaries_send(today=today + timedelta(days=1)) == 1
    assert "And in Osh only three." in mail.outbox[-1].body
    assert len(mail.outbox) == 2


def test_the_daily_summary_leaves_out_what_is_no_longer_readable(
    member: Any, reader: Any, category: Any, secretariat: Any
) -> None:
    _set_email(reader, Preference.Email.DAILY)
    thread = thread_with_posts(author=member, category=category, title="Police at the NSP")
    moderation.thread_hide(actor=secretariat, thread=thread, hidden=True)
    # when: everything was hidden
    assert daily_summaries_send(today=date(2025, 1, 15)) == 0
    assert not mail.outbox
    assert Notification.objects.get(user=reader).skipped
    # A post the person read on the page is not summarised either.
    visible = thread_with_posts(author=member, category=category, title="Read already")
    following.thread_read_mark(actor=reader, thread=visible, number=1)
    assert daily_summaries_send(today=date(2025, 1, 16)) == 0


def test_the_command_sends_the_summaries_with_daily(
    member: Any, reader: Any, category: Any
) -> None:
    _set_email(reader, Preference.Email.DAILY)
    thread_with_posts(author=member, category=category)
    stdout = io.StringIO()
    call_command("discussions_notify", stdout=stdout)
    assert not mail.outbox
    call_command("discussions_notify", "--daily", stdout=stdout)
    call_command("housekeeping", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert "daily summaries sent: 1" in stdout.getvalue()
