"""The committee vote: a quorum and a majority from the settings decide; every vote is
recorded and can be changed until the application is decided."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.members.models import Application, Membership, Vote
from hrnet.members.services import applications as services
from hrnet.members.tests.factories import ApplicationFactory

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def committee(settings: Any) -> None:
    settings.HRNET_COMMITTEE_VOTE = True
    settings.HRNET_COMMITTEE_QUORUM = 3
    settings.HRNET_COMMITTEE_MAJORITY = 0.5


@pytest.fixture
def reviewers(make_user: Any) -> list[Any]:
    return [make_user(Role.SECRETARIAT) for _n in range(5)]


@pytest.fixture
def in_vote(committee: None, reviewers: list[Any]) -> Application:
    application = ApplicationFactory.create(language="ru")
    return services.application_vote_start(application=application, actor=reviewers[0])


def cast(application: Application, reviewer: Any, choice: str, comment: str = "") -> Vote:
    return services.application_vote_cast(
        application=application, reviewer=reviewer, choice=choice, comment=comment
    )


def test_putting_to_a_vote_is_audited_and_emailed(
    committee, reviewers, django_capture_on_commit_callbacks
):
    application = ApplicationFactory.create(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        services.application_vote_start(application=application, actor=reviewers[0])

    application.refresh_from_db()
    assert application.status == "in_vote"
    assert AuditEntry.objects.filter(action="members.application.start_vote").count() == 1
    assert mail.outbox[0].to == [application.contact_email]
    assert "committee" in mail.outbox[0].subject


def test_without_a_quorum_the_application_stays_in_the_vote(in_vote, reviewers):
    cast(in_vote, reviewers[0], "approve")
    cast(in_vote, reviewers[1], "approve")

    in_vote.refresh_from_db()
    assert in_vote.status == "in_vote"
    assert Vote.objects.filter(application=in_vote).count() == 2
    assert not Membership.objects.exists()


def test_a_majority_of_approvals_at_the_quorum_approves(
    in_vote, reviewers, django_capture_on_commit_callbacks
):
    cast(in_vote, reviewers[0], "approve")
    cast(in_vote, reviewers[1], "reject", "Not convinced")
    with django_capture_on_commit_callbacks(execute=True):
        cast(in_vote, reviewers[2], "approve")

    in_vote.refresh_from_db()
    assert in_vote.status == "approved"
    assert in_vote.decided_by is None  # the committee decided
    assert Membership.objects.get(organisation=in_vote.organisation).status == "active"
    entry = AuditEntry.objects.get(action="members.application.approve")
    assert entry.actor == reviewers[2]
    assert entry.changes["committee_vote"] == {"approve": 2, "reject": 1, "abstain": 0}
    assert any(m.to == [in_vote.contact_email] for m in mail.outbox)


def test_a_majority_of_rejections_rejects_with_the_committee_reason_in_their_language(
    in_vote, reviewers
):
    cast(in_vote, reviewers[0], "reject")
    cast(in_vote, reviewers[1], "approve")
    cast(in_vote, reviewers[2], "reject")

    in_vote.refresh_from_db()
    assert in_vote.status == "rejected"
    with translation.override("ru"):
        assert in_vote.decision_reason == gettext("Rejected by committee vote.")
    assert not Membership.objects.exists()


def test_a_tie_is_not_a_majority(in_vote, reviewers, settings):
    settings.HRNET_COMMITTEE_QUORUM = 4
    for reviewer, choice in zip(
        reviewers, ["approve", "reject", "approve", "reject"], strict=False
    ):
        cast(in_vote, reviewer, choice)

    in_vote.refresh_from_db()
    assert in_vote.status == "rejected"


def test_abstentions_count_for_the_quorum_not_the_majority(in_vote, reviewers):
    cast(in_vote, reviewers[0], "abstain")
    cast(in_vote, reviewers[1], "abstain")
    in_vote.refresh_from_db()
    assert in_vote.status == "in_vote"

    cast(in_vote, reviewers[2], "approve")

    in_vote.refresh_from_db()
    assert in_vote.status == "approved"


def test_only_abstentions_do_not_approve(in_vote, reviewers):
    for reviewer in reviewers[:3]:
        cast(in_vote, reviewer, "abstain")

    in_vote.refresh_from_db()
    assert in_vote.status == "rejected"


def test_the_majority_comes_from_the_settings(in_vote, reviewers, settings):
    settings.HRNET_COMMITTEE_MAJORITY = 0.7  # two of three approvals are not enough
    cast(in_vote, reviewers[0], "approve")
    cast(in_vote, reviewers[1], "approve")
    cast(in_vote, reviewers[2], "reject")

    in_vote.refresh_from_db()
    assert in_vote.status == "rejected"


def test_a_reviewer_changes_their_vote_and_both_are_recorded(in_vote, reviewers):
    cast(in_vote, reviewers[0], "reject", "First thoughts")
    cast(in_vote, reviewers[0], "approve", "After the call")

    vote = Vote.objects.get(application=in_vote)
    assert (vote.reviewer, vote.choice, vote.comment) == (reviewers[0], "approve", "After the call")
    changes = [
        e.changes["choice"]
        for e in AuditEntry.objects.filter(action="members.application.vote").order_by("pk")
    ]
    assert changes == [{"old": None, "new": "reject"}, {"old": "reject", "new": "approve"}]
    in_vote.refresh_from_db()
    assert in_vote.status == "in_vote"


def test_no_vote_after_the_decision(in_vote, reviewers):
    for reviewer in reviewers[:3]:
        cast(in_vote, reviewer, "approve")

    with pytest.raises(ValidationError, match="only while the application is before"):
        cast(in_vote, reviewers[0], "reject")
    assert Vote.objects.get(application=in_vote, reviewer=reviewers[0]).choice == "approve"


def test_with_the_vote_on_a_direct_approval_is_refused_but_rejection_is_not(in_vote, reviewers):
    with pytest.raises(ValidationError) as refused:
        services.application_decide(application=in_vote, decision="approve", actor=reviewers[0])
    assert "decision" in refused.value.message_dict
    assert not Membership.objects.exists()

    services.application_decide(
        application=in_vote, decision="reject", reason="Spam", actor=reviewers[0]
    )
    in_vote.refresh_from_db()
    assert in_vote.status == "rejected"


def test_only_the_secretariat_votes(in_vote, member):
    with pytest.raises(PermissionDenied):
        cast(in_vote, member, "approve")
    assert not Vote.objects.exists()


def test_a_vote_needs_a_known_choice(in_vote, reviewers):
    with pytest.raises(ValidationError) as refused:
        cast(in_vote, reviewers[0], "maybe")
    assert "choice" in refused.value.message_dict


def test_votes_only_on_an_application_in_the_vote(committee, reviewers):
    application = ApplicationFactory.create()

    with pytest.raises(ValidationError):
        cast(application, reviewers[0], "approve")
    services.application_decide(
        application=application, decision="reject", reason="No", actor=reviewers[0]
    )
    with pytest.raises(ValidationError, match="Only a submitted application"):
        services.application_vote_start(application=application, actor=reviewers[0])


def test_with_the_vote_off_there_is_no_vote(reviewers, settings):
    settings.HRNET_COMMITTEE_VOTE = False
    application = ApplicationFactory.create()

    with pytest.raises(ValidationError, match="turned off"):
        services.application_vote_start(application=application, actor=reviewers[0])
    application.refresh_from_db()
    assert application.status == "submitted"


# --- the queue of votes owed ----------------------------------------------------------


def _in_vote(reviewers: list[Any], days_ago: int, name: str) -> Application:
    from datetime import timedelta

    from django.utils import timezone

    application = ApplicationFactory.create(contact_name=name)
    services.application_vote_start(application=application, actor=reviewers[0])
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return application


def _rows(response: Any) -> list[str]:
    return [application.contact_name for application in response.context["page"]]


def test_awaiting_my_vote_lists_only_votes_i_owe_oldest_first(client, committee, reviewers):
    me, other = reviewers[1], reviewers[2]
    newer = _in_vote(reviewers, 1, "Newer")
    older = _in_vote(reviewers, 9, "Older")
    voted = _in_vote(reviewers, 5, "Voted already")
    cast(voted, me, "approve")
    cast(newer, other, "reject")  # someone else's vote does not settle mine
    ApplicationFactory.create(contact_name="Not in a vote")
    client.force_login(me)

    response = client.get("/en/members/applications/?awaiting_my_vote=1")

    assert response.status_code == 200
    assert _rows(response) == [older.contact_name, newer.contact_name]
    assert b'name="awaiting_my_vote" value="1" checked' in response.content
    # Without the filter, every application in the vote shows, mine voted or not.
    everything = client.get("/en/members/applications/?status=in_vote")
    assert set(_rows(everything)) == {"Newer", "Older", "Voted already"}


def test_awaiting_my_vote_is_paged_and_keeps_the_filter(client, committee, reviewers, monkeypatch):
    from hrnet.members.views import applications as views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    for days in range(3):
        _in_vote(reviewers, days, f"Applicant {days}")
    client.force_login(reviewers[1])

    first = client.get("/en/members/applications/?awaiting_my_vote=1")
    second = client.get("/en/members/applications/?awaiting_my_vote=1&page=2")

    assert _rows(first) == ["Applicant 2", "Applicant 1"]
    assert _rows(second) == ["Applicant 0"]
    assert "awaiting_my_vote=1&amp;page=2" in first.content.decode()


def test_only_voters_see_the_votes_they_owe(client, committee, reviewers, make_user):
    _in_vote(reviewers, 1, "Before the committee")
    client.force_login(make_user(Role.MEMBER))

    assert client.get("/en/members/applications/?awaiting_my_vote=1").status_code == 403
