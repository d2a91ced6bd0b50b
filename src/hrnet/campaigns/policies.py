"""Who may do what with campaigns. Views, the API and the admin all ask these.

Campaign actions: "list" and "view" (active and concluded campaigns: public ones for
everyone, members-only ones for network members; drafts for the secretariat), "add",
"change", "delete" (the secretariat), "join" (admins of a current member organisation),
"sign" (anyone, while the statement is open).
Signatures: "add" for anyone; "list", "view", "verify" for the secretariat. The public sees
verified signatures through `selectors.verified_signatures`, never the contact person.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hrnet.campaigns.models import Campaign, CampaignAction, CampaignOutcome, Signature
from hrnet.core.policies import ModelPolicy, SecretariatOnlyPolicy
from hrnet.core.types import Actor
from hrnet.members.models import Membership, Organisation
from hrnet.members.policies import (
    administered_organisation_ids,
    is_network_member,
    is_secretariat,
)

READ_ACTIONS = ("list", "view")


def visible_q(user: Actor) -> Q:
    """The condition on campaigns for what `user` may read (the secretariat: everything)."""
    readable = Q(status__in=[Campaign.Status.ACTIVE, Campaign.Status.CONCLUDED])
    if not is_network_member(user):
        readable &= Q(visibility=Campaign.Visibility.PUBLIC)
    return readable


def joinable_organisation_ids(user: Actor) -> set[int]:
    """Organisations `user` administers that are current members of the network."""
    ids = administered_organisation_ids(user)
    if not ids:
        return set()
    return set(
        Organisation.objects.filter(
            pk__in=ids, memberships__status__in=Membership.CURRENT_STATUSES
        ).values_list("pk", flat=True)
    )


class CampaignPolicy(ModelPolicy):
    model = Campaign

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in (*READ_ACTIONS, "sign"):
            return True  # narrowed per record
        if action == "join":
            return bool(joinable_organisation_ids(user)) or is_secretariat(user)
        return is_secretariat(user)  # add, change, delete

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        campaign: Campaign = instance
        if campaign.deleted_at is not None:
            return False
        readable = is_secretariat(user) or (
            campaign.status != Campaign.Status.DRAFT
            and (campaign.visibility == Campaign.Visibility.PUBLIC or is_network_member(user))
        )
        if action in READ_ACTIONS:
            return readable
        if action == "sign":
            return readable and campaign.takes_signatures
        if action == "join":
            return (
                readable
                and campaign.status == Campaign.Status.ACTIVE
                and bool(joinable_organisation_ids(user))
            )
        return is_secretariat(user)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        campaigns = Campaign.objects.all()
        if is_secretariat(user):
            return campaigns
        if action in READ_ACTIONS:
            return campaigns.filter(visible_q(user))
        return campaigns.none()


class CampaignActionPolicy(SecretariatOnlyPolicy):
    """Read through the campaign's page; written by the secretariat."""

    model = CampaignAction


class CampaignOutcomePolicy(SecretariatOnlyPolicy):
    model = CampaignOutcome


class SignaturePolicy(ModelPolicy):
    model = Signature

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action == "add":
            return True
        return is_secretariat(user)  # list, view, verify, change, delete

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if is_secretariat(user):
            return Signature.objects.all()
        return Signature.objects.none()


campaign_policy = CampaignPolicy()
campaign_action_policy = CampaignActionPolicy()
campaign_outcome_policy = CampaignOutcomePolicy()
signature_policy = SignaturePolicy()
