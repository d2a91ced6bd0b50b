"""Factories of the governance tests (use the `geography` fixture first): an election
with constituencies and accepted candidates, and voters on a frozen roll."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.governance.models import (
    Assembly,
    Candidate,
    Constituency,
    Election,
    Resolution,
    Roll,
    RollEntry,
)
from hrnet.members.models import Affiliation, Membership
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    country,
)


def roll(voters: str = Roll.Voters.ORGANISATIONS, **fields: Any) -> Roll:
    return Roll.objects.create(
        voters=voters, cutoff=fields.pop("cutoff", timezone.localdate()), **fields
    )


def election(
    *,
    status: str = Election.Status.OPEN,
    seats: int = 2,
    quorum_percent: int = 0,
    tie_break: str = Election.TieBreak.LOT,
    voters: str = Roll.Voters.ORGANISATIONS,
    **fields: Any,
) -> Election:
    """An election in `status` (by its dates), with one network-wide constituency of
    `seats` seats."""
    now = timezone.now()
    day = timedelta(days=1)
    by_status: dict[str, tuple[Any, Any, Any]] = {
        Election.Status.DRAFT: (now + 10 * day, now + 20 * day, None),
        Election.Status.NOMINATIONS: (now + 10 * day, now + 20 * day, now - day),
        Election.Status.OPEN: (now - day, now + 5 * day, now - 20 * day),
        Election.Status.CLOSED: (now - 10 * day, now - day, now - 30 * day),
        Election.Status.PUBLISHED: (now - 10 * day, now - day, now - 30 * day),
    }
    dates = by_status[status]
    created = Election.objects.create(
        titles={"en": "Steering committee 2027", "ru": "Координационный комитет 2027"},
        descriptions={"en": "Elect two members.", "ru": "Выберите двух членов."},
        roll=roll(voters),
        opens_at=dates[0],
        closes_at=dates[1],
        nominations_open_at=now - 40 * day,
        announced_at=dates[2],
        published_at=now if status == Election.Status.PUBLISHED else None,
        quorum_percent=quorum_percent,
        tie_break=tie_break,
        **fields,
    )
    Constituency.objects.create(
        election=created, names={"en": "Whole network", "ru": "Вся сеть"}, seats=seats
    )
    return created


def candidate(
    the_election: Election,
    *,
    constituency: Constituency | None = None,
    status: str = Candidate.Status.ACCEPTED,
    name: str = "",
    **fields: Any,
) -> Candidate:
    person = PersonFactory.create(**({"full_name": name} if name else {}))
    return Candidate.objects.create(
        election=the_election,
        constituency=constituency or the_election.constituencies.get(),
        person=person,
        statements={"en": f"I stand for {person.full_name}.", "ru": "Я выдвигаюсь."},
        status=status,
        **fields,
    )


def voting_organisation(the_roll: Roll, iso2: str = "MD", **fields: Any) -> tuple[Any, Any]:
    """A member organisation on `the_roll` and the user of its admin (an orgadmin)."""
    organisation = OrganisationFactory.create(country=country(iso2), **fields)
    MembershipFactory.create(organisation=organisation)
    user = UserFactory(roles=[Role.ORGADMIN])
    person = PersonFactory.create(user=user, full_name=user.full_name or "Admin Person")
    AffiliationFactory.create(
        person=person, organisation=organisation, is_admin=True, role=Affiliation.Role.DIRECTOR
    )
    entry = RollEntry.objects.create(
        roll=the_roll,
        organisation=organisation,
        subregion=organisation.country.subregion,
        name=organisation.name,
    )
    if the_roll.frozen_at is None:
        the_roll.frozen_at = timezone.now()
        the_roll.save(update_fields=["frozen_at"])
    return entry, user


def individual_voter(the_roll: Roll, iso2: str = "MD") -> tuple[Any, Any]:
    user = UserFactory(roles=[Role.MEMBER])
    person = PersonFactory.create(user=user, country=country(iso2))
    MembershipFactory.create(organisation=None, person=person, status=Membership.Status.ACTIVE)
    entry = RollEntry.objects.create(
        roll=the_roll, person=person, subregion=person.country.subregion, name=person.full_name
    )
    if the_roll.frozen_at is None:
        the_roll.frozen_at = timezone.now()
        the_roll.save(update_fields=["frozen_at"])
    return entry, user


def assembly(**fields: Any) -> Assembly:
    return Assembly.objects.create(
        titles={"en": "General Assembly 2026", "ru": "Общее собрание 2026"},
        date=fields.pop("date", timezone.localdate()),
        roll=fields.pop("roll", roll()),
        **fields,
    )


def resolution(the_assembly: Assembly, *, open_now: bool = True, **fields: Any) -> Resolution:
    now = timezone.now()
    day = timedelta(days=1)
    return Resolution.objects.create(
        assembly=the_assembly,
        titles={"en": "Adopt the strategy 2027-2030", "ru": "Принять стратегию 2027–2030"},
        texts={"en": "The assembly adopts the strategy.", "ru": "Собрание принимает стратегию."},
        opens_at=now - day if open_now else now - 10 * day,
        closes_at=now + day if open_now else now - day,
        quorum_percent=fields.pop("quorum_percent", 0),
        **fields,
    )
