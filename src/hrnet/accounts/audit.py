# ruff: noqa: S105 - "password"/"token" here name audit actions, not secrets
"""The audit actions accounts logs."""

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    ACCOUNT_DEMO_CREATE = "accounts.account.demo_create"
    ACCOUNT_LOGIN = "accounts.account.login"
    ACCOUNT_LOGIN_THROTTLED = "accounts.account.login_throttled"
    ACCOUNT_LOGOUT = "accounts.account.logout"
    TWO_FACTOR_LINK_SEND = "accounts.two_factor.link_send"
    TWO_FACTOR_LINK_OPEN = "accounts.two_factor.link_open"
    TWO_FACTOR_ENABLE = "accounts.two_factor.enable"
    TWO_FACTOR_VERIFY = "accounts.two_factor.verify"
    TWO_FACTOR_DISABLE = "accounts.two_factor.disable"
    TWO_FACTOR_BACKUP_CODES_REGENERATE = "accounts.two_factor.backup_codes_regenerate"
    PASSWORD_CHANGE = "accounts.password.change"
    PASSWORD_RESET = "accounts.password.reset"
    PASSWORD_RESET_REQUEST = "accounts.password.reset_request"
    PROFILE_CHANGE = "accounts.profile.change"
    API_TOKEN_CREATE = "accounts.api_token.create"
    API_TOKEN_REVOKE = "accounts.api_token.revoke"
    INVITATION_CREATE = "accounts.invitation.create"
    INVITATION_RESEND = "accounts.invitation.resend"
    INVITATION_DELETE = "accounts.invitation.delete"
    INVITATION_ACCEPT = "accounts.invitation.accept"
