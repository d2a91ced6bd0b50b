"""The trash: members' content is soft-deleted first, restorable by the secretariat, and
purged for good after HRNET_TRASH_RETENTION_DAYS by a task.

Apps register their soft-deletable models with `register_trash(Model)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.roles import Role, user_has_role
from hrnet.core.audit import AuditAction, log_action
from hrnet.core.models import SoftDeleteModel
from hrnet.core.types import Actor


class CoreAction(AuditAction):
    """The audit actions the core logs (the trash's)."""

    MOVE = "core.trash.move"
    RESTORE = "core.trash.restore"
    PURGE = "core.trash.purge"


_trash_models: list[type[SoftDeleteModel]] = []
# Called with the record after it moves to or from the trash (e.g. the search index
# drops or re-adds it). Explicit hooks, registered in AppConfig.ready(), not signals.
_trash_listeners: list[Callable[[SoftDeleteModel], None]] = []


def trash_listener_add(listener: Callable[[SoftDeleteModel], None]) -> None:
    if listener not in _trash_listeners:
        _trash_listeners.append(listener)


def register_trash(model: type[SoftDeleteModel]) -> type[SoftDeleteModel]:
    if model not in _trash_models:
        _trash_models.append(model)
    return model


@dataclass(frozen=True)
class TrashItem:
    obj: SoftDeleteModel
    kind: str
    content_type_id: int

    @property
    def deleted_at(self) -> Any:
        return self.obj.deleted_at


def trash_move(
    *, obj: SoftDeleteModel, actor: Actor | None, request: HttpRequest | None = None
) -> None:
    if obj.deleted_at is not None:
        return
    obj.deleted_at = timezone.now()
    obj.deleted_by = None if actor is None or isinstance(actor, AnonymousUser) else actor
    obj.save(update_fields=["deleted_at", "deleted_by"])
    log_action(actor=actor, action=CoreAction.MOVE, obj=obj, request=request)
    for listener in _trash_listeners:
        listener(obj)


def trash_list(*, user: Actor) -> list[TrashItem]:
    """Everything in the trash, most recently deleted first; the secretariat only."""
    if not user_has_role(user, Role.SECRETARIAT):
        raise PermissionDenied
    items: list[TrashItem] = []
    for model in _trash_models:
        content_type = ContentType.objects.get_for_model(model)
        kind = str(model._meta.verbose_name)
        for obj in model.all_objects.in_trash().select_related("deleted_by"):
            items.append(TrashItem(obj=obj, kind=kind, content_type_id=content_type.pk))
    return sorted(items, key=lambda item: item.obj.deleted_at or timezone.now(), reverse=True)


def trash_get(*, user: Actor, content_type_id: int, object_id: Any) -> SoftDeleteModel:
    if not user_has_role(user, Role.SECRETARIAT):
        raise PermissionDenied
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = next((m for m in _trash_models if m is content_type.model_class()), None)
    if model is None:
        raise ValidationError(_("This kind of record has no trash."))
    return model.all_objects.in_trash().get(pk=object_id)


def trash_restore(
    *, obj: SoftDeleteModel, actor: Actor | None, request: HttpRequest | None = None
) -> None:
    if obj.deleted_at is None:
        return
    obj.deleted_at = None
    obj.deleted_by = None
    obj.save(update_fields=["deleted_at", "deleted_by"])
    log_action(actor=actor, action=CoreAction.RESTORE, obj=obj, request=request)
    for listener in _trash_listeners:
        listener(obj)


def trash_purge(*, now: datetime | None = None) -> int:
    """Delete for good what has been in the trash longer than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HRNET_TRASH_RETENTION_DAYS)
    purged = 0
    for model in _trash_models:
        expired: models.QuerySet = model.all_objects.filter(deleted_at__lt=cutoff)
        with transaction.atomic():
            for obj in expired:
                log_action(actor=None, action=CoreAction.PURGE, obj=obj)
            count, _by_model = expired.delete()
        purged += count
    return purged
