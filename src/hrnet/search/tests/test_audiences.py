"""Entries restricted to named groups (visibility GROUP, with audience keys): only a reader
holding one of an entry's keys finds it, on the search page and through /api/v1/search,
and no one else meets it in the results, the count or the facets (a count that includes
it would tell that it exists).

The first tests use a key handed out by a provider of their own (the search's own
contract); the last ones the discussions' working groups, whose keys the moderators hold
as well."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.core.models import IssueArea
from hrnet.core.reference import issue_areas_load
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    thread_with_posts,
)
from hrnet.search.documents import GROUP, audiences_of, register_audience
from hrnet.search.models import SearchAudience
from hrnet.search.selectors import search
from hrnet.search.tests.factories import entry_create

pytestmark = pytest.mark.usefixtures("geography")

WORD = "quokkaline"  # in every entry below, so a search for it finds them all
CIRCLE_KEY = "tests.circle"
# The facet values of the group entry as the page shows them.
FACET_LABELS = ("Report", "Русский", "2019", "Kazakhstan", "Human rights protection")
# The people the test provider hands the key to (cleared after each test).
CIRCLE: set[int] = set()


def _circle(user: Any) -> set[str]:
    return {CIRCLE_KEY} if user.pk in CIRCLE else set()


@pytest.fixture
def circle() -> Any:
    register_audience(_circle)  # idempotent; harmless once CIRCLE is empty
    yield CIRCLE
    CIRCLE.clear()


@pytest.fixture
def entries(db: None, circle: set[int]) -> dict[str, Any]:
    """A public entry and a group entry that differ in every facet, so a facet counting
    the group entry shows a value the public one does not have."""
    issue_areas_load()
    public = entry_create(
        title=f"Public {WORD} guidance",
        kind="guidance",
        language="en",
        published_at=datetime(2020, 5, 1, tzinfo=UTC),
    )
    restricted = entry_create(
        title=f"Круг {WORD}: внутренние заметки",
        kind="report",
        language="ru",
        visibility=GROUP,
        issue_areas=["HUMAN_RIGHTS"],
        countries=["KZ"],
        published_at=datetime(2019, 3, 1, tzinfo=UTC),
    )
    SearchAudience.objects.create(entry=restricted, key=CIRCLE_KEY)
    return {"public": public, "restricted": restricted}


def _page(client: Client) -> str:
    """The results part of the search page (the menu around it names other things)."""
    page = client.get(reverse("search:search"), {"q": WORD}).content.decode()
    return page[page.index('id="search-results"') : page.index("</main>")]


def _api(client: Client, **headers: str) -> dict[str, Any]:
    response = client.get("/api/v1/search", {"q": WORD}, headers=headers)
    assert response.status_code == 200
    return response.json()


def _facet_values(data: dict[str, Any]) -> dict[str, set[str]]:
    return {name: {v["value"] for v in values} for name, values in data["facets"].items()}


def test_a_reader_without_the_key_meets_the_group_entry_nowhere(
    client: Client, entries: dict[str, Any], member: Any, make_user: Any
) -> None:
    outsider = make_user(Role.SITESTAFF)
    readers = {"anonymous": None, "member": member, "outsider": outsider}

    for who, reader in readers.items():
        if reader is not None:
            client.force_login(reader)
        page = _page(client)
        data = _api(client)

        assert "внутренние заметки" not in page, who
        assert "1 result" in page, who
        assert "2 results" not in page, who
        # The facets of the page: the group entry's values would show here.
        for label in FACET_LABELS:
            assert label not in page, (who, label)
        assert data["count"] == 1, who
        assert [hit["title"] for hit in data["results"]] == [f"Public {WORD} guidance"], who
        assert _facet_values(data) == {
            "kind": {"guidance"},
            "language": {"en"},
            "issue_area": set(),
            "country": set(),
            "year": {"2020"},
        }, who
        client.logout()


def test_a_holder_of_the_key_finds_it_on_the_page_and_the_api(
    client: Client, entries: dict[str, Any], member: Any, circle: set[int]
) -> None:
    circle.add(member.pk)
    _record, key = api_token_create(user=member, name="test")
    client.force_login(member)

    page = _page(client)
    by_session = _api(client)
    client.logout()
    by_token = _api(client, Authorization=f"Bearer {key}")

    assert "внутренние заметки" in page
    assert "2 results" in page
    for label in FACET_LABELS:  # what the others' page must not show is there for them
        assert label in page, label
    for data in (by_session, by_token):
        assert data["count"] == 2
        restricted = next(hit for hit in data["results"] if hit["visibility"] == "group")
        assert restricted["id"] == entries["restricted"].object_id
        assert _facet_values(data)["country"] == {"KZ"}
        assert _facet_values(data)["year"] == {"2019", "2020"}


def test_the_key_alone_is_enough_and_losing_it_hides_the_entry(
    entries: dict[str, Any], make_user: Any, circle: set[int]
) -> None:
    # Not a network member, but holding the key: groups are not "members plus".
    guest = make_user(Role.SITESTAFF)
    circle.add(guest.pk)
    assert audiences_of(guest) == {CIRCLE_KEY}
    assert search(user=guest, q=WORD).count == 2

    circle.discard(guest.pk)

    assert search(user=guest, q=WORD).count == 1


def test_an_anonymous_reader_holds_no_key(entries: dict[str, Any], circle: set[int]) -> None:
    assert audiences_of(AnonymousUser()) == set()
    assert audiences_of(None) == set()


def test_a_group_entry_with_no_keys_is_found_by_no_one(
    entries: dict[str, Any], member: Any, circle: set[int]
) -> None:
    SearchAudience.objects.all().delete()
    circle.add(member.pk)
    assert search(user=member, q=WORD).count == 1


# --- through the discussions' working groups ------------------------------------------


@pytest.fixture
def group_thread(db: None, member: Any) -> Any:
    issue_areas_load()
    group = WorkingGroupFactory.create()
    group.members.add(member)
    category = group_category(group, slug="steering")
    category.issue_area = IssueArea.objects.get(code="HUMAN_RIGHTS")
    category.save()
    entry_create(
        title=f"Public {WORD} guidance",
        kind="guidance",
        language="en",
        published_at=datetime(2020, 5, 1, tzinfo=UTC),
    )
    return thread_with_posts(
        author=member,
        category=category,
        title=f"Бюджет {WORD} рабочей группы",
        body=f"Только для группы: {WORD} зарплаты.",
        language="ru",
    )


def test_a_working_group_thread_is_found_by_its_members_and_the_moderators(
    client: Client, group_thread: Any, member: Any, secretariat: Any
) -> None:
    for reader in (member, secretariat):
        client.force_login(reader)
        assert "рабочей группы" in _page(client)
        data = _api(client)
        assert data["count"] == 2
        assert "discussion" in _facet_values(data)["kind"]
        client.logout()


def test_a_working_group_thread_is_hidden_from_other_members_and_anonymous_readers(
    client: Client, group_thread: Any, make_user: Any
) -> None:
    other_member = make_user(Role.MEMBER)
    _record, key = api_token_create(user=other_member, name="test")

    anonymous_page = _page(client)
    anonymous_api = _api(client)
    by_token = _api(client, Authorization=f"Bearer {key}")
    client.force_login(other_member)
    member_page = _page(client)
    member_api = _api(client)

    for text in (anonymous_page, member_page):
        assert "рабочей группы" not in text
        assert "зарплаты" not in text
        assert "1 result" in text
        assert "Discussion" not in text  # the kind facet
        assert "Human rights protection" not in text
    for data in (anonymous_api, by_token, member_api):
        assert data["count"] == 1
        assert _facet_values(data) == {
            "kind": {"guidance"},
            "language": {"en"},
            "issue_area": set(),
            "country": set(),
            "year": {"2020"},
        }
        assert "рабочей группы" not in str(data)
    # Browsing without a query lists the newest entries: still not the thread.
    browse = client.get("/api/v1/search").json()
    assert "рабочей группы" not in str(browse)
    assert browse["count"] == 1
