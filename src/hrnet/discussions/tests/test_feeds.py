"""The Atom feeds and the sitemap of the discussions carry public threads only, the same
for every reader, signed in or not."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from hrnet.discussions.services import moderation, posting
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    opening_post,
    public_category,
    thread_with_posts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads(member: Any) -> dict[str, Any]:
    group = WorkingGroupFactory.create()
    group.members.add(member)
    public = public_category(slug="open", names={"en": "Open talk", "ru": "Открытый разговор"})
    return {
        "public": public,
        "members": members_category(slug="closed"),
        "group": group_category(group, slug="steering"),
        "open": thread_with_posts(
            author=member,
            category=public,
            title="Syringe programmes in winter",
            body="We keep **two** vans running.",
        ),
        "russian": thread_with_posts(
            author=member,
            category=public,
            title="Аптеки и налоксон",
            body="Где купить налоксон?",
            language="ru",
        ),
    }


def _closed_threads(member: Any, threads: dict[str, Any]) -> list[Any]:
    return [
        thread_with_posts(author=member, category=threads["members"], title="Members budget lines"),
        thread_with_posts(author=member, category=threads["group"], title="Steering salaries"),
    ]


def _feed(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0
    return parsed


def test_the_latest_feed_has_public_threads_with_their_opening_post(
    client: Client, threads: dict[str, Any], member: Any
) -> None:
    _closed_threads(member, threads)
    posting.post_create(actor=member, thread=threads["open"], body="A reply, not an item")

    feed = _feed(client, reverse("discussions:feed"))

    titles = [entry.title for entry in feed.entries]
    assert sorted(titles) == ["Syringe programmes in winter", "Аптеки и налоксон"]
    entry = next(e for e in feed.entries if e.title == "Syringe programmes in winter")
    assert entry.link.endswith(f"/discussions/t/{threads['open'].pk}/")
    assert "<strong>two</strong>" in entry.summary
    assert "A reply, not an item" not in str(feed)


def test_the_feed_is_the_same_for_a_signed_in_member(
    client: Client, threads: dict[str, Any], member: Any, secretariat: Any
) -> None:
    _closed_threads(member, threads)
    anonymous = client.get(reverse("discussions:feed")).content.decode()

    for reader in (member, secretariat):
        client.force_login(reader)
        signed_in = client.get(reverse("discussions:feed")).content.decode()
        assert "Members budget lines" not in signed_in
        assert "Steering salaries" not in signed_in
        # Only the <updated> stamp of the request may differ.
        assert len(feedparser.parse(signed_in).entries) == 2
    assert "Members budget lines" not in anonymous


def test_hidden_threads_and_hidden_opening_posts_stay_out(
    client: Client, threads: dict[str, Any], secretariat: Any
) -> None:
    moderation.thread_hide(actor=secretariat, thread=threads["russian"], hidden=True)
    moderation.post_hide(
        actor=secretariat, post=opening_post(threads["open"]), reason="Personal data"
    )

    feed = _feed(client, reverse("discussions:feed"))

    assert [e.title for e in feed.entries] == ["Syringe programmes in winter"]
    assert "vans" not in str(feed)


def test_a_public_category_has_its_own_feed(
    client: Client, threads: dict[str, Any], member: Any
) -> None:
    elsewhere = public_category(slug="elsewhere")
    thread_with_posts(author=member, category=elsewhere, title="Another public thread")

    feed = _feed(client, reverse("discussions:category_feed", args=["open"]))

    assert sorted(e.title for e in feed.entries) == [
        "Syringe programmes in winter",
        "Аптеки и налоксон",
    ]
    assert "Open talk" in feed.feed.title
    russian = _feed(
        client, reverse("discussions:category_feed", args=["open"]).replace("/en/", "/ru/")
    )
    assert "Открытый разговор" in russian.feed.title


def test_a_category_that_is_not_public_has_no_feed(
    client: Client, threads: dict[str, Any], member: Any, secretariat: Any
) -> None:
    _closed_threads(member, threads)
    for reader in (None, member, secretariat):
        if reader is not None:
            client.force_login(reader)
        for slug in ("closed", "steering", "no-such-category"):
            response = client.get(reverse("discussions:category_feed", args=[slug]))
            assert response.status_code == 404, (reader, slug)


def test_a_script_in_a_title_or_post_is_escaped_in_the_feed(
    client: Client, threads: dict[str, Any], member: Any
) -> None:
    thread_with_posts(
        author=member,
        category=threads["public"],
        title="<script>alert(1)</script> tricky",
        body="<script>alert(1)</script> and <img src=x onerror=alert(2)>",
    )

    content = client.get(reverse("discussions:feed")).content.decode()

    assert "<script" not in content
    assert "onerror" not in content
    entry = next(e for e in feedparser.parse(content).entries if "tricky" in e.title)
    assert entry.title == "<script>alert(1)</script> tricky"  # as text, once parsed
    assert "<script" not in entry.summary


def test_the_sitemap_lists_public_threads_in_their_language(
    client: Client, threads: dict[str, Any], member: Any, secretariat: Any
) -> None:
    closed = _closed_threads(member, threads)
    hidden = thread_with_posts(author=member, category=threads["public"], title="Soon hidden")
    moderation.thread_hide(actor=secretariat, thread=hidden, hidden=True)
    client.force_login(member)  # the sitemap does not depend on the reader

    content = client.get("/sitemap.xml").content.decode()

    assert f"/en/discussions/t/{threads['open'].pk}/" in content
    assert f"/ru/discussions/t/{threads['russian'].pk}/" in content
    for thread in [*closed, hidden]:
        assert f"/discussions/t/{thread.pk}/" not in content


def test_a_thread_moved_out_of_a_public_category_leaves_feed_and_sitemap(
    client: Client, threads: dict[str, Any], secretariat: Any
) -> None:
    moderation.thread_move(actor=secretariat, thread=threads["open"], category=threads["members"])

    feed = client.get(reverse("discussions:feed")).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()

    assert "Syringe programmes" not in feed
    assert f"/discussions/t/{threads['open'].pk}/" not in sitemap
