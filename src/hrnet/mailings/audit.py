"""The audit actions mailings logs."""

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    SEGMENT_CREATE = "mailings.segment.create"
    SEGMENT_CHANGE = "mailings.segment.change"
    SEGMENT_EXPORT = "mailings.segment.export"
    MAILING_CREATE = "mailings.mailing.create"
    MAILING_SEND = "mailings.mailing.send"
    CATEGORY_UNSUBSCRIBE = "mailings.category.unsubscribe"
