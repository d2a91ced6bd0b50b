"""Segments and mailings are the secretariat's alone: every page, API call and admin
screen asks these policies, and everyone else gets 403 (401 or the login page when
anonymous)."""

from __future__ import annotations

from hrnet.core.policies import SecretariatOnlyPolicy
from hrnet.core.types import Actor
from hrnet.mailings.models import Mailing, Recipient, Segment


class SegmentPolicy(SecretariatOnlyPolicy):
    model = Segment


class MailingPolicy(SecretariatOnlyPolicy):
    model = Mailing


class RecipientPolicy(SecretariatOnlyPolicy):
    """The list of who got a mailing is kept as it went out: read-only."""

    model = Recipient

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in ("list", "view") and super().user_has_permission(user, action)


segment_policy = SegmentPolicy()
mailing_policy = MailingPolicy()
recipient_policy = RecipientPolicy()
