"""Responses as REAct follows them (issue 22): a referral names a service and goes from
made to accepted to completed (or refused) with its outcome; edits keep the version they
replace; a closed case takes no response until it is reopened with a reason; codes read as
words; the case API gives the responses and the closure. Outcomes and reasons stay
encrypted and out of the audit log."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.core.models import AuditEntry
from hrnet.members.tests.factories import OrganisationFactory
from hrnet.rights.models import Case, CaseResponse, CaseResponseVersion
from hrnet.rights.services import cases as services
from hrnet.rights.tests.factories import CaseFactory, documenter_of, shared_with, use_test_keys
from hrnet.rights.vocabulary import key_population_label

pytestmark = pytest.mark.usefixtures("geography")

OUTCOME = "Seen at the city clinic; wound treated, follow-up on Monday."
REOPEN = "The clinic refused the follow-up; the person asked for help again."


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


@pytest.fixture
def world(db: None, make_user: Any) -> dict[str, Any]:
    home, elsewhere = OrganisationFactory.create(), OrganisationFactory.create()
    case = CaseFactory.create(organisation=home, key_populations=["people_who_use_drugs", "msm"])
    reviewer = make_user(Role.SECRETARIAT)
    shared_with(case, reviewer)
    return {
        "case": case,
        "documenter": documenter_of(home),
        "other_documenter": documenter_of(elsewhere),
        "reviewer": reviewer,
        "member": make_user(Role.MEMBER),
    }


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def referral(world: dict[str, Any], **fields: Any) -> CaseResponse:
    values: dict[str, Any] = {
        "action": CaseResponse.Action.REFERRAL,
        "service": "health",
        "responder": "City clinic",
        "date": date(2024, 3, 20),
    }
    values.update(fields)
    return services.case_response_add(actor=world["documenter"], case=world["case"], **values)


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


# --- services ---------------------------------------------------------------------------


def test_a_referral_names_its_service_and_starts_as_made(world: dict[str, Any]) -> None:
    response = referral(world)

    assert response.service == "health"
    assert response.referral_status == "made"
    assert response.get_action_display() == "Referral to a service"
    entry = AuditEntry.objects.get(action="rights.case_response.add")
    assert entry.changes["service"] == "health"


def test_a_referral_without_a_service_is_refused_naming_the_field(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        referral(world, service="")
    assert "service" in refused.value.message_dict

    with pytest.raises(ValidationError) as refused:
        referral(world, service="spa")
    assert refused.value.message_dict["service"] == ["Unknown service: spa."]

    with pytest.raises(ValidationError) as refused:
        referral(world, referral_status="lost")
    assert refused.value.message_dict["referral_status"] == ["Unknown referral status: lost."]


def test_a_response_that_is_no_referral_keeps_no_service(world: dict[str, Any]) -> None:
    response = referral(world, action="legal_aid", referral_status="accepted")

    assert (response.service, response.referral_status) == ("", "")


def test_following_a_referral_keeps_each_earlier_version_encrypted(world: dict[str, Any]) -> None:
    # given: a referral made
    response = referral(world)

    # when: it is accepted, then completed with its outcome
    services.case_response_update(
        actor=world["documenter"],
        response=response,
        action="referral",
        service="health",
        referral_status="accepted",
        responder="City clinic",
        date=date(2024, 3, 20),
    )
    services.case_response_update(
        actor=world["documenter"],
        response=response,
        action="referral",
        service="health",
        referral_status="completed",
        responder="City clinic",
        date=date(2024, 3, 20),
        outcome=OUTCOME,
    )

    # then: the response reads completed, two versions stay behind, newest first
    response.refresh_from_db()
    assert (response.referral_status, response.outcome) == ("completed", OUTCOME)
    versions = list(response.versions.all())
    assert [v.referral_status for v in versions] == ["accepted", "made"]
    assert versions[0].changed_by == world["documenter"]
    # and: outcomes are encrypted at rest, and the audit log names fields, never the text
    assert OUTCOME not in raw("rights_caseresponse", "outcome", response.pk)
    changes = list(
        AuditEntry.objects.filter(action="rights.case_response.change")
        .order_by("pk")
        .values_list("changes", flat=True)
    )
    assert changes[-1]["referral_status"] == "completed"
    assert changes[-1]["outcome"] == ""
    assert OUTCOME not in str(changes)


def test_an_edit_that_changes_nothing_keeps_no_version(world: dict[str, Any]) -> None:
    response = referral(world)

    services.case_response_update(
        actor=world["documenter"],
        response=response,
        action="referral",
        service="health",
        referral_status="made",
        responder="City clinic",
        date=date(2024, 3, 20),
    )

    assert not CaseResponseVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="rights.case_response.change").exists()


def test_only_who_may_change_the_case_edits_its_responses(world: dict[str, Any]) -> None:
    response = referral(world)

    with pytest.raises(PermissionDenied):
        services.case_response_update(
            actor=world["other_documenter"],
            response=response,
            action="referral",
            service="legal",
            date=date(2024, 3, 20),
        )


def test_a_closed_case_takes_no_response_until_reopened_with_a_reason(
    world: dict[str, Any],
) -> None:
    case, documenter = world["case"], world["documenter"]
    response = referral(world)
    services.case_close(actor=documenter, case=case, reason="Referral done.")

    with pytest.raises(ValidationError, match="closed"):
        referral(world)
    with pytest.raises(ValidationError, match="closed"):
        services.case_response_update(
            actor=documenter,
            response=response,
            action="referral",
            service="legal",
            date=date(2024, 3, 21),
        )
    with pytest.raises(ValidationError) as refused:
        services.case_update(actor=documenter, case=case, status=Case.Status.OPEN)
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.case_reopen(actor=documenter, case=case, reason="  ")
    assert "reason" in refused.value.message_dict

    services.case_reopen(actor=documenter, case=case, reason=REOPEN)

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.reopen_reason == REOPEN
    assert case.closure_reason == "Referral done."
    assert REOPEN not in raw("rights_case", "reopen_reason", case.pk)
    entry = AuditEntry.objects.get(action="rights.case.reopen")
    assert entry.actor == documenter
    assert REOPEN not in str(entry.changes)
    assert referral(world).case == case
    with pytest.raises(ValidationError, match="not closed"):
        services.case_reopen(actor=documenter, case=case, reason=REOPEN)


def test_every_key_population_code_reads_as_words() -> None:
    assert key_population_label("people_who_use_drugs") == "People who use drugs"
    assert key_population_label("pwid") == "People who inject drugs"
    assert key_population_label("someone_new") == "Someone new"


def test_the_data_migration_turns_medical_referrals_and_old_codes_into_the_vocabulary(
    world: dict[str, Any],
) -> None:
    case = world["case"]
    old = CaseResponse.objects.create(case=case, action="medical_referral", date=date(2024, 3, 1))
    migration = importlib.import_module(
        "hrnet.rights.migrations.0005_referrals_from_medical_and_key_population_codes"
    )

    migration.forward(django_apps, None)

    old.refresh_from_db()
    case.refresh_from_db()
    assert (old.action, old.service, old.referral_status) == ("referral", "health", "made")
    assert case.key_populations == ["pwud", "msm"]


# --- pages -------------------------------------------------------------------------------


def test_the_case_page_shows_the_referral_in_words_and_its_history(world: dict[str, Any]) -> None:
    case = world["case"]
    response = referral(world)
    client = as_user(world["documenter"])
    edit = reverse("rights:case_response_edit", args=[case.reference, response.pk])

    page = client.post(
        edit,
        {
            "action": "referral",
            "service": "health",
            "referral_status": "completed",
            "responder": "City clinic",
            "date": "2024-03-20",
            "outcome": OUTCOME,
        },
    )

    assert page.status_code == 302
    detail = client.get(reverse("rights:case_detail", args=[case.reference])).content.decode()
    assert "Referral to a service" in detail
    assert "Health care" in detail
    assert "Completed" in detail
    assert OUTCOME in detail
    assert "1 earlier version" in detail
    assert "Referral made" in detail
    assert "People who use drugs" in detail
    assert "people_who_use_drugs" not in detail
    assert "Edit the response" in detail


def test_the_edit_page_refuses_a_referral_without_service_keeping_what_was_typed(
    world: dict[str, Any],
) -> None:
    case = world["case"]
    response = referral(world)
    client = as_user(world["documenter"])
    edit = reverse("rights:case_response_edit", args=[case.reference, response.pk])

    page = client.post(
        edit, {"action": "referral", "service": "", "date": "2024-03-20", "outcome": OUTCOME}
    )

    assert page.status_code == 400
    assert "Say which service the person was referred to." in page.content.decode()
    assert OUTCOME in page.content.decode()
    assert page["Cache-Control"].startswith("no-store")


@pytest.mark.parametrize(("who", "status"), [("other_documenter", 404), ("member", 404)])
def test_the_edit_page_reveals_nothing_to_others(
    world: dict[str, Any], who: str, status: int
) -> None:
    response = referral(world)
    edit = reverse("rights:case_response_edit", args=[world["case"].reference, response.pk])

    assert as_user(world[who]).get(edit).status_code == status


def test_a_reviewer_reads_the_referral_but_only_the_organisation_edits_it(
    world: dict[str, Any],
) -> None:
    # The existing policy: a reviewer reads an organisation's case shared with them.
    case = world["case"]
    response = referral(world)
    reviewer = as_user(world["reviewer"])
    edit = reverse("rights:case_response_edit", args=[case.reference, response.pk])

    detail = reviewer.get(reverse("rights:case_detail", args=[case.reference])).content.decode()

    assert "Referral made" in detail
    assert "Edit the response" not in detail
    assert reviewer.get(edit).status_code == 403


def test_a_closed_case_page_offers_reopening_not_a_response(world: dict[str, Any]) -> None:
    case, documenter = world["case"], world["documenter"]
    services.case_close(actor=documenter, case=case, reason="Referral done.")
    client = as_user(documenter)
    detail_url = reverse("rights:case_detail", args=[case.reference])

    detail = client.get(detail_url).content.decode()
    assert "Add the response" not in detail
    assert "Reopen the case" in detail
    refused = client.post(
        reverse("rights:case_response_add", args=[case.reference]),
        {"action": "legal_aid", "date": "2024-03-20"},
        follow=True,
    )
    assert "reopen it, with a reason" in refused.content.decode()
    assert not case.responses.exists()

    no_reason = client.post(reverse("rights:case_reopen", args=[case.reference]), {"reason": ""})
    assert no_reason.status_code == 400
    reopened = client.post(
        reverse("rights:case_reopen", args=[case.reference]), {"reason": REOPEN}, follow=True
    )

    body = reopened.content.decode()
    assert "The case was reopened." in body
    assert REOPEN in body
    assert "Add the response" in body


def test_the_pages_speak_russian(world: dict[str, Any]) -> None:
    referral(world)
    with translation.override("ru"):
        url = reverse("rights:case_detail", args=[world["case"].reference])
    page = as_user(world["documenter"]).get(url)
    body = page.content.decode()
    assert "Направление в службу" in body
    assert "Медицинская помощь" in body
    assert "Люди, употребляющие наркотики" in body


# --- API --------------------------------------------------------------------------------


def bearer(user: Any) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def test_the_case_api_gives_the_responses_and_the_closure(
    client: Client, world: dict[str, Any]
) -> None:
    case, documenter = world["case"], world["documenter"]
    referral(world, referral_status="refused", outcome=OUTCOME)
    services.case_close(actor=documenter, case=case, reason="The person moved away.")
    url = f"/api/v1/rights/cases/{case.reference}"

    data = client.get(url, headers=bearer(documenter)).json()

    assert data["status"] == "closed"
    assert data["closure_reason"] == "The person moved away."
    assert data["closed_at"]
    [response] = data["responses"]
    assert response["action"] == "referral"
    assert response["service"] == "health"
    assert response["service_label"] == "Health care"
    assert response["referral_status"] == "refused"
    assert response["referral_status_label"] == "Refused"
    assert response["outcome"] == OUTCOME
    # The policy holds: another organisation's documenter learns nothing.
    assert client.get(url, headers=bearer(world["other_documenter"])).status_code == 404
