"""The signed link of one-click unsubscribe from discussion emails: it names the person and
needs no sign-in (RFC 8058: the mail client POSTs to it)."""

from __future__ import annotations

from typing import Any

from django.core import signing

UNSUBSCRIBE_SALT = "hrnet.discussions.unsubscribe"


def unsubscribe_token(user: Any) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_user_id(token: str) -> int | None:
    """The id of the person the link was made for, or None for a link that is not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None
