"""A members-only resource never reaches an anonymous reader, on any path: the search page
and API, the library's pages, API, file download and feed, the news feed, the sitemap."""

from __future__ import annotations

from datetime import date

import feedparser
import pytest
from django.urls import reverse

from hrnet.accounts.services import api_token_create
from hrnet.library.services.resources import resource_create
from hrnet.library.tests.factories import pdf_bytes, upload

pytestmark = pytest.mark.usefixtures("geography")

SECRET = "Zebrafinch prison outreach: internal review"
MARK = "internal review"  # part of the title that highlighting leaves whole


@pytest.fixture
def resources(secretariat):
    common = {"actor": secretariat, "language": "en", "publication_date": date(2025, 3, 1)}
    hidden = resource_create(
        **common,
        type="report",
        title=SECRET,
        summary="Zebrafinch notes for network members.",
        visibility="members",
        uploads=[upload("review.pdf", pdf_bytes("Zebrafinch internal text."))],
    )
    public = resource_create(
        **common,
        type="report",
        title="Zebrafinch public report",
        summary="Zebrafinch for everyone.",
        external_url="https://example.org/public",
    )
    return hidden, public


def _anonymous_texts(client, hidden) -> dict[str, str]:
    file_id = hidden.files.get().pk
    return {
        "search page": client.get(reverse("search:search"), {"q": "zebrafinch"}).content.decode(),
        "search api": client.get("/api/v1/search", {"q": "zebrafinch"}).content.decode(),
        "browse api": client.get("/api/v1/search").content.decode(),
        "library page": client.get(reverse("library:resource_list")).content.decode(),
        "library api": client.get("/api/v1/resources").content.decode(),
        "library feed": client.get(reverse("library:feed")).content.decode(),
        "news feed": client.get(reverse("news:feed")).content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "detail": client.get(reverse("library:resource_detail", args=[hidden.pk])).content.decode(),
        "resource api": client.get(f"/api/v1/resources/{hidden.pk}").content.decode(),
        "file": b"".join(getattr(response, "streaming_content", [response.content])).decode(
            "latin-1"
        )
        if (response := client.get(reverse("library:file_download", args=[file_id])))
        else "",
    }


def test_an_anonymous_reader_meets_the_members_only_resource_nowhere(client, resources):
    hidden, public = resources

    texts = _anonymous_texts(client, hidden)

    for path, text in texts.items():
        assert MARK not in text, path
        assert "internal text" not in text, path
    assert "public report" in texts["search page"]
    assert public.title in texts["library feed"]
    assert f"/library/{public.pk}/" in texts["sitemap"]
    assert f"/library/{hidden.pk}/" not in texts["sitemap"]
    assert feedparser.parse(texts["library feed"]).bozo == 0


@pytest.mark.usefixtures("resources")
def test_a_network_member_finds_it_in_the_search_and_the_api(client, member):
    _token, key = api_token_create(user=member, name="test")
    bearer = {"Authorization": f"Bearer {key}"}

    client.force_login(member)

    assert MARK in client.get(reverse("search:search"), {"q": "zebrafinch"}).content.decode()
    assert MARK in client.get(reverse("library:resource_list")).content.decode()
    # The feeds and the sitemap are for everyone: never the members-only resource.
    assert MARK not in client.get(reverse("library:feed")).content.decode()
    client.logout()
    found = client.get("/api/v1/search", {"q": "zebrafinch"}, headers=bearer).json()
    assert SECRET in [hit["title"] for hit in found["results"]]
