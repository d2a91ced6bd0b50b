"""HTML or script in any field never runs in a page; members-only resources never reach
anonymous readers by any path (listing, page, API, sitemap, search, digest)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hrnet.library.models import Resource
from hrnet.library.search_documents import resource_search_document
from hrnet.library.selectors import resources_published_between
from hrnet.library.sitemaps import ResourceSitemap
from hrnet.library.tests.factories import ResourceFactory

pytestmark = pytest.mark.usefixtures("geography")

PAYLOAD = '<script>alert("x")</script>'


@pytest.fixture
def hostile():
    return ResourceFactory.create(
        title=f"Title {PAYLOAD}",
        summary=f"Summary {PAYLOAD}",
        description=(
            f"Description {PAYLOAD} <img src=x onerror=alert(1)> [link](javascript:alert(1))"
        ),
        publisher=f"Publisher {PAYLOAD}",
        authors=f"Authors {PAYLOAD}",
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_script_payload_never_appears_unescaped_in_the_pages(client, hostile, language):
    pages = [
        client.get(f"/{language}/library/"),
        client.get(f"/{language}/library/", headers={"HX-Request": "true"}),
        client.get(f"/{language}/library/{hostile.pk}/"),
    ]

    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert "onerror" not in page.text
        assert "javascript:" not in page.text
    assert "Title &lt;script&gt;" in pages[2].text


def test_the_api_serves_the_payload_as_json_data_and_its_html_sanitised(client, hostile):
    response = client.get(f"/api/v1/resources/{hostile.pk}")
    body = response.json()

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body["title"] == f"Title {PAYLOAD}"  # data, as typed
    assert "<script" not in body["description_html"]
    assert "onerror" not in body["description_html"]
    assert "javascript:" not in body["description_html"]


def test_the_payload_is_escaped_in_the_moderation_queue(client, secretariat):
    ResourceFactory.create(title=f"Queued {PAYLOAD}", status=Resource.Status.SUBMITTED)
    client.force_login(secretariat)

    assert "<script>alert" not in client.get("/en/library/moderation/").text


@pytest.fixture
def members_only():
    return ResourceFactory.create(title="Members-only harm reduction data", visibility="members")


def test_members_only_is_absent_from_the_anonymous_listing_and_api(client, members_only):
    assert members_only.title not in client.get("/en/library/").text
    assert members_only.title not in client.get("/api/v1/resources").text
    assert client.get(f"/api/v1/resources/{members_only.pk}").status_code == 404


def test_the_sitemap_lists_public_published_resources_only(members_only):
    public = ResourceFactory.create(title="Public")
    ResourceFactory.create(status=Resource.Status.SUBMITTED)
    russian = ResourceFactory.create(language="ru")

    sitemap = ResourceSitemap()
    locations = [sitemap.location(item) for item in sitemap.items()]

    assert sorted(locations) == sorted([f"/en/library/{public.pk}/", f"/ru/library/{russian.pk}/"])


def test_the_search_document_says_members_only_and_none_for_unpublished(members_only):
    submitted = ResourceFactory.create(status=Resource.Status.SUBMITTED)

    document = resource_search_document(members_only)

    assert document is not None
    assert document.visibility == "members"
    assert document.url_name == "library:resource_detail"
    assert resource_search_document(submitted) is None


def test_the_digest_selector_gives_what_the_reader_may_see_in_the_window(members_only, member):
    now = timezone.now()
    public = ResourceFactory.create(title="This week")
    ResourceFactory.create(title="Last month", published_at=now - timedelta(days=30))
    start, end = now - timedelta(days=7), now + timedelta(minutes=1)

    anonymous = resources_published_between(user=AnonymousUser(), start=start, end=end)
    for_member = resources_published_between(user=member, start=start, end=end)

    assert anonymous == [public]
    assert {r.pk for r in for_member} == {public.pk, members_only.pk}
