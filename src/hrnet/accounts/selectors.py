"""Reads of accounts: a person's own tokens and second factors, invitations for the
secretariat, and how long a throttled sign-in must wait."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrnet.accounts.models import ApiToken, Invitation, LoginFailure, User
from hrnet.accounts.policies import invitation_policy
from hrnet.accounts.roles import Role, user_roles
from hrnet.core.types import Actor

# --- sign-in throttling ---------------------------------------------------------------


def login_wait_minutes(*, email: str, ip_address: str | None, now: datetime | None = None) -> int:
    """Minutes until another sign-in for `email` or from `ip_address` may be tried; 0 if now.

    The account and the address are counted apart: refused once HRNET_LOGIN_MAX_FAILURES
    failures for the email, or HRNET_LOGIN_MAX_FAILURES_PER_ADDRESS failures from the
    address (whatever the emails), fall within the window. So guessing one account's
    password locks that account, not everyone else behind the same address (an office, a
    mobile carrier); the wait ends when the oldest of those leaves the window.
    """
    now = now or timezone.now()
    window = timedelta(minutes=settings.HRNET_LOGIN_FAILURE_WINDOW_MINUTES)
    recent = LoginFailure.objects.filter(created_at__gt=now - window, created_at__lte=now)
    wait = timedelta(0)
    criteria = [(Q(email=email.strip().lower()), settings.HRNET_LOGIN_MAX_FAILURES)]
    if ip_address:
        criteria.append((Q(ip_address=ip_address), settings.HRNET_LOGIN_MAX_FAILURES_PER_ADDRESS))
    for criterion, limit in criteria:
        times = list(
            recent.filter(criterion)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            wait = max(wait, times[-1] + window - now)
    if wait <= timedelta(0):
        return 0
    return max(1, math.ceil(wait.total_seconds() / 60))


# --- second factors -------------------------------------------------------------------


def totp_device_get(*, user: Actor) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_device_pending_get(*, user: Actor) -> TOTPDevice | None:
    """The authenticator being set up (not yet confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def backup_code_count(*, user: Actor) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def static_device_get(*, user: Actor) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


# --- people ---------------------------------------------------------------------------


def user_role_labels(*, user: Actor) -> list[str]:
    """The person's roles as they are called in the interface, in the order of `Role`."""
    names = user_roles(user)
    return [str(role.label) for role in Role if role.value in names]


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def user_pending_get(*, user_id: Any) -> User | None:
    """The active person half-way through signing in (password given, code not yet)."""
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


# --- API tokens -----------------------------------------------------------------------


def api_token_list(*, user: Actor) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first (nobody sees anyone else's here)."""
    if not isinstance(user, User):  # anonymous: no tokens
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get(*, user: Actor, token_id: int) -> ApiToken:
    """One of the person's own tokens; ApiToken.DoesNotExist for anyone else's."""
    return api_token_list(user=user).get(pk=token_id)


# --- invitations ----------------------------------------------------------------------


def invitation_list(*, user: Actor) -> QuerySet[Invitation]:
    """Invitations not in the trash, newest first; empty for anyone but the secretariat."""
    return (
        invitation_policy.instances_user_has_permission_for(user, "list")
        .select_related("invited_by", "accepted_user")
        .order_by("-created_at", "-pk")
    )


def invitation_get(*, user: Actor, invitation_id: int) -> Invitation:
    return invitation_list(user=user).get(pk=invitation_id)


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation with this link token, in the trash or not (to say why it is closed)."""
    return Invitation.all_objects.select_related("invited_by").get(token=token)


def invitation_open_exists(*, email: str, now: datetime | None = None) -> bool:
    return Invitation.objects.filter(
        email__iexact=email.strip(),
        accepted_at__isnull=True,
        expires_at__gt=now or timezone.now(),
    ).exists()
