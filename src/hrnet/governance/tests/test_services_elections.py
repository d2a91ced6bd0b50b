"""Preparing elections, nominations, the committee's decisions and the designated voter of
an organisation: the rules the services enforce whoever calls them."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.governance.audit import Action
from hrnet.governance.models import Candidate, Constituency, Election, Roll, RollEntry
from hrnet.governance.policies import roll_entries_of
from hrnet.governance.selectors import (
    candidates_to_review,
    counts_to_confirm,
    elections_to_vote,
    results_to_publish,
    voter_entries,
)
from hrnet.governance.services.ballots import ballot_cast
from hrnet.governance.services.elections import (
    ConstituencyData,
    ElectionData,
    announce_problems,
    candidate_decide,
    candidate_nominate,
    candidate_withdraw,
    delegate_set,
    election_announce,
    election_create,
    election_update,
)
from hrnet.governance.services.results import result_confirm
from hrnet.governance.tests.factories import (
    candidate,
    election,
    individual_voter,
    voting_organisation,
)
from hrnet.members.models import Affiliation, Organisation
from hrnet.members.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def _data(**overrides: Any) -> ElectionData:
    now = timezone.now()
    fields: dict[str, Any] = {
        "titles": {"en": "Steering committee 2028", "ru": ""},
        "descriptions": {},
        "nominations_open_at": now + timedelta(days=1),
        "nominations_close_at": now + timedelta(days=10),
        "opens_at": now + timedelta(days=12),
        "closes_at": now + timedelta(days=19),
        "quorum_percent": 50,
        "tie_break": Election.TieBreak.LOT,
        "voters": Roll.Voters.BOTH,
        "cutoff": timezone.localdate(now + timedelta(days=11)),
        "constituencies": [ConstituencyData(names={"en": "Whole network"}, seats=3)],
        "committee": [],
    }
    fields.update(overrides)
    return ElectionData(**fields)


def _member_in_org(organisation: Organisation, *, admin: bool = False) -> Any:
    user = UserFactory(roles=[Role.ORGADMIN if admin else Role.MEMBER])
    person = PersonFactory.create(user=user)
    AffiliationFactory.create(person=person, organisation=organisation, is_admin=admin)
    return user


def _jpeg_with_location() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (47.0, 1.0, 0.0)}  # GPSInfo
    Image.new("RGB", (40, 40), "teal").save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")


# --- preparing and announcing ---------------------------------------------------------------


def test_the_secretariat_creates_a_draft_with_its_roll_and_constituencies(
    secretariat: Any,
) -> None:
    created = election_create(actor=secretariat, data=_data())

    assert created.status == Election.Status.DRAFT
    assert created.roll.voters == Roll.Voters.BOTH
    assert created.constituencies.get().seats == 3
    assert AuditEntry.objects.filter(action=Action.ELECTION_CREATE).count() == 1


def test_only_the_secretariat_creates_elections(member: Any) -> None:
    with pytest.raises(PermissionDenied):
        election_create(actor=member, data=_data())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"titles": {"en": " "}}, "title_en"),
        ({"closes_at": timezone.now() + timedelta(days=11)}, "closes_at"),
        ({"nominations_close_at": timezone.now() + timedelta(days=13)}, "nominations_close_at"),
        ({"cutoff": timezone.localdate() + timedelta(days=30)}, "cutoff"),
    ],
)
def test_an_election_with_wrong_fields_is_refused_naming_them(
    secretariat: Any, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        election_create(actor=secretariat, data=_data(**overrides))

    assert field in raised.value.message_dict
    assert not Election.objects.exists()


def test_announcing_needs_a_constituency_a_committee_of_two_and_dates_in_order(
    secretariat: Any, make_user: Any
) -> None:
    created = election_create(actor=secretariat, data=_data(constituencies=[]))

    problems = announce_problems(created)
    with pytest.raises(ValidationError):
        election_announce(actor=secretariat, election=created)

    assert len(problems) == 2
    created.refresh_from_db()
    assert created.announced_at is None

    first, second = make_user(Role.MEMBER), make_user(Role.MEMBER)
    election_update(
        actor=secretariat,
        election=created,
        data=_data(committee=[first, second]),
    )
    election_announce(actor=secretariat, election=created)

    created.refresh_from_db()
    assert created.status == Election.Status.NOMINATIONS
    with pytest.raises(ValidationError):
        election_announce(actor=secretariat, election=created)


def test_a_frozen_roll_keeps_its_voters_and_cut_off(secretariat: Any) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    vote.roll.frozen_at = timezone.now()
    vote.roll.save()

    with pytest.raises(ValidationError) as raised:
        election_update(actor=secretariat, election=vote, data=_data(voters=Roll.Voters.BOTH))

    assert "voters" in raised.value.message_dict


def test_a_constituency_with_candidates_cannot_be_removed(secretariat: Any) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    candidate(vote)

    with pytest.raises(ValidationError):
        election_update(
            actor=secretariat,
            election=vote,
            data=_data(
                voters=vote.roll.voters,
                cutoff=vote.roll.cutoff,
                constituencies=[ConstituencyData(names={"en": "New"}, seats=1)],
            ),
        )

    assert vote.constituencies.count() == 1


def test_an_election_cannot_be_changed_once_voting_opened(secretariat: Any) -> None:
    with pytest.raises(PermissionDenied):
        election_update(actor=secretariat, election=election(), data=_data())


# --- nominations ---------------------------------------------------------------------------------


def test_a_member_nominates_themselves_with_a_photo_stripped_of_its_metadata(member: Any) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    PersonFactory.create(user=member)

    nominated = candidate_nominate(
        actor=member,
        election=vote,
        constituency=vote.constituencies.get(),
        statements={"en": "Hello", "ru": ""},
        photo=_jpeg_with_location(),
    )

    assert nominated.person.user == member
    assert nominated.nominated_by is None
    assert nominated.status == Candidate.Status.NOMINATED
    assert nominated.statements == {"en": "Hello"}
    assert nominated.photo.name.endswith(".jpg")
    with Image.open(nominated.photo.open("rb")) as stored:
        assert not stored.getexif()  # where the photo was taken is not published
    assert AuditEntry.objects.filter(action=Action.CANDIDATE_NOMINATE).count() == 1


def test_a_photo_that_is_not_an_image_is_refused(member: Any) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    PersonFactory.create(user=member)

    with pytest.raises(ValidationError) as raised:
        candidate_nominate(
            actor=member,
            election=vote,
            constituency=vote.constituencies.get(),
            statements={"en": "Hello"},
            photo=SimpleUploadedFile("me.png", b"not a picture", content_type="image/png"),
        )

    assert "photo" in raised.value.message_dict
    assert not Candidate.objects.exists()


def test_nominations_only_during_the_nomination_period(member: Any) -> None:
    PersonFactory.create(user=member)
    for status in (Election.Status.DRAFT, Election.Status.OPEN, Election.Status.CLOSED):
        vote = election(status=status)
        with pytest.raises(PermissionDenied):
            candidate_nominate(
                actor=member,
                election=vote,
                constituency=vote.constituencies.get(),
                statements={"en": "Hello"},
            )


def test_a_statement_is_required(member: Any) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    PersonFactory.create(user=member)

    with pytest.raises(ValidationError):
        candidate_nominate(
            actor=member,
            election=vote,
            constituency=vote.constituencies.get(),
            statements={"en": " ", "ru": ""},
        )


def test_an_organisation_admin_nominates_only_its_current_people() -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    organisation = OrganisationFactory.create()
    admin = _member_in_org(organisation, admin=True)
    staff = PersonFactory.create()
    AffiliationFactory.create(person=staff, organisation=organisation)
    former = PersonFactory.create()
    AffiliationFactory.create(
        person=former,
        organisation=organisation,
        start_date=timezone.localdate() - timedelta(days=400),
        end_date=timezone.localdate() - timedelta(days=30),
    )
    stranger = PersonFactory.create()
    constituency = vote.constituencies.get()

    nominated = candidate_nominate(
        actor=admin,
        election=vote,
        constituency=constituency,
        statements={"en": "Staff"},
        person=staff,
        organisation=organisation,
    )

    assert nominated.nominated_by == organisation
    for person in (former, stranger):
        with pytest.raises(ValidationError):
            candidate_nominate(
                actor=admin,
                election=vote,
                constituency=constituency,
                statements={"en": "x"},
                person=person,
                organisation=organisation,
            )


def test_a_member_cannot_nominate_for_an_organisation_they_do_not_administer() -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    organisation = OrganisationFactory.create()
    staff_user = _member_in_org(organisation, admin=False)

    with pytest.raises(PermissionDenied):
        candidate_nominate(
            actor=staff_user,
            election=vote,
            constituency=vote.constituencies.get(),
            statements={"en": "x"},
            person=staff_user.person,
            organisation=organisation,
        )


def test_a_community_led_seat_takes_only_community_led_candidates() -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    seat = Constituency.objects.create(
        election=vote, names={"en": "Community seat"}, seats=1, community_led_only=True
    )
    community = OrganisationFactory.create(kind=Organisation.Kind.COMMUNITY_LED)
    ngo = OrganisationFactory.create(kind=Organisation.Kind.NGO, is_community_led=False)
    community_admin = _member_in_org(community, admin=True)
    ngo_admin = _member_in_org(ngo, admin=True)
    ngo_member = _member_in_org(ngo)

    by_community = candidate_nominate(
        actor=community_admin,
        election=vote,
        constituency=seat,
        statements={"en": "x"},
        person=community_admin.person,
        organisation=community,
    )
    with pytest.raises(ValidationError) as by_ngo:
        candidate_nominate(
            actor=ngo_admin,
            election=vote,
            constituency=seat,
            statements={"en": "x"},
            person=ngo_admin.person,
            organisation=ngo,
        )
    with pytest.raises(ValidationError):
        candidate_nominate(
            actor=ngo_member, election=vote, constituency=seat, statements={"en": "x"}
        )
    # A self-nominated member affiliated with a community-led organisation may stand.
    AffiliationFactory.create(person=ngo_member.person, organisation=community)
    by_self = candidate_nominate(
        actor=ngo_member, election=vote, constituency=seat, statements={"en": "x"}
    )

    assert by_community.constituency == seat
    assert "constituency" in by_ngo.value.message_dict
    assert by_self.nominated_by is None


def test_a_person_stands_once_per_election(member: Any) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    other = Constituency.objects.create(election=vote, names={"en": "Second"}, seats=1)
    PersonFactory.create(user=member)
    first = candidate_nominate(
        actor=member,
        election=vote,
        constituency=vote.constituencies.order_by("pk")[0],
        statements={"en": "x"},
    )

    with pytest.raises(ValidationError):
        candidate_nominate(actor=member, election=vote, constituency=other, statements={"en": "x"})
    candidate_withdraw(actor=member, candidate=first)
    again = candidate_nominate(
        actor=member, election=vote, constituency=other, statements={"en": "x"}
    )

    assert again.status == Candidate.Status.NOMINATED


# --- the committee's decisions ----------------------------------------------------------


def test_the_committee_accepts_or_rejects_with_a_note_until_voting_opens(
    make_user: Any, secretariat: Any
) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    judge = make_user(Role.MEMBER)
    vote.committee.set([judge])
    nominee = candidate(vote, status=Candidate.Status.NOMINATED)

    with pytest.raises(ValidationError):
        candidate_decide(actor=judge, candidate=nominee, accept=False, note="")
    rejected = candidate_decide(actor=judge, candidate=nominee, accept=False, note="Not a member")
    accepted = candidate_decide(actor=judge, candidate=nominee, accept=True)

    assert rejected.decision_note == "Not a member"
    assert accepted.status == Candidate.Status.ACCEPTED
    assert accepted.decided_by == judge
    assert AuditEntry.objects.filter(action=Action.CANDIDATE_DECIDE).count() == 2
    with pytest.raises(PermissionDenied):  # the secretariat is not the committee
        candidate_decide(actor=secretariat, candidate=nominee, accept=True)
    open_vote = election()
    open_vote.committee.set([judge])
    late = candidate(open_vote, status=Candidate.Status.NOMINATED)
    with pytest.raises(PermissionDenied):
        candidate_decide(actor=judge, candidate=late, accept=True)


# --- who votes for an organisation ------------------------------------------------------


def test_an_organisation_admin_designates_the_admin_who_votes() -> None:
    vote = election()
    entry, admin = voting_organisation(vote.roll)
    colleague = _member_in_org(entry.organisation, admin=True)
    staff = _member_in_org(entry.organisation, admin=False)

    delegate_set(actor=admin, entry=entry, delegate=colleague)

    assert [e.pk for e in roll_entries_of(colleague, vote.roll)] == [entry.pk]
    assert roll_entries_of(admin, vote.roll) == []
    assert AuditEntry.objects.filter(action=Action.ROLL_DELEGATE).count() == 1
    with pytest.raises(ValidationError):  # staff who do not administer it
        delegate_set(actor=admin, entry=entry, delegate=staff)
    delegate_set(actor=admin, entry=entry, delegate=None)
    assert [e.pk for e in roll_entries_of(admin, vote.roll)] == [entry.pk]


def test_only_the_organisations_own_admins_designate() -> None:
    vote = election()
    entry, _admin = voting_organisation(vote.roll)
    _other_entry, other_admin = voting_organisation(vote.roll, "GE")

    with pytest.raises(PermissionDenied):
        delegate_set(actor=other_admin, entry=entry, delegate=other_admin)


def test_the_delegate_cannot_change_after_voting_closed() -> None:
    vote = election(status=Election.Status.CLOSED)
    entry, admin = voting_organisation(vote.roll)

    with pytest.raises(ValidationError):
        delegate_set(actor=admin, entry=entry, delegate=admin)


# --- the start page's reads -------------------------------------------------------------


def test_voter_entries_agree_with_the_policy_for_every_kind_of_voter() -> None:
    vote = election(voters=Roll.Voters.BOTH)
    _org_entry, admin = voting_organisation(vote.roll)
    _person_entry, member = individual_voter(vote.roll)
    delegated_entry, busy_admin = voting_organisation(vote.roll, "GE")
    delegate = _member_in_org(delegated_entry.organisation, admin=True)
    RollEntry.objects.filter(pk=delegated_entry.pk).update(delegate=delegate)

    for user in (admin, member, busy_admin, delegate):
        assert {e.pk for e in voter_entries(user=user)} == {
            e.pk for e in roll_entries_of(user, vote.roll)
        }


def test_the_queues_count_what_waits(make_user: Any, secretariat: Any) -> None:
    # given: an open election (one of two voters has voted), one in nominations with a
    # candidacy to review, and two closed ones, one confirmed by both committee members
    judge, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    voting = election()
    a = candidate(voting)
    _entry, voted = voting_organisation(voting.roll)
    _entry2, waiting = voting_organisation(voting.roll, "GE")
    ballot_cast(actor=voted, election=voting, choices=[a.pk])
    nominations = election(status=Election.Status.NOMINATIONS)
    nominations.committee.set([judge])
    candidate(nominations, status=Candidate.Status.NOMINATED)
    candidate(nominations, status=Candidate.Status.ACCEPTED)
    closed, confirmed = (
        election(status=Election.Status.CLOSED),
        election(status=Election.Status.CLOSED),
    )
    for each in (closed, confirmed):
        each.committee.set([judge, other])
    result_confirm(actor=judge, election=confirmed)
    result_confirm(actor=other, election=confirmed)

    # then
    assert list(elections_to_vote(user=waiting)) == [voting]
    assert not elections_to_vote(user=voted).exists()
    assert candidates_to_review(user=judge).count() == 1
    assert candidates_to_review(user=other).count() == 0
    assert list(counts_to_confirm(user=judge)) == [closed]
    assert list(results_to_publish(user=secretariat)) == [confirmed]
    assert not results_to_publish(user=judge).exists()


def test_an_affiliation_role_does_not_matter_for_nominating() -> None:
    # (a board member is as eligible as staff)
    vote = election(status=Election.Status.NOMINATIONS)
    organisation = OrganisationFactory.create()
    admin = _member_in_org(organisation, admin=True)
    board = PersonFactory.create()
    AffiliationFactory.create(person=board, organisation=organisation, role=Affiliation.Role.BOARD)

    nominated = candidate_nominate(
        actor=admin,
        election=vote,
        constituency=vote.constituencies.get(),
        statements={"ru": "Член правления"},
        person=board,
        organisation=organisation,
    )

    assert nominated.person == board
