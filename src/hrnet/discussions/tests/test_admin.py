"""The discussions in the admin: the moderators' only; categories and working groups are
named in each language, changes are audited, and changing who may read a category moves
its posts in the search."""

from __future__ import annotations

from typing import Any

import pytest

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.discussions.models import Category, Flag, Thread, WorkingGroup
from hrnet.discussions.services import moderation
from hrnet.discussions.services.groups import category_reindex
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    opening_post,
    public_category,
    thread_with_posts,
)
from hrnet.search.models import SearchEntry
from hrnet.search.selectors import visible_entries

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/discussions/"


def _form_data(page: Any, **changes: Any) -> dict[str, Any]:
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(changes)
    return data


def test_the_secretariat_opens_every_discussions_admin_page(
    client: Any, secretariat: Any, member: Any
) -> None:
    thread = thread_with_posts(author=member, category=public_category())
    post = opening_post(thread)
    moderation.post_flag(actor=secretariat, post=post, reason=Flag.Reason.OFF_TOPIC)
    group = WorkingGroupFactory.create()
    client.force_login(secretariat)

    for url in [
        ADMIN,
        f"{ADMIN}category/",
        f"{ADMIN}category/add/",
        f"{ADMIN}category/{thread.category_id}/change/",
        f"{ADMIN}workinggroup/",
        f"{ADMIN}workinggroup/{group.pk}/change/",
        f"{ADMIN}thread/",
        f"{ADMIN}thread/{thread.pk}/change/",
        f"{ADMIN}post/",
        f"{ADMIN}post/{post.pk}/change/",
        f"{ADMIN}flag/",
        f"{ADMIN}flag/{Flag.objects.get().pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url


def test_others_with_admin_access_do_not_see_the_discussions(
    client: Any, make_user: Any, member: Any
) -> None:
    thread = thread_with_posts(author=member, category=public_category())
    client.force_login(make_user(Role.MEMBER, is_staff=True))

    for url in [
        f"{ADMIN}thread/",
        f"{ADMIN}thread/{thread.pk}/change/",
        f"{ADMIN}post/",
        f"{ADMIN}category/",
        f"{ADMIN}workinggroup/",
        f"{ADMIN}flag/",
    ]:
        assert client.get(url).status_code in (403, 302), url
    assert "discussions" not in client.get("/en/admin/").content.decode().lower()


def test_a_category_is_named_and_described_in_each_language(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)

    response = client.post(
        f"{ADMIN}category/add/",
        {
            "slug": "prisons",
            "names_en": "Prisons",
            "names_ru": "Тюрьмы",
            "descriptions_en": "Harm reduction behind bars.",
            "descriptions_ru": "Снижение вреда в местах лишения свободы.",
            "kind": Category.Kind.GENERAL,
            "visibility": Category.Visibility.MEMBERS,
            "position": "3",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    category = Category.objects.get(slug="prisons")
    assert category.names == {"en": "Prisons", "ru": "Тюрьмы"}
    assert category.descriptions["ru"] == "Снижение вреда в местах лишения свободы."
    assert AuditEntry.objects.filter(
        action="discussions.category.create", object_id=str(category.pk)
    ).exists()


def test_a_group_category_needs_its_groups(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)

    response = client.post(
        f"{ADMIN}category/add/",
        {
            "slug": "closed",
            "names_en": "Closed",
            "kind": Category.Kind.WORKING_GROUP,
            "visibility": Category.Visibility.GROUP,
            "position": "0",
        },
    )

    assert response.status_code == 200
    assert "Choose the working groups who may read it" in response.content.decode()
    assert not Category.objects.exists()


def test_making_a_public_category_members_only_takes_its_posts_out_of_public_search(
    client: Any, secretariat: Any, member: Any
) -> None:
    # given
    category = public_category()
    thread_with_posts(author=member, category=category, title="Naloxone on the street")
    assert visible_entries(user=None).filter(title="Naloxone on the street").exists()
    client.force_login(secretariat)
    url = f"{ADMIN}category/{category.pk}/change/"

    # when
    response = client.post(
        url,
        _form_data(client.get(url), visibility=Category.Visibility.MEMBERS, groups=[]),
    )

    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not visible_entries(user=None).filter(title="Naloxone on the street").exists()
    assert visible_entries(user=member).filter(title="Naloxone on the street").exists()
    entry = AuditEntry.objects.get(action="discussions.category.change")
    assert entry.changes["visibility"] == "members"


def test_restricting_a_category_to_a_group_restricts_its_search_entries(
    client: Any, secretariat: Any, member: Any, make_user: Any
) -> None:
    group = WorkingGroupFactory.create()
    insider = make_user(Role.MEMBER)
    group.members.add(insider)
    category = public_category()
    thread_with_posts(author=member, category=category, title="Steering the network")
    client.force_login(secretariat)
    url = f"{ADMIN}category/{category.pk}/change/"

    client.post(
        url,
        _form_data(client.get(url), visibility=Category.Visibility.GROUP, groups=[str(group.pk)]),
    )

    assert not visible_entries(user=member).filter(title="Steering the network").exists()
    assert visible_entries(user=insider).filter(title="Steering the network").exists()


def test_a_working_group_in_the_admin_is_named_in_each_language_and_audited(
    client: Any, secretariat: Any, member: Any
) -> None:
    client.force_login(secretariat)

    response = client.post(
        f"{ADMIN}workinggroup/add/",
        {"slug": "wg-women", "names_en": "Women", "names_ru": "Женщины", "members": [member.pk]},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    group = WorkingGroup.objects.get()
    assert group.names == {"en": "Women", "ru": "Женщины"}
    assert list(group.members.all()) == [member]
    entry = AuditEntry.objects.get(action="discussions.group.change")
    assert entry.changes["members_added"] == [member.pk]


def test_removing_a_group_takes_its_readers_out_of_the_search(
    client: Any, secretariat: Any, member: Any
) -> None:
    group = WorkingGroupFactory.create()
    group.members.add(member)
    category = public_category()
    thread_with_posts(author=secretariat, category=category, title="Group only")
    category.visibility = Category.Visibility.GROUP
    category.save()
    category.groups.add(group)
    category_reindex(category)
    assert visible_entries(user=member).filter(title="Group only").exists()
    client.force_login(secretariat)

    client.post(f"{ADMIN}workinggroup/{group.pk}/delete/", {"post": "yes"})

    assert not WorkingGroup.objects.exists()
    assert not visible_entries(user=member).filter(title="Group only").exists()
    assert SearchEntry.objects.filter(title="Group only").exists()  # still for moderators


def test_threads_are_locked_from_the_admin_through_the_audited_service(
    client: Any, secretariat: Any, member: Any
) -> None:
    thread = thread_with_posts(author=member, category=public_category())
    client.force_login(secretariat)

    client.post(
        f"{ADMIN}thread/",
        {"action": "lock", "_selected_action": [str(thread.pk)]},
    )

    thread.refresh_from_db()
    assert thread.locked
    assert AuditEntry.objects.filter(action="discussions.thread.lock").exists()


def test_posts_and_counters_are_read_only_in_the_admin(
    client: Any, secretariat: Any, member: Any
) -> None:
    thread = thread_with_posts(author=member, category=public_category(), body="Original text")
    post = opening_post(thread)
    client.force_login(secretariat)

    client.post(f"{ADMIN}post/{post.pk}/change/", {"body": "Changed"})
    client.post(f"{ADMIN}thread/{thread.pk}/change/", {"reply_count": "99"})

    post.refresh_from_db()
    assert post.body == "Original text"
    assert Thread.objects.get().reply_count == 0
