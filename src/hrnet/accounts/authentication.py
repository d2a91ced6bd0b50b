"""API authentication: a personal token as `Authorization: Bearer <token>`, or the browser
session (with its CSRF check)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from hrnet.accounts.middleware import two_factor_required, user_is_verified
from hrnet.accounts.services import ApiTokenExpired, api_token_authenticate


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = api_token_authenticate(key=token)
        except ApiTokenExpired as expired:
            raise AuthenticationError(
                message=_(
                    "This API token expired on %(date)s. Create a new one on your profile page."
                )
                % {"date": expired.expires_at.date().isoformat()}
            ) from expired
        if user is None:
            # A token that was sent and is wrong answers 401 at once, even beside a valid
            # session: the caller meant to act as someone else, and must learn it failed.
            raise AuthenticationError
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """Django's session, for pages that call the API with htmx or fetch.

    A session that has not passed the second factor its role requires is no session here,
    as it is nowhere else in the interface.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and two_factor_required(user) and not user_is_verified(user):
            return None
        return user


def anonymous(request: HttpRequest) -> Any:
    """The last authenticator: no credentials is fine, wrong credentials are not."""
    from django.contrib.auth.models import AnonymousUser
    from ninja.errors import AuthenticationError

    if request.headers.get("Authorization"):
        raise AuthenticationError
    return AnonymousUser()


# For endpoints anyone may call: a token or session, when present, is used (and must be
# valid); without one the caller is anonymous and sees public records only.
OPTIONAL_AUTH = [BearerTokenAuth(), SessionAuth(), anonymous]
