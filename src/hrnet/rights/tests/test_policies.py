"""Who may see and handle a case: the role x action matrix of `case_policy` and of the
services that ask it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.members.tests.factories import OrganisationFactory
from hrnet.rights.models import BreakGlass, Case
from hrnet.rights.policies import case_policy, case_queryset_for, is_documenter_of
from hrnet.rights.services import cases
from hrnet.rights.tests.factories import (
    CaseFactory,
    admin_of,
    documenter_of,
    shared_with,
    use_test_keys,
)

pytestmark = pytest.mark.usefixtures("geography")
ACTIONS = ("list", "view", "change", "share", "export")


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


def _allowed(user: Any, case: Any) -> set[str]:
    return {
        action
        for action in ACTIONS
        if case_policy.user_has_permission_for_instance(user, action, case)
    }


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    organisation = OrganisationFactory.create()
    case: Case = CaseFactory.create(organisation=organisation)
    reviewer = make_user(Role.SECRETARIAT)
    shared_with(case, reviewer)
    return {
        "case": case,
        "documenter": documenter_of(organisation),
        "other_documenter": documenter_of(OrganisationFactory.create()),
        "reviewer": reviewer,
        "other_secretariat": make_user(Role.SECRETARIAT, is_staff=True),
        "member": make_user(Role.MEMBER),
        "orgadmin": admin_of(organisation),
        "superuser": make_user(is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("documenter", {"list", "view", "change", "share", "export"}),
        ("other_documenter", set()),
        ("reviewer", {"list", "view"}),
        ("other_secretariat", set()),
        ("member", set()),
        ("orgadmin", set()),
        ("superuser", set()),
        ("anonymous", set()),
    ],
)
def test_permission_matrix(people: dict[str, Any], who: str, expected: set[str]) -> None:
    user, case = people[who], people["case"]

    assert _allowed(user, case) == expected
    assert (case in case_queryset_for(user)) == ("view" in expected)


@pytest.mark.parametrize(
    "who", ["other_documenter", "other_secretariat", "member", "superuser", "anonymous"]
)
def test_services_refuse_those_without_need_to_know(people: dict[str, Any], who: str) -> None:
    user, case = people[who], people["case"]

    with pytest.raises(PermissionDenied):
        cases.case_read(actor=user, case=case)
    with pytest.raises(PermissionDenied):
        cases.case_update(actor=user, case=case, locality="Orhei")
    with pytest.raises(PermissionDenied):
        cases.case_share(actor=user, case=case, reviewer=people["other_secretariat"])
    assert not AuditEntry.objects.filter(action__startswith="rights.").exists()


def test_documenter_of_needs_the_role_and_a_current_affiliation(
    people: dict[str, Any], make_user: Any
) -> None:
    case = people["case"]
    assert is_documenter_of(people["documenter"], case.organisation)
    # An admin of the organisation without the DOCUMENTER role is not a documenter.
    assert not is_documenter_of(people["orgadmin"], case.organisation)
    # Nor is a superuser, though superusers "have every role" elsewhere.
    assert not is_documenter_of(people["superuser"], case.organisation)
    ended = documenter_of(case.organisation)
    ended.person.affiliations.update(
        start_date=timezone.localdate() - timedelta(days=30),
        end_date=timezone.localdate() - timedelta(days=1),
    )
    assert not is_documenter_of(ended, case.organisation)


def test_reviewer_loses_access_with_the_secretariat_role(people: dict[str, Any]) -> None:
    reviewer, case = people["reviewer"], people["case"]
    reviewer.groups.clear()
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)

    assert case not in case_queryset_for(reviewer)


def test_break_glass_gives_access_audits_and_tells_the_organisation(
    people: dict[str, Any],
) -> None:
    admin, case = people["superuser"], people["case"]
    assert case not in case_queryset_for(admin)

    grant = cases.case_break_glass(
        actor=admin, case=case, reason="Police request for the court hearing tomorrow"
    )

    assert case in case_queryset_for(admin)
    assert cases.case_read(actor=admin, case=case) == case
    assert grant.expires_at > timezone.now() + timedelta(hours=23)
    entry = AuditEntry.objects.get(action="rights.case.break_glass")
    assert entry.object_repr == case.reference
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [people["orgadmin"].email]
    assert case.reference in mail.outbox[0].subject
    assert "court hearing" in mail.outbox[0].body
    assert case.narrative not in mail.outbox[0].body
    # Read-only: breaking the glass does not make the administrator a documenter.
    assert _allowed(admin, case) == {"list", "view"}


def test_break_glass_expires(people: dict[str, Any]) -> None:
    admin, case = people["superuser"], people["case"]
    cases.case_break_glass(actor=admin, case=case, reason="Emergency: the person is missing")
    BreakGlass.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    assert case not in case_queryset_for(admin)
    with pytest.raises(PermissionDenied):
        cases.case_read(actor=admin, case=case)


def test_break_glass_needs_a_reason_and_an_administrator(people: dict[str, Any]) -> None:
    case = people["case"]
    with pytest.raises(ValidationError) as error:
        cases.case_break_glass(actor=people["superuser"], case=case, reason="  because  ")
    assert "reason" in error.value.message_dict
    for who in ("other_secretariat", "reviewer", "documenter", "member", "anonymous"):
        with pytest.raises(PermissionDenied):
            cases.case_break_glass(
                actor=people[who], case=case, reason="A long enough reason for it"
            )
    assert not BreakGlass.objects.exists()
    assert mail.outbox == []


def test_break_glass_on_an_intake_case_tells_the_secretariat(
    people: dict[str, Any],
) -> None:
    case = CaseFactory.create(organisation=None, source="public_intake", status="unreviewed")
    assert case not in case_queryset_for(people["reviewer"])
    assert case not in case_queryset_for(people["documenter"])

    cases.case_break_glass(
        actor=people["superuser"], case=case, reason="Triage of the public reports this week"
    )

    recipients = {to for message in mail.outbox for to in message.to}
    assert people["other_secretariat"].email in recipients
    # Then they may share it with a named reviewer, who may review it.
    cases.case_share(actor=people["superuser"], case=case, reviewer=people["other_secretariat"])
    assert _allowed(people["other_secretariat"], case) == {"list", "view", "change"}


def test_intake_case_for_an_organisation_lands_with_its_documenters(
    people: dict[str, Any],
) -> None:
    case = people["case"]
    intake = cases.case_intake_create(
        organisation=case.organisation,
        date_from=case.date_from,
        country=case.country,
        what_happened="They took my syringes and my money.",
    )

    assert intake in case_queryset_for(people["documenter"])
    assert intake not in case_queryset_for(people["other_documenter"])
    assert intake not in case_queryset_for(people["reviewer"])


def test_sharing_only_with_the_secretariat(people: dict[str, Any]) -> None:
    case = people["case"]
    for who in ("member", "other_documenter", "superuser"):
        with pytest.raises(ValidationError):
            cases.case_share(actor=people["documenter"], case=case, reviewer=people[who])

    cases.case_share(actor=people["documenter"], case=case, reviewer=people["other_secretariat"])

    assert case in case_queryset_for(people["other_secretariat"])
    assert AuditEntry.objects.filter(action="rights.case.share").count() == 1
