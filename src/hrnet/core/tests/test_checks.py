"""Deployment checks: a cache backend that cannot be loaded or reached, and production
files left under the working directory."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from hrnet.core.checks import cache_backend_check, cache_connection_check, var_dir_check

REDIS = "django.core.cache.backends.redis.RedisCache"


def test_a_cache_whose_client_library_is_missing_is_an_error(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379"}}
    monkeypatch.setitem(__import__("sys").modules, "redis", None)  # as if not installed

    errors = cache_backend_check(None)

    assert [error.id for error in errors] == ["core.E001"]
    assert "redis" in str(errors[0].hint)


def test_a_cache_backend_that_does_not_exist_is_an_error(settings):
    settings.CACHES = {"default": {"BACKEND": "nowhere.Cache"}}

    assert [error.id for error in cache_backend_check(None)] == ["core.E001"]


def test_the_local_cache_passes(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert cache_backend_check(None) == []
    assert cache_connection_check(None) == []


def test_a_cache_server_that_does_not_answer_is_an_error(settings):
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": f"redis://127.0.0.1:{port}/0"}}

    errors = cache_connection_check(None)

    assert [error.id for error in errors] == ["core.E002"]


def _files_under(settings, folder: Path) -> None:
    settings.VAR_DIR = folder
    settings.DATABASES = {
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}
    }
    settings.MEDIA_ROOT = folder / "media"
    settings.STATIC_ROOT = folder / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}},
    }


def test_production_without_a_var_dir_is_warned_about(settings, monkeypatch, tmp_path):
    monkeypatch.delenv("HRNET_VAR_DIR", raising=False)
    settings.DEBUG = False
    _files_under(settings, tmp_path / "var")

    warnings = var_dir_check(None)

    assert [warning.id for warning in warnings] == ["core.W001"]
    assert "media files" in warnings[0].msg


@pytest.mark.parametrize("case", ["var dir set", "debug", "files elsewhere"])
def test_no_warning_with_a_var_dir_in_the_demo_or_files_elsewhere(
    settings, monkeypatch, tmp_path, case
):
    monkeypatch.delenv("HRNET_VAR_DIR", raising=False)
    settings.DEBUG = case == "debug"
    _files_under(settings, tmp_path / "var")
    if case == "var dir set":
        monkeypatch.setenv("HRNET_VAR_DIR", str(tmp_path / "var"))
    if case == "files elsewhere":
        settings.VAR_DIR = tmp_path / "unused"
        settings.HRNET_BACKUP_DIR = tmp_path / "backups"

    assert var_dir_check(None) == []
