"""The demo discussions: public, members-only and group categories with threads in both
languages; the member login has unread posts it follows and the secretariat a flag to
look at; running it again adds nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.core.reference import issue_areas_load
from hrnet.discussions import selectors
from hrnet.discussions.demo import THREADS, discussions_demo_create
from hrnet.discussions.models import Category, Flag, Notification, Post, PostRevision, Thread
from hrnet.discussions.policies import readable_threads
from hrnet.search.models import SearchEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography")]


@pytest.fixture
def logins(make_user: Any) -> dict[str, Any]:
    issue_areas_load()
    return {
        role: make_user(role, email=demo_email(role), full_name=name)
        for role, name in (
            (Role.SECRETARIAT, "Aida Secretariat"),
            (Role.ORGADMIN, "Oleksandr Orgadmin"),
            (Role.MEMBER, "Mariam Member"),
            (Role.EXPERT, "Erlan Expert"),
            (Role.SITESTAFF, "Sabina Sitestaff"),
        )
    }


def test_the_demo_writes_the_discussions_once(logins: dict[str, Any]) -> None:
    # when
    created = discussions_demo_create()
    counts = (Category.objects.count(), Thread.objects.count(), Post.objects.count())
    again = discussions_demo_create()
    # then
    assert created == len(THREADS) >= 6
    assert again == 0
    assert (Category.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    visibilities = set(Category.objects.values_list("visibility", flat=True))
    assert visibilities == {"public", "members", "group"}
    assert Category.objects.get(slug="members-lounge").names["ru"] == "Для членов сети"
    assert set(Post.objects.values_list("language", flat=True)) == {"en", "ru"}
    assert Thread.objects.filter(pinned=True).count() == 1
    assert Thread.objects.filter(locked=True).count() == 1
    assert Post.objects.filter(mentioned=logins[Role.MEMBER]).exists()
    assert PostRevision.objects.exists()  # an edited post has its history
    # Written by several people over the past weeks.
    assert Post.objects.values("author").distinct().count() == 4
    oldest = Post.objects.order_by("created_at").first()
    assert oldest is not None
    assert oldest.created_at < timezone.now() - timedelta(days=30)
    assert SearchEntry.objects.filter(url_name="discussions:post").count() == Post.objects.count()


def test_the_member_has_unread_posts_and_the_secretariat_a_flag(logins: dict[str, Any]) -> None:
    discussions_demo_create()
    member, secretariat = logins[Role.MEMBER], logins[Role.SECRETARIAT]
    unread = selectors.unread_followed(user=member)
    assert unread.count() >= 2
    assert Notification.objects.filter(user=member, reason="mention").exists()
    [flagged] = selectors.flag_queue(user=secretariat)
    assert flagged.flags.get().outcome == Flag.Outcome.OPEN
    assert not selectors.flag_queue(user=member).exists()


def test_the_demo_categories_keep_their_readers(logins: dict[str, Any]) -> None:
    discussions_demo_create()
    committee = Thread.objects.get(category__slug="steering-committee")
    lounge = Thread.objects.filter(category__slug="members-lounge")
    # The steering committee's thread: its members (and the secretariat) only.
    assert committee in readable_threads(logins[Role.EXPERT])
    assert committee in readable_threads(logins[Role.SECRETARIAT])
    assert committee not in readable_threads(logins[Role.MEMBER])
    # Site staff are not network members: public categories only.
    staff_threads = set(readable_threads(logins[Role.SITESTAFF]))
    assert staff_threads
    assert not staff_threads & set(lounge)
    assert {t.category.visibility for t in staff_threads} == {"public"}


def test_without_the_demo_logins_nothing_is_written() -> None:
    assert discussions_demo_create() == 0
    assert not Thread.objects.exists()
