"""Fixtures for the accounts tests: second factors with real TOTP codes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = ["alpha2bravo", "charlie3delta"]


def found(pattern: str, text: str, group: int = 1, flags: int = 0) -> str:
    """The `group` of the first match of `pattern` in `text`; fails the test if none."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} not found"
    return match[group]


def totp_code(device: TOTPDevice, steps: int = 0) -> str:
    """The code the authenticator app shows now (or `steps` time steps later).

    A device accepts each time step only once, so a second verification in the same test
    uses `steps=1` (still within the device's tolerance of one step).
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def with_two_factor(db: None) -> Callable[[Any], TOTPDevice]:
    """Turns on 2FA for a user: a confirmed authenticator and the BACKUP_CODES."""

    def enable(user: Any) -> TOTPDevice:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
        for code in BACKUP_CODES:
            StaticToken.objects.create(device=static, token=code)
        return device

    return enable


@pytest.fixture
def http_request(rf: RequestFactory) -> HttpRequest:
    """A request with a session, as a service sees it behind the middleware."""
    request = rf.post("/en/accounts/login/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = AnonymousUser()
    return request
