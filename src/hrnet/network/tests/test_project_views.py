"""Project and partner pages: what visitors, members and the secretariat see and may do."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrnet.events.models import Event
from hrnet.events.tests.factories import EventFactory
from hrnet.network.models import CommitmentOutput, Partner, Project
from hrnet.network.tests.factories import (
    CommitmentFactory,
    CommitmentOutputFactory,
    PartnerFactory,
    ProjectFactory,
)
from hrnet.news.tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_project_page_shows_commitments_with_counts_of_linked_outputs(client: Client) -> None:
    # given a project with 3 webinars held of 5 promised and a trainings commitment
    donor = PartnerFactory.create(names={"en": "Example Foundation"}, kind=Partner.Kind.DONOR)
    project = ProjectFactory.create(slug="platform", donors=[donor])
    webinars = CommitmentFactory.create(
        project=project, target=5, descriptions={"en": "Webinars for community leaders"}
    )
    for title in ("Donor rules explained", "Community voices", "Budget advocacy"):
        CommitmentOutputFactory.create(
            commitment=webinars, event=EventFactory.create(titles={"en": title})
        )
    CommitmentFactory.create(project=project, kind="training", target=2, descriptions={})

    # when a visitor opens the page
    page = client.get("/en/projects/platform/").content.decode()

    # then each commitment shows its count against its target and lists the webinars
    assert "Webinars for community leaders" in page
    assert "3 of 5" in page
    assert "0 of 2" in page
    assert "Donor rules explained" in page
    assert "Example Foundation" in page


def test_project_page_in_russian(client: Client) -> None:
    project = ProjectFactory.create(slug="platform")
    CommitmentFactory.create(project=project, target=5)
    page = client.get("/ru/projects/platform/").content.decode()
    assert project.names["ru"] in page
    assert "Вебинары для лидеров сообществ" in page
    english = client.get("/en/projects/platform/").content.decode()
    assert project.names["en"] in english


def test_public_sees_hidden_outputs_only_as_counts(client: Client, secretariat: Any) -> None:
    commitment = CommitmentFactory.create(target=3)
    CommitmentOutputFactory.create(
        commitment=commitment,
        event=EventFactory.create(titles={"en": "Draft webinar"}, status=Event.Status.DRAFT),
    )
    url = f"/en/projects/{commitment.project.slug}/"
    page = client.get(url).content.decode()
    assert "1 of 3" in page
    assert "Draft webinar" not in page
    assert "Draft webinar" in _signed_in(secretariat).get(url).content.decode()


def test_unpublished_project_is_hidden_from_visitors_and_members(
    client: Client, member: Any, secretariat: Any
) -> None:
    ProjectFactory.create(slug="draft", names={"en": "Secret plan"}, is_published=False)
    assert client.get("/en/projects/draft/").status_code == 404
    assert _signed_in(member).get("/en/projects/draft/").status_code == 404
    assert "Secret plan" not in client.get("/en/projects/").content.decode()
    assert _signed_in(secretariat).get("/en/projects/draft/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/en/projects/new/",
        "/en/projects/platform/edit/",
        "/en/projects/platform/commitments/new/",
        "/en/projects/partners/new/",
    ],
)
def test_editors_are_the_secretariats(
    client: Client, member: Any, secretariat: Any, path: str
) -> None:
    ProjectFactory.create(slug="platform")
    assert client.get(path).status_code == 302  # to sign in
    assert _signed_in(member).get(path).status_code == 403
    assert _signed_in(secretariat).get(path).status_code == 200


def test_secretariat_creates_a_project_and_a_commitment(secretariat: Any) -> None:
    browser = _signed_in(secretariat)
    response = browser.post(
        "/en/projects/new/",
        {"slug": "new-platform", "names_en": "New platform", "is_published": "on"},
    )
    assert response.status_code == 302
    project = Project.objects.get(slug="new-platform")
    response = browser.post(
        "/en/projects/new-platform/commitments/new/",
        {"kind": "webinar", "target": "4", "descriptions_en": "Webinars for leaders"},
    )
    assert response.status_code == 302
    assert project.commitments.get().target == 4
    assert "0 of 4" in browser.get("/en/projects/new-platform/").content.decode()


def test_secretariat_links_and_unlinks_an_output(secretariat: Any) -> None:
    commitment = CommitmentFactory.create()
    event = EventFactory.create(titles={"en": "Leaders webinar"})
    browser = _signed_in(secretariat)
    url = f"/en/projects/{commitment.project.slug}/commitments/{commitment.pk}/outputs/"
    found = browser.get(url, {"kind": "event", "q": "leaders"}).content.decode()
    assert "Leaders webinar" in found
    assert browser.post(url, {"kind": "event", "record": event.pk}).status_code == 302
    again = browser.post(url, {"kind": "event", "record": event.pk})
    assert "already an output" in again.content.decode()
    missing = browser.post(url, {"kind": "resource", "record": 99999})
    assert "no record number 99999" in missing.content.decode()
    output = CommitmentOutput.objects.get(commitment=commitment)
    unlink = f"/en/projects/{commitment.project.slug}/outputs/{output.pk}/unlink/"
    assert browser.post(unlink).status_code == 302
    assert not CommitmentOutput.objects.exists()


def test_member_may_not_link_outputs(member: Any) -> None:
    commitment = CommitmentFactory.create()
    url = f"/en/projects/{commitment.project.slug}/commitments/{commitment.pk}/outputs/"
    response = _signed_in(member).post(url, {"kind": "event", "record": EventFactory.create().pk})
    assert response.status_code == 403
    assert not CommitmentOutput.objects.exists()


def test_partner_list_shows_logos_and_links(client: Client, secretariat: Any) -> None:
    browser = _signed_in(secretariat)
    response = browser.post(
        "/en/projects/partners/new/",
        {
            "names_en": "UN agency example",
            "kind": "un_agency",
            "url": "https://un.example.org/",
            "logo": jpeg_upload("logo.jpg"),
            "logo_alt": "Agency logo",
            "position": "0",
        },
    )
    assert response.status_code == 302
    page = client.get("/en/projects/partners/").content.decode()
    assert 'alt="Agency logo"' in page
    assert "https://un.example.org/" in page
    assert "Сеть" not in page


def test_partner_form_refuses_a_forbidden_logo_and_a_non_url_link(secretariat: Any) -> None:
    browser = _signed_in(secretariat)
    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = browser.post(
        "/en/projects/partners/new/",
        {
            "names_en": "Donor",
            "kind": "donor",
            "url": "not a link",
            "logo": svg,
            "logo_alt": "x",
            "position": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a PNG, JPEG or WebP image" in page
    assert "is not a web address" in page
    assert not Partner.objects.exists()
