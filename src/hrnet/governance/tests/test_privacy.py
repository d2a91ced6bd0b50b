"""A person's part in governance in their data export (candidacies; where and on which
day they voted, never how), and erasure (roll names and candidate statements and photos
go; the count stays)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.base import ContentFile

from hrnet.governance.models import Ballot, Candidate, Roll, RollEntry, VoterRecord
from hrnet.governance.services.ballots import ballot_cast, resolution_vote_cast
from hrnet.governance.tally import election_count
from hrnet.governance.tests.factories import (
    assembly,
    candidate,
    election,
    individual_voter,
    resolution,
    voting_organisation,
)
from hrnet.members.models import Person
from hrnet.members.services.privacy import person_data_export, person_erase

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography")]


def test_the_export_lists_candidacies_and_where_the_person_voted_not_how(
    secretariat: Any,
) -> None:
    # given: an individual member who stands and votes, and votes for their organisation
    vote = election(voters=Roll.Voters.BOTH)
    entry, user = individual_voter(vote.roll)
    person = Person.objects.get(user=user)
    standing = candidate(vote)
    Candidate.objects.filter(pk=standing.pk).update(
        person=person, statements={"en": "Harm reduction for all.", "ru": "Снижение вреда."}
    )
    ballot_cast(actor=user, election=vote, choices=[standing.pk])
    meeting = assembly(roll=vote.roll.__class__.objects.create(cutoff=vote.roll.cutoff))
    motion = resolution(meeting)
    organisation_entry, _admin = voting_organisation(meeting.roll)
    RollEntry.objects.filter(pk=organisation_entry.pk).update(delegate=user)
    resolution_vote_cast(
        actor=user,
        resolution=motion,
        answer="no",
        organisation_id=organisation_entry.organisation_id,
    )
    receipts = list(Ballot.objects.values_list("receipt", flat=True))
    # when
    data = person_data_export(person=person, actor=secretariat)
    # then
    (candidacy,) = data["governance_candidacies"]
    assert candidacy["election"] == "Steering committee 2027"
    assert candidacy["constituency"] == "Whole network"
    assert candidacy["status"] == "accepted"
    assert candidacy["statements"]["ru"] == "Снижение вреда."
    cast = data["governance_votes"]["cast"]
    assert [(c["election"], c["resolution"]) for c in cast] == [
        ("Steering committee 2027", None),
        (None, "Adopt the strategy 2027-2030"),
    ]
    assert cast[1]["for_organisation"] == organisation_entry.name
    assert "secret" in data["governance_votes"]["note"]
    text = json.dumps(data, default=str)
    for receipt in receipts:
        assert receipt not in text
    assert '"no"' not in text  # the answer
    # nothing but where, when and for whom: no choice, no receipt, no time of day
    assert all(set(c) == {"election", "resolution", "voted_on", "for_organisation"} for c in cast)
    assert all(len(c["voted_on"]) == 10 for c in cast)
    assert entry is not None


def test_erasure_blanks_the_roll_name_and_the_statements_and_keeps_the_count(
    secretariat: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    vote = election(voters=Roll.Voters.INDIVIDUALS, seats=1)
    entry, user = individual_voter(vote.roll)
    person = Person.objects.get(user=user)
    standing = candidate(vote)
    Candidate.objects.filter(pk=standing.pk).update(person=person)
    standing.refresh_from_db()
    standing.photo.save("face.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    photo = standing.photo.name
    storage = standing.photo.storage
    assert storage.exists(photo)
    ballot_cast(actor=user, election=vote, choices=[standing.pk])
    before = election_count(vote)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=person, actor=secretariat, reason="Asked by email")
    # then
    person.refresh_from_db()
    entry.refresh_from_db()
    standing.refresh_from_db()
    assert entry.name == person.full_name
    assert person.full_name.startswith("Erased person")
    assert standing.statements == {}
    assert not standing.photo
    assert not storage.exists(photo)
    assert Candidate.objects.filter(pk=standing.pk).exists()
    assert VoterRecord.objects.filter(roll_entry=entry).exists()
    after = election_count(vote)
    assert after["voted"] == before["voted"] == 1
    assert after["constituencies"][0]["candidates"][0]["votes"] == 1


def test_erasure_reaches_a_person_without_an_account(secretariat: Any) -> None:
    vote = election()
    standing = candidate(vote)
    person = standing.person
    assert person.user_id is None
    person_erase(person=person, actor=secretariat, reason="Asked in person")
    standing.refresh_from_db()
    assert standing.statements == {}
