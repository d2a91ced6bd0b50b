"""THE leak test of the discussions: a members-only thread and a working group's thread,
each with a word found nowhere else (in its title, opening post, reply and attachment),
are walked on every path by those who may not read them: an anonymous visitor, a signed-in
person who is not a network member, and (for the group's thread) a member outside the
group. Nothing of them may show (the word, the title, the category, any address of the
thread, its posts or files), every direct address answers 404 (401 for an anonymous API
write), and the counts and facets of lists and search are exactly what they were before
the threads existed (a count that moves is a hint). Emails never reach someone who may not
read the thread. A script in a title or post never reaches a page, feed, API `body_html`
or email unescaped.

The walk also proves it reads real pages: whoever may read the threads finds the word in
the same places."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import feedparser
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.discussions.models import Attachment, Category, Notification, Post, Thread
from hrnet.discussions.services import following, moderation, notifications, posting
from hrnet.discussions.services.groups import category_saved
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

MISSING = 987_654  # an id no record has: what "does not exist" answers


@dataclass
class Secret:
    """A thread someone may not know of, and every string that would betray it."""

    word: str
    category: Category
    thread: Thread
    posts: list[Post]
    attachment: Attachment
    extra: list[str] = field(default_factory=list)

    def markers(self) -> list[str]:
        names = [n for n in self.category.names.values() if n]
        return [
            self.word,
            self.thread.title,
            *names,
            f"/c/{self.category.slug}/",
            f"/t/{self.thread.pk}/",
            *[f"/p/{post.pk}/" for post in self.posts],
            f"/a/{self.attachment.pk}/",
            *self.extra,
        ]


def _secret(*, author: Any, replier: Any, category: Category, word: str, title: str) -> Secret:
    thread = posting.thread_create(
        actor=author,
        category=category,
        title=title,
        body=f"Only for us: {word} salaries and the {word} plan.",
        language="en",
        files=[upload(f"{word}-plan.pdf", pdf_bytes(f"{word} plan in full."))],
    )
    first = opening_post(thread)
    posting.post_edit(actor=author, post=first, body=f"Only for us: the {word} plan, corrected.")
    reply = posting.post_create(
        actor=replier, thread=thread, body=f"Agreed, {word} it is.", language="ru"
    )
    thread.refresh_from_db()
    return Secret(
        word=word,
        category=category,
        thread=thread,
        posts=[first, reply],
        attachment=first.attachments.get(),
    )


def _client(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# --- the walk ---------------------------------------------------------------------------


def _direct(secret: Secret) -> dict[str, tuple[str, str, dict]]:
    """Every address that names the secret thread, its category, posts or file:
    label -> (method, url, data). Each must answer as for a record that does not exist."""
    thread, category = secret.thread, secret.category
    first, reply = secret.posts
    return {
        "category page": ("get", reverse("discussions:category", args=[category.slug]), {}),
        "category page 2": (
            "get",
            reverse("discussions:category", args=[category.slug]) + "?page=2",
            {},
        ),
        "category feed": ("get", reverse("discussions:category_feed", args=[category.slug]), {}),
        "new thread form": ("get", reverse("discussions:thread_new", args=[category.slug]), {}),
        "new thread": (
            "post",
            reverse("discussions:thread_new", args=[category.slug]),
            {"title": "Trying my luck", "body": "Hello", "language": "en"},
        ),
        "follow category": (
            "post",
            reverse("discussions:category_watch", args=[category.slug]),
            {"watching": "1"},
        ),
        "thread page": ("get", reverse("discussions:thread", args=[thread.pk]), {}),
        "thread page 2": ("get", reverse("discussions:thread", args=[thread.pk]) + "?page=2", {}),
        "reply": (
            "post",
            reverse("discussions:thread_reply", args=[thread.pk]),
            {"body": "Let me in", "language": "en"},
        ),
        "follow thread": (
            "post",
            reverse("discussions:thread_watch", args=[thread.pk]),
            {"watching": "1"},
        ),
        "moderate thread": (
            "post",
            reverse("discussions:thread_moderate", args=[thread.pk]),
            {"action": "lock"},
        ),
        "opening post": ("get", reverse("discussions:post", args=[first.pk]), {}),
        "reply post": ("get", reverse("discussions:post", args=[reply.pk]), {}),
        "post history": ("get", reverse("discussions:post_history", args=[first.pk]), {}),
        "edit form": ("get", reverse("discussions:post_edit", args=[reply.pk]), {}),
        "edit": ("post", reverse("discussions:post_edit", args=[reply.pk]), {"body": "Mine"}),
        "flag form": ("get", reverse("discussions:post_flag", args=[reply.pk]), {}),
        "flag": (
            "post",
            reverse("discussions:post_flag", args=[reply.pk]),
            {"reason": "spam", "note": ""},
        ),
        "translate": (
            "post",
            reverse("discussions:post_translate", args=[reply.pk]),
            {"language": "en"},
        ),
        "moderate post": (
            "post",
            reverse("discussions:post_moderate", args=[reply.pk]),
            {"action": "hide", "reason": "Because"},
        ),
        "attachment": ("get", reverse("discussions:attachment", args=[secret.attachment.pk]), {}),
        "api thread": ("get", f"/api/v1/discussions/threads/{thread.pk}", {}),
        "api reply": (
            "json",
            f"/api/v1/discussions/threads/{thread.pk}/posts",
            {"body": "Let me in"},
        ),
        "api new thread by slug": (
            "json",
            "/api/v1/discussions/threads",
            {"category": category.slug, "title": "Trying my luck", "body": "x"},
        ),
        "api new thread by id": (
            "json",
            "/api/v1/discussions/threads",
            {"category": category.pk, "title": "Trying my luck", "body": "x"},
        ),
    }


def _missing(url: str, data: dict, secret: Secret) -> tuple[str, dict]:
    """The same request for a record that does not exist."""
    replacements = [
        (f"/c/{secret.category.slug}/", "/c/no-such-category/"),
        (f"/t/{secret.thread.pk}/", f"/t/{MISSING}/"),
        (f"/threads/{secret.thread.pk}", f"/threads/{MISSING}"),
        (f"/a/{secret.attachment.pk}/", f"/a/{MISSING}/"),
        *[(f"/p/{post.pk}/", f"/p/{MISSING}/") for post in secret.posts],
    ]
    for old, new in replacements:
        url = url.replace(old, new)
    if "category" in data:
        data = {**data, "category": "no-such-category"}
    return url, data


def _request(client: Client, method: str, url: str, data: dict) -> Any:
    if method == "get":
        return client.get(url)
    if method == "json":
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def _lists(client: Client, secret: Secret, token: str | None = None) -> dict[str, Any]:
    """Every page and list that could show the thread without naming it: label ->
    response."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    word = secret.word
    return {
        "home": client.get(reverse("core:home")),
        "home ru": client.get(reverse("core:home").replace("/en/", "/ru/")),
        "start page": client.get(reverse("core:me")),
        "api start page": client.get("/api/v1/me/work", headers=headers),
        "discussions index": client.get(reverse("discussions:index")),
        "discussions index ru": client.get(reverse("discussions:index").replace("/en/", "/ru/")),
        "settings": client.get(reverse("discussions:settings")),
        "flag queue": client.get(reverse("discussions:flag_queue")),
        "latest feed": client.get(reverse("discussions:feed")),
        "sitemap": client.get("/sitemap.xml"),
        "search page": client.get(reverse("search:search"), {"q": word}),
        "search page title": client.get(reverse("search:search"), {"q": "salaries"}),
        "search page browse": client.get(reverse("search:search")),
        "search page kind": client.get(reverse("search:search"), {"kind": "discussion"}),
        "search api": client.get("/api/v1/search", {"q": word}, headers=headers),
        "search api browse": client.get("/api/v1/search", headers=headers),
        "search api replies": client.get(
            "/api/v1/search", {"kind": "discussion_reply"}, headers=headers
        ),
        "api categories": client.get("/api/v1/discussions/categories", headers=headers),
        "api threads": client.get("/api/v1/discussions/threads", headers=headers),
        "api threads filtered": client.get(
            "/api/v1/discussions/threads", {"category": secret.category.slug}, headers=headers
        ),
        "api threads filtered by id": client.get(
            "/api/v1/discussions/threads", {"category": secret.category.pk}, headers=headers
        ),
    }


def _counts(client: Client) -> dict[str, Any]:
    """What lists and search tell by their numbers: must not move when a thread the
    reader may not read appears."""
    search = client.get("/api/v1/search").json()
    found = client.get("/api/v1/search", {"q": "salaries"}).json()
    threads = client.get("/api/v1/discussions/threads").json()
    feed = feedparser.parse(client.get(reverse("discussions:feed")).content)
    sitemap = client.get("/sitemap.xml").content.decode()
    return {
        "search count": search["count"],
        "search facets": search["facets"],
        "search word count": found["count"],
        "search word facets": found["facets"],
        "threads": (threads["count"], [t["id"] for t in threads["items"]]),
        "categories": client.get("/api/v1/discussions/categories").json(),
        "feed": [entry.link for entry in feed.entries],
        "sitemap": sorted(re.findall(r"/discussions/t/\d+/", sitemap)),
    }


def _echo_removed(label: str, text: str) -> str:
    """A search answer without the query it repeats (the reader typed the word)."""
    if label == "search page":
        return text[text.index('id="search-results"') : text.index("</main>")]
    if label == "search api":
        data = json.loads(text)
        assert data["count"] == 0
        return json.dumps({**data, "q": ""}, ensure_ascii=False)
    return text


def assert_no_marker(text: str, secret: Secret, *, who: str, label: str) -> None:
    folded = text.casefold()
    for marker in secret.markers():
        assert marker.casefold() not in folded, (who, label, marker)


def assert_nothing_leaks(client: Client, secret: Secret, *, who: str, anonymous: bool) -> None:
    """The walk: every direct address answers as for what does not exist, and no page or
    list shows a marker of the secret."""
    for label, (method, url, data) in _direct(secret).items():
        response = _request(client, method, url, data)
        missing = _request(client, method, *_missing(url, data, secret))
        expected = 401 if anonymous and method == "json" else 404
        assert response.status_code == expected, (who, label, response.status_code)
        assert missing.status_code == expected, (who, label, "missing", missing.status_code)
        if response.get("Content-Type", "").startswith("application/json"):
            assert response.json() == missing.json(), (who, label)
        # The 404 page's sign-in link and language switcher repeat the address asked
        # for (in each language), which tells nothing.
        text = _text(response)
        tail = url.split("?")[0].removeprefix("/en")
        for asked in (url, quote(url), tail, quote(tail)):
            text = text.replace(asked, "")
        assert_no_marker(text, secret, who=who, label=label)
    for label, response in _lists(client, secret).items():
        assert_no_marker(_echo_removed(label, _text(response)), secret, who=who, label=label)
        assert response.status_code in (200, 302, 401, 403), (who, label, response.status_code)


# --- the people and the threads ---------------------------------------------------------


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "author": make_user(Role.MEMBER, full_name="Olena Author"),
        "colleague": make_user(Role.MEMBER, full_name="Aibek Colleague"),
        "other_member": make_user(Role.MEMBER, full_name="Nino Outside-the-group"),
        "outsider": make_user(Role.SITESTAFF, full_name="Site Staffer"),
        "moderator": make_user(Role.SECRETARIAT, full_name="Secretariat Officer", is_staff=True),
    }


@pytest.fixture
def group(people: dict[str, Any]) -> Any:
    group = WorkingGroupFactory.create(names={"en": "Budget cell", "ru": "Бюджетная ячейка"})
    group.members.add(people["author"], people["colleague"])
    return group


@pytest.fixture
def public_world(people: dict[str, Any]) -> dict[str, Any]:
    """What everyone may read: a public category with a thread, so lists are not empty."""
    category = public_category(slug="open-talk", names={"en": "Open talk", "ru": "Открыто"})
    thread = thread_with_posts(
        author=people["author"],
        category=category,
        title="Public salaries of outreach workers",
        body="Public salaries are in the annual report.",
        replies=[(people["colleague"], "Thanks for the salaries link")],
    )
    return {"category": category, "thread": thread}


@pytest.fixture
def closed_categories(group: Any) -> dict[str, Category]:
    return {
        "members": members_category(
            slug="closed-circle", names={"en": "Closed circle", "ru": "Закрытый круг"}
        ),
        "group": group_category(
            group, slug="steering-cell", names={"en": "Steering cell", "ru": "Штабная ячейка"}
        ),
    }


def _members_secret(people: dict[str, Any], categories: dict[str, Category]) -> Secret:
    return _secret(
        author=people["author"],
        replier=people["colleague"],
        category=categories["members"],
        word="zephyrantha",
        title="Zephyrantha: members-only salaries review",
    )


def _group_secret(people: dict[str, Any], categories: dict[str, Category]) -> Secret:
    return _secret(
        author=people["author"],
        replier=people["colleague"],
        category=categories["group"],
        word="xylocarpa",
        title="Xylocarpa: the steering cell's salaries",
    )


def test_a_members_only_thread_leaks_nowhere(
    people: dict[str, Any],
    public_world: dict[str, Any],
    closed_categories: dict[str, Category],
) -> None:
    # given: what the outsiders see before the thread exists
    outsiders = {"anonymous": None, "signed-in non-member": people["outsider"]}
    before = {who: _counts(_client(user)) for who, user in outsiders.items()}

    # when: the members-only thread is written, edited, replied to, with a file
    secret = _members_secret(people, closed_categories)

    # then: nothing of it reaches them, and their counts did not move
    for who, user in outsiders.items():
        client = _client(user)
        assert _counts(client) == before[who], who
        assert_nothing_leaks(client, secret, who=who, anonymous=user is None)
    _token, key = api_token_create(user=people["outsider"], name="test")
    by_token = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    for label, response in _lists(by_token, secret, key).items():
        assert_no_marker(_echo_removed(label, _text(response)), secret, who="token", label=label)
    assert by_token.get(f"/api/v1/discussions/threads/{secret.thread.pk}").status_code == 404

    # and a member reads it in the same places (the walk reads real pages)
    assert_readable(_client(people["other_member"]), secret)


def test_a_group_thread_leaks_nowhere_not_even_to_other_members(
    people: dict[str, Any],
    public_world: dict[str, Any],
    closed_categories: dict[str, Category],
) -> None:
    outsiders = {
        "anonymous": None,
        "signed-in non-member": people["outsider"],
        "member outside the group": people["other_member"],
    }
    # A members-only thread too, so the member outside the group has something to read.
    _members_secret(people, closed_categories)
    before = {who: _counts(_client(user)) for who, user in outsiders.items()}

    secret = _group_secret(people, closed_categories)

    for who, user in outsiders.items():
        client = _client(user)
        assert _counts(client) == before[who], who
        assert_nothing_leaks(client, secret, who=who, anonymous=user is None)

    assert_readable(_client(people["colleague"]), secret)
    assert_readable(_client(people["moderator"]), secret)


def assert_readable(client: Client, secret: Secret) -> None:
    """Whoever may read the thread finds it on the pages the walk reads."""
    thread = secret.thread
    pages = {
        "discussions index": client.get(reverse("discussions:index")),
        "category page": client.get(reverse("discussions:category", args=[secret.category.slug])),
        "thread page": client.get(reverse("discussions:thread", args=[thread.pk])),
        "post history": client.get(reverse("discussions:post_history", args=[secret.posts[0].pk])),
        "search page": client.get(reverse("search:search"), {"q": secret.word}),
        "search api": client.get("/api/v1/search", {"q": secret.word}),
        "api thread": client.get(f"/api/v1/discussions/threads/{thread.pk}"),
        "api threads": client.get("/api/v1/discussions/threads"),
        "home": client.get(reverse("core:home")),
    }
    for label, response in pages.items():
        assert response.status_code == 200, (label, response.status_code)
        assert thread.title in _text(response) or secret.word in _text(response).lower(), label
    assert client.get(reverse("discussions:post", args=[secret.posts[1].pk])).status_code == 302
    download = client.get(reverse("discussions:attachment", args=[secret.attachment.pk]))
    assert download.status_code == 200
    # Feeds and the sitemap are the same for everyone: never the thread, even for a reader.
    assert thread.title not in client.get(reverse("discussions:feed")).content.decode()
    assert f"/t/{thread.pk}/" not in client.get("/sitemap.xml").content.decode()


# --- emails -----------------------------------------------------------------------------


def _mail_to(user: Any) -> list[Any]:
    return [message for message in mail.outbox if user.email in message.to]


def test_a_non_member_mentioned_in_a_members_thread_gets_no_email(
    people: dict[str, Any], closed_categories: dict[str, Category]
) -> None:
    outsider, colleague = people["outsider"], people["colleague"]
    thread = thread_with_posts(
        author=people["author"], category=closed_categories["members"], title="Closed budget"
    )
    mail.outbox.clear()

    posting.post_create(
        actor=people["author"],
        thread=thread,
        body=f"@{preference_for(outsider).handle} and @{preference_for(colleague).handle}, look",
    )
    notifications.notifications_send()
    notifications.daily_summaries_send(today=timezone.localdate() + timedelta(days=1))

    assert _mail_to(outsider) == []
    assert not Notification.objects.filter(user=outsider).exists()
    (sent,) = _mail_to(colleague)  # the machinery works: the member mentioned is told
    assert "Closed budget" in sent.subject or "Closed budget" in sent.body


def test_followers_who_lose_the_right_to_read_get_no_email(
    people: dict[str, Any], group: Any, closed_categories: dict[str, Category]
) -> None:
    """A member follows a members-only category that is then restricted to a working group
    they are not in; another follows a thread (daily summary) that is then moved to the
    group's category. Posts written before the change wait as notifications; after it,
    neither the immediate email nor the summary goes out, and later posts make no rows."""
    other, daily_reader, moderator = (
        people["other_member"],
        people["colleague"],
        people["moderator"],
    )
    group.members.remove(daily_reader)
    members_only = closed_categories["members"]
    restricted_later = thread_with_posts(
        author=people["author"], category=members_only, title="Soon restricted"
    )
    moved_later = thread_with_posts(
        author=people["author"], category=public_category(slug="lobby"), title="Soon moved away"
    )
    following.category_watch(actor=other, category=members_only, watching=True)
    following.thread_watch(actor=daily_reader, thread=moved_later, watching=True)
    following.preference_change(actor=daily_reader, email="daily")
    posting.post_create(actor=people["author"], thread=restricted_later, body="Pending one")
    posting.post_create(actor=people["author"], thread=moved_later, body="Pending two")
    assert Notification.objects.filter(user__in=[other, daily_reader]).count() == 2

    # when: the category is restricted to the group, and the thread is moved there
    members_only.visibility = Category.Visibility.GROUP
    members_only.save()
    members_only.groups.set([group])
    category_saved(
        actor=moderator,
        category=members_only,
        created=False,
        changes={"visibility": ["members", "group"]},
        readers_changed=True,
    )
    moderation.thread_move(actor=moderator, thread=moved_later, category=closed_categories["group"])
    posting.post_create(actor=people["author"], thread=restricted_later, body="Later one")
    mail.outbox.clear()
    notifications.notifications_send()
    notifications.daily_summaries_send(today=timezone.localdate() + timedelta(days=1))

    # then
    assert _mail_to(other) == []
    assert _mail_to(daily_reader) == []
    assert not Notification.objects.filter(
        user__in=[other, daily_reader], emailed_at__isnull=False
    ).exists()
    assert Notification.objects.filter(user__in=[other, daily_reader]).count() == 2  # skipped
    # The pages agree: the restricted category is gone for them.
    for user in (other, daily_reader):
        client = _client(user)
        assert (
            client.get(reverse("discussions:thread", args=[restricted_later.pk])).status_code == 404
        )
        assert (
            "Soon restricted" not in client.get("/api/v1/search", {"q": "pending"}).content.decode()
        )


# --- a script never runs ------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_a_script_in_a_title_and_post_never_reaches_a_page(
    people: dict[str, Any], public_world: dict[str, Any], closed_categories: dict[str, Category]
) -> None:
    author, colleague = people["author"], people["colleague"]
    thread = posting.thread_create(
        actor=author,
        category=public_world["category"],
        title=f"{SCRIPT} Scripted title",
        body=f"{SCRIPT} Scripted body <img src=x onerror=alert(2)> [x](javascript:alert(3))",
    )
    first = opening_post(thread)
    posting.post_edit(actor=author, post=first, body=f"{SCRIPT} Scripted body, edited")
    reply = posting.post_create(
        actor=colleague,
        thread=thread,
        body=f"@{preference_for(author).handle} {SCRIPT} scripted reply <b onclick=alert(4)>x</b>",
    )
    members_thread = posting.thread_create(
        actor=author,
        category=closed_categories["members"],
        title=f"{SCRIPT} Members scripted",
        body=SCRIPT,
    )
    mail.outbox.clear()
    notifications.notifications_send()
    member = _client(colleague)

    pages = {
        "index": member.get(reverse("discussions:index")),
        "category": member.get(reverse("discussions:category", args=["open-talk"])),
        "members category": member.get(reverse("discussions:category", args=["closed-circle"])),
        "thread": member.get(reverse("discussions:thread", args=[thread.pk])),
        "members thread": member.get(reverse("discussions:thread", args=[members_thread.pk])),
        "thread anonymous": Client().get(reverse("discussions:thread", args=[thread.pk])),
        "history": member.get(reverse("discussions:post_history", args=[first.pk])),
        "edit form": _client(author).get(reverse("discussions:post_edit", args=[first.pk])),
        "flag form": member.get(reverse("discussions:post_flag", args=[first.pk])),
        "home": member.get(reverse("core:home")),
        "home anonymous": Client().get(reverse("core:home")),
        "start page": _client(author).get(reverse("core:me")),
        "settings": _client(author).get(reverse("discussions:settings")),
        "search": member.get(reverse("search:search"), {"q": "scripted"}),
        "feed": Client().get(reverse("discussions:feed")),
        "category feed": Client().get(reverse("discussions:category_feed", args=["open-talk"])),
    }
    for label, response in pages.items():
        assert response.status_code == 200, (label, response.status_code)
        text = _text(response)
        assert "<script>alert" not in text, label
        assert "onerror=" not in text, label
        assert "onclick=alert" not in text, label
        assert 'href="javascript:' not in text, label
    thread_page = _text(pages["thread"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Scripted title" in thread_page  # shown as text
    assert "Scripted body" in thread_page

    api = member.get(f"/api/v1/discussions/threads/{thread.pk}").json()
    for post in api["posts"]:
        assert "<script" not in post["body_html"]
        assert "onclick" not in post["body_html"]
    assert "javascript:" not in str(api["posts"])
    assert api["posts"][1]["id"] == reply.pk
    for message in mail.outbox:
        alternatives = getattr(message, "alternatives", [])
        html = str(next((body for body, kind in alternatives if kind == "text/html"), ""))
        assert html, "an HTML part to check"
        assert "<script>alert" not in html
        assert "onclick=alert" not in html
    assert _mail_to(author), "the author was mentioned: an email to check"
