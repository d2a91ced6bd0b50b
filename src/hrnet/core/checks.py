"""System checks of the deployment: the cache backend CACHE_URL names can be loaded (and,
with `check --deploy`, reached), and production keeps its files in a named folder rather
than in each process's working directory."""

from __future__ import annotations

import os
import socket
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

# The client library each of Django's network cache backends loads only when first used,
# so a missing one would otherwise surface as a 500 on the first request.
CACHE_CLIENTS = {
    "django.core.cache.backends.redis.RedisCache": "redis",
    "django.core.cache.backends.memcached.PyMemcacheCache": "pymemcache",
    "django.core.cache.backends.memcached.PyLibMCCache": "pylibmc",
}
NETWORK_CACHES = {*CACHE_CLIENTS, "django_redis.cache.RedisCache"}
DEFAULT_PORTS = {"redis": 6379, "rediss": 6379, "memcache": 11211, "pymemcache": 11211}
CONNECT_SECONDS = 3.0
LOCAL_STORAGE = "django.core.files.storage.FileSystemStorage"


@register(Tags.caches)
def cache_backend_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An error for a cache whose backend class or client library cannot be imported."""
    errors: list[CheckMessage] = []
    for alias, config in settings.CACHES.items():
        backend = config.get("BACKEND", "")
        try:
            import_string(backend)
            if client := CACHE_CLIENTS.get(backend):
                import_module(client)
        except ImportError as exc:
            errors.append(
                Error(
                    f"The cache {alias!r} uses {backend}, which cannot be loaded: {exc}.",
                    hint="Install the client library it needs (for Redis the `redis` "
                    "package) or set CACHE_URL to another backend.",
                    id="core.E001",
                )
            )
    return errors


def _addresses(location: Any) -> list[tuple[str, int]]:
    locations = location if isinstance(location, list | tuple) else str(location).split(",")
    found = []
    for item in locations:
        text = str(item).strip()
        if not text or text.startswith(("unix:", "/")):
            continue  # a local socket: nothing to time out on
        parts = urlsplit(text if "://" in text else f"memcache://{text}")
        if parts.hostname:
            found.append((parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme, 6379)))
    return found


@register(Tags.caches, deploy=True)
def cache_connection_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An error for a network cache that does not answer (Redis or memcached down, a wrong
    address or password): the first connection is tried with a short timeout, then one
    read through Django's cache."""
    errors: list[CheckMessage] = []
    for alias, config in settings.CACHES.items():
        backend = config.get("BACKEND", "")
        if backend not in NETWORK_CACHES:
            continue
        try:
            import_string(backend)
        except ImportError:
            continue  # cache_backend_check reports it
        try:
            for host, port in _addresses(config.get("LOCATION", "")):
                socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
            caches[alias].get("hrnet:deploy-check")
        except Exception as exc:  # any failure to reach the cache is the answer
            errors.append(
                Error(
                    f"The cache {alias!r} ({backend}) cannot be reached: {exc}.",
                    hint="Start the cache server or correct CACHE_URL (host, port, password).",
                    id="core.E002",
                )
            )
    return errors


def _inside(path: Any, folder: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(folder.resolve())
    except (TypeError, ValueError, OSError):
        return False


@register(Tags.files, deploy=True)
def var_dir_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A warning when production keeps files under the default folder, ./var of the
    working directory: the web server, the worker and the timers each start somewhere
    else and would each use their own database file or uploads."""
    if settings.DEBUG or os.environ.get("HRNET_VAR_DIR"):
        return []
    folder = Path(settings.VAR_DIR)
    candidates: list[tuple[str, Any]] = []
    database = settings.DATABASES.get("default", {})
    if database.get("ENGINE") == "django.db.backends.sqlite3":
        candidates.append(("the SQLite database", database.get("NAME", "")))
    storages = getattr(settings, "STORAGES", {})
    for alias, what in (("default", "media files"), ("private", "private files")):
        storage = storages.get(alias, {})
        if storage.get("BACKEND") == LOCAL_STORAGE:
            location = storage.get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT
            candidates.append((what, location))
    candidates.append(("collected static files", settings.STATIC_ROOT))
    if backups := getattr(settings, "HRNET_BACKUP_DIR", None):
        candidates.append(("backups", backups))
    local = [f"{what} ({path})" for what, path in candidates if _inside(path, folder)]
    if not local:
        return []
    return [
        Warning(
            "HRNET_VAR_DIR is not set, so these live under the working directory's var/: "
            + "; ".join(local)
            + ".",
            hint="Set HRNET_VAR_DIR to one absolute folder (e.g. /var/lib/hrnet) in the "
            "environment of the web server, the worker and the timers alike.",
            id="core.W001",
        )
    ]
