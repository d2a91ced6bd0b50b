"""/api/v1/projects: published projects with commitments and their output counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hrnet.accounts.services import api_token_create
from hrnet.events.models import Event
from hrnet.events.tests.factories import EventFactory
from hrnet.network.models import Partner
from hrnet.network.tests.factories import (
    CommitmentFactory,
    CommitmentOutputFactory,
    PartnerFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def test_list_gives_published_projects_with_commitment_counts(
    client: Client, geography: None
) -> None:
    from hrnet.geo.models import Country

    donor = PartnerFactory.create(names={"en": "Example Foundation"}, kind=Partner.Kind.DONOR)
    project = ProjectFactory.create(
        slug="platform", donors=[donor], countries=Country.objects.filter(iso2="MD")
    )
    commitment = CommitmentFactory.create(project=project, target=5)
    CommitmentOutputFactory.create(commitment=commitment)
    CommitmentOutputFactory.create(commitment=commitment)
    ProjectFactory.create(slug="draft", is_published=False)

    response = client.get("/api/v1/projects")

    assert response.status_code == 200
    [item] = response.json()
    assert item["slug"] == "platform"
    assert item["period"] == {"start": "2024-01-01", "end": "2026-12-31"}
    assert item["donors"][0]["name"] == "Example Foundation"
    assert item["countries"] == [{"code": "MD", "name": "Moldova"}]
    assert item["commitments"] == [
        {
            "kind": "webinar",
            "description": "Webinars for community leaders",
            "target": 5,
            "outputs_count": 2,
        }
    ]


def test_detail_lists_visible_outputs_and_hides_drafts(client: Client) -> None:
    commitment = CommitmentFactory.create(project=ProjectFactory.create(slug="platform"))
    CommitmentOutputFactory.create(
        commitment=commitment, event=EventFactory.create(titles={"en": "Open webinar"})
    )
    CommitmentOutputFactory.create(
        commitment=commitment, event=EventFactory.create(status=Event.Status.DRAFT)
    )
    data = client.get("/api/v1/projects/platform").json()
    [item] = data["commitments"]
    assert item["outputs_count"] == 2
    assert [e["title"] for e in item["events"]] == ["Open webinar"]
    assert client.get("/api/v1/projects/missing").status_code == 404


def test_unpublished_project_only_for_the_secretariat(client: Client, secretariat: Any) -> None:
    ProjectFactory.create(slug="draft", is_published=False)
    assert client.get("/api/v1/projects/draft").status_code == 404
    _token, key = api_token_create(user=secretariat, name="laptop")
    response = client.get("/api/v1/projects/draft", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["is_published"] is False


def test_russian_names_with_the_russian_language(client: Client) -> None:
    ProjectFactory.create(slug="platform", names={"en": "Platform", "ru": "Платформа"})
    data = client.get("/api/v1/projects", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert data[0]["name"] == "Платформа"
