"""The rights cases' audit actions, declared once. An entry names a case by its reference
only: never the narrative, the person's description, contact details, an outcome or a
file's name."""

from __future__ import annotations

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    CASE_ADD = "rights.case.add"
    CASE_CHANGE = "rights.case.change"
    CASE_CLOSE = "rights.case.close"
    # A closed case opened again, with a reason (kept encrypted on the case).
    CASE_REOPEN = "rights.case.reopen"
    CASE_SHARE = "rights.case.share"
    # An intake reviewer gave a public report to a member organisation's documenters.
    CASE_ASSIGN = "rights.case.assign"
    CASE_BREAK_GLASS = "rights.case.break_glass"
    CASE_INTAKE = "rights.case.intake"
    CASE_READ = "rights.case.read"
    # The page's list: one entry naming every case shown.
    CASE_LIST = "rights.case.list"
    # The API's list: one entry per case listed.
    CASE_LIST_READ = "rights.case.list_read"
    CASE_RESPONSE_ADD = "rights.case_response.add"
    CASE_RESPONSE_CHANGE = "rights.case_response.change"
    CASE_FILE_ADD = "rights.case_file.add"
    CASE_FILE_READ = "rights.case_file.read"
    # A superuser named (or stopped naming) a secretariat member an intake reviewer.
    INTAKE_REVIEWER_ADD = "rights.intake_reviewer.add"
    INTAKE_REVIEWER_REVOKE = "rights.intake_reviewer.revoke"
