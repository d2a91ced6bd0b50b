"""/api/v1/discussions: the contract of every endpoint (statuses, shapes, language of the
names) and that the API shows no more than the pages: 404 for what the caller may not
read, signed in or not; 401 for anonymous writes; 403 for a reader who may not write."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.discussions.models import Post, Thread
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
from hrnet.library.tests.factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db

API = "/api/v1/discussions"


@pytest.fixture
def outsider(make_user: Any) -> Any:
    """Signed in, but not a network member (site staff)."""
    return make_user(Role.SITESTAFF, full_name="Site Staffer")


@pytest.fixture
def colleague(make_user: Any) -> Any:
    return make_user(Role.MEMBER, full_name="Айгерим Нурланова")


@pytest.fixture
def world(member: Any) -> dict[str, Any]:
    """A public, a members-only and a group category (the member is in the group), each
    with a thread by the member."""
    group = WorkingGroupFactory.create()
    group.members.add(member)
    public = public_category(slug="general", names={"en": "General", "ru": "Общее"}, position=1)
    closed = members_category(
        slug="members-room", names={"en": "Members room", "ru": "Для членов"}, position=2
    )
    grouped = group_category(
        group, slug="steering", names={"en": "Steering", "ru": "Руководство"}, position=3
    )
    return {
        "group": group,
        "public": public,
        "members": closed,
        "groupcat": grouped,
        "public_thread": thread_with_posts(
            author=member, category=public, title="Open question about outreach"
        ),
        "members_thread": thread_with_posts(
            author=member, category=closed, title="Members question about funding"
        ),
        "group_thread": thread_with_posts(
            author=member, category=grouped, title="Steering question about budget"
        ),
    }


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any) -> Client:
    _record, key = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


# --- categories --------------------------------------------------------------------------


def test_categories_list_only_what_the_caller_may_read(
    world: dict[str, Any], member: Any, colleague: Any, outsider: Any, secretariat: Any
) -> None:
    def slugs(client: Client) -> list[str]:
        response = client.get(f"{API}/categories")
        assert response.status_code == 200
        return [c["slug"] for c in response.json()]

    assert slugs(Client()) == ["general"]
    assert slugs(signed_in(outsider)) == ["general"]
    assert slugs(signed_in(colleague)) == ["general", "members-room"]
    assert slugs(signed_in(member)) == ["general", "members-room", "steering"]
    assert slugs(bearer(member)) == ["general", "members-room", "steering"]
    assert slugs(signed_in(secretariat)) == ["general", "members-room", "steering"]


def test_categories_shape_and_names_in_the_request_language(
    world: dict[str, Any], member: Any
) -> None:
    client = signed_in(member)

    english = client.get(f"{API}/categories").json()
    russian = client.get(f"{API}/categories", HTTP_ACCEPT_LANGUAGE="ru").json()

    assert english[0] == {
        "id": world["public"].pk,
        "slug": "general",
        "name": "General",
        "visibility": "public",
    }
    assert [c["visibility"] for c in english] == ["public", "members", "group"]
    assert [c["name"] for c in russian] == ["Общее", "Для членов", "Руководство"]


def test_a_wrong_token_is_401_not_anonymous(world: dict[str, Any]) -> None:
    client = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get(f"{API}/categories").status_code == 401
    assert client.get(f"{API}/threads").status_code == 401
    assert client.get(f"{API}/threads/{world['public_thread'].pk}").status_code == 401


# --- thread list -------------------------------------------------------------------------


def test_thread_list_is_paged_newest_activity_first_and_readable_only(
    world: dict[str, Any], member: Any, colleague: Any, outsider: Any
) -> None:
    posting.post_create(actor=colleague, thread=world["members_thread"], body="Bumped")

    anonymous = Client().get(f"{API}/threads").json()
    as_member = signed_in(member).get(f"{API}/threads").json()
    as_colleague = signed_in(colleague).get(f"{API}/threads").json()

    assert set(anonymous) == {"count", "limit", "offset", "items"}
    assert [t["title"] for t in anonymous["items"]] == ["Open question about outreach"]
    assert signed_in(outsider).get(f"{API}/threads").json()["count"] == 1
    assert as_member["count"] == 3
    assert as_member["items"][0]["title"] == "Members question about funding"  # bumped
    assert as_colleague["count"] == 2
    assert "Steering question about budget" not in str(as_colleague)
    item = as_member["items"][0]
    assert item["category"]["slug"] == "members-room"
    assert item["reply_count"] == 1
    assert item["author"] == member.full_name
    assert item["url"].endswith(f"/discussions/t/{world['members_thread'].pk}/")
    assert set(item) == {
        "id",
        "category",
        "title",
        "language",
        "author",
        "created_at",
        "last_post_at",
        "reply_count",
        "pinned",
        "locked",
        "hidden",
        "url",
    }


def test_thread_list_filters_by_category_slug_or_id(
    world: dict[str, Any], member: Any, colleague: Any
) -> None:
    client = signed_in(member)
    by_slug = client.get(f"{API}/threads", {"category": "steering"}).json()
    by_id = client.get(f"{API}/threads", {"category": world["groupcat"].pk}).json()
    assert [t["title"] for t in by_slug["items"]] == ["Steering question about budget"]
    assert by_id == by_slug
    # A category the caller may not read filters to nothing, as one that does not exist.
    hidden = signed_in(colleague).get(f"{API}/threads", {"category": "steering"}).json()
    missing = signed_in(colleague).get(f"{API}/threads", {"category": "no-such"}).json()
    assert hidden == missing == {"count": 0, "limit": 30, "offset": 0, "items": []}


def test_thread_list_limit_and_offset(world: dict[str, Any], member: Any) -> None:
    page = signed_in(member).get(f"{API}/threads", {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (3, 1, 1, 1)
    assert signed_in(member).get(f"{API}/threads", {"limit": 101}).status_code == 422


# --- thread detail -----------------------------------------------------------------------


def test_thread_detail_has_its_posts_with_body_html(
    world: dict[str, Any], member: Any, colleague: Any
) -> None:
    thread = world["members_thread"]
    reply = posting.post_create(
        actor=colleague,
        thread=thread,
        body="**Yes**, and <script>alert(1)</script> see [this](javascript:alert(2))",
        language="ru",
        reply_to=opening_post(thread),
        files=[upload("budget.pdf", pdf_bytes("Budget lines."))],
    )

    response = signed_in(member).get(f"{API}/threads/{thread.pk}")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Members question about funding"
    assert (data["post_count"], data["may_reply"]) == (2, True)
    first, second = data["posts"]
    assert first["number"] == 1
    assert first["body_html"] == "<p>Who else is running out of naloxone?</p>"
    assert second["id"] == reply.pk
    assert second["reply_to"] == first["id"]
    assert second["author"] == "Айгерим Нурланова"
    assert second["language"] == "ru"
    assert second["hidden"] is False
    assert "<strong>Yes</strong>" in second["body_html"]
    assert "<script" not in second["body_html"]
    assert "javascript:" not in second["body_html"]
    assert second["url"].endswith(f"/discussions/p/{reply.pk}/")
    (attachment,) = second["attachments"]
    assert attachment["name"] == "budget.pdf"
    assert attachment["content_type"] == "application/pdf"
    assert attachment["url"].endswith(f"/discussions/a/{reply.attachments.get().pk}/")
    assert set(second) == {
        "id",
        "number",
        "author",
        "created_at",
        "edited_at",
        "language",
        "reply_to",
        "hidden",
        "body_html",
        "attachments",
        "url",
    }


def test_a_long_thread_is_read_by_offset_and_limit(world: dict[str, Any], member: Any) -> None:
    thread = world["public_thread"]
    for n in range(4):
        posting.post_create(actor=member, thread=thread, body=f"Update {n}")

    data = Client().get(f"{API}/threads/{thread.pk}", {"offset": 2, "limit": 2}).json()

    assert data["post_count"] == 5
    assert [p["number"] for p in data["posts"]] == [3, 4]
    assert Client().get(f"{API}/threads/{thread.pk}", {"limit": 500}).status_code == 422


def test_thread_detail_is_404_for_whoever_may_not_read_it(
    world: dict[str, Any], member: Any, colleague: Any, outsider: Any, secretariat: Any
) -> None:
    members_thread, group_thread = world["members_thread"], world["group_thread"]
    missing = Thread.objects.order_by("-pk").first().pk + 100  # type: ignore[union-attr]

    answers = {
        "anonymous, members": Client().get(f"{API}/threads/{members_thread.pk}"),
        "anonymous, group": Client().get(f"{API}/threads/{group_thread.pk}"),
        "outsider, members": signed_in(outsider).get(f"{API}/threads/{members_thread.pk}"),
        "colleague, group": signed_in(colleague).get(f"{API}/threads/{group_thread.pk}"),
        "token colleague, group": bearer(colleague).get(f"{API}/threads/{group_thread.pk}"),
        "missing": signed_in(member).get(f"{API}/threads/{missing}"),
    }

    for who, response in answers.items():
        assert response.status_code == 404, who
        assert response.json() == {"detail": "Not found.", "errors": {}}, who
    assert signed_in(member).get(f"{API}/threads/{group_thread.pk}").status_code == 200
    assert signed_in(secretariat).get(f"{API}/threads/{group_thread.pk}").status_code == 200
    assert Client().get(f"{API}/threads/{world['public_thread'].pk}").status_code == 200


def test_a_hidden_thread_is_404_except_for_moderators(
    world: dict[str, Any], member: Any, secretariat: Any
) -> None:
    thread = world["public_thread"]
    moderation.thread_hide(actor=secretariat, thread=thread, hidden=True)

    assert signed_in(member).get(f"{API}/threads/{thread.pk}").status_code == 404
    assert Client().get(f"{API}/threads").json()["count"] == 0
    seen = signed_in(secretariat).get(f"{API}/threads/{thread.pk}").json()
    assert seen["hidden"] is True


def test_a_hidden_post_keeps_its_place_without_its_text(
    world: dict[str, Any], member: Any, colleague: Any, secretariat: Any
) -> None:
    thread = world["public_thread"]
    reply = posting.post_create(
        actor=colleague,
        thread=thread,
        body="Call me on +7 700 000",
        files=[upload("phone.pdf", pdf_bytes("Phone list."))],
    )
    moderation.post_hide(actor=secretariat, post=reply, reason="A phone number")

    def second(client: Client) -> dict[str, Any]:
        return client.get(f"{API}/threads/{thread.pk}").json()["posts"][1]

    for client in (Client(), signed_in(member)):
        post = second(client)
        assert (post["hidden"], post["body_html"], post["attachments"]) == (True, "", [])
        assert "+7 700" not in str(client.get(f"{API}/threads/{thread.pk}").json())
    assert "+7 700" in second(signed_in(colleague))["body_html"]  # its author
    assert "+7 700" in second(signed_in(secretariat))["body_html"]
    assert second(signed_in(secretariat))["attachments"]


def test_an_erased_author_is_a_former_member(world: dict[str, Any], member: Any) -> None:
    thread = world["public_thread"]
    member.full_name = ""
    member.is_active = False
    member.save()

    data = Client().get(f"{API}/threads/{thread.pk}").json()

    assert data["author"] == "Former member"
    assert data["posts"][0]["author"] == "Former member"
    assert member.email not in str(data)
    russian = Client().get(f"{API}/threads/{thread.pk}", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert russian["posts"][0]["author"] not in ("", "Former member")  # translated


def test_a_name_less_author_is_shown_by_mention_name_never_email(
    world: dict[str, Any], make_user: Any
) -> None:
    nameless = make_user(Role.MEMBER, full_name="")
    handle = preference_for(nameless).handle
    thread = thread_with_posts(author=nameless, category=world["public"], title="Nameless one")

    data = Client().get(f"{API}/threads/{thread.pk}").json()

    assert nameless.email not in str(data)
    assert data["author"] == f"@{handle}"


# --- starting a thread -------------------------------------------------------------------


def test_a_member_starts_a_thread_by_slug_or_id(world: dict[str, Any], colleague: Any) -> None:
    client = signed_in(colleague)

    response = client.post(
        f"{API}/threads",
        {"category": "members-room", "title": "Where to buy test strips?", "body": "In *Almaty*"},
        content_type="application/json",
    )
    by_id = bearer(colleague).post(
        f"{API}/threads",
        {
            "category": world["public"].pk,
            "title": "Second thread",
            "body": "Hello",
            "language": "ru",
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["category"]["slug"] == "members-room"
    assert data["title"] == "Where to buy test strips?"
    assert data["author"] == "Айгерим Нурланова"
    assert data["posts"][0]["body_html"] == "<p>In <em>Almaty</em></p>"
    assert data["post_count"] == 1
    assert Thread.objects.filter(pk=data["id"], author=colleague).exists()
    assert by_id.status_code == 201
    assert by_id.json()["language"] == "ru"
    assert by_id.json()["category"]["slug"] == "general"


def test_starting_a_thread_needs_a_sign_in(world: dict[str, Any]) -> None:
    response = Client().post(
        f"{API}/threads",
        {"category": "general", "title": "Anonymous title", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert Thread.objects.count() == 3


@pytest.mark.parametrize(
    ("who", "category"),
    [
        ("outsider", "members-room"),
        ("outsider", "steering"),
        ("colleague", "steering"),
        ("colleague", "no-such-category"),
    ],
)
def test_a_category_the_caller_may_not_read_is_404(
    world: dict[str, Any], who: str, category: str, request: Any
) -> None:
    client = signed_in(request.getfixturevalue(who))
    response = client.post(
        f"{API}/threads",
        {"category": category, "title": "A hidden try", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."
    assert Thread.objects.count() == 3


def test_a_reader_who_may_not_write_gets_403(world: dict[str, Any], outsider: Any) -> None:
    response = signed_in(outsider).post(
        f"{API}/threads",
        {"category": "general", "title": "Site staff asks", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "network members" in response.json()["detail"]


def test_bad_input_is_400_with_errors_by_field(world: dict[str, Any], colleague: Any) -> None:
    response = signed_in(colleague).post(
        f"{API}/threads",
        {"category": "general", "title": "Hi", "body": "   "},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"title"}  # the title is checked first
    assert "5" in errors["title"][0]
    assert response.json()["detail"] == errors["title"][0]
    body = signed_in(colleague).post(
        f"{API}/threads",
        {"category": "general", "title": "A fine title", "body": ""},
        content_type="application/json",
    )
    assert body.status_code == 400
    assert set(body.json()["errors"]) == {"body"}
    assert Thread.objects.count() == 3


# --- replying ----------------------------------------------------------------------------


def test_a_member_replies_and_may_quote_a_post(world: dict[str, Any], colleague: Any) -> None:
    thread = world["members_thread"]
    first = opening_post(thread)

    response = signed_in(colleague).post(
        f"{API}/threads/{thread.pk}/posts",
        {"body": "> quoted\n\nMy answer", "reply_to": first.pk, "language": "ru"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["number"], data["reply_to"], data["language"]) == (2, first.pk, "ru")
    assert "<blockquote>" in data["body_html"]
    assert data["author"] == "Айгерим Нурланова"
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_replying_answers_401_404_403_400(
    world: dict[str, Any], colleague: Any, outsider: Any, secretariat: Any
) -> None:
    public_thread, group_thread = world["public_thread"], world["group_thread"]
    other = thread_with_posts(author=colleague, category=world["public"], title="Another one")

    def reply(client: Client, thread: Thread, **data: Any) -> Any:
        return client.post(
            f"{API}/threads/{thread.pk}/posts",
            {"body": "A reply", **data},
            content_type="application/json",
        )

    assert reply(Client(), public_thread).status_code == 401
    assert reply(signed_in(colleague), group_thread).status_code == 404
    assert reply(signed_in(outsider), world["members_thread"]).status_code == 404
    assert reply(signed_in(outsider), public_thread).status_code == 403
    empty = reply(signed_in(colleague), public_thread, body=" ")
    assert empty.status_code == 400
    assert set(empty.json()["errors"]) == {"body"}
    elsewhere = reply(signed_in(colleague), public_thread, reply_to=opening_post(other).pk)
    assert elsewhere.status_code == 400
    assert set(elsewhere.json()["errors"]) == {"reply_to"}
    moderation.thread_lock(actor=secretariat, thread=public_thread, locked=True)
    locked = reply(signed_in(colleague), public_thread)
    assert locked.status_code == 403
    detail = signed_in(colleague).get(f"{API}/threads/{public_thread.pk}").json()
    assert (detail["locked"], detail["may_reply"]) == (True, False)
    assert reply(signed_in(secretariat), public_thread).status_code == 201  # moderators may
    assert Post.objects.filter(thread=public_thread).count() == 2


def test_the_openapi_document_lists_the_discussions(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/discussions/categories",
        "/api/v1/discussions/threads",
        "/api/v1/discussions/threads/{thread_id}",
        "/api/v1/discussions/threads/{thread_id}/posts",
    } <= set(paths)
    assert set(paths["/api/v1/discussions/threads"]) == {"get", "post"}


def test_a_longer_page_costs_no_more_queries(world: dict[str, Any], member: Any) -> None:
    client = signed_in(member)
    thread = world["public_thread"]

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    detail_before = queries(f"{API}/threads/{thread.pk}")
    list_before = queries(f"{API}/threads")
    for n in range(5):
        posting.post_create(
            actor=member,
            thread=thread,
            body=f"Update {n}",
            files=[upload(f"f{n}.pdf", pdf_bytes("x"))] if n % 2 else [],
        )
        thread_with_posts(author=member, category=world["members"], title=f"More threads {n}")

    assert queries(f"{API}/threads/{thread.pk}") == detail_before
    assert queries(f"{API}/threads") == list_before


def test_too_many_posts_in_an_hour_answer_429(client: Any, member: Any, settings: Any) -> None:
    settings.HRNET_DISCUSSION_POSTS_PER_HOUR = 1
    thread = thread_with_posts(author=member, category=members_category())
    client.force_login(member)
    response = client.post(
        f"/api/v1/discussions/threads/{thread.pk}/posts",
        {"body": "One more"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert "last hour" in response.json()["detail"]
