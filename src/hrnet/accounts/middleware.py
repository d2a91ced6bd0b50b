"""Per-request preferences (time zone) and the two-factor requirement for sensitive roles."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import user_has_role
from hrnet.core.types import Actor


class UserPreferencesMiddleware:
    """Shows times in the signed-in person's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone_name)) if zone_name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


# Whoever holds this permission reads the client records of a whole organisation.
CLIENT_RECORDS_PERMISSION = "outreach.view_client_records"


def two_factor_required(user: Actor | None) -> bool:
    """Must this person pass a second factor (HRNET_2FA_REQUIRED and a sensitive role, or
    access to client records)?"""
    if not settings.HRNET_2FA_REQUIRED:
        return False
    if user_has_role(user, *settings.HRNET_2FA_REQUIRED_ROLES):
        return True
    has_perm = getattr(user, "has_perm", None)
    return bool(
        getattr(user, "is_authenticated", False)
        and has_perm
        and has_perm(CLIENT_RECORDS_PERMISSION)
    )


def user_is_verified(user: object) -> bool:
    """Has this session passed a second factor? (`is_verified` comes from OTPMiddleware.)"""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


class RequireTwoFactorMiddleware:
    """People in roles that may see sensitive records must pass a second factor first.

    Until they have set up and used an authenticator app, every page but the setup page,
    sign-out and static files sends them to the setup page. The API (token auth) is
    governed by the token, which only a verified session can create.
    """

    allowed_prefixes = ("/static/", "/api/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user_is_verified(user)
            and two_factor_required(user)
            and not request.path.startswith(self.allowed_prefixes)
        ):
            allowed = {
                reverse("accounts:two_factor_setup"),
                reverse("accounts:logout"),
            }
            if request.path not in allowed:
                return redirect("accounts:two_factor_setup")
        return self.get_response(request)
