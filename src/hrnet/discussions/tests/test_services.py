"""Writing in the discussions: numbering, counters, mentions, notifications, edits with
history, moderation, following, all checked against who may read what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.discussions.models import Flag, Notification, Post, PostRevision, Thread, Watch
from hrnet.discussions.services import following, moderation, posting
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    public_category,
    thread_with_posts,
)
from hrnet.discussions.tokens import unsubscribe_token
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_member(make_user: Any) -> Any:
    return make_user(Role.MEMBER, full_name="Айгерим Нурланова")


def test_replies_are_numbered_and_counted(member: Any, other_member: Any) -> None:
    category = members_category()
    thread = thread_with_posts(
        author=member, category=category, replies=[(other_member, "We too."), (member, "OK")]
    )
    assert list(thread.posts.values_list("number", flat=True)) == [1, 2, 3]
    assert (thread.post_count, thread.reply_count) == (3, 2)
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (1, 3)
    assert thread.last_author == member
    assert AuditEntry.objects.filter(action="discussions.post.create").count() == 2


def test_anonymous_and_non_members_cannot_write(make_user: Any, member: Any) -> None:
    category = public_category()
    sitestaff = make_user(Role.SITESTAFF)
    with pytest.raises(PermissionDenied):
        posting.thread_create(actor=sitestaff, category=category, title="A question", body="x")
    thread = thread_with_posts(author=member, category=category)
    with pytest.raises(PermissionDenied):
        posting.post_create(actor=sitestaff, thread=thread, body="hello")


def test_a_mention_notifies_only_a_reader_of_the_thread(
    member: Any, other_member: Any, make_user: Any
) -> None:
    outsider = make_user(Role.SITESTAFF, full_name="Outside Person")
    handle = preference_for(other_member).handle
    assert handle == "aygerim.nurlanova"
    outsider_handle = preference_for(outsider).handle
    thread = thread_with_posts(author=member, category=members_category())
    post = posting.post_create(
        actor=member, thread=thread, body=f"@{handle} and @{outsider_handle}, look `@{handle}`"
    )
    assert list(post.mentioned.all()) == [other_member]
    assert list(Notification.objects.values_list("user", "reason")) == [
        (other_member.pk, "mention")
    ]


def test_followers_of_thread_and_category_are_told_once(
    member: Any, other_member: Any, secretariat: Any
) -> None:
    category = members_category()
    thread = thread_with_posts(author=member, category=category)
    following.category_watch(actor=other_member, category=category, watching=True)
    following.thread_watch(actor=other_member, thread=thread, watching=True)
    following.category_watch(actor=secretariat, category=category, watching=True)
    posting.post_create(actor=member, thread=thread, body="An update")
    reasons = dict(Notification.objects.values_list("user", "reason"))
    assert reasons == {other_member.pk: "thread", secretariat.pk: "category"}
    # The author of the thread follows it and hears of the reply.
    posting.post_create(actor=other_member, thread=thread, body="Thanks")
    assert Notification.objects.filter(user=member).count() == 1


def test_group_category_is_closed_to_members_outside_the_group(
    member: Any, other_member: Any
) -> None:
    group = WorkingGroupFactory.create()
    group.members.add(member)
    category = group_category(group)
    thread = thread_with_posts(author=member, category=category)
    with pytest.raises(PermissionDenied):
        posting.post_create(actor=other_member, thread=thread, body="Can I?")
    with pytest.raises(PermissionDenied):
        following.thread_watch(actor=other_member, thread=thread, watching=True)


def test_an_edit_keeps_the_old_text_and_closes_after_the_window(member: Any, settings: Any) -> None:
    thread = thread_with_posts(author=member, category=members_category())
    post = thread.posts.get(number=1)
    posting.post_edit(actor=member, post=post, body="Corrected text", title="A better title")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.body, thread.title) == ("Corrected text", "A better title")
    revision = PostRevision.objects.get(post=post)
    assert revision.body == "Who else is running out of naloxone?"
    assert revision.title == "Naloxone stock-outs this winter"
    settings.HRNET_DISCUSSION_EDIT_MINUTES = 0
    with pytest.raises(PermissionDenied):
        posting.post_edit(actor=member, post=post, body="Too late")


def test_bad_input_is_refused_with_reasons(member: Any) -> None:
    category = members_category()
    with pytest.raises(ValidationError) as error:
        posting.thread_create(actor=member, category=category, title="Hi", body=" ")
    assert "title" in error.value.message_dict
    script = SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>", "application/pdf")
    with pytest.raises(ValidationError) as error:
        posting.thread_create(
            actor=member, category=category, title="A real title", body="x", files=[script]
        )
    assert "files" in error.value.message_dict
    assert not Thread.objects.exists()


def test_flag_then_hide_leaves_search_and_resolves_flags(
    member: Any, other_member: Any, secretariat: Any
) -> None:
    thread = thread_with_posts(
        author=member, category=public_category(), replies=[(other_member, "Call me on +7 700")]
    )
    reply = thread.posts.get(number=2)
    assert SearchEntry.objects.filter(object_id=reply.pk, kind="discussion_reply").exists()
    moderation.post_flag(actor=member, post=reply, reason=Flag.Reason.PERSONAL_DATA)
    with pytest.raises(ValidationError):
        moderation.post_flag(actor=member, post=reply, reason=Flag.Reason.SPAM)
    with pytest.raises(PermissionDenied):
        moderation.post_hide(actor=member, post=reply, reason="no")
    moderation.post_hide(actor=secretariat, post=reply, reason="A phone number")
    assert Flag.objects.get().outcome == Flag.Outcome.HIDDEN
    assert not SearchEntry.objects.filter(object_id=reply.pk, kind="discussion_reply").exists()
    assert AuditEntry.objects.filter(action="discussions.post.hide").exists()


def test_lock_move_and_hide_a_thread(member: Any, secretariat: Any) -> None:
    public, closed = public_category(), members_category()
    thread = thread_with_posts(author=member, category=public)
    moderation.thread_lock(actor=secretariat, thread=thread, locked=True)
    with pytest.raises(PermissionDenied):
        posting.post_create(actor=member, thread=Thread.objects.get(pk=thread.pk), body="x")
    moderation.thread_move(actor=secretariat, thread=thread, category=closed)
    entry = SearchEntry.objects.get(object_id=thread.posts.get(number=1).pk, kind="discussion")
    assert entry.visibility == "members"
    public.refresh_from_db()
    closed.refresh_from_db()
    assert (public.thread_count, closed.thread_count) == (0, 1)
    moderation.thread_hide(actor=secretariat, thread=thread, hidden=True)
    assert not SearchEntry.objects.filter(kind="discussion").exists()


def test_read_marker_only_moves_forward(member: Any, other_member: Any) -> None:
    thread = thread_with_posts(
        author=member, category=members_category(), replies=[(other_member, "a"), (member, "b")]
    )
    following.thread_read_mark(actor=other_member, thread=thread, number=3)
    following.thread_read_mark(actor=other_member, thread=thread, number=1)
    assert thread.reads.get(user=other_member).last_read_number == 3


def test_unsubscribe_link_stops_emails(member: Any) -> None:
    token = unsubscribe_token(member)
    assert following.unsubscribe(token=token) == member
    assert preference_for(member).email == "never"
    assert following.unsubscribe(token=token + "x") is None


def test_watch_rows_are_unique(member: Any) -> None:
    category = members_category()
    thread = thread_with_posts(author=member, category=category)
    following.thread_watch(actor=member, thread=thread, watching=True)
    assert Watch.objects.filter(user=member, thread=thread).count() == 1
    assert Post.objects.count() == 1
