"""Times in the reader's zone: the profile's for people who sign in, the browser's (the
`hrnet_tz` cookie set by timezone.js) for visitors; a cookie that names no zone is ignored."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from hrnet.accounts.middleware import (
    TIME_ZONE_COOKIE,
    UserPreferencesMiddleware,
    visitor_time_zone_known,
)
from hrnet.accounts.tests.factories import UserFactory


def _zone_seen(user, cookie: str | None = None) -> tuple[str, bool]:
    seen: dict[str, object] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["zone"] = timezone.get_current_timezone_name()
        seen["known"] = visitor_time_zone_known(request)
        return HttpResponse()

    request = RequestFactory().get("/en/events/")
    if cookie is not None:
        request.COOKIES[TIME_ZONE_COOKIE] = cookie
    request.user = user
    try:
        UserPreferencesMiddleware(view)(request)
    finally:
        timezone.deactivate()
    return str(seen["zone"]), bool(seen["known"])


def test_a_visitor_sees_times_in_the_zone_of_their_browser():
    assert _zone_seen(AnonymousUser(), "Asia/Almaty") == ("Asia/Almaty", True)


@pytest.mark.parametrize(
    "cookie", ["Mars/Olympus", "../../etc/passwd", "", "UTC; path=/", "x" * 300]
)
def test_a_cookie_that_names_no_zone_is_ignored(cookie, settings):
    assert _zone_seen(AnonymousUser(), cookie) == (settings.TIME_ZONE, False)


def test_without_the_cookie_the_zone_is_not_the_visitors(settings):
    assert _zone_seen(AnonymousUser()) == (settings.TIME_ZONE, False)


@pytest.mark.django_db
def test_people_who_sign_in_keep_their_profile_zone():
    user = UserFactory.create(time_zone="Asia/Tbilisi")
    assert _zone_seen(user, "Asia/Almaty") == ("Asia/Tbilisi", True)
    without = UserFactory.create(time_zone="")
    assert _zone_seen(without, "Asia/Almaty") == ("Asia/Almaty", True)
