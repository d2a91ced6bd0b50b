"""The audit log: services call `log_action` for every change to data that matters."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
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


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address as the last trusted proxy saw it (REMOTE_ADDR behind gunicorn)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
