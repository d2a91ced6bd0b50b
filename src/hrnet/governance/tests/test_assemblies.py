"""General assemblies: the agenda with library documents, resolutions voted once each,
the majority and quorum rules, publication (results frozen, the page public), minutes
adopted at the next assembly, and who sees what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.events.models import Event
from hrnet.governance import selectors
from hrnet.governance.models import AgendaItem, Ballot, Resolution, Roll, VoterRecord
from hrnet.governance.services import assemblies
from hrnet.governance.services.ballots import AlreadyVoted, resolution_vote_cast
from hrnet.governance.tests.factories import (
    assembly,
    individual_voter,
    resolution,
    voting_organisation,
)
from hrnet.library.models import Resource
from hrnet.library.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def _close(item: Resolution) -> None:
    now = timezone.now()
    Resolution.objects.filter(pk=item.pk).update(
        opens_at=now - timedelta(days=2), closes_at=now - timedelta(minutes=1)
    )
    item.refresh_from_db()


def _voters(meeting: Any, count: int) -> list[Any]:
    return [voting_organisation(meeting.roll)[1] for _ in range(count)]


# --- services ------------------------------------------------------------------------------


def test_the_secretariat_creates_an_assembly_with_its_agenda(secretariat: Any, member: Any) -> None:
    # given
    strategy = ResourceFactory.create(status=Resource.Status.PUBLISHED, title="Strategy 2027-2030")
    draft = ResourceFactory.create(status=Resource.Status.SUBMITTED, title="Draft budget")
    event = Event.objects.create(
        kind=Event.Kind.MEETING,
        titles={"en": "General Assembly in Vilnius"},
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=30, hours=6),
        status=Event.Status.PUBLISHED,
    )
    # when
    meeting = assemblies.assembly_create(
        actor=secretariat,
        titles={"en": "General Assembly 2027", "ru": "Общее собрание 2027"},
        date=timezone.localdate() + timedelta(days=30),
        event=event,
        voters=Roll.Voters.BOTH,
        cutoff=timezone.localdate(),
    )
    items = assemblies.assembly_agenda_set(
        actor=secretariat,
        assembly=meeting,
        items=[
            assemblies.AgendaItemSpec(titles={"en": "Opening"}),
            assemblies.AgendaItemSpec(
                titles={"en": "Strategy", "ru": "Стратегия"}, documents=[strategy]
            ),
        ],
    )
    # then
    assert meeting.roll.voters == Roll.Voters.BOTH
    assert [str(item) for item in meeting.agenda.all()] == ["Opening", "Strategy"]
    assert list(items[1].documents.all()) == [strategy]
    with pytest.raises(ValidationError):
        assemblies.assembly_agenda_set(
            actor=secretariat,
            assembly=meeting,
            items=[assemblies.AgendaItemSpec(titles={"en": "Budget"}, documents=[draft])],
        )
    # Reordered, one taken off, one added.
    assemblies.assembly_agenda_set(
        actor=secretariat,
        assembly=meeting,
        items=[
            assemblies.AgendaItemSpec(
                id=items[1].pk, titles={"en": "Strategy"}, documents=[strategy]
            ),
            assemblies.AgendaItemSpec(id=items[0].pk, titles={"en": "Opening"}, delete=True),
            assemblies.AgendaItemSpec(titles={"en": "Any other business"}),
        ],
    )
    assert [str(item) for item in meeting.agenda.all()] == ["Strategy", "Any other business"]
    assert AuditEntry.objects.filter(action="governance.assembly.create").count() == 1
    with pytest.raises(PermissionDenied):
        assemblies.assembly_create(actor=member, titles={"en": "Mine"}, date=timezone.localdate())


def test_a_frozen_roll_keeps_who_votes(secretariat: Any) -> None:
    meeting = assembly()
    voting_organisation(meeting.roll)  # freezes the roll
    with pytest.raises(ValidationError):
        assemblies.assembly_change(
            actor=secretariat,
            assembly=meeting,
            titles={"en": "Renamed"},
            date=meeting.date,
            voters=Roll.Voters.INDIVIDUALS,
            cutoff=meeting.roll.cutoff,
        )
    changed = assemblies.assembly_change(
        actor=secretariat,
        assembly=meeting,
        titles={"en": "Renamed"},
        date=meeting.date,
        voters=meeting.roll.voters,
        cutoff=meeting.roll.cutoff,
        minutes={"en": "The assembly opened at 10:00."},
    )
    assert changed.title == "Renamed"
    assert changed.minutes == {"en": "The assembly opened at 10:00."}


def test_resolutions_are_checked_and_frozen_once_voting_opens(secretariat: Any) -> None:
    meeting = assembly()
    other = assembly()
    item = AgendaItem.objects.create(assembly=other, titles={"en": "Elsewhere"})
    now = timezone.now()
    base = {
        "actor": secretariat,
        "assembly": meeting,
        "titles": {"en": "Adopt the budget"},
        "texts": {"en": "The assembly adopts the budget."},
        "opens_at": now + timedelta(hours=1),
        "closes_at": now + timedelta(hours=5),
    }
    for bad in (
        {"titles": {"en": " "}},
        {"closes_at": now},
        {"majority": "unanimity"},
        {"agenda_item": item},
        {"adopts_minutes_of": meeting},
        {"quorum_percent": 101},
    ):
        with pytest.raises(ValidationError):
            assemblies.resolution_create(**{**base, **bad})
    created = assemblies.resolution_create(**base)
    changed = assemblies.resolution_change(
        actor=secretariat,
        resolution=created,
        titles={"en": "Adopt the budget 2027"},
        texts=created.texts,
        majority=Resolution.Majority.TWO_THIRDS,
        quorum_percent=30,
        opens_at=created.opens_at,
        closes_at=created.closes_at,
    )
    assert (changed.title, changed.majority) == ("Adopt the budget 2027", "two_thirds")
    Resolution.objects.filter(pk=created.pk).update(opens_at=now - timedelta(minutes=1))
    created.refresh_from_db()
    with pytest.raises(ValidationError):
        assemblies.resolution_change(
            actor=secretariat,
            resolution=created,
            titles={"en": "Something else"},
            texts=created.texts,
            majority=created.majority,
            quorum_percent=created.quorum_percent,
            opens_at=created.opens_at,
            closes_at=created.closes_at,
        )


def test_each_voter_votes_once_on_a_resolution(make_user: Any) -> None:
    meeting = assembly(
        roll=Roll.objects.create(voters=Roll.Voters.BOTH, cutoff=timezone.localdate())
    )
    motion = resolution(meeting)
    _entry, admin = voting_organisation(meeting.roll)
    _person, member = individual_voter(meeting.roll)
    assert len(resolution_vote_cast(actor=admin, resolution=motion, answer="yes")) == 14
    resolution_vote_cast(actor=member, resolution=motion, answer="no")
    with pytest.raises(AlreadyVoted):
        resolution_vote_cast(actor=admin, resolution=motion, answer="no")
    with pytest.raises(PermissionDenied):
        resolution_vote_cast(actor=make_user(Role.MEMBER), resolution=motion, answer="yes")
    assert Ballot.objects.filter(resolution=motion).count() == 2
    assert VoterRecord.objects.filter(resolution=motion).count() == 2
    assert not AuditEntry.objects.filter(action__contains="vote").exists()


@pytest.mark.parametrize(
    ("majority", "quorum", "answers", "adopted"),
    [
        ("simple", 0, ["yes", "yes", "no"], True),
        ("simple", 0, ["yes", "no", "abstain"], False),  # a tie is not a majority
        ("simple", 0, ["yes", "abstain", "abstain"], True),  # abstentions do not count against
        ("two_thirds", 0, ["yes", "yes", "no"], True),  # exactly two thirds
        ("two_thirds", 0, ["yes", "yes", "no", "no"], False),
        ("simple", 80, ["yes", "yes", "yes"], False),  # 3 of 4 on the roll: 75% < 80%
        ("simple", 75, ["yes", "yes", "abstain"], True),  # abstaining counts for the quorum
    ],
)
def test_majority_and_quorum(
    secretariat: Any, majority: str, quorum: int, answers: list[str], adopted: bool
) -> None:
    meeting = assembly()
    motion = resolution(meeting, majority=majority, quorum_percent=quorum)
    voters = _voters(meeting, 4)
    for voter, answer in zip(voters, answers, strict=False):
        resolution_vote_cast(actor=voter, resolution=motion, answer=answer)
    _close(motion)
    assemblies.assembly_results_publish(actor=secretariat, assembly=meeting)
    motion.refresh_from_db()
    assert motion.result["adopted"] is adopted
    assert motion.result["roll"] == 4
    assert motion.result["voted"] == len(answers)


def test_results_are_published_once_every_resolution_has_closed(
    secretariat: Any, member: Any
) -> None:
    meeting = assembly()
    first, second = resolution(meeting), resolution(meeting)
    voter = _voters(meeting, 1)[0]
    resolution_vote_cast(actor=voter, resolution=first, answer="yes")
    _close(first)
    with pytest.raises(PermissionDenied):
        assemblies.assembly_results_publish(actor=member, assembly=meeting)
    with pytest.raises(ValidationError):  # the second is still open
        assemblies.assembly_results_publish(actor=secretariat, assembly=meeting)
    _close(second)
    published = assemblies.assembly_results_publish(actor=secretariat, assembly=meeting)
    assert published.published_at is not None
    first.refresh_from_db()
    assert (first.result["yes"], first.result["adopted"]) == (1, True)
    with pytest.raises(ValidationError):  # once
        assemblies.assembly_results_publish(actor=secretariat, assembly=meeting)
    with pytest.raises(ValidationError):  # closed to new resolutions
        assemblies.resolution_create(
            actor=secretariat,
            assembly=meeting,
            titles={"en": "Late"},
            texts={"en": "Late"},
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(hours=1),
        )


def test_minutes_are_adopted_at_the_next_assembly(secretariat: Any) -> None:
    # given: last year's assembly with its minutes, and this year's
    last_year = assembly(date=timezone.localdate() - timedelta(days=365))
    last_year.minutes = {"en": "Minutes of 2026."}
    last_year.save()
    this_year = assembly(roll=last_year.roll.__class__.objects.create(cutoff=timezone.localdate()))
    adopt = resolution(this_year, adopts_minutes_of=last_year)
    voter = _voters(this_year, 1)[0]
    resolution_vote_cast(actor=voter, resolution=adopt, answer="yes")
    _close(adopt)
    assert selectors.minutes_adoption(assembly=last_year) is None
    # when
    assemblies.assembly_results_publish(actor=secretariat, assembly=this_year)
    # then
    assert selectors.minutes_adoption(assembly=last_year) == adopt
    assert AuditEntry.objects.filter(
        action="governance.assembly.change", object_id=str(last_year.pk)
    ).exists()


def test_minutes_are_not_adopted_by_a_resolution_that_failed(secretariat: Any) -> None:
    last_year = assembly(date=timezone.localdate() - timedelta(days=365))
    this_year = assembly()
    adopt = resolution(this_year, adopts_minutes_of=last_year)
    voter = _voters(this_year, 1)[0]
    resolution_vote_cast(actor=voter, resolution=adopt, answer="no")
    _close(adopt)
    assemblies.assembly_results_publish(actor=secretariat, assembly=this_year)
    assert selectors.minutes_adoption(assembly=last_year) is None


# --- pages ---------------------------------------------------------------------------------


def test_an_assembly_is_in_the_members_area_until_its_results_are_published(
    client: Any, make_user: Any, secretariat: Any
) -> None:
    meeting = assembly(descriptions={"en": "Our yearly meeting."})
    meeting.minutes = {"en": "Secret minutes text."}
    meeting.save()
    motion = resolution(meeting)
    Resolution.objects.filter(pk=motion.pk).update(titles={"en": "Adopt the statute"})
    url = reverse("governance:assembly", args=[meeting.pk])
    resolution_url = reverse("governance:resolution", args=[motion.pk])
    # anonymous and signed-in outsiders: nothing
    assert client.get(url).status_code == 404
    assert client.get(resolution_url).status_code == 404
    client.force_login(make_user(Role.SITESTAFF))
    assert client.get(url).status_code == 404
    # a member reads everything
    client.force_login(make_user(Role.MEMBER))
    page = client.get(url)
    assert page.status_code == 200
    assert "Adopt the statute" in page.content.decode()
    assert "Secret minutes text." in page.content.decode()
    assert "Publish the results" not in page.content.decode()
    assert client.get(resolution_url).status_code == 200
    # published: public, with the results; the minutes stay in the members' area
    _close(motion)
    assemblies.assembly_results_publish(actor=secretariat, assembly=meeting)
    client.logout()
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Adopt the statute" in text
    assert "Not adopted" in text  # nobody voted
    assert "Secret minutes text." not in text
    assert client.get(resolution_url).status_code == 200


def test_a_voter_votes_on_the_page_and_sees_the_receipt_once(client: Any) -> None:
    meeting = assembly()
    motion = resolution(meeting)
    _entry, admin = voting_organisation(meeting.roll)
    client.force_login(admin)
    page = client.get(reverse("governance:assembly", args=[meeting.pk]))
    assert reverse("governance:resolution_vote", args=[motion.pk]) in page.content.decode()
    vote_url = reverse("governance:resolution_vote", args=[motion.pk])
    assert client.get(vote_url).status_code == 200
    assert client.post(vote_url, {"answer": "maybe"}).status_code == 200  # the form again
    assert not Ballot.objects.exists()
    answer = client.post(vote_url, {"answer": "yes"})
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    receipt = Ballot.objects.get().receipt
    assert receipt in answer.content.decode()
    # again: counted once, and the receipt is not shown again anywhere
    again = client.post(vote_url, {"answer": "no"}, follow=True)
    assert Ballot.objects.count() == 1
    assert receipt not in again.content.decode()
    page = client.get(reverse("governance:resolution", args=[motion.pk]))
    assert "Your vote is counted" in page.content.decode()
    assert receipt not in page.content.decode()
    # the receipt check says counted, and nothing of the answer
    checked = client.post(
        reverse("governance:resolution", args=[motion.pk]),
        {"check": "1", "receipt": receipt.lower().replace("-", " ")},
    )
    assert "is counted" in checked.content.decode()
    assert "no-store" in checked["Cache-Control"]
    unknown = client.post(
        reverse("governance:resolution", args=[motion.pk]),
        {"check": "1", "receipt": "AAAA-BBBB-CCCC"},
    )
    assert "No ballot with the receipt" in unknown.content.decode()


def test_a_member_without_a_vote_cannot_vote(client: Any, member: Any) -> None:
    meeting = assembly()
    motion = resolution(meeting)
    voting_organisation(meeting.roll)
    client.force_login(member)
    assert client.get(reverse("governance:resolution_vote", args=[motion.pk])).status_code == 403
    page = client.get(reverse("governance:resolution", args=[motion.pk]))
    assert "You are not on the voter roll" in page.content.decode()


def test_an_admin_of_two_organisations_chooses_whose_vote(client: Any) -> None:
    meeting = assembly()
    motion = resolution(meeting)
    first, admin = voting_organisation(meeting.roll)
    second, other_admin = voting_organisation(meeting.roll)
    # make `admin` an admin of the second organisation too
    from hrnet.members.models import Affiliation, Person

    Affiliation.objects.create(
        person=Person.objects.get(user=admin),
        organisation=second.organisation,
        is_admin=True,
        role=Affiliation.Role.DIRECTOR,
    )
    client.force_login(admin)
    vote_url = reverse("governance:resolution_vote", args=[motion.pk])
    assert second.name in client.get(vote_url).content.decode()
    client.post(vote_url, {"answer": "yes", "voter": str(second.pk)})
    assert VoterRecord.objects.get().roll_entry == second
    # only the first is left: no choice to make
    client.post(vote_url, {"answer": "no"})
    assert set(VoterRecord.objects.values_list("roll_entry", flat=True)) == {first.pk, second.pk}
    assert other_admin is not None


def test_the_secretariat_prepares_and_publishes_on_the_pages(client: Any, secretariat: Any) -> None:
    # given
    document = ResourceFactory.create(status=Resource.Status.PUBLISHED, title="Statute draft")
    client.force_login(secretariat)
    new_url = reverse("governance:assembly_new")
    assert client.get(new_url).status_code == 200
    data = {
        "title_en": "General Assembly 2027",
        "title_ru": "Общее собрание 2027",
        "date": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "voters": "organisations",
        "cutoff": timezone.localdate().isoformat(),
        "agenda-TOTAL_FORMS": "2",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "50",
        "agenda-0-title_en": "The statute",
        "agenda-0-documents": [str(document.pk)],
        "agenda-1-description_en": "A description without a title",
    }
    # when: a row without a title comes back
    again = client.post(new_url, data)
    assert again.status_code == 200
    assert "Give the agenda item a title." in again.content.decode()
    data["agenda-1-title_en"] = "Elections"
    created = client.post(new_url, data)
    # then
    assert created.status_code == 302
    meeting = selectors.assemblies_visible(user=secretariat).get()
    assert [str(i) for i in meeting.agenda.all()] == ["The statute", "Elections"]
    page = client.get(created["Location"])
    assert "Statute draft" in page.content.decode()
    assert "Freeze the voter roll now" in page.content.decode()
    # a resolution, voting at the meeting
    now = timezone.localtime()
    form = {
        "title_en": "Adopt the statute",
        "text_en": "The assembly adopts the statute.",
        "majority": "two_thirds",
        "quorum_percent": "50",
        "opens_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "agenda_item": str(meeting.agenda.first().pk),  # type: ignore[union-attr]
    }
    answer = client.post(reverse("governance:resolution_new", args=[meeting.pk]), form)
    assert answer.status_code == 302
    motion = Resolution.objects.get()
    assert motion.majority == "two_thirds"
    edit = client.get(reverse("governance:resolution", args=[motion.pk]) + "?edit")
    assert "Save the resolution" in edit.content.decode()
    # the roll is frozen from the page
    client.post(reverse("governance:assembly", args=[meeting.pk]), {"action": "freeze"})
    meeting.roll.refresh_from_db()
    assert meeting.roll.frozen_at is not None
    # publishing before voting has closed is refused, then works
    client.post(reverse("governance:assembly_publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.published_at is None
    _close(motion)
    client.post(reverse("governance:assembly_publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.published_at is not None


def test_members_cannot_reach_the_secretariats_pages(client: Any, member: Any) -> None:
    meeting = assembly()
    motion = resolution(meeting, open_now=False)
    client.force_login(member)
    for url in (
        reverse("governance:assembly_new"),
        reverse("governance:assembly_edit", args=[meeting.pk]),
        reverse("governance:resolution_new", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("governance:assembly_publish", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("governance:assembly", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("governance:assembly_new")).status_code == 403
    client.logout()
    assert client.get(reverse("governance:assembly_new")).status_code == 302
    assert client.get(reverse("governance:resolution", args=[motion.pk])).status_code == 404
