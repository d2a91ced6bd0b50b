"""The audit actions of governance. Casting a vote is deliberately not logged: the log
keeps the time to the second, and who voted is kept only as `VoterRecord` (by the day)."""

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    ELECTION_CREATE = "governance.election.create"
    ELECTION_CHANGE = "governance.election.change"
    ELECTION_ANNOUNCE = "governance.election.announce"
    ELECTION_PUBLISH = "governance.election.publish"
    ROLL_FREEZE = "governance.roll.freeze"
    ROLL_VIEW = "governance.roll.view"
    ROLL_DELEGATE = "governance.roll.delegate"
    CANDIDATE_NOMINATE = "governance.candidate.nominate"
    CANDIDATE_DECIDE = "governance.candidate.decide"
    CANDIDATE_WITHDRAW = "governance.candidate.withdraw"
    RESULT_CONFIRM = "governance.result.confirm"
    ASSEMBLY_CREATE = "governance.assembly.create"
    ASSEMBLY_CHANGE = "governance.assembly.change"
    ASSEMBLY_PUBLISH = "governance.assembly.publish"
    RESOLUTION_CREATE = "governance.resolution.create"
    RESOLUTION_CHANGE = "governance.resolution.change"
