"""Preparing an election (the secretariat): its texts, dates, roll settings, constituencies
and committee, then announcing it; nominations (a member for themselves, an organisation's
admin for one of its people), the committee's decisions, withdrawals; and the admin of a
member organisation designating who casts its vote."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core import images
from hrnet.core.audit import log_action
from hrnet.geo.models import SubRegion
from hrnet.governance.audit import Action
from hrnet.governance.models import Candidate, Constituency, Election, Roll, RollEntry
from hrnet.governance.policies import candidate_policy, election_policy, roll_policy
from hrnet.governance.selectors import (
    community_led,
    current_admins,
    person_affiliated_with,
    person_community_led,
)
from hrnet.members.models import Organisation, Person
from hrnet.members.policies import administered_organisation_ids, is_secretariat, person_of

PHOTO_MAX_BYTES = 3 * 1024 * 1024
PHOTO_MAX_PIXELS = 25_000_000
COMMITTEE_NEEDED = 2  # two members confirm the count (services.results)


@dataclass(frozen=True)
class ConstituencyData:
    """One constituency as the form gives it; `pk` None for a new one."""

    names: dict[str, str]
    seats: int
    subregion: SubRegion | None = None
    community_led_only: bool = False
    pk: int | None = None


@dataclass(frozen=True)
class ElectionData:
    titles: dict[str, str]
    descriptions: dict[str, str]
    nominations_open_at: datetime | None
    nominations_close_at: datetime | None
    opens_at: datetime
    closes_at: datetime
    quorum_percent: int
    tie_break: str
    voters: str
    cutoff: date
    constituencies: Sequence[ConstituencyData]
    committee: Sequence[User]


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {code: text.strip() for code, text in values.items() if text and text.strip()}


def _dates_check(data: ElectionData | Election) -> dict[str, str]:
    """What is wrong with the dates, by field (empty when they are in order)."""
    errors: dict[str, str] = {}
    if data.opens_at >= data.closes_at:
        errors["closes_at"] = _("Voting must close after it opens.")
    if (
        data.nominations_open_at
        and data.nominations_close_at
        and data.nominations_close_at <= data.nominations_open_at
    ):
        errors["nominations_close_at"] = _("Nominations must close after they open.")
    if data.nominations_close_at and data.nominations_close_at > data.opens_at:
        errors["nominations_close_at"] = _("Nominations must close before voting opens.")
    if data.nominations_open_at and data.nominations_open_at >= data.opens_at:
        errors["nominations_open_at"] = _("Nominations must open before voting opens.")
    return errors


def _check(data: ElectionData, election: Election | None) -> None:
    errors: dict[str, Any] = {}
    if not _texts(data.titles):
        errors["title_en"] = _("Write the title in at least one language.")
    errors.update(_dates_check(data))
    if not 0 <= data.quorum_percent <= 100:
        errors["quorum_percent"] = _("The quorum is a share of the roll, from 0 to 100 %.")
    if data.tie_break not in Election.TieBreak.values:
        errors["tie_break"] = _("Choose a tie-break rule.")
    if data.voters not in Roll.Voters.values:
        errors["voters"] = _("Choose who votes.")
    if data.cutoff > timezone.localdate(data.opens_at):
        errors["cutoff"] = _(
            "The roll must be frozen before voting opens: choose a cut-off date on or "
            "before %(date)s."
        ) % {"date": timezone.localdate(data.opens_at)}
    if election is not None and election.roll.frozen_at is not None:
        roll = election.roll
        if data.voters != roll.voters:
            errors["voters"] = _("The roll is frozen: who votes can no longer change.")
        if data.cutoff != roll.cutoff:
            errors["cutoff"] = _("The roll is frozen: its cut-off date can no longer change.")
    for data_row in data.constituencies:
        if not _texts(data_row.names):
            errors["__all__"] = _("Each constituency needs a name in at least one language.")
        if data_row.seats < 1:
            errors["__all__"] = _("Each constituency has at least one seat.")
    if errors:
        raise ValidationError(errors)


def _constituencies_save(election: Election, rows: Sequence[ConstituencyData]) -> None:
    existing = {c.pk: c for c in election.constituencies.all()}
    kept: set[int] = set()
    for position, row in enumerate(rows):
        constituency = existing.get(row.pk) if row.pk else None
        if constituency is None:
            constituency = Constituency(election=election)
        else:
            kept.add(constituency.pk)
        constituency.names = _texts(row.names)
        constituency.seats = row.seats
        constituency.subregion = row.subregion
        constituency.community_led_only = row.community_led_only
        constituency.position = position
        constituency.save()
    for pk, constituency in existing.items():
        if pk in kept:
            continue
        if constituency.candidates.exists():
            raise ValidationError(
                _("“%(name)s” has candidates: it cannot be removed.") % {"name": constituency.name}
            )
        constituency.delete()


def _apply(election: Election, data: ElectionData) -> None:
    election.titles = _texts(data.titles)
    election.descriptions = _texts(data.descriptions)
    election.nominations_open_at = data.nominations_open_at
    election.nominations_close_at = data.nominations_close_at
    election.opens_at = data.opens_at
    election.closes_at = data.closes_at
    election.quorum_percent = data.quorum_percent
    election.tie_break = data.tie_break


def _snapshot(election: Election) -> dict[str, Any]:
    return {
        "titles": election.titles,
        "opens_at": election.opens_at,
        "closes_at": election.closes_at,
        "nominations_open_at": election.nominations_open_at,
        "nominations_close_at": election.nominations_close_at,
        "quorum_percent": election.quorum_percent,
        "tie_break": election.tie_break,
        "voters": election.roll.voters,
        "cutoff": election.roll.cutoff,
        "constituencies": [
            {"names": c.names, "seats": c.seats, "subregion": c.subregion_id}
            for c in election.constituencies.all()
        ],
        "committee": sorted(election.committee.values_list("pk", flat=True)),
    }


@transaction.atomic
def election_create(
    *, actor: User, data: ElectionData, request: HttpRequest | None = None
) -> Election:
    election_policy.require(actor, "add")
    _check(data, None)
    roll = Roll.objects.create(voters=data.voters, cutoff=data.cutoff)
    election = Election(roll=roll, created_by=actor)
    _apply(election, data)
    election.save()
    _constituencies_save(election, data.constituencies)
    election.committee.set(data.committee)
    log_action(
        actor=actor,
        action=Action.ELECTION_CREATE,
        obj=election,
        changes=_snapshot(election),
        request=request,
    )
    return election


@transaction.atomic
def election_update(
    *, actor: User, election: Election, data: ElectionData, request: HttpRequest | None = None
) -> Election:
    election_policy.require(actor, "change", election)
    election = Election.objects.select_for_update().select_related("roll").get(pk=election.pk)
    _check(data, election)
    before = _snapshot(election)
    _apply(election, data)
    election.save()
    roll = election.roll
    if roll.frozen_at is None and (roll.voters, roll.cutoff) != (data.voters, data.cutoff):
        roll.voters, roll.cutoff = data.voters, data.cutoff
        roll.save(update_fields=["voters", "cutoff"])
    _constituencies_save(election, data.constituencies)
    election.committee.set(data.committee)
    if hasattr(election, "_committee_ids"):
        del election._committee_ids
    after = _snapshot(election)
    log_action(
        actor=actor,
        action=Action.ELECTION_CHANGE,
        obj=election,
        changes={key: after[key] for key in after if after[key] != before[key]},
        request=request,
    )
    return election


def announce_problems(election: Election) -> list[str]:
    """Why `election` cannot be announced yet (empty when it can)."""
    problems: list[str] = []
    if not election.constituencies.exists():
        problems.append(_("Add at least one constituency with its seats."))
    if election.committee.count() < COMMITTEE_NEEDED:
        problems.append(
            _("Name at least two members of the election committee: two must confirm the count.")
        )
    problems += list(_dates_check(election).values())
    if election.closes_at <= timezone.now():
        problems.append(_("Voting closes in the past: change the dates first."))
    return problems


@transaction.atomic
def election_announce(
    *, actor: User, election: Election, request: HttpRequest | None = None
) -> Election:
    """Draft -> announced: the members see it, and nominations open on their date."""
    election_policy.require(actor, "change", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.announced_at is not None:
        raise ValidationError(_("This election is already announced."))
    problems = announce_problems(election)
    if problems:
        raise ValidationError(problems)
    election.announced_at = timezone.now()
    election.save(update_fields=["announced_at", "updated_at"])
    log_action(actor=actor, action=Action.ELECTION_ANNOUNCE, obj=election, request=request)
    return election


# --- candidates ---------------------------------------------------------------------------


def photo_check(photo: UploadedFile) -> str:
    return images.image_check(
        photo, field="photo", max_bytes=PHOTO_MAX_BYTES, max_pixels=PHOTO_MAX_PIXELS
    )


@transaction.atomic
def candidate_nominate(
    *,
    actor: User,
    election: Election,
    constituency: Constituency,
    statements: dict[str, str],
    person: Person | None = None,
    organisation: Organisation | None = None,
    photo: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> Candidate:
    """Nominate `actor` themselves (no organisation), or, as an admin of `organisation`,
    one of its current people. A constituency for community-led organisations takes only
    their nominees, or members affiliated with one who nominate themselves."""
    election_policy.require(actor, "nominate", election)
    if constituency.election_id != election.pk:
        raise ValidationError({"constituency": _("Choose a constituency of this election.")})
    if organisation is None:
        person = person_of(actor)
        if person is None:
            raise ValidationError(
                _("Your account has no member profile yet: ask the secretariat to link one.")
            )
    else:
        if organisation.pk not in administered_organisation_ids(actor):
            raise PermissionDenied
        if person is None or not person_affiliated_with(person=person, organisation=organisation):
            raise ValidationError(
                {
                    "nominee": _("Choose a person who works with %(organisation)s now.")
                    % {"organisation": organisation.name}
                }
            )
    if constituency.community_led_only:
        eligible = (
            community_led(organisation)
            if organisation is not None
            else person_community_led(person=person)
        )
        if not eligible:
            raise ValidationError(
                {
                    "constituency": _(
                        "“%(seat)s” is for candidates of community-led organisations only."
                    )
                    % {"seat": constituency.name}
                }
            )
    texts = _texts(statements)
    if not texts:
        raise ValidationError({"statement_en": _("Write the statement in at least one language.")})
    if (
        Candidate.objects.filter(election=election, person=person)
        .exclude(status__in=[Candidate.Status.WITHDRAWN, Candidate.Status.REJECTED])
        .exists()
    ):
        raise ValidationError(
            _("%(name)s is already a candidate in this election.") % {"name": person.full_name}
        )
    candidate = Candidate(
        election=election,
        constituency=constituency,
        person=person,
        nominated_by=organisation,
        nominated_by_user=actor,
        statements=texts,
    )
    if photo is not None:
        extension = photo_check(photo)
        candidate.photo.save(
            f"photo.{extension}",
            images.image_without_metadata(photo, name=f"photo.{extension}"),
            save=False,
        )
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise ValidationError(
            {
                "constituency": _("%(name)s was already nominated in “%(seat)s”.")
                % {"name": person.full_name, "seat": constituency.name}
            }
        ) from None
    log_action(
        actor=actor,
        action=Action.CANDIDATE_NOMINATE,
        obj=candidate,
        changes={
            "election": election.pk,
            "constituency": constituency.pk,
            "nominated_by": organisation.pk if organisation else None,
        },
        request=request,
    )
    return candidate


@transaction.atomic
def candidate_decide(
    *,
    actor: User,
    candidate: Candidate,
    accept: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> Candidate:
    """The committee accepts a candidate, or does not (saying why); it may change its
    decision until voting opens."""
    election_policy.require(actor, "decide_candidates", candidate.election)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == Candidate.Status.WITHDRAWN:
        raise ValidationError(_("This candidate has withdrawn."))
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": _("Say why the candidate is not accepted.")})
    candidate.status = Candidate.Status.ACCEPTED if accept else Candidate.Status.REJECTED
    candidate.decided_by = actor
    candidate.decision_note = note
    candidate.save(update_fields=["status", "decided_by", "decision_note", "updated_at"])
    log_action(
        actor=actor,
        action=Action.CANDIDATE_DECIDE,
        obj=candidate,
        changes={"status": candidate.status, "note": note},
        request=request,
    )
    return candidate


@transaction.atomic
def candidate_withdraw(
    *, actor: User, candidate: Candidate, request: HttpRequest | None = None
) -> Candidate:
    candidate_policy.require(actor, "withdraw", candidate)
    candidate.status = Candidate.Status.WITHDRAWN
    candidate.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, action=Action.CANDIDATE_WITHDRAW, obj=candidate, request=request)
    return candidate


# --- who votes for an organisation -----------------------------------------------------------


@transaction.atomic
def delegate_set(
    *,
    actor: User,
    entry: RollEntry,
    delegate: User | None,
    request: HttpRequest | None = None,
) -> RollEntry:
    """Designate which of the organisation's current admins casts its vote (None: any
    current admin). Its admins (or the secretariat) decide, until voting closes."""
    roll_policy.require(actor, "delegate", entry.roll)
    entry = RollEntry.objects.select_for_update().select_related("roll").get(pk=entry.pk)
    if entry.organisation_id is None:
        raise ValidationError(_("Only an organisation's vote is cast by a designated admin."))
    if not is_secretariat(actor) and entry.organisation_id not in administered_organisation_ids(
        actor
    ):
        raise PermissionDenied
    election = Election.objects.filter(roll=entry.roll).first()
    if election is not None and election.status in (
        Election.Status.CLOSED,
        Election.Status.PUBLISHED,
    ):
        raise ValidationError(_("Voting has closed: who votes can no longer change."))
    if delegate is not None and delegate not in current_admins([entry.organisation_id]).get(
        entry.organisation_id, []
    ):
        raise ValidationError(
            {
                "delegate": _("%(email)s is not a current admin of %(organisation)s.")
                % {"email": delegate.email, "organisation": entry.name}
            }
        )
    entry.delegate = delegate
    entry.save(update_fields=["delegate"])
    log_action(
        actor=actor,
        action=Action.ROLL_DELEGATE,
        obj=entry.roll,
        changes={
            "organisation": entry.organisation_id,
            "delegate": delegate.email if delegate else None,
        },
        request=request,
    )
    return entry
