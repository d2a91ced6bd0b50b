"""The network's audit actions (pages, projects, team and the contact form), declared once."""

from __future__ import annotations

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    PAGE_CREATE = "network.page.create"
    PAGE_DRAFT_SAVE = "network.page.draft_save"
    PAGE_PUBLISH = "network.page.publish"
    PAGE_RESTORE = "network.page.restore"
    PARTNER_CREATE = "network.partner.create"
    PARTNER_CHANGE = "network.partner.change"
    PROJECT_CREATE = "network.project.create"
    PROJECT_CHANGE = "network.project.change"
    COMMITMENT_CREATE = "network.commitment.create"
    COMMITMENT_CHANGE = "network.commitment.change"
    COMMITMENT_OUTPUT_LINK = "network.commitment_output.link"
    COMMITMENT_OUTPUT_UNLINK = "network.commitment_output.unlink"
    TEAM_MEMBER_CREATE = "network.team_member.create"
    TEAM_MEMBER_UPDATE = "network.team_member.update"
    CONTACT_TOPIC_CREATE = "network.contact_topic.create"
    CONTACT_TOPIC_UPDATE = "network.contact_topic.update"
    CONTACT_MESSAGE_SEND = "network.contact_message.send"
    CONTACT_MESSAGE_ANSWER = "network.contact_message.answer"
