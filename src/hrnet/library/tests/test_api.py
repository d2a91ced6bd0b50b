"""/api/v1/resources: the same filters and visibility as the pages."""

from __future__ import annotations

from datetime import date

import pytest

from hrnet.accounts.roles import Role
from hrnet.core.models import IssueArea
from hrnet.core.reference import issue_areas_load
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.library.tests.factories import ResourceFactory, ResourceFileFactory

pytestmark = pytest.mark.usefixtures("geography")


def _token(user):
    from hrnet.accounts.services import api_token_create

    return api_token_create(user=user, name="test")[1]


def test_anonymous_gets_public_published_resources_only(client):
    public = ResourceFactory.create(title="Public guidance")
    ResourceFactory.create(title="Members only", visibility=Resource.Visibility.MEMBERS)
    ResourceFactory.create(title="Submitted", status=Resource.Status.SUBMITTED)

    body = client.get("/api/v1/resources").json()

    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [public.pk]
    assert body["items"][0]["url"].endswith(f"/en/library/{public.pk}/")


def test_members_get_members_only_resources_with_a_token(client, member):
    resource = ResourceFactory.create(title="Members only", visibility=Resource.Visibility.MEMBERS)

    response = client.get(
        "/api/v1/resources", headers={"Authorization": f"Bearer {_token(member)}"}
    )

    assert [item["id"] for item in response.json()["items"]] == [resource.pk]
    assert response.json()["items"][0]["visibility"] == "members"


def test_a_wrong_token_answers_401_not_anonymous(client):
    assert (
        client.get("/api/v1/resources", headers={"Authorization": "Bearer nope"}).status_code == 401
    )


def test_detail_is_404_for_what_the_caller_may_not_see(client, make_user):
    members_only = ResourceFactory.create(visibility=Resource.Visibility.MEMBERS)
    submitted = ResourceFactory.create(status=Resource.Status.SUBMITTED)

    assert client.get(f"/api/v1/resources/{members_only.pk}").status_code == 404
    assert client.get(f"/api/v1/resources/{submitted.pk}").status_code == 404
    client.force_login(make_user(Role.SITESTAFF))
    assert client.get(f"/api/v1/resources/{members_only.pk}").status_code == 404
    client.force_login(make_user(Role.EXPERT))
    assert client.get(f"/api/v1/resources/{members_only.pk}").status_code == 200


def test_detail_has_files_translations_and_taxonomies(client):
    issue_areas_load()
    area = IssueArea.objects.get(code="HIV")
    english = ResourceFactory.create(
        title="Hepatitis C", issue_areas=[area], countries=[Country.objects.get(iso2="KZ")]
    )
    russian = ResourceFactory.create(
        title="Гепатит C", language="ru", translation_key=english.translation_key
    )
    resource_file = ResourceFileFactory.create(resource=english, original_name="hcv.pdf")

    body = client.get(f"/api/v1/resources/{english.pk}").json()

    assert body["issue_areas"] == [{"code": area.code, "name": area.name}]
    assert body["countries"][0]["iso2"] == "KZ"
    assert body["files"][0]["name"] == "hcv.pdf"
    assert body["files"][0]["url"].endswith(f"/library/files/{resource_file.pk}/")
    assert body["translations"] == [
        {
            "id": russian.pk,
            "language": "ru",
            "title": "Гепатит C",
            "url": f"http://testserver/ru/library/{russian.pk}/",
        }
    ]


def test_list_filters(client):
    ResourceFactory.create(
        title="Match", type="report", language="ru", publication_date=date(2022, 1, 1)
    )
    ResourceFactory.create(
        title="Other", type="report", language="en", publication_date=date(2022, 1, 1)
    )

    body = client.get(
        "/api/v1/resources", {"type": "report", "language": "ru", "year": 2022}
    ).json()

    assert [item["title"] for item in body["items"]] == ["Match"]


def test_list_is_paginated(client):
    for _ in range(3):
        ResourceFactory.create()

    body = client.get("/api/v1/resources", {"limit": 2, "offset": 2}).json()

    assert body["count"] == 3
    assert len(body["items"]) == 1
