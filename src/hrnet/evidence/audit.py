"""The audit actions of evidence (`log_action(action=Action.X)`)."""

from __future__ import annotations

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    VALUES_WRITE = "evidence.values.write"
    FORM_SAVE_DRAFT = "evidence.form.save_draft"
    FORM_SUBMIT = "evidence.form.submit"
    FORM_REOPEN = "evidence.form.reopen"
    RATE_CREATE = "evidence.rate.create"
    RATE_UPDATE = "evidence.rate.update"
    RATE_DELETE = "evidence.rate.delete"
    FUNDING_CREATE = "evidence.funding.create"
    FUNDING_UPDATE = "evidence.funding.update"
    FUNDING_DELETE = "evidence.funding.delete"
    FUNDING_IMPORT = "evidence.funding.import"
    NEED_CREATE = "evidence.need.create"
    NEED_UPDATE = "evidence.need.update"
    NEED_DELETE = "evidence.need.delete"
