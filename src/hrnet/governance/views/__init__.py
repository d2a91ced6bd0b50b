"""The pages of governance; `urls.py` reaches them through this package."""

from hrnet.governance.views.assemblies import (
    assembly,
    assembly_edit,
    assembly_new,
    assembly_publish,
    resolution,
    resolution_new,
    resolution_vote,
)
from hrnet.governance.views.elections import (
    bulletin,
    candidate,
    candidates_review,
    election,
    election_announce,
    election_edit,
    election_new,
    index,
    nominate,
    receipt_check,
    results,
    roll,
    vote,
)

__all__ = [
    "assembly",
    "assembly_edit",
    "assembly_new",
    "assembly_publish",
    "bulletin",
    "candidate",
    "candidates_review",
    "election",
    "election_announce",
    "election_edit",
    "election_new",
    "index",
    "nominate",
    "receipt_check",
    "resolution",
    "resolution_new",
    "resolution_vote",
    "results",
    "roll",
    "vote",
]
