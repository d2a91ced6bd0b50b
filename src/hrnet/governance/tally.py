"""The count of an election or a resolution from its ballots, and the bulletin that lets
anyone recount it: every receipt (to find one's own) and every ballot's choices (in an
order that says nothing: sorted by their content), never the two together.

Elected: the candidates with the most votes in each constituency, up to its seats, if
the quorum is met. A tie for the last seat is broken by the election's rule: by lot,
drawn from the bulletin's SHA-256 (anyone can redo the draw), or left to a runoff."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from hrnet.governance.models import (
    Ballot,
    BallotChoice,
    Candidate,
    Election,
    Resolution,
    VoterRecord,
)


def bulletin(election: Election) -> dict[str, Any]:
    ballots = Ballot.objects.filter(election=election)
    receipts = sorted(ballots.values_list("receipt", flat=True))
    chosen: dict[Any, list[int]] = {b: [] for b in ballots.values_list("pk", flat=True)}
    for ballot_id, candidate_id in BallotChoice.objects.filter(
        ballot__election=election
    ).values_list("ballot_id", "candidate_id"):
        chosen[ballot_id].append(candidate_id)
    choices = sorted(sorted(ids) for ids in chosen.values())
    digest = hashlib.sha256(
        ("\n".join(receipts) + "\n" + "\n".join(",".join(map(str, c)) for c in choices)).encode()
    ).hexdigest()
    return {"receipts": receipts, "ballots": choices, "sha256": digest}


def _lot_key(digest: str, candidate_id: int) -> str:
    return hashlib.sha256(f"{digest}:{candidate_id}".encode()).hexdigest()


def election_count(election: Election) -> dict[str, Any]:
    roll = election.roll.entries.count()
    voted = VoterRecord.objects.filter(election=election).count()
    board = bulletin(election)
    votes = Counter(c for ballot in board["ballots"] for c in ballot)
    quorum_met = roll > 0 and voted * 100 >= election.quorum_percent * roll
    constituencies = []
    for constituency in election.constituencies.all():
        candidates = list(
            Candidate.objects.filter(
                constituency=constituency, status=Candidate.Status.ACCEPTED
            ).select_related("person")
        )
        rows: list[dict[str, Any]] = [
            {"id": c.pk, "name": c.person.full_name, "votes": votes[c.pk]} for c in candidates
        ]
        rows.sort(key=lambda r: (-r["votes"], _lot_key(board["sha256"], r["id"])))
        seats = constituency.seats
        elected: list[int] = []
        tied: list[int] = []
        if quorum_met and rows:
            boundary = rows[seats - 1]["votes"] if len(rows) >= seats else None
            above: list[int] = [r["id"] for r in rows if boundary is None or r["votes"] > boundary]
            at: list[int] = [
                r["id"] for r in rows if boundary is not None and r["votes"] == boundary
            ]
            if boundary is None or len(above) + len(at) <= seats:
                elected = [r["id"] for r in rows[:seats]]
            elif election.tie_break == Election.TieBreak.LOT:
                elected = above + at[: seats - len(above)]  # rows are in lot order
                tied = at
            else:
                elected = above
                tied = at
        for row in rows:
            row["elected"] = row["id"] in elected
            row["tied"] = row["id"] in tied
        constituencies.append(
            {
                "id": constituency.pk,
                "names": constituency.names,
                "seats": seats,
                "candidates": rows,
                "runoff_needed": bool(tied) and election.tie_break == Election.TieBreak.RUNOFF,
            }
        )
    return {
        "roll": roll,
        "voted": voted,
        "ballots": len(board["ballots"]),
        "turnout_percent": round(100 * voted / roll, 1) if roll else 0.0,
        "quorum_percent": election.quorum_percent,
        "quorum_met": quorum_met,
        "tie_break": election.tie_break,
        "constituencies": constituencies,
        "bulletin_sha256": board["sha256"],
    }


def resolution_count(resolution: Resolution) -> dict[str, Any]:
    roll = resolution.assembly.roll.entries.count()
    voted = VoterRecord.objects.filter(resolution=resolution).count()
    answers = Counter(Ballot.objects.filter(resolution=resolution).values_list("answer", flat=True))
    yes, no, abstain = answers["yes"], answers["no"], answers["abstain"]
    quorum_met = roll > 0 and voted * 100 >= resolution.quorum_percent * roll
    if resolution.majority == Resolution.Majority.TWO_THIRDS:
        majority = yes + no > 0 and 3 * yes >= 2 * (yes + no)
    else:
        majority = yes > no
    return {
        "roll": roll,
        "voted": voted,
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "turnout_percent": round(100 * voted / roll, 1) if roll else 0.0,
        "quorum_percent": resolution.quorum_percent,
        "quorum_met": quorum_met,
        "majority": resolution.majority,
        "adopted": quorum_met and majority,
    }
