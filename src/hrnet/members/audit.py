"""The member register's audit actions (organisations, people, their links, memberships,
applications to join and the principles), declared once."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hrnet.core.audit import AuditAction

StrOrPromise = str | Promise


class Action(AuditAction):
    ORGANISATION_CREATE = "members.organisation.create"
    ORGANISATION_UPDATE = "members.organisation.update"
    ORGANISATION_MERGE = "members.organisation.merge"
    PERSON_CREATE = "members.person.create"
    PERSON_UPDATE = "members.person.update"
    PERSON_MERGE = "members.person.merge"
    ORGANISATION_MERGE_UNDO = "members.organisation.undo_merge"
    PERSON_MERGE_UNDO = "members.person.undo_merge"
    DUPLICATE_DISMISS = "members.duplicate.dismiss"
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


# What the history pages show for each action: words, never the code.
ACTION_LABELS: dict[str, StrOrPromise] = {
    Action.ORGANISATION_CREATE: _("Organisation added to the register"),
    Action.ORGANISATION_UPDATE: _("Organisation profile changed"),
    Action.ORGANISATION_MERGE: _("Another record merged into this organisation"),
    Action.ORGANISATION_MERGE_UNDO: _("Merge undone"),
    Action.PERSON_CREATE: _("Person added to the register"),
    Action.PERSON_UPDATE: _("Person's details changed"),
    Action.PERSON_MERGE: _("Another record merged into this person"),
    Action.PERSON_MERGE_UNDO: _("Merge undone"),
    Action.PERSON_LINK_ACCOUNT: _("Account linked"),
    Action.PERSON_DATA_EXPORT: _("Personal data exported"),
    Action.PERSON_ERASE: _("Personal data erased"),
    Action.AFFILIATION_CREATE: _("Link to an organisation added"),
    Action.AFFILIATION_END: _("Link to an organisation ended"),
    Action.AFFILIATION_DELETE: _("Link to an organisation deleted"),
    Action.REGISTER_IMPORT: _("Register imported"),
    Action.REGISTER_EXPORT: _("Register exported"),
    Action.MEMBERSHIP_START: _("Membership started"),
    Action.MEMBERSHIP_CHANGE_STATUS: _("Status changed"),
    Action.MEMBERSHIP_OVERRIDE: _("Status set by hand"),
    Action.MEMBERSHIP_CLEAR_OVERRIDE: _("Status set by hand cleared"),
    Action.MEMBERSHIP_RENEW: _("Membership renewed"),
    Action.MEMBERSHIP_REMIND_RENEWAL: _("Renewal reminder sent"),
    Action.PRINCIPLES_PUBLISH: _("Principles published"),
    Action.APPLICATION_SUBMIT: _("Application submitted"),
    Action.APPLICATION_APPROVE: _("Application approved"),
    Action.APPLICATION_REJECT: _("Application rejected"),
    Action.APPLICATION_REQUEST_INFO: _("More information requested"),
    Action.APPLICATION_ANSWER: _("Applicant answered"),
    Action.APPLICATION_WITHDRAW: _("Application withdrawn"),
    Action.APPLICATION_START_VOTE: _("Vote started"),
    Action.APPLICATION_VOTE: _("Vote cast"),
    Action.DUPLICATE_DISMISS: _("Marked as not a duplicate"),
    "core.trash.move": _("Moved to the trash"),
    "core.trash.restore": _("Restored from the trash"),
}


def action_label(action: str) -> str:
    """The words for an audit action; an action without words yet reads as its last part
    ("members.membership.change_status" → "change status"), never as the dotted code."""
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    return action.rsplit(".", 1)[-1].replace("_", " ").capitalize()
