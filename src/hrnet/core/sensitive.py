"""What the pages of need-to-know records share (outreach's client records, rights'
cases): a list that shows such records leaves an audit entry naming them by id."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.http import HttpRequest

from hrnet.core.audit import AuditAction, log_action
from hrnet.core.types import Actor


def records_shown_audit(
    *,
    actor: Actor,
    action: AuditAction,
    records: Iterable[models.Model],
    key: str,
    request: HttpRequest | None = None,
) -> None:
    """One audit entry `action` naming the ids of the `records` a page showed (under
    `key` in its changes); none when it showed none."""
    ids = [record.pk for record in records]
    if ids:
        log_action(actor=actor, action=action, changes={key: ids}, request=request)
