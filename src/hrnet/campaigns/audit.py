"""The campaigns' audit actions, declared once."""

from __future__ import annotations

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    CAMPAIGN_CREATE = "campaigns.campaign.create"
    CAMPAIGN_CHANGE = "campaigns.campaign.change"
    CAMPAIGN_JOIN = "campaigns.campaign.join"
    CAMPAIGN_LEAVE = "campaigns.campaign.leave"
    CAMPAIGN_ACTION_CREATE = "campaigns.campaign_action.create"
    CAMPAIGN_ACTION_CHANGE = "campaigns.campaign_action.change"
    CAMPAIGN_ACTION_DELETE = "campaigns.campaign_action.delete"
    CAMPAIGN_OUTCOME_CREATE = "campaigns.campaign_outcome.create"
    CAMPAIGN_OUTCOME_CHANGE = "campaigns.campaign_outcome.change"
    CAMPAIGN_OUTCOME_DELETE = "campaigns.campaign_outcome.delete"
    SIGNATURE_CREATE = "campaigns.signature.create"
    SIGNATURE_VERIFY = "campaigns.signature.verify"
    SIGNATURE_REJECT = "campaigns.signature.reject"
