"""The member register's audit actions (organisations, people, their links, memberships,
applications to join and the principles), declared once."""

from __future__ import annotations

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    ORGANISATION_CREATE = "members.organisation.create"
    ORGANISATION_UPDATE = "members.organisation.update"
    ORGANISATION_MERGE = "members.organisation.merge"
    PERSON_CREATE = "members.person.create"
    PERSON_UPDATE = "members.person.update"
    PERSON_MERGE = "members.person.merge"
    PERSON_LINK_ACCOUNT = "members.person.link_account"
    PERSON_DATA_EXPORT = "members.person_data.export"
    PERSON_ERASE = "members.person.erase"
    AFFILIATION_CREATE = "members.affiliation.create"
    AFFILIATION_END = "members.affiliation.end"
    AFFILIATION_DELETE = "members.affiliation.delete"
    REGISTER_IMPORT = "members.register.import"
    REGISTER_EXPORT = "members.register.export"
    MEMBERSHIP_START = "members.membership.start"
    MEMBERSHIP_CHANGE_STATUS = "members.membership.change_status"
    MEMBERSHIP_OVERRIDE = "members.membership.override"
    MEMBERSHIP_CLEAR_OVERRIDE = "members.membership.clear_override"
    MEMBERSHIP_RENEW = "members.membership.renew"
    MEMBERSHIP_REMIND_RENEWAL = "members.membership.remind_renewal"
    PRINCIPLES_PUBLISH = "members.principles.publish"
    APPLICATION_SUBMIT = "members.application.submit"
    APPLICATION_APPROVE = "members.application.approve"
    APPLICATION_REJECT = "members.application.reject"
    APPLICATION_REQUEST_INFO = "members.application.request_info"
    APPLICATION_ANSWER = "members.application.answer"
    APPLICATION_WITHDRAW = "members.application.withdraw"
    APPLICATION_START_VOTE = "members.application.start_vote"
    APPLICATION_VOTE = "members.application.vote"
