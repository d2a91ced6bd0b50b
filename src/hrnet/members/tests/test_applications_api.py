"""/api/v1/applications: applying without an account (the form's checks, errors as 422 by
field), and reading an application as its applicant or the secretariat."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.members.models import Application, Organisation, Person, PrinciplesVersion
from hrnet.members.tests.factories import ApplicationFactory, PrinciplesVersionFactory
from hrnet.members.tests.test_applications_services import issue_areas, nothing_written

pytestmark = pytest.mark.usefixtures("geography")

URL = "/api/v1/applications"


@pytest.fixture
def principles(db: None) -> PrinciplesVersion:
    issue_areas()
    return PrinciplesVersionFactory.create(number=1)


def organisation_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "organisation",
        "names": {"en": "Harm Reduction Almaty", "ru": "Снижение вреда Алматы"},
        "organisation_kind": "ngo",
        "country": "Kazakhstan",
        "city": "Almaty",
        "issue_areas": ["hiv"],
        "is_public": True,
        "contact_name": "Aigerim",
        "contact_email": "aigerim@example.org",
        "motivation": "We run needle exchange.",
        "principles_version": 1,
        "accept_principles": True,
        "language": "ru",
        **overrides,
    }


def post(client: Any, payload: dict[str, Any], **headers: Any) -> Any:
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def test_anyone_applies_through_the_api(client, principles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, organisation_payload())

    assert response.status_code == 201, response.content
    application = Application.objects.get()
    body = response.json()
    assert body["id"] == application.pk
    assert body["status"] == "submitted"
    assert body["status_url"].endswith(
        f"/ru/members/applications/status/{application.access_token}/"
    )
    organisation = Organisation.objects.get(applications=application)
    assert organisation.names["ru"] == "Снижение вреда Алматы"
    assert organisation.country.iso2 == "KZ"
    assert application.language == "ru"
    assert application.applicant_user is None
    assert mail.outbox[0].to == ["aigerim@example.org"]


def test_an_individual_applies_with_languages_by_name(client, principles):
    response = post(
        client,
        {
            "kind": "individual",
            "full_name": "Nino Expert",
            "email": "nino@example.org",
            "country": "GE",
            "languages": ["Georgian", "ru"],
            "motivation": "Peer support.",
            "principles_version": 1,
            "accept_principles": True,
        },
    )

    assert response.status_code == 201, response.content
    person = Person.objects.get()
    assert person.languages == ["ka", "ru"]
    assert person.country.iso2 == "GE"


def test_bad_input_is_a_422_with_a_message_per_field_and_nothing_written(client, principles):
    response = post(
        client,
        organisation_payload(
            country="Atlantis", contact_email="", accept_principles=False, names={}
        ),
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["contact_email"] == ["This field is required."]
    assert errors["accept_principles"] == [
        "Please read the principles and tick the box to accept them."
    ]
    assert nothing_written()


def test_the_services_meaning_checks_answer_by_field(client, principles):
    response = post(client, organisation_payload(country="Atlantis", names={}))

    errors = response.json()["errors"]
    assert response.status_code == 422
    assert errors["country"] == [
        "Unknown country “Atlantis”: use an ISO code, a country name or a known alias."
    ]
    assert errors["names.ru"] == ["Give the organisation's name in at least one language."]
    assert nothing_written()


def test_names_in_unknown_languages_are_refused(client, principles):
    response = post(client, organisation_payload(names={"xx": "Name"}))

    assert response.status_code == 422
    assert "names" in response.json()["errors"]
    assert nothing_written()


def test_an_outdated_or_missing_principles_version_is_refused(client, principles):
    PrinciplesVersionFactory.create(number=2)

    outdated = post(client, organisation_payload(principles_version=1))
    missing = post(
        client, {k: v for k, v in organisation_payload().items() if k != "principles_version"}
    )

    assert outdated.status_code == 422
    assert "changed to version 2" in outdated.json()["errors"]["accept_principles"][0]
    assert missing.status_code == 422
    assert nothing_written()


def test_no_applications_before_principles_are_published(client, db):
    issue_areas()

    response = post(client, organisation_payload())

    assert response.status_code == 422
    assert "has not published its principles" in response.json()["errors"]["accept_principles"][0]
    assert client.get(URL + "/principles").status_code == 404
    assert nothing_written()


def test_the_current_principles_are_public(client, principles):
    response = client.get(URL + "/principles", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert response.json()["number"] == 1
    assert response.json()["text"] == "Принципы, версия 1"


def test_a_caller_with_a_token_is_the_applicant_and_reads_it_back(client, principles, make_user):
    user = make_user(Role.MEMBER)
    _token, key = api_token_create(user=user, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    created = post(client, organisation_payload(), **auth)
    response = client.get(f"{URL}/{created.json()['id']}", **auth)

    assert Application.objects.get().applicant_user == user
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert body["applicant_name"] == "Harm Reduction Almaty"
    assert body["principles_version"] == 1
    assert body["decision_reason"] == ""


def test_reading_an_application_needs_credentials_and_is_for_its_applicant_or_the_secretariat(
    client, principles, make_user, secretariat
):
    application = ApplicationFactory.create(
        status="rejected", decision_reason="Outside the region."
    )

    assert client.get(f"{URL}/{application.pk}").status_code == 401
    for role in (Role.MEMBER, Role.ORGADMIN, Role.EXPERT, Role.SITESTAFF, Role.DOCUMENTER):
        client.force_login(make_user(role))
        assert client.get(f"{URL}/{application.pk}").status_code == 404
    client.force_login(secretariat)
    response = client.get(f"{URL}/{application.pk}")
    assert response.status_code == 200
    assert response.json()["decision_reason"] == "Outside the region."
    assert client.get(f"{URL}/999999").status_code == 404


def test_the_openapi_document_describes_the_application_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "post" in paths["/api/v1/applications"]
    assert "/api/v1/applications/{application_id}" in paths
    assert "/api/v1/applications/principles" in paths
