"""/api/v1/members: the directory as JSON, with the same visibility as the pages."""

from __future__ import annotations

from typing import Any

import pytest

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.core.models import IssueArea
from hrnet.members.models import Membership, MembershipType, Organisation
from hrnet.members.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    country,
    membership_type,
)

pytestmark = pytest.mark.usefixtures("geography")
API = "/api/v1/members"


def member_organisation(*, status: str = Membership.Status.ACTIVE, **fields: Any) -> Organisation:
    organisation: Organisation = OrganisationFactory.create(**fields)
    MembershipFactory(organisation=organisation, status=status)
    return organisation


def member_person(**fields: Any) -> Any:
    person = PersonFactory(**fields)
    MembershipFactory(
        organisation=None, person=person, type=membership_type(MembershipType.Kind.INDIVIDUAL)
    )
    return person


@pytest.fixture
def register(db: None) -> dict[str, Any]:
    hiv = IssueArea.objects.create(code="HIV", names={"en": "HIV", "ru": "ВИЧ"})
    public = member_organisation(
        names={"en": "Alpha Public", "ru": "Альфа"},
        name_key="alpha public",
        is_public=True,
        email="alpha@example.org",
        website="https://alpha.example",
    )
    public.issue_areas.add(hiv)
    return {
        "public": public,
        "hidden": member_organisation(
            names={"en": "Beta Hidden"}, name_key="beta hidden", email="beta@example.org"
        ),
        "lapsed": member_organisation(
            names={"en": "Gamma Lapsed"},
            name_key="gamma lapsed",
            is_public=True,
            status=Membership.Status.LAPSED,
        ),
        "person": member_person(
            full_name="Zoe Public",
            name_key="zoe public",
            is_public=True,
            email="zoe@example.org",
            expertise="Peer outreach",
            languages=["ru", "en"],
            country=country("UA"),
        ),
        "private_person": member_person(full_name="Yuri Private", name_key="yuri private"),
    }


def bearer(user: Any) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def test_anonymous_callers_get_opted_in_members_and_public_fields_only(client, register):
    response = client.get(API)

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert [(item["kind"], item["name"]) for item in body["items"]] == [
        ("organisation", "Alpha Public"),
        ("individual", "Zoe Public"),
    ]
    alpha = body["items"][0]
    assert alpha["id"] == register["public"].pk
    assert alpha["type"] == "ngo"
    assert alpha["country"] == {
        "iso2": "MD",
        "name": "Moldova",
        "subregion": {"code": "EUROPEAN_CIS", "name": "European countries of the CIS"},
    }
    assert alpha["issue_areas"] == [{"code": "HIV", "name": "HIV"}]
    assert alpha["website"] == "https://alpha.example"
    assert alpha["url"].endswith(f"/en/members/directory/organisations/{alpha['id']}/")
    assert "email" not in alpha
    zoe = body["items"][1]
    assert zoe["type"] == "individual"
    assert zoe["expertise"] == "Peer outreach"
    assert "email" not in zoe
    assert "zoe@example.org" not in response.content.decode()
    assert "Beta Hidden" not in response.content.decode()


def test_network_members_with_a_token_see_every_current_member_and_emails(
    client, register, make_user
):
    response = client.get(API, headers=bearer(make_user(Role.MEMBER)))

    items = response.json()["items"]
    assert [item["name"] for item in items] == [
        "Alpha Public",
        "Beta Hidden",
        "Yuri Private",
        "Zoe Public",
    ]
    assert items[1]["email"] == "beta@example.org"
    assert "email" not in items[3]  # people's emails are not listed


def test_the_session_is_used_when_present(client, register, member):
    client.force_login(member)

    assert client.get(API).json()["count"] == 4


def test_a_wrong_token_answers_401_rather_than_the_public_listing(client, register):
    response = client.get(API, headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "ua"}, ["Zoe Public"]),
        ({"subregion": "EUROPEAN_CIS"}, ["Alpha Public", "Beta Hidden", "Yuri Private",
                                         "Zoe Public"]),
        ({"type": "individual"}, ["Yuri Private", "Zoe Public"]),
        ({"type": "ngo"}, ["Alpha Public", "Beta Hidden"]),
        ({"issue_area": "HIV"}, ["Alpha Public"]),
        ({"community_led": "true"}, []),
        ({"q": "АЛЬФА"}, ["Alpha Public"]),
    ],
)  # fmt: skip
def test_the_directory_filters_apply(client, register, member, params, expected):
    client.force_login(member)

    items = client.get(API, params).json()["items"]

    assert [item["name"] for item in items] == expected


def test_limit_and_offset_paginate(client, register, member):
    client.force_login(member)

    body = client.get(API, {"limit": 2, "offset": 1}).json()

    assert body["count"] == 4
    assert (body["limit"], body["offset"]) == (2, 1)
    assert [item["name"] for item in body["items"]] == ["Beta Hidden", "Yuri Private"]
    assert client.get(API, {"limit": 1000}).status_code == 422


def test_the_list_makes_a_constant_number_of_queries(client, register, django_assert_num_queries):
    hiv = IssueArea.objects.get(code="HIV")
    for n in range(10):
        member_organisation(is_public=True, name_key=f"m {n} a").issue_areas.add(hiv)
        member_person(is_public=True, name_key=f"m {n} b").issue_areas.add(hiv)
    # Count, page of rows, organisations and their issue areas, people and theirs.
    for limit in (3, 13):
        with django_assert_num_queries(6):
            response = client.get(API, {"limit": limit})
        assert {item["kind"] for item in response.json()["items"]} == {
            "organisation",
            "individual",
        }


def test_a_member_by_kind_and_id(client, register):
    organisation = client.get(f"{API}/organisation/{register['public'].pk}")
    person = client.get(f"{API}/individual/{register['person'].pk}")

    assert organisation.status_code == 200
    assert organisation.json()["name"] == "Alpha Public"
    assert organisation.json()["names"] == {"en": "Alpha Public", "ru": "Альфа"}
    assert "email" not in organisation.json()
    assert person.json()["languages"] == ["ru", "en"]


@pytest.mark.parametrize(
    "path",
    [
        "organisation/{hidden}",
        "organisation/{lapsed}",
        "individual/{private_person}",
        "organisation/999999",
    ],
)
def test_members_the_caller_may_not_see_answer_404(client, register, path):
    ids = {key: value.pk for key, value in register.items()}

    response = client.get(f"{API}/{path.format(**ids)}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_kind_is_refused(client, register):
    assert client.get(f"{API}/company/{register['public'].pk}").status_code == 422


def test_network_members_see_a_hidden_member_with_its_email(client, register, member):
    client.force_login(member)

    response = client.get(f"{API}/organisation/{register['hidden'].pk}")

    assert response.json()["email"] == "beta@example.org"


def test_the_members_api_is_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/members" in paths
    assert "/api/v1/members/{kind}/{member_id}" in paths
