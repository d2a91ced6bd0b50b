"""/api/v1/rights: the permission matrix of the cases (list, detail, record), the audit
of every read, the validation of a new case, and the public statistics' suppression."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.members.models import Person
from hrnet.members.tests.factories import AffiliationFactory, OrganisationFactory, country
from hrnet.rights.models import Case, CaseResponse, PerpetratorType
from hrnet.rights.services import cases
from hrnet.rights.tests.factories import (
    CaseFactory,
    ViolationTypeFactory,
    documenter_of,
    shared_with,
    use_test_keys,
)

pytestmark = pytest.mark.usefixtures("geography")

CASES = "/api/v1/rights/cases"
STATISTICS = "/api/v1/rights/statistics"


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


def bearer(user: Any) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def world(db: None, make_user: Any) -> dict[str, Any]:
    """A case of one organisation, shared with one reviewer, and everyone around it."""
    organisation, other_organisation = OrganisationFactory.create(), OrganisationFactory.create()
    case = CaseFactory.create(
        organisation=organisation,
        violation_types=[ViolationTypeFactory.create(code="police-abuse")],
    )
    other_case = CaseFactory.create(organisation=other_organisation)
    reviewer = make_user(Role.SECRETARIAT)
    shared_with(case, reviewer)
    return {
        "case": case,
        "other_case": other_case,
        "documenter": documenter_of(organisation),
        "other_documenter": documenter_of(other_organisation),
        "reviewer": reviewer,
        "other_secretariat": make_user(Role.SECRETARIAT),
        "member": make_user(Role.MEMBER),
        "admin": UserFactory.create(is_superuser=True, is_staff=True),
    }


# --- reading ------------------------------------------------------------------------------

# Who sees `case` in the list and its detail.
READERS = [
    ("documenter", True),
    ("other_documenter", False),
    ("reviewer", True),
    ("other_secretariat", False),
    ("member", False),
    ("admin", False),  # until they break the glass
]


@pytest.mark.parametrize(("who", "reads"), READERS)
def test_case_list_is_scoped(client: Client, world: dict[str, Any], who: str, reads: bool) -> None:
    case = world["case"]

    response = client.get(CASES, headers=bearer(world[who]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    references = [item["reference"] for item in response.json()["items"]]
    assert (case.reference in references) is reads
    assert world["other_case"].reference not in references or who == "other_documenter"
    # The list never carries what happened or who the person is.
    body = response.content.decode()
    assert "narrative" not in body
    assert "bus station" not in body
    assert "person_description" not in body


@pytest.mark.parametrize(("who", "reads"), READERS)
def test_case_detail_is_scoped_and_audited(
    client: Client, world: dict[str, Any], who: str, reads: bool
) -> None:
    case = world["case"]

    response = client.get(f"{CASES}/{case.reference}", headers=bearer(world[who]))

    reads_logged = AuditEntry.objects.filter(action="rights.case.read", object_id=str(case.pk))
    if reads:
        assert response.status_code == 200
        data = response.json()
        assert data["narrative"] == case.narrative
        assert data["person_description"] == case.person_description
        assert [v["code"] for v in data["violation_types"]] == ["police-abuse"]
        assert data["country"] == "MD"
        assert reads_logged.filter(actor=world[who]).count() == 1
        # The audit entry holds the reference, never the text.
        assert "bus station" not in str(list(reads_logged.values_list("changes", flat=True)))
    else:
        # The same answer as for a reference that does not exist.
        assert response.status_code == 404
        assert not reads_logged.exists()
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_reference_answers_404(client: Client, world: dict[str, Any]) -> None:
    response = client.get(f"{CASES}/C-NOSUCH00", headers=bearer(world["documenter"]))

    assert response.status_code == 404


def test_each_case_listed_is_an_audited_read(client: Client, world: dict[str, Any]) -> None:
    documenter = world["documenter"]
    second = CaseFactory.create(organisation=world["case"].organisation)

    client.get(CASES, headers=bearer(documenter))

    logged = set(
        AuditEntry.objects.filter(actor=documenter, action="rights.case.list_read").values_list(
            "object_id", flat=True
        )
    )
    assert logged == {str(world["case"].pk), str(second.pk)}


def test_break_glass_opens_one_case_to_the_administrator(
    client: Client, world: dict[str, Any]
) -> None:
    admin, case = world["admin"], world["case"]
    cases.case_break_glass(
        actor=admin, case=case, reason="A court order requires this case to be checked today."
    )

    detail = client.get(f"{CASES}/{case.reference}", headers=bearer(admin))
    listing = client.get(CASES, headers=bearer(admin))

    assert detail.status_code == 200
    assert [item["reference"] for item in listing.json()["items"]] == [case.reference]
    assert AuditEntry.objects.filter(
        actor=admin, action="rights.case.read", object_id=str(case.pk)
    ).exists()


def test_anonymous_callers_get_401(client: Client, world: dict[str, Any]) -> None:
    case = world["case"]

    assert client.get(CASES).status_code == 401
    assert client.get(f"{CASES}/{case.reference}").status_code == 401
    assert client.post(CASES, "{}", content_type="application/json").status_code == 401
    assert client.get(CASES, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_a_session_works_too(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["documenter"])

    response = client.get(CASES)

    assert [item["reference"] for item in response.json()["items"]] == [world["case"].reference]


def test_the_list_filters_by_country_and_status(client: Client, world: dict[str, Any]) -> None:
    organisation = world["case"].organisation
    CaseFactory.create(organisation=organisation, country=country("GE"))
    CaseFactory.create(organisation=organisation, status=Case.Status.CLOSED)
    headers = bearer(world["documenter"])

    assert client.get(CASES, {"country": "ge"}, headers=headers).json()["count"] == 1
    assert client.get(CASES, {"status": "closed"}, headers=headers).json()["count"] == 1
    assert client.get(CASES, headers=headers).json()["count"] == 3


# --- recording ----------------------------------------------------------------------------


def new_case(**fields: Any) -> str:
    payload: dict[str, Any] = {
        "date_from": "2024-06-01",
        "country": "MD",
        "locality": "Chișinău",
        "age_group": "25-34",
        "gender": "woman",
        "key_populations": ["pwid"],
        "violation_types": ["police-abuse"],
        "perpetrator_types": [PerpetratorType.POLICE.value],
        "narrative": "Held overnight without charge.",
        "person_description": "A woman in her late twenties.",
        "consent_to_record": True,
        "consent_to_share": True,
    }
    payload.update(fields)
    return json.dumps(payload)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("documenter", 201),
        ("reviewer", 403),
        ("other_secretariat", 403),
        ("member", 403),
        ("admin", 403),
    ],
)
def test_who_may_record_a_case(
    client: Client, world: dict[str, Any], who: str, status: int
) -> None:
    before = Case.objects.count()

    response = client.post(
        CASES, new_case(), content_type="application/json", headers=bearer(world[who])
    )

    assert response.status_code == status
    assert Case.objects.count() == before + (1 if status == 201 else 0)


def test_a_recorded_case_is_the_documenters_organisations(
    client: Client, world: dict[str, Any]
) -> None:
    documenter = world["documenter"]

    response = client.post(
        CASES, new_case(), content_type="application/json", headers=bearer(documenter)
    )

    data = response.json()
    case = Case.objects.get(reference=data["reference"])
    assert case.organisation == world["case"].organisation
    assert case.documenter == documenter
    assert case.narrative == "Held overnight without charge."
    assert data["narrative"] == "Held overnight without charge."
    assert data["key_populations"] == ["pwid"]
    assert [v.code for v in case.violation_types.all()] == ["police-abuse"]


def test_a_documenter_cannot_record_for_another_organisation(
    client: Client, world: dict[str, Any]
) -> None:
    before = Case.objects.count()

    response = client.post(
        CASES,
        new_case(organisation=world["other_case"].organisation.pk),
        content_type="application/json",
        headers=bearer(world["documenter"]),
    )

    assert response.status_code == 403
    assert Case.objects.count() == before


def test_a_documenter_of_two_organisations_names_one(client: Client, world: dict[str, Any]) -> None:
    documenter = world["documenter"]
    second = OrganisationFactory.create()
    AffiliationFactory.create(person=Person.objects.get(user=documenter), organisation=second)
    headers = bearer(documenter)

    unnamed = client.post(CASES, new_case(), content_type="application/json", headers=headers)
    named = client.post(
        CASES, new_case(organisation=second.pk), content_type="application/json", headers=headers
    )

    assert unnamed.status_code == 403
    assert named.status_code == 201
    assert Case.objects.get(reference=named.json()["reference"]).organisation == second


def test_a_case_without_consent_to_record_is_refused(client: Client, world: dict[str, Any]) -> None:
    before = Case.objects.count()

    response = client.post(
        CASES,
        new_case(consent_to_record=False),
        content_type="application/json",
        headers=bearer(world["documenter"]),
    )

    assert response.status_code == 400
    assert response.json()["errors"]["consent_to_record"] == [
        "A case cannot be recorded without the person's consent to record it."
    ]
    assert Case.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"violation_types": ["no-such-violation"]}, "violation_types"),
        ({"key_populations": ["bankers"]}, "key_populations"),
        ({"perpetrator_types": ["aliens"]}, "perpetrator_types"),
        ({"age_group": "ancient"}, "age_group"),
        ({"gender": "x"}, "gender"),
        ({"date_from": "2999-01-01"}, "date_from"),
        ({"date_from": "2024-06-01", "date_to": "2024-05-01"}, "date_to"),
    ],
)
def test_invalid_cases_answer_400_per_field(
    client: Client, world: dict[str, Any], fields: dict[str, Any], field: str
) -> None:
    before = Case.objects.count()

    response = client.post(
        CASES,
        new_case(**fields),
        content_type="application/json",
        headers=bearer(world["documenter"]),
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Case.objects.count() == before


def test_a_session_write_needs_the_csrf_token(world: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["documenter"])
    before = Case.objects.count()

    response = client.post(CASES, new_case(), content_type="application/json")

    assert response.status_code == 403
    assert Case.objects.count() == before


# --- statistics ---------------------------------------------------------------------------


def counted(n: int, **fields: Any) -> None:
    """`n` reviewed cases consenting to anonymised sharing."""
    for _ in range(n):
        CaseFactory.create(consent_to_share=True, **fields)


def test_statistics_are_public_and_suppressed(client: Client, db: None) -> None:
    counted(7, date_from=date(2023, 4, 1))
    counted(3, date_from=date(2023, 5, 1), country=country("GE"))
    # Not counted: unreviewed public reports, and cases without consent to share.
    CaseFactory.create(consent_to_share=True, status=Case.Status.UNREVIEWED)
    CaseFactory.create(consent_to_share=False)

    response = client.get(STATISTICS, {"group_by": "country"})

    assert response.status_code == 200
    data = response.json()
    cells = {row["key"]: row["count"] for row in data["rows"]}
    assert cells["MD"] == {"value": 5, "text": "5"}  # 7, rounded down
    assert cells["GE"] == {"value": None, "text": "<5"}  # 3, suppressed
    assert data["total"] == {"value": 10, "text": "10"}
    assert data["threshold"] == 5
    # Nothing but counts and labels.
    body = response.content.decode()
    for secret in ("bus station", "Bălți", "T-0", "reference", "narrative"):
        assert secret not in body


def test_statistics_cannot_be_undone_by_subtracting_from_the_total(
    client: Client, db: None
) -> None:
    counted(6)
    counted(2, country=country("GE"))

    data = client.get(STATISTICS, {"group_by": "country"}).json()
    moldova = client.get(STATISTICS, {"group_by": "country", "country": "MD"}).json()

    # 8 in all, 6 in Moldova: published as 5 and 5, so total minus Moldova gives 0, not 2.
    published = {row["key"]: row["count"]["value"] for row in data["rows"]}
    assert data["total"]["value"] - published["MD"] == 0
    assert moldova["total"]["value"] == 5


def test_statistics_filter_by_year_and_group_by_response(client: Client, db: None) -> None:
    counted(5, date_from=date(2022, 1, 10))
    counted(5, date_from=date(2024, 1, 10))
    for case in Case.objects.filter(date_from__year=2024):
        CaseResponse.objects.create(
            case=case, action=CaseResponse.Action.LEGAL_AID, date=date(2024, 2, 1)
        )

    data = client.get(STATISTICS, {"group_by": "response", "year": "2024"}).json()

    cells = {row["key"]: row["count"]["text"] for row in data["rows"]}
    assert cells["legal_aid"] == "5"
    assert data["total"]["text"] == "5"
    assert data["year"] == 2024


@pytest.mark.parametrize(
    "params",
    [{"group_by": "organisation"}, {"group_by": "locality"}, {"country": "XX"}, {"year": "x"}],
)
def test_statistics_refuse_other_groupings(
    client: Client, db: None, params: dict[str, str]
) -> None:
    response = client.get(STATISTICS, params)

    assert response.status_code in (400, 422)
    if "group_by" in params:
        assert response.status_code == 400
        assert "group_by" in response.json()["errors"]
