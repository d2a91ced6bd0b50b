"""Casting a vote: in one transaction, the `VoterRecord` (roll entry and day: the database
refuses a second one, however many requests race) and the `Ballot` (random id, random
receipt, the choices). The two share nothing, and casting is not written to the audit
log (see `audit.py`). A ballot is never changed after it is cast.

The voter keeps the receipt; `receipt_counted` tells anyone whether a ballot with it is
in the count, and nothing more."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.governance.models import (
    Ballot,
    BallotChoice,
    Candidate,
    Election,
    Resolution,
    RollEntry,
    VoterRecord,
)
from hrnet.governance.policies import resolution_open, roll_entries_of

# No 0/O, 1/I/L: a receipt is read aloud and typed from paper.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class AlreadyVoted(Exception):
    """This voter's vote is already counted (the API answers 409)."""


def receipt_new() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_normalise(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else ""


def _entry(actor: User, entries: list[RollEntry], organisation_id: int | None) -> RollEntry:
    if not entries:
        raise PermissionDenied(_("You have no vote in this ballot."))
    if organisation_id is not None:
        for entry in entries:
            if entry.organisation_id == organisation_id:
                return entry
        raise PermissionDenied(_("You may not vote for this organisation."))
    individual = [e for e in entries if e.person_id is not None]
    if individual:
        return individual[0]
    if len(entries) == 1:
        return entries[0]
    raise ValidationError(
        {"organisation": _("You vote for several organisations: choose which one votes now.")}
    )


def _record(entry: RollEntry, actor: User, **target: object) -> None:
    try:
        with transaction.atomic():
            VoterRecord.objects.create(
                roll_entry=entry, voted_on=timezone.localdate(), cast_by=actor, **target
            )
    except IntegrityError:
        raise AlreadyVoted from None


def _ballot(**fields: object) -> Ballot:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Ballot.objects.create(receipt=receipt_new(), **fields)
        except IntegrityError:  # the same receipt drawn twice: draw again
            continue
    raise RuntimeError("no free receipt")  # pragma: no cover


def choices_check(
    election: Election, entry: RollEntry, choices: Iterable[object]
) -> list[Candidate]:
    """The candidates chosen, or a ValidationError saying what is wrong: unknown or not
    accepted candidates, more than a constituency's seats, a constituency of another
    sub-region."""
    ids: list[int] = []
    for value in choices:
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            raise ValidationError({"choices": _("Choose candidates from the ballot.")})
        ids.append(int(value))
    if len(set(ids)) != len(ids):
        raise ValidationError({"choices": _("Each candidate can be chosen once.")})
    candidates = list(
        Candidate.objects.filter(
            pk__in=ids, election=election, status=Candidate.Status.ACCEPTED
        ).select_related("constituency")
    )
    if len(candidates) != len(ids):
        raise ValidationError({"choices": _("Choose candidates from the ballot.")})
    per_constituency = Counter(c.constituency_id for c in candidates)
    for candidate in candidates:
        constituency = candidate.constituency
        if constituency.subregion_id and constituency.subregion_id != entry.subregion_id:
            raise ValidationError(
                {
                    "choices": _("Only voters from %(subregion)s vote for “%(seat)s”.")
                    % {"subregion": constituency.subregion, "seat": constituency.name}
                }
            )
        if per_constituency[constituency.pk] > constituency.seats:
            raise ValidationError(
                {
                    "choices": _("Choose at most %(seats)s for “%(seat)s”.")
                    % {"seats": constituency.seats, "seat": constituency.name}
                }
            )
    return candidates


def ballot_cast(
    *,
    actor: User,
    election: Election,
    choices: Iterable[object],
    organisation_id: int | None = None,
) -> str:
    """Cast `actor`'s vote (for `organisation_id` when they vote for an organisation);
    returns the receipt. A blank ballot (no choice) is a vote that counts for the quorum."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if election.status != Election.Status.OPEN:
        raise ValidationError(_("Voting in this election is not open."), code="not_open")
    entry = _entry(actor, roll_entries_of(actor, election.roll), organisation_id)
    candidates = choices_check(election, entry, choices)
    with transaction.atomic():
        _record(entry, actor, election=election)
        ballot = _ballot(election=election)
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, candidate=candidate) for candidate in candidates
        )
    return ballot.receipt


def resolution_vote_cast(
    *, actor: User, resolution: Resolution, answer: str, organisation_id: int | None = None
) -> str:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if not resolution_open(resolution):
        raise ValidationError(_("Voting on this resolution is not open."), code="not_open")
    if answer not in Ballot.Answer.values:
        raise ValidationError({"answer": _("Choose yes, no or abstain.")})
    entry = _entry(actor, roll_entries_of(actor, resolution.assembly.roll), organisation_id)
    with transaction.atomic():
        _record(entry, actor, resolution=resolution)
        ballot = _ballot(resolution=resolution, answer=answer)
    return ballot.receipt
