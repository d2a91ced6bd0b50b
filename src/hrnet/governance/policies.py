"""Who may do what in governance:

- the secretariat prepares elections and assemblies, freezes the rolls (and sees them),
  announces, and publishes results once two committee members have confirmed the count;
- the election committee (named per election) accepts candidates and confirms the count;
- network members read announced elections and assemblies (the members' area), nominate
  during the nomination period (themselves, or a person for their organisation as its
  admin);
- a voter is whoever holds an entry of the frozen roll: an individual member, or for a
  member organisation its designated admin (any current admin when none is designated);
- anyone, signed in or not, may check a receipt and read published results.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.core.policies import ModelPolicy
from hrnet.core.types import Actor
from hrnet.governance.models import Assembly, Candidate, Election, Roll, RollEntry
from hrnet.members.policies import (
    administered_organisation_ids,
    is_network_member,
    is_secretariat,
    person_of,
)


def _signed_in(user: Actor | None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def on_committee(user: Actor | None, election: Election) -> bool:
    if not _signed_in(user):
        return False
    cached: set[int] | None = getattr(election, "_committee_ids", None)
    if cached is None:
        cached = set(election.committee.values_list("pk", flat=True))
        election._committee_ids = cached  # type: ignore[attr-defined]
    return user.pk in cached  # type: ignore[union-attr,operator]


def roll_entries_of(user: Actor | None, roll: Roll) -> list[RollEntry]:
    """The votes `user` may cast on `roll`: their own as an individual member, and each
    member organisation's they are the designated (or, none designated, a current)
    admin of."""
    if not _signed_in(user) or roll.frozen_at is None:
        return []
    entries: list[RollEntry] = []
    person = person_of(user)
    if person is not None:
        entries += list(RollEntry.objects.filter(roll=roll, person=person))
    admin_of = administered_organisation_ids(user)
    organisations = RollEntry.objects.filter(roll=roll, organisation__isnull=False)
    for entry in organisations.filter(delegate=user):  # type: ignore[misc]
        entries.append(entry)
    entries += list(organisations.filter(organisation_id__in=admin_of, delegate__isnull=True))
    return entries


class ElectionPolicy(ModelPolicy):
    model = Election

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("list", "view"):
            return is_network_member(user) or is_secretariat(user)
        return is_secretariat(user)  # add, change

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        election: Election = instance
        status = election.status
        if action == "view_results":
            # No interim count for anyone: the committee and the secretariat see it once
            # voting has closed, everyone once it is published.
            return status == Election.Status.PUBLISHED or (
                status == Election.Status.CLOSED
                and (is_secretariat(user) or on_committee(user, election))
            )
        if action == "view":
            if status == Election.Status.PUBLISHED:
                return True  # results are public once published
            if status == Election.Status.DRAFT:
                return is_secretariat(user) or on_committee(user, election)
            return is_network_member(user) or is_secretariat(user) or on_committee(user, election)
        if action == "nominate":
            return is_network_member(user) and election.nominations_open()
        if action == "decide_candidates":
            return on_committee(user, election) and status in (
                Election.Status.DRAFT,
                Election.Status.NOMINATIONS,
            )
        if action == "confirm":
            return on_committee(user, election) and status == Election.Status.CLOSED
        if action == "publish":
            return is_secretariat(user) and status == Election.Status.CLOSED
        if action == "vote":
            return status == Election.Status.OPEN and bool(roll_entries_of(user, election.roll))
        if action == "change":
            return is_secretariat(user) and status in (
                Election.Status.DRAFT,
                Election.Status.NOMINATIONS,
            )
        return is_secretariat(user)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        """The elections `user` may see: all for the secretariat; announced ones for the
        network; those they sit on the committee of; published results for anyone."""
        elections = Election.objects.all()
        if is_secretariat(user):
            return elections
        visible = Q(published_at__isnull=False)
        if is_network_member(user):
            visible |= Q(announced_at__isnull=False)
        if user is not None and user.is_authenticated:
            on_committees = Election.committee.through.objects.filter(user_id=user.pk)
            visible |= Q(pk__in=on_committees.values("election_id"))
        return elections.filter(visible)


class CandidatePolicy(ModelPolicy):
    """Candidates are read with their election; accepted ones by its readers, the others
    by the committee, the secretariat and whoever nominated them."""

    model = Candidate

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        candidate: Candidate = instance
        election = candidate.election
        if not election_policy.user_has_permission_for_instance(user, "view", election):
            return False
        if action == "view":
            return (
                candidate.status == Candidate.Status.ACCEPTED
                or is_secretariat(user)
                or on_committee(user, election)
                or (_signed_in(user) and candidate.nominated_by_user_id == user.pk)
            )
        if action == "withdraw":
            person = person_of(user)
            return (
                candidate.status
                in (
                    Candidate.Status.NOMINATED,
                    Candidate.Status.ACCEPTED,
                )
                and election.status in (Election.Status.DRAFT, Election.Status.NOMINATIONS)
                and (
                    (person is not None and candidate.person_id == person.pk)
                    or is_secretariat(user)
                )
            )
        return False


class RollPolicy(ModelPolicy):
    """The roll is the secretariat's (and the committee's, to check it): names of the
    voting members; never who voted for whom, which nobody can see."""

    model = Roll

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return is_secretariat(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        roll: Roll = instance
        if action == "view":
            election = Election.objects.filter(roll=roll).first()
            return is_secretariat(user) or (election is not None and on_committee(user, election))
        if action == "delegate":
            return roll.frozen_at is not None and (
                is_secretariat(user) or bool(administered_organisation_ids(user))
            )
        return is_secretariat(user)  # freeze


class AssemblyPolicy(ModelPolicy):
    model = Assembly

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("list", "view"):
            return is_network_member(user) or is_secretariat(user)
        return is_secretariat(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        assembly: Assembly = instance
        if action == "view_results":
            return assembly.published_at is not None or is_secretariat(user)
        if action == "view":
            return is_network_member(user) or is_secretariat(user)
        return is_secretariat(user)


def resolution_open(resolution: Any) -> bool:
    now = timezone.now()
    return resolution.opens_at <= now < resolution.closes_at


election_policy = ElectionPolicy()
candidate_policy = CandidatePolicy()
roll_policy = RollPolicy()
assembly_policy = AssemblyPolicy()
