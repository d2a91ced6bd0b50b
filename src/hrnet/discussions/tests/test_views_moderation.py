"""The moderators' pages: the flag queue (hide or keep), moderating a post or a thread,
and the working groups. Only the secretariat moderates; what someone may not read is 404,
what they may read but not moderate is 403; every change is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.discussions import selectors
from hrnet.discussions.models import Flag, Post, Thread, WorkingGroup
from hrnet.discussions.services import moderation
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    opening_post,
    public_category,
    thread_with_posts,
)
from hrnet.search.models import SearchEntry
from hrnet.search.selectors import visible_entries

pytestmark = pytest.mark.django_db

QUEUE = "/en/discussions/flags/"


@pytest.fixture
def other_member(make_user: Any) -> Any:
    return make_user(Role.MEMBER, full_name="Айгерим Нурланова")


def _flagged(author: Any, flagger: Any, *, body: str = "Buy cheap pills at example.com") -> Post:
    thread = thread_with_posts(author=author, category=members_category(), replies=[(author, body)])
    post = thread.posts.get(number=2)
    moderation.post_flag(actor=flagger, post=post, reason=Flag.Reason.SPAM, note="An advert")
    return post


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the flag queue -----------------------------------------------------------------------


def test_only_the_secretariat_opens_the_flag_queue(
    client: Any, member: Any, secretariat: Any
) -> None:
    assert client.get(QUEUE).status_code == 302  # anonymous: to the sign-in page
    assert "/accounts/login/" in client.get(QUEUE)["Location"]
    client.force_login(member)
    assert client.get(QUEUE).status_code == 403
    client.force_login(secretariat)
    assert client.get(QUEUE).status_code == 200


def test_the_queue_shows_each_flagged_post_with_its_flags_oldest_first(
    client: Any, member: Any, other_member: Any, secretariat: Any
) -> None:
    # given
    first = _flagged(member, other_member, body="The first flagged <script>alert(1)</script>")
    second = _flagged(other_member, member, body="The second flagged post")
    thread_with_posts(author=member, category=public_category(), title="Nobody flagged this")
    client.force_login(secretariat)

    # when
    content = client.get(QUEUE).content.decode()

    # then
    assert "2 posts flagged by members wait for a decision." in content
    assert content.index("The first flagged") < content.index("The second flagged post")
    assert "<script>alert(1)" not in content
    assert "It is spam or advertising" in content
    assert "An advert" in content
    assert "Айгерим Нурланова" in content  # who flagged, for the secretariat
    assert f'href="{reverse("discussions:post", args=[first.pk])}"' in content
    assert first.thread.category.name in content
    assert "Nobody flagged this" not in content
    assert second.pk


def test_hiding_a_post_from_the_queue_needs_a_reason_and_is_audited(
    client: Any, member: Any, other_member: Any, secretariat: Any
) -> None:
    post = _flagged(member, other_member)
    assert SearchEntry.objects.filter(object_id=post.pk, kind="discussion_reply").exists()
    client.force_login(secretariat)
    url = reverse("discussions:post_moderate", args=[post.pk])

    refused = client.post(url, {"action": "hide", "reason": "  ", "next": QUEUE})
    post.refresh_from_db()
    assert refused["Location"] == QUEUE
    assert post.hidden_at is None
    assert "Say why the post is hidden; its author will see it." in _messages(refused)

    response = client.post(url, {"action": "hide", "reason": "Advertising", "next": QUEUE})

    post.refresh_from_db()
    assert response["Location"] == QUEUE
    assert post.hidden_at is not None
    assert post.hidden_reason == "Advertising"
    assert list(post.flags.values_list("outcome", flat=True)) == [Flag.Outcome.HIDDEN]
    assert AuditEntry.objects.filter(
        action="discussions.post.hide", actor=secretariat, object_id=str(post.pk)
    ).exists()
    assert not SearchEntry.objects.filter(object_id=post.pk, kind="discussion_reply").exists()
    assert "No flagged post waits for a decision." in client.get(QUEUE).content.decode()


def test_keeping_posts_closes_their_flags_one_or_many(
    client: Any, member: Any, other_member: Any, secretariat: Any
) -> None:
    posts = [_flagged(member, other_member), _flagged(member, other_member)]
    client.force_login(secretariat)

    response = client.post(
        QUEUE, {"action": "keep", "selected": [str(p.pk) for p in posts], "next": QUEUE}
    )

    assert response.status_code == 302
    assert "2 posts stay as they are; their flags are closed." in _messages(response)
    assert set(Flag.objects.values_list("outcome", flat=True)) == {Flag.Outcome.DISMISSED}
    assert Post.objects.filter(hidden_at__isnull=False).count() == 0
    assert AuditEntry.objects.filter(action="discussions.flag.dismiss").count() == 2
    assert selectors.flag_queue(user=secretariat).count() == 0


def test_a_member_cannot_keep_flagged_posts(client: Any, member: Any, other_member: Any) -> None:
    post = _flagged(member, other_member)
    client.force_login(other_member)

    response = client.post(QUEUE, {"action": "keep", "selected": [str(post.pk)]})

    assert response.status_code == 403
    assert Flag.objects.get().outcome == Flag.Outcome.OPEN


# --- a post -------------------------------------------------------------------------------


def test_only_moderators_hide_a_post_and_others_learn_nothing_of_what_they_cannot_read(
    client: Any, member: Any, other_member: Any, make_user: Any
) -> None:
    post = _flagged(member, other_member)  # in a members-only category
    url = reverse("discussions:post_moderate", args=[post.pk])
    data = {"action": "hide", "reason": "No"}

    assert client.post(url, data).status_code == 404  # anonymous: cannot read it
    client.force_login(make_user(Role.SITESTAFF))
    assert client.post(url, data).status_code == 404
    client.force_login(other_member)
    assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 405
    post.refresh_from_db()
    assert post.hidden_at is None


def test_anonymous_visitors_are_asked_to_sign_in_to_moderate_a_public_post(
    client: Any, member: Any
) -> None:
    thread = thread_with_posts(author=member, category=public_category())
    url = reverse("discussions:post_moderate", args=[opening_post(thread).pk])

    response = client.post(url, {"action": "hide", "reason": "No"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_hidden_post_is_shown_again_and_goes_back_to_the_post(
    client: Any, member: Any, secretariat: Any
) -> None:
    thread = thread_with_posts(author=member, category=public_category())
    post = opening_post(thread)
    moderation.post_hide(actor=secretariat, post=post, reason="Checking")
    client.force_login(secretariat)

    response = client.post(
        reverse("discussions:post_moderate", args=[post.pk]),
        {"action": "unhide", "next": "https://evil.example/"},
    )

    post.refresh_from_db()
    assert post.hidden_at is None
    assert response["Location"] == reverse("discussions:post", args=[post.pk])  # never away
    assert AuditEntry.objects.filter(action="discussions.post.unhide").exists()


# --- a thread -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field", "value", "audited"),
    [
        ("lock", "locked", True, "discussions.thread.lock"),
        ("pin", "pinned", True, "discussions.thread.pin"),
        ("hide", "hidden_at", "set", "discussions.thread.hide"),
    ],
)
def test_the_secretariat_locks_pins_and_hides_a_thread(
    client: Any, member: Any, secretariat: Any, action: str, field: str, value: Any, audited: str
) -> None:
    thread = thread_with_posts(author=member, category=members_category())
    client.force_login(secretariat)

    response = client.post(
        reverse("discussions:thread_moderate", args=[thread.pk]), {"action": action}
    )

    thread.refresh_from_db()
    assert response["Location"] == reverse("discussions:thread", args=[thread.pk])
    assert (
        (getattr(thread, field) is not None) if value == "set" else getattr(thread, field) == value
    )
    assert AuditEntry.objects.filter(action=audited, object_id=str(thread.pk)).exists()


def test_undoing_lock_pin_and_hide(client: Any, member: Any, secretariat: Any) -> None:
    thread = thread_with_posts(author=member, category=members_category())
    moderation.thread_lock(actor=secretariat, thread=thread, locked=True)
    moderation.thread_pin(actor=secretariat, thread=thread, pinned=True)
    moderation.thread_hide(actor=secretariat, thread=thread, hidden=True)
    client.force_login(secretariat)
    url = reverse("discussions:thread_moderate", args=[thread.pk])

    for action in ("unlock", "unpin", "unhide"):
        client.post(url, {"action": action})

    thread.refresh_from_db()
    assert (thread.locked, thread.pinned, thread.hidden_at) == (False, False, None)
    assert selectors.thread_get(user=member, thread_id=thread.pk) is not None


def test_non_moderators_get_403_for_a_thread_they_read_and_404_for_one_they_cannot(
    client: Any, member: Any, make_user: Any
) -> None:
    group = WorkingGroupFactory.create()
    readable = thread_with_posts(author=member, category=members_category())
    secret = thread_with_posts(
        author=make_user(Role.SECRETARIAT), category=group_category(group), title="Steering"
    )
    client.force_login(member)

    readable_response = client.post(
        reverse("discussions:thread_moderate", args=[readable.pk]), {"action": "lock"}
    )
    secret_response = client.post(
        reverse("discussions:thread_moderate", args=[secret.pk]), {"action": "lock"}
    )

    assert readable_response.status_code == 403
    assert secret_response.status_code == 404
    assert Thread.objects.filter(locked=True).count() == 0


@pytest.mark.parametrize("key", ["slug", "pk"])  # the thread page's form sends the id
def test_moving_a_thread_changes_who_can_read_and_find_it(
    client: Any, member: Any, secretariat: Any, key: str
) -> None:
    # given: a public thread, read by anonymous visitors and found in search
    thread = thread_with_posts(
        author=member, category=public_category(), title="Opioid substitution in prisons"
    )
    target = members_category()
    assert selectors.thread_get(user=None, thread_id=thread.pk) is not None
    assert visible_entries(user=None).filter(title="Opioid substitution in prisons").exists()
    client.force_login(secretariat)

    # when
    response = client.post(
        reverse("discussions:thread_moderate", args=[thread.pk]),
        {"action": "move", "category": str(getattr(target, key))},
    )

    # then
    thread.refresh_from_db()
    assert response.status_code == 302
    assert thread.category == target
    assert selectors.thread_get(user=None, thread_id=thread.pk) is None
    assert selectors.thread_get(user=member, thread_id=thread.pk) is not None
    assert not visible_entries(user=None).filter(title="Opioid substitution in prisons").exists()
    assert visible_entries(user=member).filter(title="Opioid substitution in prisons").exists()
    assert AuditEntry.objects.filter(action="discussions.thread.move").exists()
    assert f"The thread is moved to “{target.name}”" in _messages(response)[0]


def test_moving_to_a_category_that_does_not_exist_says_so(
    client: Any, member: Any, secretariat: Any
) -> None:
    category = public_category()
    thread = thread_with_posts(author=member, category=category)
    client.force_login(secretariat)

    response = client.post(
        reverse("discussions:thread_moderate", args=[thread.pk]),
        {"action": "move", "category": "nowhere"},
    )

    thread.refresh_from_db()
    assert thread.category == category
    assert _messages(response) == ["Choose the category to move the thread to."]


# --- working groups -------------------------------------------------------------------------

GROUPS = "/en/discussions/groups/"


def test_only_the_secretariat_keeps_the_working_groups(
    client: Any, member: Any, secretariat: Any
) -> None:
    group = WorkingGroupFactory.create()
    edit = reverse("discussions:group_edit", args=[group.slug])
    assert client.get(GROUPS).status_code == 302
    client.force_login(member)
    for url in (GROUPS, edit, reverse("discussions:group_edit", args=["new"])):
        assert client.get(url).status_code == 403, url
    assert client.post(edit, {"action": "add", "email": member.email}).status_code == 403
    assert not group.members.exists()


def test_the_list_shows_member_counts_and_the_groups_categories(
    client: Any, secretariat: Any, member: Any, make_user: Any
) -> None:
    group = WorkingGroupFactory.create(
        names={"en": "Steering committee", "ru": "Руководящий комитет"}
    )
    group.members.add(member, make_user(Role.MEMBER))
    group_category(group, names={"en": "Steering business"})
    client.force_login(secretariat)

    content = client.get(GROUPS).content.decode()

    assert "Steering committee" in content
    assert "<td>2</td>" in content
    assert "Steering business" in content


def test_creating_a_group_with_names_in_both_languages(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    url = reverse("discussions:group_edit", args=["new"])

    empty = client.post(url, {"names_en": "", "names_ru": ""})
    response = client.post(url, {"names_en": "New", "names_ru": "Новая группа"})

    assert empty.status_code == 400
    assert "Give the group a name in at least one language." in empty.content.decode()
    group = WorkingGroup.objects.get()
    assert group.names == {"en": "New", "ru": "Новая группа"}
    assert group.slug != "new"  # /groups/new/ stays the page that creates groups
    assert response["Location"] == reverse("discussions:group_edit", args=[group.slug])
    assert AuditEntry.objects.filter(action="discussions.group.change").count() == 1


def test_a_group_named_only_in_russian_gets_a_latin_address(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)

    client.post(reverse("discussions:group_edit", args=["new"]), {"names_ru": "Рабочая группа"})

    assert WorkingGroup.objects.get().slug == "rabochaya-gruppa"


def test_renaming_a_group(client: Any, secretariat: Any) -> None:
    group = WorkingGroupFactory.create()
    client.force_login(secretariat)

    client.post(
        reverse("discussions:group_edit", args=[group.slug]),
        {
            "action": "rename",
            "names_en": "Women who use drugs",
            "names_ru": "Женщины, употребляющие наркотики",
        },
    )

    group.refresh_from_db()
    assert group.names["ru"] == "Женщины, употребляющие наркотики"
    assert AuditEntry.objects.filter(action="discussions.group.change").exists()


def test_members_join_and_leave_and_search_follows_without_reindexing(
    client: Any, secretariat: Any, member: Any, make_user: Any
) -> None:
    # given: a thread in a category of the group, found only by its members
    group = WorkingGroupFactory.create()
    thread_with_posts(
        author=secretariat, category=group_category(group), title="Budget of the steering committee"
    )

    def found() -> Any:
        return visible_entries(user=member).filter(title="Budget of the steering committee")

    assert not found().exists()
    client.force_login(secretariat)
    url = reverse("discussions:group_edit", args=[group.slug])

    # when: added by their email address, in any case
    added = client.post(url, {"action": "add", "email": member.email.upper()})

    # then
    assert added.status_code == 302
    assert list(group.members.all()) == [member]
    assert found().exists()

    # when: removed
    client.post(url, {"action": "remove", "user": str(member.pk)})

    # then
    assert not group.members.exists()
    assert not found().exists()
    audit = AuditEntry.objects.filter(action="discussions.group.change").order_by("pk")
    changes = list(audit.values_list("changes", flat=True))
    assert changes == [{"member_added": member.pk}, {"member_removed": member.pk}]


def test_adding_an_unknown_or_closed_account_says_so(
    client: Any, secretariat: Any, make_user: Any
) -> None:
    group = WorkingGroupFactory.create()
    closed = make_user(Role.MEMBER, is_active=False)
    client.force_login(secretariat)
    url = reverse("discussions:group_edit", args=[group.slug])

    unknown = client.post(url, {"action": "add", "email": "nobody@example.org"})
    inactive = client.post(url, {"action": "add", "email": closed.email})

    assert unknown.status_code == 400
    assert "No active account has the address nobody@example.org." in unknown.content.decode()
    assert inactive.status_code == 400
    assert not group.members.exists()


def test_an_unknown_group_is_404(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)
    assert client.get(reverse("discussions:group_edit", args=["nowhere"])).status_code == 404


def test_the_moderation_pages_speak_russian(
    client: Any, member: Any, other_member: Any, make_user: Any
) -> None:
    _flagged(member, other_member)
    WorkingGroupFactory.create(names={"en": "Steering committee", "ru": "Координационный комитет"})
    client.force_login(make_user(Role.SECRETARIAT, preferred_language="ru"))

    queue = client.get("/ru/discussions/flags/").content.decode()
    groups = client.get("/ru/discussions/groups/").content.decode()

    assert "<h1>Жалобы на сообщения</h1>" in queue
    assert "Оставить сообщение" in queue
    assert "Спам или реклама" in queue
    assert "Координационный комитет" in groups
    assert "Участники" in groups
