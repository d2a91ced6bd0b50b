"""Writes of accounts: API tokens (more to come)."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from hrnet.accounts.models import ApiToken, User
from hrnet.core.audit import log_action


def api_token_create(*, user: User, name: str, request: Any = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token, which is shown only once."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=ApiToken.hash_key(key)
    )
    log_action(actor=user, action="api_token.create", obj=token, request=request)
    return token, key


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
