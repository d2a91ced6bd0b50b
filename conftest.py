"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as settings_module
from django.utils import translation

from hrnet.accounts.roles import Role


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    # Hashing with the production hasher would be most of the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default() -> Any:
    # A request or test that activates another language must not leak it into the next
    # test (reverse() would build /ru/ URLs).
    translation.activate(settings_module.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    from hrnet.accounts.tests.factories import UserFactory

    def make(*roles: str, **fields: Any) -> Any:
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def secretariat(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.SECRETARIAT, is_staff=True)


@pytest.fixture
def member(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.MEMBER)


@pytest.fixture
def geography(db: None) -> None:
    """The default CEECA sub-regions, countries and aliases."""
    from hrnet.geo.reference import geography_load

    geography_load()
