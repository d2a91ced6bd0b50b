"""A person's part in governance in their data export, and what erasure leaves of it
(registered with members' privacy in GovernanceConfig.ready()).

Votes are secret: a ballot holds no trace of who cast it, so the export can only say in
which elections and on which resolutions the person voted, and on which day (what the
voter roll shows the secretariat anyway), never how.

Erasure keeps the count and removes the person: their individual entries on voter rolls
take the erased name; their candidacies stay (the published results must still add up,
and the candidate's name there is the erased person's) without their statements and
photo. Nothing else changes: who voted stays counted."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.governance.models import Candidate, RollEntry, VoterRecord
from hrnet.members.models import Person


def _people(user: User | None, erased_name: str = "") -> list[Person]:
    """The register's records of the person: the one of the account, and (at erasure,
    when there may be no account) the one that already carries the erased name."""
    condition = Q(pk__in=[])
    if user is not None:
        condition |= Q(user=user)
    if erased_name:
        condition |= Q(full_name=erased_name, erased_at__isnull=False)
    return list(Person.all_objects.filter(condition))


def account_governance_data(user: User) -> dict[str, Any]:
    people = _people(user)
    candidacies = (
        Candidate.objects.filter(person__in=people)
        .select_related("election", "constituency", "nominated_by")
        .order_by("created_at", "pk")
    )
    records = (
        VoterRecord.objects.filter(Q(roll_entry__person__in=people) | Q(cast_by=user))
        .select_related("election", "resolution", "roll_entry")
        .order_by("voted_on", "pk")
    )
    return {
        "governance_candidacies": [
            {
                "election": candidate.election.title,
                "constituency": candidate.constituency.name,
                "status": candidate.status,
                "nominated_by": candidate.nominated_by.name if candidate.nominated_by else None,
                "statements": candidate.statements,
                "photo": bool(candidate.photo),
                "decision_note": candidate.decision_note,
                "nominated_at": candidate.created_at.isoformat(),
            }
            for candidate in candidacies
        ],
        "governance_votes": {
            "note": _(
                "Votes are secret: how anyone voted is not stored with their name, so it "
                "cannot be exported. Listed: where and on which day you voted."
            ),
            "cast": [
                {
                    "election": record.election.title if record.election else None,
                    "resolution": record.resolution.title if record.resolution else None,
                    "voted_on": record.voted_on.isoformat(),
                    "for_organisation": record.roll_entry.name
                    if record.roll_entry.organisation_id
                    else None,
                }
                for record in records
            ],
        },
    }


def account_governance_data_erase(user: User | None, erased_name: str, emails: list[str]) -> None:
    people = _people(user, erased_name)
    if not people:
        return
    RollEntry.objects.filter(person__in=people).update(name=erased_name)
    candidates = list(Candidate.objects.filter(person__in=people))
    photos = [candidate.photo.name for candidate in candidates if candidate.photo]
    for candidate in candidates:
        candidate.statements = {}
        candidate.photo = ""
        candidate.save(update_fields=["statements", "photo", "updated_at"])
    if photos:
        storage = Candidate._meta.get_field("photo").storage

        def delete_files() -> None:
            for name in photos:
                storage.delete(name)

        # The files go once the erasure is committed (a rollback keeps them).
        transaction.on_commit(delete_files)
