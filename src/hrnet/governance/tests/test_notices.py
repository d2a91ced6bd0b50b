"""The election emails: each kind once per voter, the reminder only to those who have
not voted, an organisation's email to its delegate or else its admins, each in the
reader's language."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.governance.models import Election, Notice, Roll, RollEntry
from hrnet.governance.services.ballots import ballot_cast
from hrnet.governance.services.notices import notices_send
from hrnet.governance.tests.factories import (
    candidate,
    election,
    individual_voter,
    voting_organisation,
)
from hrnet.members.models import Affiliation
from hrnet.members.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def _to(address: Any) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


def test_nominations_wait_for_the_frozen_roll_and_go_once() -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    _entry, admin = voting_organisation(vote.roll)
    Roll.objects.filter(pk=vote.roll_id).update(frozen_at=None)
    assert notices_send() == {"nominations": 0, "voting": 0, "reminder": 0, "results": 0}
    Roll.objects.filter(pk=vote.roll_id).update(frozen_at=timezone.now())
    assert notices_send()["nominations"] == 1
    assert notices_send()["nominations"] == 0
    (message,) = mail.outbox
    assert message.to == [admin.email]
    assert "Nominations are open: Steering committee 2027" in message.subject
    assert reverse("governance:election", args=[vote.pk]) in message.body
    assert Notice.objects.get().kind == "nominations"


def test_no_notice_for_a_draft_or_a_closed_election() -> None:
    for status in (Election.Status.DRAFT, Election.Status.CLOSED):
        voting_organisation(election(status=status).roll)
    assert sum(notices_send().values()) == 0
    assert not mail.outbox


def test_voting_then_the_reminder_only_to_those_who_have_not_voted() -> None:
    # given: voting open, closing in five days; two voting organisations
    vote = election(status=Election.Status.OPEN)
    choice = candidate(vote)
    _entry, voted = voting_organisation(vote.roll)
    _entry, waiting = voting_organisation(vote.roll)
    # when: voting opens
    assert notices_send()["voting"] == 2
    assert notices_send()["voting"] == 0
    (opened,) = _to(voted.email)
    assert "Voting is open" in opened.subject
    assert reverse("governance:vote", args=[vote.pk]) in opened.body
    # one votes; two days before closing, the other is reminded, once
    ballot_cast(actor=voted, election=vote, choices=[choice.pk])
    assert notices_send()["reminder"] == 0  # not yet two days before
    later = vote.closes_at - timedelta(days=1)
    assert notices_send(now=later)["reminder"] == 1
    assert notices_send(now=later + timedelta(hours=1))["reminder"] == 0
    assert len(_to(voted.email)) == 1
    reminders = [m for m in _to(waiting.email) if "Two days left" in m.subject]
    assert len(reminders) == 1


def test_an_election_opened_late_is_not_reminded_right_after_the_voting_email() -> None:
    vote = election(status=Election.Status.OPEN)
    Election.objects.filter(pk=vote.pk).update(closes_at=timezone.now() + timedelta(days=1))
    voting_organisation(vote.roll)
    sent = notices_send()
    assert (sent["voting"], sent["reminder"]) == (1, 0)


def test_results_go_once_to_every_voter() -> None:
    vote = election(status=Election.Status.PUBLISHED)
    vote.result_summaries = {"en": "Anna and Boris are elected."}
    vote.save()
    voting_organisation(vote.roll)
    individual_voter(vote.roll)
    assert notices_send()["results"] == 2
    assert notices_send()["results"] == 0
    assert all("Anna and Boris are elected." in m.body for m in mail.outbox)
    assert reverse("governance:results", args=[vote.pk]) in mail.outbox[0].body


def test_an_organisation_is_written_to_at_its_delegate_or_else_its_admins() -> None:
    vote = election(status=Election.Status.OPEN)
    with_delegate, admin = voting_organisation(vote.roll)
    delegate = UserFactory(roles=[Role.ORGADMIN])
    AffiliationFactory(
        person=PersonFactory(user=delegate),
        organisation=with_delegate.organisation,
        is_admin=True,
    )
    RollEntry.objects.filter(pk=with_delegate.pk).update(delegate=delegate)
    without, first_admin = voting_organisation(vote.roll)
    second_admin = UserFactory(roles=[Role.ORGADMIN])
    AffiliationFactory(
        person=PersonFactory(user=second_admin),
        organisation=without.organisation,
        is_admin=True,
        role=Affiliation.Role.DIRECTOR,
    )
    former = UserFactory(roles=[Role.ORGADMIN])
    AffiliationFactory(
        person=PersonFactory(user=former),
        organisation=without.organisation,
        is_admin=True,
        end_date=timezone.localdate() - timedelta(days=1),
    )
    # when
    sent = notices_send()
    # then: one notice per entry, one email per person written to
    assert sent["voting"] == 3
    assert Notice.objects.count() == 2
    assert {tuple(m.to) for m in mail.outbox} == {
        (delegate.email,),
        (first_admin.email,),
        (second_admin.email,),
    }
    assert not _to(admin.email)  # the delegate votes for that one
    assert not _to(former.email)
    assert "You are designated to cast the vote of" in _to(delegate.email)[0].body


def test_each_email_is_in_the_readers_language() -> None:
    vote = election(status=Election.Status.OPEN)
    _entry, english = voting_organisation(vote.roll)
    _entry, russian = voting_organisation(vote.roll)
    russian.preferred_language = "ru"
    russian.time_zone = "Asia/Almaty"
    russian.save()
    notices_send()
    (in_english,) = _to(english.email)
    (in_russian,) = _to(russian.email)
    assert "Steering committee 2027" in in_english.subject
    assert "Координационный комитет 2027" in in_russian.subject
    assert "Голосование открыто" in in_russian.subject
    assert in_russian.extra_headers["Content-Language"] == "ru"
    assert "/ru/" in in_russian.body


def test_a_failed_send_is_tried_again_by_the_next_run() -> None:
    vote = election(status=Election.Status.OPEN)
    voting_organisation(vote.roll)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError("down")
    ):
        assert notices_send()["voting"] == 0
    assert not Notice.objects.exists()
    assert notices_send()["voting"] == 1


def test_voters_without_an_account_are_left_for_later() -> None:
    vote = election(status=Election.Status.OPEN)
    entry, _admin = voting_organisation(vote.roll)
    Affiliation.objects.filter(organisation=entry.organisation).update(is_admin=False)
    assert notices_send()["voting"] == 0
    assert not Notice.objects.exists()


def test_the_command_prints_the_counts() -> None:
    vote = election(status=Election.Status.OPEN)
    voting_organisation(vote.roll)
    out = io.StringIO()
    call_command("governance_tick", stdout=out)
    assert "Election emails sent: 0 (nominations open), 1 (voting open)" in out.getvalue()
    daily = io.StringIO()
    call_command("housekeeping", stdout=daily)  # its safety net sends nothing twice
    assert "election emails sent: 0;" in daily.getvalue()
    assert len([m for m in mail.outbox if "Voting is open" in m.subject]) == 1
