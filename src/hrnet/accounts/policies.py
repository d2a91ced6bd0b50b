"""Who may manage accounts: the secretariat manages people and invitations; everyone else
only sees and changes their own profile and tokens (through selectors scoped to them)."""

from __future__ import annotations

from typing import Any

from hrnet.accounts.models import ApiToken, Invitation, LoginFailure, User
from hrnet.core.policies import SecretariatOnlyPolicy
from hrnet.core.types import Actor


class UserPolicy(SecretariatOnlyPolicy):
    """The secretariat edits people; new people join through invitations, never "add"."""

    model = User

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action not in {"add", "delete"} and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        # Changing a superuser's email would let a non-superuser take the account over
        # through a password reset, so only superusers change superusers.
        if action != "view" and getattr(instance, "is_superuser", False):
            return bool(getattr(user, "is_superuser", False)) and self.user_has_permission(
                user, action
            )
        return self.user_has_permission(user, action)


class InvitationPolicy(SecretariatOnlyPolicy):
    model = Invitation


class ApiTokenPolicy(SecretariatOnlyPolicy):
    """The secretariat may see and revoke anyone's tokens; tokens are created by their owner."""

    model = ApiToken

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in {"view", "list", "revoke"} and super().user_has_permission(user, action)


class LoginFailurePolicy(SecretariatOnlyPolicy):
    """Failed sign-ins are evidence: read-only, even for the secretariat."""

    model = LoginFailure

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in {"view", "list"} and super().user_has_permission(user, action)


user_policy = UserPolicy()
invitation_policy = InvitationPolicy()
api_token_policy = ApiTokenPolicy()
login_failure_policy = LoginFailurePolicy()
