"""Casting votes: one per voter, secret, with a receipt; and the count."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrnet.accounts.roles import Role
from hrnet.geo.models import SubRegion
from hrnet.governance.models import Ballot, Constituency, Election, VoterRecord
from hrnet.governance.services.ballots import AlreadyVoted, ballot_cast, resolution_vote_cast
from hrnet.governance.tally import bulletin, election_count, resolution_count
from hrnet.governance.tests.factories import (
    assembly,
    candidate,
    election,
    individual_voter,
    resolution,
    voting_organisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def test_an_admin_votes_once_for_their_organisation(make_user: Any) -> None:
    vote = election()
    a, b = candidate(vote), candidate(vote)
    entry, admin = voting_organisation(vote.roll)
    receipt = ballot_cast(actor=admin, election=vote, choices=[a.pk, b.pk])
    assert len(receipt) == 14
    assert VoterRecord.objects.get().roll_entry == entry
    assert sorted(Ballot.objects.get().choices.values_list("candidate", flat=True)) == sorted(
        [a.pk, b.pk]
    )
    with pytest.raises(AlreadyVoted):
        ballot_cast(actor=admin, election=vote, choices=[a.pk])
    assert Ballot.objects.count() == 1
    with pytest.raises(PermissionDenied):
        ballot_cast(actor=make_user(Role.MEMBER), election=vote, choices=[a.pk])


def test_choices_are_checked(make_user: Any) -> None:
    vote = election(seats=1)
    a, b = candidate(vote), candidate(vote)
    pending = candidate(vote, status="nominated")
    other = candidate(election())
    _entry, admin = voting_organisation(vote.roll)
    for bad in ([a.pk, b.pk], [pending.pk], [other.pk], [a.pk, a.pk], ["x"], [True]):
        with pytest.raises(ValidationError):
            ballot_cast(actor=admin, election=vote, choices=bad)
    assert not VoterRecord.objects.exists()


def test_a_subregion_seat_is_voted_by_its_voters_only() -> None:
    vote = election()
    md = vote.constituencies.first()
    assert md is not None
    central_asia = Constituency.objects.create(
        election=vote,
        names={"en": "Central Asia"},
        seats=1,
        subregion=SubRegion.objects.get(countries__iso2="KZ"),
    )
    kz = candidate(vote, constituency=central_asia)
    _entry, admin_md = voting_organisation(vote.roll, "MD")
    _entry, admin_kz = voting_organisation(vote.roll, "KZ")
    with pytest.raises(ValidationError):
        ballot_cast(actor=admin_md, election=vote, choices=[kz.pk])
    ballot_cast(actor=admin_kz, election=vote, choices=[kz.pk])


def test_no_vote_outside_the_voting_period() -> None:
    for status in (Election.Status.NOMINATIONS, Election.Status.CLOSED):
        vote = election(status=status)
        a = candidate(vote)
        _entry, admin = voting_organisation(vote.roll)
        with pytest.raises(ValidationError):
            ballot_cast(actor=admin, election=vote, choices=[a.pk])


def test_the_count_of_500_ballots_equals_a_hand_count() -> None:
    vote = election(seats=3)
    candidates = [candidate(vote) for _ in range(6)]
    chooser = random.Random(7)
    hand: Counter[int] = Counter()
    for _ in range(500):
        _entry, admin = voting_organisation(vote.roll)
        chosen = chooser.sample(candidates, chooser.randint(0, 3))
        hand.update(c.pk for c in chosen)
        ballot_cast(actor=admin, election=vote, choices=[c.pk for c in chosen])
    count = election_count(vote)
    got = {row["id"]: row["votes"] for row in count["constituencies"][0]["candidates"]}
    assert got == {c.pk: hand[c.pk] for c in candidates}
    assert count["voted"] == count["ballots"] == 500
    winners = [pk for pk, _n in sorted(hand.items(), key=lambda kv: -kv[1])[:3]]
    elected = {r["id"] for r in count["constituencies"][0]["candidates"] if r["elected"]}
    if len(set(hand.values())) == len(hand):  # no ties: the top three by hand
        assert elected == set(winners)
    board = bulletin(vote)
    assert len(board["receipts"]) == 500
    assert Counter(c for b in board["ballots"] for c in b) == hand


def test_quorum_and_tie_break_rules() -> None:
    vote = election(seats=1, quorum_percent=60, tie_break=Election.TieBreak.RUNOFF)
    a, b = candidate(vote), candidate(vote)
    admins = [voting_organisation(vote.roll)[1] for _ in range(5)]
    ballot_cast(actor=admins[0], election=vote, choices=[a.pk])
    ballot_cast(actor=admins[1], election=vote, choices=[b.pk])
    count = election_count(vote)
    assert count["quorum_met"] is False  # 2 of 5 = 40%
    assert not any(r["elected"] for r in count["constituencies"][0]["candidates"])
    ballot_cast(actor=admins[2], election=vote, choices=[])  # a blank ballot counts
    count = election_count(vote)
    assert count["quorum_met"] is True
    assert count["constituencies"][0]["runoff_needed"] is True
    assert {r["id"] for r in count["constituencies"][0]["candidates"] if r["tied"]} == {
        a.pk,
        b.pk,
    }
    vote.tie_break = Election.TieBreak.LOT
    count = election_count(vote)
    elected = [r["id"] for r in count["constituencies"][0]["candidates"] if r["elected"]]
    assert len(elected) == 1
    assert elected[0] in {a.pk, b.pk}
    assert election_count(vote) == count  # the draw is the same each time


def test_resolutions_need_quorum_and_majority() -> None:
    meeting = assembly()
    simple = resolution(meeting)
    two_thirds = resolution(meeting, majority="two_thirds")
    voters = [individual_voter(meeting.roll)[1] for _ in range(4)]
    for user, answer in zip(voters, ["yes", "yes", "no", "abstain"], strict=True):
        resolution_vote_cast(actor=user, resolution=simple, answer=answer)
        resolution_vote_cast(actor=user, resolution=two_thirds, answer=answer)
    assert resolution_count(simple)["adopted"] is True
    result = resolution_count(two_thirds)
    assert (result["yes"], result["no"], result["abstain"]) == (2, 1, 1)
    assert result["adopted"] is True  # 2 of 3 yes-or-no
    with pytest.raises(AlreadyVoted):
        resolution_vote_cast(actor=voters[0], resolution=simple, answer="no")
