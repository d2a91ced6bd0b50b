"""Reads of governance for its pages, the API and the start page: each takes the acting
user and returns only what that user may see.

Who voted is read from `VoterRecord` (a roll entry and a day) and only ever as "voted or
not"; nothing here reads a ballot together with a voter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.core.i18n import localized
from hrnet.core.types import Actor
from hrnet.governance.models import (
    AgendaItem,
    Assembly,
    Ballot,
    Candidate,
    Constituency,
    Election,
    Resolution,
    ResultConfirmation,
    RollEntry,
    VoterRecord,
)
from hrnet.governance.policies import (
    assembly_policy,
    candidate_policy,
    election_policy,
    roll_entries_of,
)
from hrnet.governance.services.ballots import receipt_normalise
from hrnet.governance.services.results import CONFIRMATIONS_NEEDED
from hrnet.governance.tally import election_count, resolution_count
from hrnet.library.models import Resource
from hrnet.library.policies import visible_q
from hrnet.members.models import Affiliation, Organisation, Person
from hrnet.members.policies import administered_organisation_ids, is_secretariat, person_of

# --- elections (helper A) ------------------------------------------------------------------


def _signed_in(user: Actor | None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _open_q(now: datetime) -> Q:
    return Q(
        announced_at__isnull=False,
        published_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
    )


def _closed_q(now: datetime) -> Q:
    return Q(announced_at__isnull=False, published_at__isnull=True, closes_at__lte=now)


def _before_voting_q(now: datetime) -> Q:
    """Draft or nominations: while the committee decides on candidates."""
    return Q(published_at__isnull=True) & (Q(announced_at__isnull=True) | Q(opens_at__gt=now))


def election_list(*, user: Actor) -> QuerySet[Election]:
    """The elections `user` may read: published ones for anyone; announced ones for the
    network's members; drafts for the secretariat and the election's committee."""
    published = Election.objects.filter(published_at__isnull=False)
    if not _signed_in(user):
        return published
    visible = election_policy.instances_user_has_permission_for(user, "list")
    return Election.objects.filter(Q(pk__in=visible.values("pk")) | Q(published_at__isnull=False))


def index_assemblies(*, user: Actor) -> QuerySet[Assembly]:
    """The general assemblies on the governance page: all of them for the network's
    members and the secretariat, those with published results for everyone else."""
    if assembly_policy.user_has_permission(user, "list"):
        return Assembly.objects.all()
    return Assembly.objects.filter(published_at__isnull=False)


def election_get(*, user: Actor, pk: int) -> Election:
    """The election `user` may read (its page); Election.DoesNotExist otherwise, as for
    one that does not exist."""
    election = Election.objects.select_related("roll").get(pk=pk)
    if not election_policy.user_has_permission_for_instance(user, "view", election):
        raise Election.DoesNotExist
    return election


def election_public_get(*, pk: int) -> Election:
    """An election whose existence is public (its receipt check): announced ones."""
    return Election.objects.select_related("roll").get(pk=pk, announced_at__isnull=False)


def voter_entries(*, user: Actor) -> QuerySet[RollEntry]:
    """Every vote `user` may cast, on any frozen roll: the same rule as
    `policies.roll_entries_of` (their own entry as an individual member, and each member
    organisation's they are the designated, or none designated, a current admin of), in
    one query for many rolls."""
    if not _signed_in(user):
        return RollEntry.objects.none()
    person = person_of(user)
    admin_of = administered_organisation_ids(user)
    whose = Q(organisation__isnull=False, delegate=user.pk) | Q(
        organisation_id__in=admin_of, delegate__isnull=True
    )
    if person is not None:
        whose |= Q(person=person)
    return RollEntry.objects.filter(whose, roll__frozen_at__isnull=False)


@dataclass
class VoterState:
    """Where `user` stands in one election: the votes they may cast and which of them
    are counted already (from `VoterRecord`: voted or not, nothing else)."""

    election: Election
    entries: list[RollEntry] = field(default_factory=list)
    voted_ids: set[int] = field(default_factory=set)

    @property
    def has_vote(self) -> bool:
        return bool(self.entries)

    @property
    def waiting(self) -> list[RollEntry]:
        return [e for e in self.entries if e.pk not in self.voted_ids]

    @property
    def can_vote(self) -> bool:
        return self.election.status == Election.Status.OPEN and bool(self.waiting)

    @property
    def has_voted(self) -> bool:
        return bool(self.entries) and not self.waiting

    def voted(self, entry: RollEntry) -> bool:
        return entry.pk in self.voted_ids


def voter_states(*, user: Actor, elections: list[Election]) -> dict[int, VoterState]:
    """`VoterState` of `user` for each election (two queries, plus the user's person and
    organisations), keyed by election id."""
    states = {e.pk: VoterState(e) for e in elections}
    if not elections or not _signed_in(user):
        return states
    by_roll = {e.roll_id: e.pk for e in elections}
    entries = list(voter_entries(user=user).filter(roll__in=by_roll).select_related("subregion"))
    for entry in entries:
        states[by_roll[entry.roll_id]].entries.append(entry)
    for entry_id, election_id in VoterRecord.objects.filter(
        roll_entry__in=[e.pk for e in entries], election__in=list(states)
    ).values_list("roll_entry_id", "election_id"):
        states[election_id].voted_ids.add(entry_id)
    return states


def voter_state(*, user: Actor, election: Election) -> VoterState:
    """`user`'s state in one election, from the policy's own list of their votes."""
    entries = roll_entries_of(user, election.roll)
    voted = set(
        VoterRecord.objects.filter(
            roll_entry__in=[e.pk for e in entries], election=election
        ).values_list("roll_entry_id", flat=True)
    )
    return VoterState(election, entries, voted)


def constituencies_of(election: Election) -> list[Constituency]:
    return list(election.constituencies.select_related("subregion"))


@dataclass
class ConstituencyCandidates:
    constituency: Constituency
    candidates: list[Candidate]
    allowed: bool = True  # the voter's sub-region votes here


def candidates_accepted(
    *, election: Election, entry: RollEntry | None = None
) -> list[ConstituencyCandidates]:
    """The accepted candidates by constituency (the ballot). With `entry`, a constituency
    of another sub-region is marked as not the voter's."""
    candidates = Candidate.objects.filter(
        election=election, status=Candidate.Status.ACCEPTED
    ).select_related("person", "nominated_by")
    by_constituency: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_constituency.setdefault(candidate.constituency_id, []).append(candidate)
    return [
        ConstituencyCandidates(
            constituency,
            by_constituency.get(constituency.pk, []),
            allowed=entry is None
            or not constituency.subregion_id
            or constituency.subregion_id == entry.subregion_id,
        )
        for constituency in constituencies_of(election)
    ]


def candidates_for_review(*, election: Election) -> list[ConstituencyCandidates]:
    """Every candidacy (any status), by constituency: the committee's list."""
    candidates = Candidate.objects.filter(election=election).select_related(
        "person", "nominated_by", "decided_by"
    )
    by_constituency: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_constituency.setdefault(candidate.constituency_id, []).append(candidate)
    return [
        ConstituencyCandidates(constituency, by_constituency.get(constituency.pk, []))
        for constituency in constituencies_of(election)
    ]


def candidate_get(*, user: Actor, pk: int) -> Candidate:
    candidate = Candidate.objects.select_related(
        "election", "constituency", "person", "nominated_by"
    ).get(pk=pk)
    if not candidate_policy.user_has_permission_for_instance(user, "view", candidate):
        raise Candidate.DoesNotExist
    return candidate


def my_candidacies(*, user: Actor, election: Election) -> list[Candidate]:
    """The candidacies `user` made or is the candidate of (to follow their status)."""
    if not _signed_in(user):
        return []
    person = person_of(user)
    whose = Q(nominated_by_user=user.pk)
    if person is not None:
        whose |= Q(person=person)
    return list(
        Candidate.objects.filter(whose, election=election).select_related(
            "person", "constituency", "nominated_by"
        )
    )


# --- the roll ---------------------------------------------------------------------------


def roll_rows(*, election: Election) -> QuerySet[RollEntry]:
    """The frozen roll with, for each voter, whether they have voted (yes or no: no time,
    and nothing of the ballot)."""
    records = VoterRecord.objects.filter(roll_entry=OuterRef("pk"), election=election)
    return (
        RollEntry.objects.filter(roll=election.roll)
        .select_related("subregion", "delegate", "organisation", "person")
        .annotate(voted=Exists(records))
        .order_by("name", "pk")
    )


def current_admins(organisation_ids: set[int] | list[int]) -> dict[int, list[User]]:
    """The users who currently administer each organisation (through an admin
    affiliation of their person)."""
    today = timezone.localdate()
    links = (
        Affiliation.objects.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            organisation__in=organisation_ids,
            is_admin=True,
            person__user__isnull=False,
            person__deleted_at__isnull=True,
        )
        .select_related("person__user")
        .order_by("person__name_key", "pk")
    )
    admins: dict[int, list[User]] = {}
    for link in links:
        users = admins.setdefault(link.organisation_id, [])
        user = link.person.user
        if user is not None and user not in users:
            users.append(user)
    return admins


@dataclass
class DelegateRow:
    entry: RollEntry
    admins: list[User]


def delegate_rows(*, user: Actor, election: Election) -> list[DelegateRow]:
    """The roll entries of the organisations `user` administers, each with the admins
    who may be designated to cast its vote."""
    if not _signed_in(user) or election.roll.frozen_at is None:
        return []
    admin_of = administered_organisation_ids(user)
    entries = list(
        RollEntry.objects.filter(roll=election.roll, organisation__in=admin_of).select_related(
            "delegate", "organisation"
        )
    )
    admins = current_admins([e.organisation_id for e in entries if e.organisation_id])
    return [DelegateRow(e, admins.get(e.organisation_id or 0, [])) for e in entries]


# --- nominations ------------------------------------------------------------------------


def community_led(organisation: Organisation) -> bool:
    return organisation.is_community_led or organisation.kind == Organisation.Kind.COMMUNITY_LED


def _current_affiliations() -> QuerySet[Affiliation]:
    today = timezone.localdate()
    return Affiliation.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        person__deleted_at__isnull=True,
        person__erased_at__isnull=True,
        organisation__deleted_at__isnull=True,
    )


def organisation_people(*, user: Actor) -> list[tuple[Organisation, list[Person]]]:
    """The organisations `user` administers, each with its current people (whom it may
    nominate)."""
    admin_of = administered_organisation_ids(user)
    if not admin_of:
        return []
    grouped: dict[int, tuple[Organisation, list[Person]]] = {}
    for link in (
        _current_affiliations()
        .filter(organisation__in=admin_of)
        .select_related("organisation", "person")
        .order_by("organisation__name_key", "person__name_key", "pk")
    ):
        _organisation, people = grouped.setdefault(link.organisation_id, (link.organisation, []))
        if link.person not in people:
            people.append(link.person)
    return list(grouped.values())


def person_affiliated_with(*, person: Person, organisation: Organisation) -> bool:
    return _current_affiliations().filter(person=person, organisation=organisation).exists()


def person_community_led(*, person: Person) -> bool:
    """Is `person` currently affiliated with a community-led organisation?"""
    return (
        _current_affiliations()
        .filter(person=person)
        .filter(
            Q(organisation__is_community_led=True)
            | Q(organisation__kind=Organisation.Kind.COMMUNITY_LED)
        )
        .exists()
    )


# --- receipts and results -----------------------------------------------------------------


def receipt_counted(*, election: Election, receipt: str) -> bool:
    """Is a ballot with this receipt in the election's count? Nothing else is read."""
    code = receipt_normalise(receipt)
    return bool(code) and Ballot.objects.filter(election=election, receipt=code).exists()


def results_visible(*, user: Actor, election: Election) -> bool:
    """Published results are public; before that only the committee and the secretariat
    see the count, and only once voting has closed (the policy's "view_results")."""
    return election_policy.user_has_permission_for_instance(user, "view_results", election)


def confirmations(*, election: Election) -> list[ResultConfirmation]:
    return list(election.confirmations.select_related("user").order_by("confirmed_at", "pk"))


def election_result(*, election: Election) -> dict[str, Any]:
    """The count to show: the frozen one (from the first committee confirmation), or,
    before it, the count of the ballots as they stand. Constituency names are put in the
    reader's language."""
    count = dict(election.result) if election.result else election_count(election)
    constituencies = []
    for constituency in count.get("constituencies", []):
        rows = constituency.get("candidates", [])
        constituencies.append(
            {
                **constituency,
                "name": localized(constituency.get("names")),
                "elected": [r for r in rows if r.get("elected")],
                "tied": [r for r in rows if r.get("tied")],
            }
        )
    count["constituencies"] = constituencies
    count["frozen"] = bool(election.result)
    return count


# --- the start page -------------------------------------------------------------------------


def elections_to_vote(*, user: Actor) -> QuerySet[Election]:
    """Open elections in which `user` still has a vote to cast."""
    now = timezone.now()
    waiting = (
        voter_entries(user=user)
        .filter(roll=OuterRef("roll"))
        .exclude(
            Exists(
                VoterRecord.objects.filter(
                    roll_entry=OuterRef("pk"), election=OuterRef(OuterRef("pk"))
                )
            )
        )
    )
    return Election.objects.filter(_open_q(now)).filter(Exists(waiting))


def candidates_to_review(*, user: Actor) -> QuerySet[Candidate]:
    """Candidacies waiting for a decision of a committee `user` sits on."""
    if not _signed_in(user):
        return Candidate.objects.none()
    now = timezone.now()
    elections = Election.objects.filter(_before_voting_q(now), committee=user.pk)
    return Candidate.objects.filter(status=Candidate.Status.NOMINATED, election__in=elections)


def counts_to_confirm(*, user: Actor) -> QuerySet[Election]:
    """Closed elections whose count `user` (on their committee) has not confirmed yet."""
    if not _signed_in(user):
        return Election.objects.none()
    now = timezone.now()
    mine = ResultConfirmation.objects.filter(election=OuterRef("pk"), user=user.pk)
    return Election.objects.filter(_closed_q(now), committee=user.pk).exclude(Exists(mine))


def results_to_publish(*, user: Actor) -> QuerySet[Election]:
    """Closed elections with the count confirmed by two committee members, waiting for the
    secretariat to publish."""
    if not is_secretariat(user):
        return Election.objects.none()
    now = timezone.now()
    return (
        Election.objects.filter(_closed_q(now))
        .annotate(confirmed=Count("confirmations__user", distinct=True))
        .filter(confirmed__gte=CONFIRMATIONS_NEEDED)
    )


def on_any_committee(*, user: Actor) -> bool:
    """Does `user` sit on the committee of an election not published yet?"""
    if not _signed_in(user):
        return False
    return Election.objects.filter(published_at__isnull=True, committee=user.pk).exists()


# --- general assemblies (helper C) ------------------------------------------------------
# Members and the secretariat read every assembly; anyone else only those whose results
# the secretariat has published. Agenda documents are the library's: each reader sees the
# ones the library lets them read.


def assemblies_visible(*, user: Actor) -> QuerySet[Assembly]:
    assemblies = Assembly.objects.select_related("event", "roll")
    if assembly_policy.user_has_permission(user, "view"):
        return assemblies
    return assemblies.filter(published_at__isnull=False)


def assembly_get(*, user: Actor, assembly_id: int) -> Assembly | None:
    return assemblies_visible(user=user).filter(pk=assembly_id).first()


def assembly_agenda(*, user: Actor, assembly: Assembly) -> list[AgendaItem]:
    """The agenda in order, each item's `documents` those `user` may read."""
    readable = Resource.objects.filter(visible_q(user), status=Resource.Status.PUBLISHED)
    return list(
        assembly.agenda.prefetch_related(Prefetch("documents", queryset=readable.order_by("title")))
    )


def minutes_adoption(*, assembly: Assembly) -> Resolution | None:
    """The resolution, adopted and published at a later assembly, that adopted the
    minutes of `assembly`; None while they are not adopted."""
    return (
        Resolution.objects.filter(
            adopts_minutes_of=assembly,
            assembly__published_at__isnull=False,
            result__adopted=True,
        )
        .select_related("assembly")
        .order_by("assembly__date", "pk")
        .first()
    )


def resolution_get(*, user: Actor, resolution_id: int) -> Resolution | None:
    return (
        Resolution.objects.filter(
            pk=resolution_id, assembly__in=assemblies_visible(user=user).values("pk")
        )
        .select_related("assembly__roll", "agenda_item", "adopts_minutes_of")
        .first()
    )


def resolution_votes_of(*, user: Actor, resolution: Resolution) -> list[tuple[RollEntry, bool]]:
    """The votes `user` may cast on `resolution` (their own, their organisations'), each
    with whether it has been cast: that it was, never how."""
    entries = roll_entries_of(user, resolution.assembly.roll)
    voted = set(
        VoterRecord.objects.filter(resolution=resolution, roll_entry__in=entries).values_list(
            "roll_entry_id", flat=True
        )
    )
    return [(entry, entry.pk in voted) for entry in entries]


def resolution_result(*, user: Actor, resolution: Resolution) -> dict[str, Any] | None:
    """The published count; before publication the count of a closed resolution for the
    secretariat only (to check it before publishing); otherwise None."""
    assembly = resolution.assembly
    if assembly.published_at is not None:
        return resolution.result or None
    if timezone.now() >= resolution.closes_at and assembly_policy.user_has_permission_for_instance(
        user, "view_results", assembly
    ):
        return resolution_count(resolution)
    return None


def resolution_receipt_counted(*, resolution: Resolution, receipt: str) -> bool:
    """Whether a ballot with this receipt is in the resolution's count (and nothing of
    what it says)."""
    return bool(receipt) and Ballot.objects.filter(resolution=resolution, receipt=receipt).exists()
