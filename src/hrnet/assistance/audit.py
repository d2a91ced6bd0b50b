"""Technical assistance's audit actions, declared once."""

from __future__ import annotations

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    EXPERT_ADD = "assistance.expert.add"
    EXPERT_CHANGE = "assistance.expert.change"
    REQUEST_SUBMIT = "assistance.request.submit"
    # One per step of the workflow (`services.TRANSITIONS`).
    REQUEST_TRIAGE = "assistance.request.triage"
    REQUEST_ASSIGN = "assistance.request.assign"
    REQUEST_START = "assistance.request.start"
    REQUEST_DELIVER = "assistance.request.deliver"
    REQUEST_CLOSE = "assistance.request.close"
    REQUEST_DECLINE = "assistance.request.decline"
    REQUEST_RATE = "assistance.request.rate"
    REQUEST_REMIND_DUE = "assistance.request.remind_due"
    REQUEST_REMIND_OVERDUE = "assistance.request.remind_overdue"
    WORK_LOG_ADD = "assistance.work_log.add"
    DELIVERABLE_ADD = "assistance.deliverable.add"
