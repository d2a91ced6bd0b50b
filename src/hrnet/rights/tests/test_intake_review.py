"""Intake reviewers of public reports: secretariat staff a superuser names read the reports
sent to the secretariat that wait for someone, and give each to a member organisation or
share it with a reviewer. They never see another case (pages, API, policy), every read is
audited, they are told by email (reference and link only) when a report arrives, and the
queue is oldest first and paged."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.core.models import AuditEntry
from hrnet.members.tests.factories import OrganisationFactory, country
from hrnet.rights.audit import Action
from hrnet.rights.demo import INTAKE_REPORTS, rights_demo_create
from hrnet.rights.models import Case, CaseShare
from hrnet.rights.policies import case_policy, case_queryset_for
from hrnet.rights.selectors import intake_waiting
from hrnet.rights.services import intake as intake_services
from hrnet.rights.services.cases import case_intake_create
from hrnet.rights.tests.factories import CaseFactory, documenter_of, shared_with, use_test_keys
from hrnet.rights.views.queue import PAGE_SIZE

pytestmark = pytest.mark.usefixtures("geography")

STORY = "Fictional: officers stopped the person near the pharmacy and took the syringes."
CONTACT = "Fictional: call +000 000 0000 after six"
QUEUE = "rights:intake_queue"
CASES_API = "/api/v1/rights/cases"


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


def intake_case(**fields: Any) -> Case:
    """A public report sent to the secretariat, waiting."""
    values: dict[str, Any] = {
        "organisation": None,
        "status": Case.Status.UNREVIEWED,
        "source": Case.Source.PUBLIC_INTAKE,
        "narrative": STORY,
        "person_description": "",
    }
    values.update(fields)
    return CaseFactory.create(**values)


def as_user(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def bearer(user: Any) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def detail_url(case: Case) -> str:
    return reverse("rights:case_detail", args=[case.reference])


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    home = OrganisationFactory.create()
    waiting = intake_case()
    org_case = CaseFactory.create(organisation=home)
    # A public report sent to an organisation: its documenters', never the queue's.
    org_report = intake_case(organisation=home)
    other_reviewer = make_user(Role.SECRETARIAT, email="other.reviewer@example.org")
    taken = intake_case()
    shared_with(taken, other_reviewer)
    closed = intake_case(status=Case.Status.CLOSED)
    return {
        "home": home,
        "waiting": waiting,
        "org_case": org_case,
        "org_report": org_report,
        "taken": taken,
        "closed": closed,
        "intake": make_user(
            Role.SECRETARIAT, Role.INTAKE_REVIEWER, email="intake@example.org", is_staff=True
        ),
        "other_reviewer": other_reviewer,
        "secretariat": make_user(Role.SECRETARIAT, is_staff=True),
        # The group alone (without the secretariat's) makes no intake reviewer.
        "group_only": make_user(Role.INTAKE_REVIEWER),
        "documenter": documenter_of(home),
        "member": make_user(Role.MEMBER),
        "superuser": make_user(is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }


# --- the policy -------------------------------------------------------------------------

ACTIONS = ("list", "view", "change", "share", "assign", "export")


def allowed(user: Any, case: Case) -> set[str]:
    return {a for a in ACTIONS if case_policy.user_has_permission_for_instance(user, a, case)}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("intake", {"list", "view", "share", "assign"}),
        ("other_reviewer", set()),
        ("secretariat", set()),
        ("group_only", set()),
        ("documenter", set()),
        ("member", set()),
        ("superuser", set()),
        ("anonymous", set()),
    ],
)
def test_who_may_do_what_with_a_waiting_report(
    world: dict[str, Any], who: str, expected: set[str]
) -> None:
    assert allowed(world[who], world["waiting"]) == expected


@pytest.mark.parametrize("name", ["org_case", "org_report", "taken", "closed"])
def test_an_intake_reviewer_has_no_right_on_any_other_case(
    world: dict[str, Any], name: str
) -> None:
    assert allowed(world["intake"], world[name]) == set()


def test_an_intake_reviewer_reads_only_the_waiting_reports(world: dict[str, Any]) -> None:
    assert list(case_queryset_for(world["intake"])) == [world["waiting"]]


def test_a_superuser_in_the_group_is_no_intake_reviewer_without_the_secretariat(
    make_user: Any, world: dict[str, Any]
) -> None:
    user = make_user(Role.INTAKE_REVIEWER, is_superuser=True)
    assert not intake_waiting(user=user).exists()
    assert allowed(user, world["waiting"]) == set()


# --- the selector -----------------------------------------------------------------------


def test_intake_waiting_is_oldest_first_and_for_intake_reviewers_only(
    world: dict[str, Any],
) -> None:
    # given: a newer report and an older one than the fixture's
    now = timezone.now()
    newer, older = intake_case(), intake_case()
    Case.objects.filter(pk=world["waiting"].pk).update(created_at=now - timedelta(days=2))
    Case.objects.filter(pk=older.pk).update(created_at=now - timedelta(days=5))
    Case.objects.filter(pk=newer.pk).update(created_at=now - timedelta(hours=1))
    # then
    assert list(intake_waiting(user=world["intake"])) == [older, world["waiting"], newer]
    for who in ("secretariat", "other_reviewer", "group_only", "documenter", "superuser"):
        assert not intake_waiting(user=world[who]).exists(), who
    assert not intake_waiting(user=AnonymousUser()).exists()


# --- the queue page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("intake", 200),
        ("secretariat", 403),
        ("other_reviewer", 403),
        ("group_only", 403),
        ("documenter", 403),
        ("member", 403),
        ("superuser", 403),
    ],
)
def test_who_opens_the_queue(world: dict[str, Any], who: str, status: int) -> None:
    response = as_user(world[who]).get(reverse(QUEUE))
    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]


def test_anonymous_visitors_are_sent_to_sign_in(world: dict[str, Any]) -> None:
    response = Client().get(reverse(QUEUE))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_queue_shows_waiting_references_without_their_text_and_audits_them(
    world: dict[str, Any],
) -> None:
    response = as_user(world["intake"]).get(reverse(QUEUE))
    content = response.content.decode()
    assert world["waiting"].reference in content
    for other in ("org_case", "org_report", "taken", "closed"):
        assert world[other].reference not in content
    assert STORY not in content
    entry = AuditEntry.objects.get(action=Action.CASE_LIST, actor=world["intake"])
    assert entry.changes == {"cases": [world["waiting"].pk]}


def test_the_queue_pages_oldest_first(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # given: 30 waiting reports, received one day apart
    now = timezone.now()
    Case.objects.filter(pk=world["waiting"].pk).update(created_at=now - timedelta(days=100))
    for days in range(29):
        case = intake_case()
        Case.objects.filter(pk=case.pk).update(created_at=now - timedelta(days=days))
    ordered = list(intake_waiting(user=world["intake"]).values_list("reference", flat=True))
    client = as_user(world["intake"])
    # when
    first = client.get(reverse(QUEUE)).content.decode()
    second = client.get(reverse(QUEUE), {"page": 2}).content.decode()
    # then
    assert ordered[0] == world["waiting"].reference
    assert all(reference in first for reference in ordered[:PAGE_SIZE])
    assert not any(reference in first for reference in ordered[PAGE_SIZE:])
    assert all(reference in second for reference in ordered[PAGE_SIZE:])
    assert first.index(ordered[0]) < first.index(ordered[1]) < first.index(ordered[PAGE_SIZE - 1])


# --- reading a waiting report, and nothing else ------------------------------------------


def test_an_intake_reviewer_reads_a_waiting_report_audited(world: dict[str, Any]) -> None:
    response = as_user(world["intake"]).get(detail_url(world["waiting"]))
    assert response.status_code == 200
    assert STORY in response.content.decode()
    assert reverse("rights:intake_assign", args=[world["waiting"].reference]) in (
        response.content.decode()
    )
    assert AuditEntry.objects.filter(
        action=Action.CASE_READ, actor=world["intake"], object_id=str(world["waiting"].pk)
    ).exists()


@pytest.mark.parametrize("name", ["org_case", "org_report", "taken", "closed"])
def test_other_cases_answer_404_on_the_pages(world: dict[str, Any], name: str) -> None:
    client = as_user(world["intake"])
    case = world[name]
    assert client.get(detail_url(case)).status_code == 404
    assert client.get(reverse("rights:case_edit", args=[case.reference])).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.CASE_READ, actor=world["intake"]).exists()


@pytest.mark.parametrize("name", ["org_case", "org_report", "taken", "closed"])
def test_other_cases_cannot_be_assigned_or_shared(world: dict[str, Any], name: str) -> None:
    client = as_user(world["intake"])
    case = world[name]
    before = (case.organisation_id, CaseShare.objects.filter(case=case).count())
    client.post(
        reverse("rights:intake_assign", args=[case.reference]),
        {"organisation": world["home"].pk},
    )
    client.post(
        reverse("rights:intake_share", args=[case.reference]),
        {"reviewer": world["intake"].pk},
    )
    # the share view of the case pages refuses too
    assert (
        client.post(
            reverse("rights:case_share", args=[case.reference]), {"reviewer": world["intake"].pk}
        ).status_code
        == 404
    )
    case.refresh_from_db()
    assert (case.organisation_id, CaseShare.objects.filter(case=case).count()) == before
    assert not AuditEntry.objects.filter(
        action__in=[Action.CASE_ASSIGN, Action.CASE_SHARE], actor=world["intake"]
    ).exists()


def test_the_api_lists_only_waiting_reports_to_an_intake_reviewer(
    client: Client, world: dict[str, Any]
) -> None:
    headers = bearer(world["intake"])
    listing = client.get(CASES_API, headers=headers).json()
    assert [item["reference"] for item in listing["items"]] == [world["waiting"].reference]
    assert (
        client.get(f"{CASES_API}/{world['waiting'].reference}", headers=headers).status_code == 200
    )
    for name in ("org_case", "org_report", "taken", "closed"):
        reference = world[name].reference
        assert client.get(f"{CASES_API}/{reference}", headers=headers).status_code == 404
    reads = AuditEntry.objects.filter(actor=world["intake"], action__startswith="rights.case.")
    assert {e.object_id for e in reads} == {str(world["waiting"].pk)}


@pytest.mark.parametrize("who", ["secretariat", "superuser", "group_only"])
def test_the_api_shows_no_waiting_report_to_others(
    client: Client, world: dict[str, Any], who: str
) -> None:
    headers = bearer(world[who])
    assert client.get(CASES_API, headers=headers).json()["count"] == 0
    response = client.get(f"{CASES_API}/{world['waiting'].reference}", headers=headers)
    assert response.status_code == 404


# --- assigning --------------------------------------------------------------------------


def test_assigning_gives_the_report_to_the_organisations_documenters(
    world: dict[str, Any],
) -> None:
    # given
    case, client = world["waiting"], as_user(world["intake"])
    # when
    response = client.post(
        reverse("rights:intake_assign", args=[case.reference]),
        {"organisation": world["home"].pk},
        follow=True,
    )
    # then
    case.refresh_from_db()
    assert case.organisation == world["home"]
    assert "No public report waits" in response.content.decode()
    entry = AuditEntry.objects.get(action=Action.CASE_ASSIGN)
    assert entry.actor == world["intake"]
    assert entry.changes == {"organisation": world["home"].pk}
    assert entry.object_repr == case.reference
    assert not intake_waiting(user=world["intake"]).exists()
    assert client.get(detail_url(case)).status_code == 404
    assert as_user(world["documenter"]).get(detail_url(case)).status_code == 200


def test_a_report_is_not_given_to_an_organisation_without_documenters(
    world: dict[str, Any],
) -> None:
    nobody_documents = OrganisationFactory.create()
    with pytest.raises(ValidationError) as caught:
        intake_services.case_intake_assign(
            actor=world["intake"], case=world["waiting"], organisation=nobody_documents
        )
    assert "organisation" in caught.value.message_dict
    world["waiting"].refresh_from_db()
    assert world["waiting"].organisation is None
    # the page offers only organisations with documenters
    response = as_user(world["intake"]).get(reverse(QUEUE))
    field = response.context["rows"][0]["assign_form"].fields["organisation"]
    offered = {value for _country, group in field.choices[1:] for value, _name in group}
    assert offered == {str(world["home"].pk)}


def test_a_report_taken_meanwhile_is_not_assigned_again(
    world: dict[str, Any], make_user: Any
) -> None:
    # given: two intake reviewers; the first gives the report away
    second = make_user(Role.SECRETARIAT, Role.INTAKE_REVIEWER)
    case = world["waiting"]
    intake_services.case_intake_assign(actor=world["intake"], case=case, organisation=world["home"])
    # when / then: the second, with the stale object, is refused
    with pytest.raises(PermissionDenied):
        intake_services.case_intake_share(actor=second, case=case, reviewer=second)
    response = as_user(second).post(
        reverse("rights:intake_assign", args=[case.reference]),
        {"organisation": world["home"].pk},
        follow=True,
    )
    assert "no longer waits" in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.CASE_ASSIGN).count() == 1


# --- sharing ----------------------------------------------------------------------------


def test_sharing_with_a_named_reviewer(world: dict[str, Any]) -> None:
    case, reviewer = world["waiting"], world["other_reviewer"]
    client = as_user(world["intake"])
    response = client.post(
        reverse("rights:intake_share", args=[case.reference]), {"reviewer": reviewer.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE)
    assert CaseShare.objects.filter(case=case, reviewer=reviewer).exists()
    entry = AuditEntry.objects.get(action=Action.CASE_SHARE)
    assert (entry.actor, entry.changes) == (world["intake"], {"reviewer": reviewer.pk})
    # the report has its reviewer: out of the queue and out of the intake reviewer's sight
    assert not intake_waiting(user=world["intake"]).exists()
    assert client.get(detail_url(case)).status_code == 404
    assert as_user(reviewer).get(detail_url(case)).status_code == 200


def test_an_intake_reviewer_may_take_a_report_themselves(world: dict[str, Any]) -> None:
    case, client = world["waiting"], as_user(world["intake"])
    response = client.post(
        reverse("rights:intake_share", args=[case.reference]), {"reviewer": world["intake"].pk}
    )
    assert response["Location"] == detail_url(case)
    assert client.get(detail_url(case)).status_code == 200
    # now reviewing it, as a reviewer it was shared with
    assert allowed(world["intake"], case) == {"list", "view", "change"}


def test_a_report_is_shared_only_with_the_secretariat(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        intake_services.case_intake_share(
            actor=world["intake"], case=world["waiting"], reviewer=world["member"]
        )
    response = as_user(world["intake"]).post(
        reverse("rights:intake_share", args=[world["waiting"].reference]),
        {"reviewer": world["member"].pk},
    )
    assert response.status_code == 302
    assert not CaseShare.objects.filter(case=world["waiting"]).exists()


@pytest.mark.parametrize("who", ["secretariat", "documenter", "member", "superuser"])
def test_others_may_not_assign_or_share_waiting_reports(world: dict[str, Any], who: str) -> None:
    client = as_user(world[who])
    case = world["waiting"]
    assign = client.post(
        reverse("rights:intake_assign", args=[case.reference]), {"organisation": world["home"].pk}
    )
    share = client.post(
        reverse("rights:intake_share", args=[case.reference]), {"reviewer": world[who].pk}
    )
    assert (assign.status_code, share.status_code) == (403, 403)
    assert client.get(detail_url(case)).status_code == 404
    case.refresh_from_db()
    assert case.organisation is None
    assert not CaseShare.objects.filter(case=case).exists()


# --- the email when a report arrives -----------------------------------------------------


def test_intake_reviewers_are_told_a_report_waits_with_its_reference_only(
    world: dict[str, Any],
    make_user: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: Any,
) -> None:
    # given: a second intake reviewer who reads Russian
    russian = make_user(
        Role.SECRETARIAT, Role.INTAKE_REVIEWER, email="ru@example.org", preferred_language="ru"
    )
    mail.outbox.clear()
    caplog.set_level(logging.DEBUG)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        case = case_intake_create(
            organisation=None,
            date_from=date(2024, 5, 2),
            country=country("MD"),
            locality="Soroca",
            what_happened=STORY,
            wants_contact=True,
            contact_details=CONTACT,
        )
    # then: one email to each intake reviewer, none to other staff
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world["intake"].email, russian.email])
    for message in mail.outbox:
        assert case.reference in message.subject
        assert case.reference in message.body
        assert "/rights/intake/" in message.body
        for secret in (STORY, CONTACT, "Bălți", case.locality):
            assert secret not in message.body
            assert secret not in message.subject
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "/ru/rights/intake/" in by_address[russian.email].body
    assert "/en/rights/intake/" in by_address[world["intake"].email].body
    assert by_address[russian.email].subject != by_address[world["intake"].email].subject
    assert STORY not in caplog.text
    assert CONTACT not in caplog.text


def test_no_email_when_a_report_goes_to_an_organisation(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_intake_create(
            organisation=world["home"],
            date_from=date(2024, 5, 2),
            country=country("MD"),
            what_happened=STORY,
        )
    assert mail.outbox == []


# --- naming intake reviewers --------------------------------------------------------------


def test_a_superuser_names_and_unnames_an_intake_reviewer(world: dict[str, Any]) -> None:
    staff, client = world["secretariat"], as_user(world["superuser"])
    url = reverse("rights:intake_reviewers")
    assert staff.email in client.get(url).content.decode()
    client.post(url, {"user": staff.pk, "named": "1"})
    assert intake_waiting(user=User.objects.get(pk=staff.pk)).exists()
    client.post(url, {"user": staff.pk, "named": "0"})
    assert not intake_waiting(user=User.objects.get(pk=staff.pk)).exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(staff.pk), action__startswith="rights.intake")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [
        (Action.INTAKE_REVIEWER_ADD, world["superuser"].pk),
        (Action.INTAKE_REVIEWER_REVOKE, world["superuser"].pk),
    ]


@pytest.mark.parametrize("who", ["secretariat", "intake", "documenter", "member"])
def test_only_superusers_name_intake_reviewers(world: dict[str, Any], who: str) -> None:
    client = as_user(world[who])
    url = reverse("rights:intake_reviewers")
    assert client.get(url).status_code == 403
    assert client.post(url, {"user": world[who].pk, "named": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        intake_services.intake_reviewer_add(actor=world[who], user=world["secretariat"])
    assert (
        not Group.objects.get(name=Role.INTAKE_REVIEWER)
        .user_set.filter(pk=world["secretariat"].pk)
        .exists()
    )


def test_only_the_secretariats_staff_can_be_named(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        intake_services.intake_reviewer_add(actor=world["superuser"], user=world["member"])
    assert not AuditEntry.objects.filter(action=Action.INTAKE_REVIEWER_ADD).exists()


def test_the_admin_does_not_let_other_staff_give_or_take_the_role(world: dict[str, Any]) -> None:
    user_admin: Any = admin_site.get_model_admin(User)
    groups: Any = User._meta.get_field("groups")
    request: Any = RequestFactory().get("/")
    request.user = world["secretariat"]
    offered = user_admin.formfield_for_manytomany(groups, request).queryset
    assert not offered.filter(name=Role.INTAKE_REVIEWER).exists()
    assert offered.filter(name=Role.SECRETARIAT).exists()
    request.user = world["superuser"]
    offered = user_admin.formfield_for_manytomany(groups, request).queryset
    assert offered.filter(name=Role.INTAKE_REVIEWER).exists()


def test_staff_saving_a_person_in_the_admin_keeps_their_naming(world: dict[str, Any]) -> None:
    # given: the secretariat edits an intake reviewer's profile in the admin
    intake = world["intake"]
    client = as_user(world["secretariat"])
    url = reverse("admin:accounts_user_change", args=[intake.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name != "groups"
    }
    data.update(
        {
            "full_name": "Renamed by the secretariat",
            "groups": [g.pk for g in Group.objects.filter(name=Role.SECRETARIAT)],
            "last_login_0": "",
            "date_joined_0": "",
        }
    )
    # when
    response = client.post(url, {k: v for k, v in data.items() if not isinstance(v, bool) or v})
    # then: saved, and still an intake reviewer (only a superuser takes the role away)
    assert response.status_code == 302, response.content.decode()[:2000]
    intake = User.objects.get(pk=intake.pk)
    assert intake.full_name == "Renamed by the secretariat"
    assert intake_waiting(user=intake).exists()


# --- the demo ---------------------------------------------------------------------------


def test_the_demo_secretariat_has_public_reports_waiting(db: None, make_user: Any) -> None:
    secretariat = make_user(Role.SECRETARIAT, email="secretariat@demo.example")
    created = rights_demo_create()
    assert created == len(INTAKE_REPORTS)
    waiting = list(intake_waiting(user=User.objects.get(pk=secretariat.pk)))
    assert [case.reference for case in waiting] == [r[0] for r in INTAKE_REPORTS]
    assert all(case.narrative.startswith("Вымышленный") for case in waiting)
    # idempotent
    assert rights_demo_create() == 0
    assert Case.objects.count() == len(INTAKE_REPORTS)


# --- in Russian -------------------------------------------------------------------------


def test_the_pages_speak_russian(world: dict[str, Any]) -> None:
    with translation.override("ru"):
        queue_url = reverse(QUEUE)
        reviewers_url = reverse("rights:intake_reviewers")
        case_url = detail_url(world["waiting"])
    queue = as_user(world["intake"]).get(queue_url).content.decode()
    assert "Сообщения из публичной формы, ждущие рецензента" in queue
    assert "1 сообщение в секретариат ждёт рассмотрения" in queue
    assert "Передать или открыть доступ" in queue
    case = as_user(world["intake"]).get(case_url).content.decode()
    assert "Передать сообщение организации — члену сети" in case
    reviewers = as_user(world["superuser"]).get(reviewers_url).content.decode()
    assert "Назначить рецензентом" in reviewers
    assert "Снять назначение" in reviewers
