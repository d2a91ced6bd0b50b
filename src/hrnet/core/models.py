"""Base models every app builds on, and the cross-cutting records: audit log, task progress,
the network's own profile and its issue areas."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import localized


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class LiveQuerySet(models.QuerySet):
    def alive(self) -> LiveQuerySet:
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> LiveQuerySet:
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager):
    """Hides what is in the trash; `all_objects` sees everything."""

    def get_queryset(self) -> LiveQuerySet:
        return LiveQuerySet(self.model, using=self._db).alive()


class SoftDeleteModel(models.Model):
    """A record that goes to the trash first; `core.trash` restores or purges it."""

    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[Any] = LiveManager()
    all_objects: ClassVar[Any] = LiveQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None


class AuditEntry(models.Model):
    """Who did what to which record, when and from where. Written by services."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_repr = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"
        )


class ThrottleWindow(models.Model):
    """How many times something throttled (`scope`, e.g. "rights.intake") happened for one
    key (an address or an account, as a keyed hash: no address or email is stored) in the
    window starting at `window_start`. Written by `hrnet.core.throttle` only."""

    scope = models.CharField(max_length=50)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    # When the row stops mattering (the window after this one has ended): purged after.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["scope", "key_hash", "window_start"], name="core_throttle_window_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:8]} {self.window_start:%Y-%m-%d %H:%M} {self.count}"


class TaskProgress(TimeStampedModel):
    """How far a long-running job has got; shown by a progress bar in the page and the CLI."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("job"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Network(models.Model):
    """The network this deployment serves: its name and what it does (one row)."""

    names = models.JSONField(
        _("name"), default=dict, help_text=_("One text per language code (en, ru, …).")
    )
    short_names = models.JSONField(_("short name"), default=dict, blank=True)
    missions = models.JSONField(_("mission"), default=dict, blank=True)

    class Meta:
        verbose_name = _("network profile")
        verbose_name_plural = _("network profiles")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or "hrnet"

    @property
    def short_name(self) -> str:
        return localized(self.short_names) or self.name

    @property
    def mission(self) -> str:
        return localized(self.missions)


class IssueArea(models.Model):
    """A thematic area the network works on; a taxonomy shared by every module."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    names = models.JSONField(_("name"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("issue area")
        verbose_name_plural = _("issue areas")
        ordering: ClassVar[list[str]] = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.code
