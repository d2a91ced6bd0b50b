"""The start page (/<lang>/me/) and GET /api/v1/me/work: each role's queues with their
counts, in a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.tests.factories import AssistanceRequestFactory, ExpertFactory
from hrnet.campaigns.models import Signature
from hrnet.campaigns.tests.factories import CampaignFactory, SignatureFactory
from hrnet.core.models import IssueArea, TaskProgress
from hrnet.events.tests.factories import EventFactory, RegistrationFactory
from hrnet.evidence.models import ReportingForm
from hrnet.library.models import Resource
from hrnet.library.tests.factories import ResourceFactory
from hrnet.members.models import Application, Membership
from hrnet.members.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from hrnet.network.tests.factories import ContactMessageFactory
from hrnet.outreach.tests.factories import (
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
    org_admin_of,
)
from hrnet.rights.models import Case
from hrnet.rights.tests.factories import (
    CaseFactory,
    documenter_of,
    shared_with,
    use_test_keys,
)

ME = "/en/me/"
API = "/api/v1/me/work"
PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.usefixtures("geography")


def _queues(client: Any) -> dict[str, int]:
    response = client.get(API)
    assert response.status_code == 200
    return {item["queue"]: item["count"] for item in response.json()}


def _secretariat_work(n: int) -> None:
    """n of each thing that waits for the secretariat (and what does not)."""
    today = timezone.localdate()
    ReportingForm.objects.get_or_create(
        code="monthly", defaults={"names": {"en": "Monthly"}, "first_period": "2025-01"}
    )
    for _ in range(n):
        ApplicationFactory.create()
        ApplicationFactory.create(status=Application.Status.APPROVED)
        ResourceFactory.create(status=Resource.Status.SUBMITTED)
        SignatureFactory.create(status=Signature.Status.PENDING)
        AssistanceRequestFactory.create()
        AssistanceRequestFactory.create(
            status=AssistanceRequest.Status.IN_PROGRESS,
            due_date=today - datetime.timedelta(days=3),
        )
        MembershipFactory.create(end_date=today + datetime.timedelta(days=10))
        MembershipFactory.create(status=Membership.Status.LAPSED)
        TaskProgress.objects.create(name="Import", status=TaskProgress.Status.FAILED)
        TaskProgress.objects.create(name="Import", status=TaskProgress.Status.DONE)
        SiteFactory.create()
        ContactMessageFactory.create()
        ContactMessageFactory.create(answered_at=timezone.now())


@pytest.mark.django_db
def test_the_secretariat_sees_each_of_its_queues_with_its_count(client, secretariat):
    # given
    _secretariat_work(2)
    client.force_login(secretariat)

    # when
    queues = _queues(client)

    # then
    assert queues["applications"] == 2
    assert queues["votes_owed"] == 0
    assert queues["moderation"] == 2
    assert queues["signatures"] == 2
    assert queues["assistance_triage"] == 2
    assert queues["assistance_overdue"] == 2
    assert queues["renewals_due"] == 2
    assert queues["lapsed"] == 2
    assert queues["jobs_failed"] == 2
    assert queues["reporting_overdue"] == 2
    assert queues["messages_unanswered"] == 2


@pytest.mark.django_db
def test_votes_owed_are_the_applications_in_vote_without_ones_own_vote(client, secretariat):
    voted = ApplicationFactory.create(status=Application.Status.IN_VOTE)
    ApplicationFactory.create(status=Application.Status.IN_VOTE)
    voted.votes.create(reviewer=secretariat, choice="approve")
    client.force_login(secretariat)

    assert _queues(client)["votes_owed"] == 1


@pytest.mark.django_db
def test_the_start_page_shows_the_queues_as_links_with_counts(client, secretariat):
    _secretariat_work(1)
    client.force_login(secretariat)

    content = client.get(ME).content.decode()

    assert "<h1>My work</h1>" in content
    assert 'href="/en/members/applications/"' in content
    assert 'href="/en/jobs/?status=failed"' in content
    assert "Signatures to verify" in content
    assert "Applications waiting for your vote" in content
    # An empty queue is shown quietly: its count, dimmed, not an empty box.
    assert 'data-queue="votes_owed" class="work-idle"' in content


@pytest.mark.django_db
def test_the_secretariat_start_page_does_not_grow_in_queries_with_the_data(client, secretariat):
    client.force_login(secretariat)
    _secretariat_work(1)
    client.get(ME)  # sessions, sites and translations warmed up
    with CaptureQueriesContext(connection) as small:
        assert client.get(ME).status_code == 200

    _secretariat_work(10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(ME).status_code == 200

    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_an_organisation_admin_sees_its_membership_and_renewal(client):
    organisation = OrganisationFactory.create(names={"en": "Harm Reduction Moldova"})
    membership = MembershipFactory.create(
        organisation=organisation, end_date=timezone.localdate() + datetime.timedelta(days=20)
    )
    admin = org_admin_of(organisation)
    AssistanceRequestFactory.create(organisation=organisation)
    AssistanceRequestFactory.create()  # another organisation's
    campaign = CampaignFactory.create(statement_texts={"en": "We call on..."}, statement_open=True)
    CampaignFactory.create(statement_texts={"en": "Signed already"}, statement_open=True)
    SignatureFactory.create(
        campaign=CampaignFactory.create(statement_texts={"en": "x"}, statement_open=True),
        organisation=organisation,
        status=Signature.Status.PENDING,
    )
    client.force_login(admin)

    content = client.get(ME).content.decode()
    queues = _queues(client)

    assert "Harm Reduction Moldova" in content
    assert f'href="/en/members/memberships/{membership.pk}/"' in content
    assert "Renew the membership" in content
    assert queues["assistance_requests"] == 1
    assert queues["staff"] == 1
    assert queues["statements_open"] == 2
    assert campaign.pk


@pytest.mark.django_db
def test_a_member_sees_their_events_applications_and_their_issue_areas(client):
    user = UserFactory.create(roles=[Role.MEMBER])
    area = IssueArea.objects.create(code="hcv", names={"en": "Hepatitis C"})
    PersonFactory.create(user=user).issue_areas.add(area)
    RegistrationFactory.create(user=user)
    ApplicationFactory.create(applicant_user=user)
    ResourceFactory.create().issue_areas.add(area)
    ResourceFactory.create()  # another area
    EventFactory.create().issue_areas.add(area)
    client.force_login(user)

    queues = _queues(client)

    assert queues == {
        "my_events": 1,
        "my_applications": 1,
        "resources_my_areas": 1,
        "events_my_areas": 1,
    }


@pytest.mark.django_db
def test_an_expert_sees_assigned_requests_and_those_due(client):
    expert = ExpertFactory.create()
    today = timezone.localdate()
    AssistanceRequestFactory.create(
        experts=[expert], status=AssistanceRequest.Status.ASSIGNED, due_date=today
    )
    AssistanceRequestFactory.create(
        experts=[expert],
        status=AssistanceRequest.Status.IN_PROGRESS,
        due_date=today + datetime.timedelta(days=60),
    )
    AssistanceRequestFactory.create(experts=[expert], status=AssistanceRequest.Status.CLOSED)
    client.force_login(expert.user)

    queues = _queues(client)

    assert (queues["assigned"], queues["assigned_due_soon"]) == (2, 1)


@pytest.mark.django_db
def test_site_staff_see_each_sites_entry_page_and_todays_contacts(client):
    staff = SiteStaffFactory.create(
        site__name="Chisinau drop-in", user=UserFactory.create(roles=[Role.SITESTAFF])
    )
    site = staff.site
    ContactFactory.create(client__first_site=site, date=timezone.localdate())
    ContactFactory.create(client__first_site=site, date=datetime.date(2025, 1, 5))
    client.force_login(staff.user)

    content = client.get(ME).content.decode()

    assert f'href="/en/sites/{site.pk}/entry/"' in content
    assert "Chisinau drop-in: contacts today" in content
    assert _queues(client) == {"reporting_due": 0, f"contacts_today:{site.pk}": 1}


@pytest.mark.django_db
def test_a_documenter_sees_their_cases_and_the_secretariat_those_shared_with_it(
    client, secretariat, settings
):
    use_test_keys(settings)
    organisation = OrganisationFactory.create()
    documenter = documenter_of(organisation)
    case = CaseFactory.create(organisation=organisation)
    CaseFactory.create(organisation=organisation, status=Case.Status.UNREVIEWED)
    CaseFactory.create()  # another organisation's: never counted
    shared_with(case, secretariat)

    client.force_login(documenter)
    assert _queues(client) == {"my_cases": 1, "cases_unreviewed": 1}
    client.force_login(secretariat)
    assert _queues(client)["cases_shared"] == 1


@pytest.mark.django_db
def test_a_person_with_several_roles_sees_every_section(client):
    expert = ExpertFactory.create()
    expert.user.groups.add(*UserFactory.create(roles=[Role.MEMBER]).groups.all())
    client.force_login(expert.user)

    content = client.get(ME).content.decode()

    assert 'data-section="expert"' in content
    assert 'data-section="member"' in content


@pytest.mark.django_db
def test_the_start_page_and_the_api_speak_the_readers_language(client, make_user):
    officer = make_user(Role.SECRETARIAT, preferred_language="ru")
    client.force_login(officer)

    content = client.get("/ru/me/").content.decode()
    items = client.get(API).json()

    assert "<h1>Моя работа</h1>" in content
    assert "Заявки на решение" in content
    assert items[0]["label"] == "Заявки на решение"
    assert items[0]["url"] == "/ru/members/applications/"


def test_the_work_api_answers_401_to_anonymous_callers(client, db):
    assert client.get(API).status_code == 401


@pytest.mark.django_db
def test_the_work_api_gives_queue_label_count_and_url(client, secretariat):
    client.force_login(secretariat)

    items = client.get(API).json()

    first = items[0]
    assert set(first) == {"queue", "label", "count", "url"}
    assert first["queue"] == "applications"
    assert first["label"] == "Applications to decide"
    assert first["url"] == "/en/members/applications/"
    assert isinstance(first["count"], int)


def test_the_start_page_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(ME)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.django_db
def test_signing_in_lands_on_the_start_page_and_next_still_wins(client, make_user):
    user = make_user(Role.MEMBER, email="olga@example.org")
    user.set_password(PASSWORD)
    user.save()

    response = client.post("/en/accounts/login/", {"email": user.email, "password": PASSWORD})
    assert response["Location"] == "/en/me/"
    assert client.get("/en/me/").status_code == 200

    client.logout()
    response = client.post(
        "/en/accounts/login/?next=/en/events/",
        {"email": user.email, "password": PASSWORD, "next": "/en/events/"},
    )
    assert response["Location"] == "/en/events/"


@pytest.mark.django_db
def test_the_failed_jobs_queue_lists_failed_jobs_oldest_first(client, secretariat):
    TaskProgress.objects.create(name="First failure", status=TaskProgress.Status.FAILED)
    TaskProgress.objects.create(name="Went fine", status=TaskProgress.Status.DONE)
    TaskProgress.objects.create(name="Second failure", status=TaskProgress.Status.FAILED)
    client.force_login(secretariat)

    content = client.get("/en/jobs/?status=failed").content.decode()

    assert "Went fine" not in content
    assert content.index("First failure") < content.index("Second failure")
