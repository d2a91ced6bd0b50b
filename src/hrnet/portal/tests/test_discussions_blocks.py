"""The discussions on the composed pages: the start page's queues (flagged posts for the
secretariat, unread posts in what a member follows) count what their pages list, and the
home page's "From the discussions" shows only threads the visitor may read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrnet.accounts.roles import Role
from hrnet.discussions import selectors
from hrnet.discussions.models import Flag
from hrnet.discussions.services import following, moderation
from hrnet.discussions.services.posting import post_create
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    public_category,
    thread_with_posts,
)

pytestmark = pytest.mark.usefixtures("geography")

ME = "/en/me/"
API = "/api/v1/me/work"
HOME = "/en/"


def _queues(client: Any) -> dict[str, dict[str, Any]]:
    return {item["queue"]: item for item in client.get(API).json()}


def _flag(author: Any, flagger: Any) -> None:
    thread = thread_with_posts(author=author, category=members_category())
    moderation.post_flag(
        actor=flagger, post=thread.posts.get(number=1), reason=Flag.Reason.OFF_TOPIC
    )


# --- the start page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_secretariat_counts_the_flagged_posts_of_its_queue(
    client: Any, secretariat: Any, member: Any, make_user: Any
) -> None:
    other = make_user(Role.MEMBER)
    _flag(member, other)
    _flag(other, member)
    client.force_login(secretariat)

    queue = _queues(client)["discussion_flags"]
    page = client.get(queue["url"])

    assert queue["count"] == 2
    assert queue["url"] == "/en/discussions/flags/"
    assert queue["label"] == "Flagged posts in the discussions"
    assert page.context["page"].paginator.count == queue["count"]


@pytest.mark.django_db
def test_a_member_counts_the_threads_they_follow_with_unread_posts(
    client: Any, member: Any, make_user: Any
) -> None:
    # given: a thread they started (followed) with a new reply, one they read, one not followed
    other = make_user(Role.MEMBER)
    mine = thread_with_posts(author=member, category=members_category(), title="Mine to read")
    post_create(actor=other, thread=mine, body="A reply", language="en")
    read = thread_with_posts(author=member, category=members_category(), title="Read already")
    thread_with_posts(author=other, category=members_category(), title="Not followed")
    client.force_login(member)

    # when
    queue = _queues(client)["discussions_unread"]
    page = client.get(queue["url"])

    # then
    assert queue["count"] == 1
    assert queue["label"] == "Unread in discussions you follow"
    assert list(page.context["unread"]) == list(selectors.unread_followed(user=member))
    assert [thread.title for thread in page.context["unread"]] == ["Mine to read"]
    assert read.pk


@pytest.mark.django_db
def test_following_a_category_counts_its_unread_threads(
    client: Any, member: Any, make_user: Any
) -> None:
    category = members_category()
    following.category_watch(actor=member, category=category, watching=True)
    thread_with_posts(author=make_user(Role.MEMBER), category=category)
    client.force_login(member)

    assert _queues(client)["discussions_unread"]["count"] == 1


@pytest.mark.django_db
def test_the_unread_queue_appears_once_for_people_who_follow_something(
    client: Any, make_user: Any
) -> None:
    person = make_user(Role.MEMBER, Role.EXPERT, Role.ORGADMIN)
    client.force_login(person)
    assert "discussions_unread" not in _queues(client)  # follows nothing yet

    thread_with_posts(author=person, category=members_category())
    items = client.get(API).json()

    assert [item["queue"] for item in items].count("discussions_unread") == 1


@pytest.mark.django_db
def test_the_start_page_shows_the_discussion_queues_as_links(
    client: Any, secretariat: Any, member: Any
) -> None:
    _flag(member, secretariat)
    thread_with_posts(author=secretariat, category=members_category())
    client.force_login(secretariat)

    content = client.get(ME).content.decode()

    assert 'data-queue="discussion_flags"' in content
    assert 'href="/en/discussions/flags/"' in content
    assert 'href="/en/discussions/settings/#unread"' in content


@pytest.mark.django_db
def test_the_start_page_does_not_grow_in_queries_with_flags_and_follows(
    client: Any, secretariat: Any, make_user: Any
) -> None:
    client.force_login(secretariat)
    _flag(make_user(Role.MEMBER), make_user(Role.MEMBER))
    thread_with_posts(author=secretariat, category=members_category())
    client.get(ME)
    with CaptureQueriesContext(connection) as small:
        assert client.get(ME).status_code == 200

    for _ in range(5):
        _flag(make_user(Role.MEMBER), make_user(Role.MEMBER))
        thread_with_posts(author=secretariat, category=members_category())
    with CaptureQueriesContext(connection) as large:
        assert client.get(ME).status_code == 200

    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_the_start_page_speaks_russian(client: Any, make_user: Any) -> None:
    officer = make_user(Role.SECRETARIAT, preferred_language="ru")
    client.force_login(officer)

    content = client.get("/ru/me/").content.decode()

    assert "Жалобы на сообщения в обсуждениях" in content


# --- the home page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_see_only_public_threads_on_the_home_page(
    client: Any, member: Any, secretariat: Any
) -> None:
    thread_with_posts(author=member, category=public_category(), title="Open to everyone")
    thread_with_posts(author=member, category=members_category(), title="Members talk here")
    thread_with_posts(
        author=secretariat,
        category=group_category(WorkingGroupFactory.create()),
        title="Steering only",
    )

    content = client.get(HOME).content.decode()

    assert "From the discussions" in content
    assert "Open to everyone" in content
    assert "Members talk here" not in content
    assert "Steering only" not in content


@pytest.mark.django_db
def test_members_see_the_four_latest_threads_they_may_read(
    client: Any, member: Any, secretariat: Any
) -> None:
    for number in range(5):
        thread_with_posts(author=member, category=members_category(), title=f"Thread {number}")
    hidden = thread_with_posts(author=member, category=public_category(), title="Hidden one")
    moderation.thread_hide(actor=secretariat, thread=hidden, hidden=True)
    client.force_login(member)

    content = client.get(HOME).content.decode()

    shown = [f"Thread {n}" for n in range(5) if f"Thread {n}<" in content]
    assert shown == ["Thread 1", "Thread 2", "Thread 3", "Thread 4"]
    assert "Hidden one" not in content


@pytest.mark.django_db
def test_no_empty_discussion_box_when_nothing_can_be_read(client: Any, member: Any) -> None:
    thread_with_posts(author=member, category=members_category(), title="Members talk here")

    content = client.get(HOME).content.decode()

    assert "From the discussions" not in content


@pytest.mark.django_db
def test_the_home_block_speaks_russian(client: Any, member: Any) -> None:
    thread_with_posts(author=member, category=public_category(), title="Налоксон", language="ru")

    content = client.get("/ru/").content.decode()

    assert "Из обсуждений" in content
    assert "Налоксон" in content


# --- the main menu --------------------------------------------------------------------------


@pytest.mark.django_db
def test_everyone_finds_the_discussions_in_the_menu_and_the_secretariat_its_queue(
    client: Any, member: Any, secretariat: Any
) -> None:
    anonymous = client.get("/ru/").content.decode()
    assert 'class="site-nav__link" href="/ru/discussions/">Обсуждения</a>' in anonymous
    assert "/discussions/flags/" not in anonymous

    client.force_login(member)
    as_member = client.get(HOME).content.decode()
    assert 'href="/en/discussions/">Discussions</a>' in as_member
    assert "/discussions/flags/" not in as_member

    client.force_login(secretariat)
    as_secretariat = client.get(HOME).content.decode()
    secretariat_group = as_secretariat[as_secretariat.index(">Secretariat</summary>") :]
    assert 'href="/en/discussions/flags/">Flagged posts</a>' in secretariat_group
    assert 'href="/en/discussions/groups/">Working groups</a>' in secretariat_group
