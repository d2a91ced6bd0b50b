"""The audit actions of service delivery (`log_action(action=Action.X)`)."""

from __future__ import annotations

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    SITE_CREATE = "outreach.site.create"
    SITE_UPDATE = "outreach.site.update"
    SITE_DEACTIVATE = "outreach.site.deactivate"
    SITE_STAFF_ASSIGN = "outreach.site_staff.assign"
    SITE_STAFF_REMOVE = "outreach.site_staff.remove"
    CLIENT_FIND = "outreach.client.find"
    CLIENT_REGISTER = "outreach.client.register"
    CLIENT_MERGE = "outreach.client.merge"
    CLIENT_LIST = "outreach.client.list"
    CLIENT_VIEW = "outreach.client.view"
    CONTACT_RECORD = "outreach.contact.record"
    CONTACT_VIEW = "outreach.contact.view"
    CONTACT_CORRECT = "outreach.contact.correct"
    REFERRAL_OUTCOME_SET = "outreach.referral_outcome.set"
    CONTACTS_EXPORT = "outreach.contacts.export"
    AGGREGATE_EXPORT = "outreach.aggregate.export"
