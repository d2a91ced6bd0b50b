"""Per-request preferences (time zone) and the two-factor requirement for sensitive roles."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import user_has_role
from hrnet.core.types import Actor

# Set by core/static/hrnet/js/timezone.js from the browser (Intl): the visitor's zone.
TIME_ZONE_COOKIE = "hrnet_tz"


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_from_cookie(value: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone a `hrnet_tz` cookie names, or None when it names no known zone (anything
    else, paths included, is ignored)."""
    if not value or len(value) > 64 or value not in _known_zones():
        return None
    try:
        return zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def visitor_time_zone_known(request: HttpRequest) -> bool:
    """Are times on this request shown in the reader's own zone (their profile's, or
    their browser's for visitors), rather than the site's default?"""
    return bool(getattr(request, "time_zone_known", False))


class UserPreferencesMiddleware:
    """Shows times in the signed-in person's own time zone, and anonymous visitors' in
    their browser's zone (the `hrnet_tz` cookie). Views ask `visitor_time_zone_known` to
    name the zone truthfully (without it, an event shows its organisers' zone)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone: zoneinfo.ZoneInfo | None = None
        if request.user.is_authenticated:  # the profile's zone comes first
            try:
                name = getattr(request.user, "time_zone", "")
                zone = zoneinfo.ZoneInfo(name) if name else None
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
        if zone is None:  # a visitor, or a profile without a zone: the browser's
            zone = zone_from_cookie(request.COOKIES.get(TIME_ZONE_COOKIE))
        request.time_zone_known = zone is not None  # type: ignore[attr-defined]
        if zone is not None:
            timezone.activate(zone)
        else:
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

    Until they have set up and used an authenticator app, every page but the setup pages
    (the setup page and the emailed setup link under it), sign-out and static files sends
    them to the setup page. The API (token auth) is governed by the token, which only a
    verified session can create.
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
            setup = reverse("accounts:two_factor_setup")
            if request.path != reverse("accounts:logout") and not request.path.startswith(setup):
                return redirect("accounts:two_factor_setup")
        return self.get_response(request)
