"""The audit log: services call `log_action` for every change to data that matters."""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest

from hrnet.core.models import AuditEntry
from hrnet.core.types import Actor

if TYPE_CHECKING:
    from hrnet.accounts.models import User

ACTION_GRAMMAR = re.compile(r"^[a-z]+\.[a-z_]+\.[a-z_]+$")


class AuditAction(StrEnum):
    """Base of every app's audit actions, declared once in `<app>/audit.py`.

    Values follow one grammar, `<app>.<noun>.<verb>` (e.g. "members.membership.approve"),
    so the audit log reads and filters the same way across apps.
    """


def audit_actions() -> dict[str, AuditAction]:
    """Every declared action by its value (the apps' `audit.py` enums)."""
    found: dict[str, AuditAction] = {}
    for enum_class in AuditAction.__subclasses__():
        for member in enum_class:
            found[member.value] = member
    return found


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"HRNET_TRUSTED_PROXIES: {entry!r} is neither an IP address nor a network "
                "(e.g. 10.0.0.0/8)."
            ) from exc
    return tuple(networks)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """HRNET_TRUSTED_PROXIES as networks (parsed once per value; a bad entry raises
    ImproperlyConfigured naming it)."""
    return _trusted_networks(tuple(settings.HRNET_TRUSTED_PROXIES))


def _parse_address(value: str) -> IPAddress | None:
    """An address as proxies and servers write it ("1.2.3.4", "1.2.3.4:5678", "[::1]:80",
    "::ffff:1.2.3.4"), or None when it is not one."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 has several colons
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # one client, one key, whichever socket family
    return address


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's network address, as throttles and the audit log key it.

    REMOTE_ADDR, unless that is one of HRNET_TRUSTED_PROXIES: then X-Forwarded-For is read
    from the right (each proxy appends the address it saw), trusted proxies are skipped,
    and the first address that is not one is the client. Entries left of it were written
    by the client and are never believed. An unreadable entry stops the walk and the
    answer is REMOTE_ADDR: a misconfigured proxy must not let clients pick their own key.
    """
    if request is None:
        return None
    remote = _parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    if remote is None:
        return None
    networks = trusted_proxies()
    if not _trusted(remote, networks):
        return str(remote)
    nearest = remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse_address(entry)
        if address is None:
            return str(remote)
        nearest = address
        if not _trusted(address, networks):
            return str(address)
    # Every hop is a trusted proxy (a health check from the proxy host, say): the
    # leftmost one began the request.
    return str(nearest)


def _trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": ..., "new": ...}} for fields whose value differs."""
    return {
        field: {"old": before.get(field), "new": value}
        for field, value in after.items()
        if before.get(field) != value
    }


def log_action(
    *,
    actor: Actor | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` to `obj`. `action` is a member of the acting app's
    `AuditAction` enum (its `audit.py`), e.g. `Action.MEMBERSHIP_APPROVE`; only the admin's
    generic `<app>.<model>.<add|change|delete>` is built as a string."""
    if not isinstance(action, AuditAction) and not ACTION_GRAMMAR.match(action):
        # One grammar for the whole log, so it reads and filters alike across apps.
        raise ValueError(f"audit action {action!r} is not <app>.<noun>.<verb>")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=cast("User", actor) if is_user else None,
        actor_repr=str(getattr(actor, "email", "") or "") if is_user else "",
        action=str(action),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=_jsonable(changes or {}),
        ip_address=client_ip(request),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
