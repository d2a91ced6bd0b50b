"""Who may read and write what, for every kind of reader and every kind of category: the
one answer that pages, API, search, feeds and emails all ask."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from hrnet.accounts.roles import Role
from hrnet.discussions import selectors
from hrnet.discussions.policies import (
    category_readable,
    category_writable,
    post_policy,
    thread_policy,
    thread_readable,
)
from hrnet.discussions.services import following, moderation, posting
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    public_category,
    thread_with_posts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(make_user: Any, member: Any, secretariat: Any) -> dict[str, Any]:
    group = WorkingGroupFactory.create()
    insider = make_user(Role.MEMBER, full_name="Group Insider")
    group.members.add(insider)
    return {
        "anonymous": AnonymousUser(),
        "sitestaff": make_user(Role.SITESTAFF),
        "member": member,
        "insider": insider,
        "secretariat": secretariat,
        "group": group,
    }


# reader -> (public, members, group) readable
EXPECTED_READ = {
    "anonymous": (True, False, False),
    "sitestaff": (True, False, False),
    "member": (True, True, False),
    "insider": (True, True, True),
    "secretariat": (True, True, True),
}
EXPECTED_WRITE = {
    "anonymous": (False, False, False),
    "sitestaff": (False, False, False),
    "member": (True, True, False),
    "insider": (True, True, True),
    "secretariat": (True, True, True),
}


def test_who_reads_and_writes_each_kind_of_category(readers: dict[str, Any]) -> None:
    categories = (public_category(), members_category(), group_category(readers["group"]))
    for name, expected in EXPECTED_READ.items():
        user = readers[name]
        assert tuple(category_readable(user, c) for c in categories) == expected, name
        readable = set(selectors.category_list(user=user))
        assert tuple(c in readable for c in categories) == expected, name
        assert tuple(category_writable(user, c) for c in categories) == EXPECTED_WRITE[name], name


def test_a_hidden_thread_is_for_moderators_only(readers: dict[str, Any]) -> None:
    thread = thread_with_posts(author=readers["member"], category=public_category())
    moderation.thread_hide(actor=readers["secretariat"], thread=thread, hidden=True)
    thread.refresh_from_db()
    assert not thread_readable(readers["anonymous"], thread)
    assert not thread_readable(readers["member"], thread)  # the author too
    assert thread_readable(readers["secretariat"], thread)
    assert selectors.thread_get(user=readers["member"], thread_id=thread.pk) is None
    assert selectors.latest_threads(user=readers["anonymous"]) == []


def test_a_hidden_post_text_is_for_its_author_and_moderators(readers: dict[str, Any]) -> None:
    thread = thread_with_posts(
        author=readers["member"],
        category=public_category(),
        replies=[(readers["insider"], "my phone is ...")],
    )
    reply = thread.posts.get(number=2)
    moderation.post_hide(actor=readers["secretariat"], post=reply, reason="Personal data")
    reply.refresh_from_db()
    assert post_policy.user_has_permission_for_instance(readers["insider"], "translate", reply)
    assert not post_policy.user_has_permission_for_instance(readers["member"], "translate", reply)
    assert not post_policy.user_has_permission_for_instance(readers["insider"], "edit", reply)


def test_only_members_of_the_network_may_flag_and_never_their_own_post(
    readers: dict[str, Any],
) -> None:
    thread = thread_with_posts(author=readers["member"], category=public_category())
    post = thread.posts.get()
    assert post_policy.user_has_permission_for_instance(readers["insider"], "flag", post)
    assert not post_policy.user_has_permission_for_instance(readers["member"], "flag", post)
    assert not post_policy.user_has_permission_for_instance(readers["anonymous"], "flag", post)
    assert not post_policy.user_has_permission_for_instance(readers["sitestaff"], "flag", post)


def test_moderators_may_reply_to_a_locked_thread(readers: dict[str, Any]) -> None:
    thread = thread_with_posts(author=readers["member"], category=members_category())
    moderation.thread_lock(actor=readers["secretariat"], thread=thread, locked=True)
    assert not thread_policy.user_has_permission_for_instance(readers["member"], "reply", thread)
    assert thread_policy.user_has_permission_for_instance(readers["secretariat"], "reply", thread)


def test_unread_followed_threads(readers: dict[str, Any]) -> None:
    category = members_category()
    thread = thread_with_posts(author=readers["member"], category=category)
    other = thread_with_posts(author=readers["member"], category=category, title="Another one")
    following.category_watch(actor=readers["insider"], category=category, watching=True)
    assert set(selectors.unread_followed(user=readers["insider"])) == {thread, other}
    following.thread_read_mark(actor=readers["insider"], thread=thread, number=1)
    assert list(selectors.unread_followed(user=readers["insider"])) == [other]
    posting.post_create(actor=readers["member"], thread=thread, body="More news")
    assert set(selectors.unread_followed(user=readers["insider"])) == {thread, other}
    # The author has read what they wrote.
    assert list(selectors.unread_followed(user=readers["member"])) == []
