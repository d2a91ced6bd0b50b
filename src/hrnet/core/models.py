"""Base models every app builds on, and the cross-cutting records: audit log, task progress,
the network's own profile and its issue areas."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import LANGUAGE_CODES, localized


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


# What was done, by the verb of the action (`<app>.<noun>.<verb>`): the audit log shows
# this beside the record's kind, and the action's code for filtering.
AUDIT_VERBS: dict[str, Any] = {
    "assign": pgettext_lazy("audit action", "assigned"),
    "break_glass": pgettext_lazy("audit action", "opened in an emergency (break-glass)"),
    "close": pgettext_lazy("audit action", "closed"),
    "correct": pgettext_lazy("audit action", "corrected"),
    "deactivate": pgettext_lazy("audit action", "deactivated"),
    "deliver": pgettext_lazy("audit action", "delivered"),
    "draft_save": pgettext_lazy("audit action", "draft saved"),
    "find": pgettext_lazy("audit action", "searched"),
    "intake": pgettext_lazy("audit action", "received from the public form"),
    "join": pgettext_lazy("audit action", "joined"),
    "leave": pgettext_lazy("audit action", "left"),
    "link": pgettext_lazy("audit action", "linked"),
    "list": pgettext_lazy("audit action", "list viewed"),
    "list_read": pgettext_lazy("audit action", "list viewed"),
    "rate": pgettext_lazy("audit action", "rated"),
    "read": pgettext_lazy("audit action", "read"),
    "record": pgettext_lazy("audit action", "recorded"),
    "register": pgettext_lazy("audit action", "registered"),
    "remind_due": pgettext_lazy("audit action", "reminded of the due date"),
    "remind_overdue": pgettext_lazy("audit action", "reminded of the overdue date"),
    "remove": pgettext_lazy("audit action", "removed"),
    "send": pgettext_lazy("audit action", "sent"),
    "set": pgettext_lazy("audit action", "set"),
    "share": pgettext_lazy("audit action", "shared"),
    "triage": pgettext_lazy("audit action", "triaged"),
    "unlink": pgettext_lazy("audit action", "unlinked"),
    "view": pgettext_lazy("audit action", "viewed"),
    "accept": pgettext_lazy("audit action", "accepted"),
    "add": pgettext_lazy("audit action", "added"),
    "answer": pgettext_lazy("audit action", "answered"),
    "approve": pgettext_lazy("audit action", "approved"),
    "backup_codes_regenerate": pgettext_lazy("audit action", "backup codes regenerated"),
    "cancel": pgettext_lazy("audit action", "cancelled"),
    "change": pgettext_lazy("audit action", "changed"),
    "change_status": pgettext_lazy("audit action", "status changed"),
    "check_in": pgettext_lazy("audit action", "checked in"),
    "clear_override": pgettext_lazy("audit action", "status override cleared"),
    "confirm_email": pgettext_lazy("audit action", "email address confirmed"),
    "create": pgettext_lazy("audit action", "created"),
    "decline": pgettext_lazy("audit action", "declined"),
    "delete": pgettext_lazy("audit action", "deleted"),
    "demo_create": pgettext_lazy("audit action", "created for the demo"),
    "disable": pgettext_lazy("audit action", "disabled"),
    "enable": pgettext_lazy("audit action", "enabled"),
    "end": pgettext_lazy("audit action", "ended"),
    "erase": pgettext_lazy("audit action", "erased"),
    "export": pgettext_lazy("audit action", "exported"),
    "import": pgettext_lazy("audit action", "imported"),
    "issue": pgettext_lazy("audit action", "issued"),
    "link_account": pgettext_lazy("audit action", "linked to an account"),
    "login": pgettext_lazy("audit action", "signed in"),
    "login_throttled": pgettext_lazy("audit action", "sign-in blocked after too many attempts"),
    "logout": pgettext_lazy("audit action", "signed out"),
    "merge": pgettext_lazy("audit action", "merged"),
    "move": pgettext_lazy("audit action", "moved"),
    "offer": pgettext_lazy("audit action", "place offered"),
    "offer_accept": pgettext_lazy("audit action", "offered place accepted"),
    "offer_decline": pgettext_lazy("audit action", "offered place declined"),
    "offer_expire": pgettext_lazy("audit action", "offer expired"),
    "override": pgettext_lazy("audit action", "status set by hand"),
    "publish": pgettext_lazy("audit action", "published"),
    "purge": pgettext_lazy("audit action", "purged"),
    "reject": pgettext_lazy("audit action", "rejected"),
    "remind_renewal": pgettext_lazy("audit action", "renewal reminder sent"),
    "renew": pgettext_lazy("audit action", "renewed"),
    "reopen": pgettext_lazy("audit action", "reopened"),
    "request": pgettext_lazy("audit action", "requested"),
    "request_info": pgettext_lazy("audit action", "more information requested"),
    "resend": pgettext_lazy("audit action", "sent again"),
    "reset": pgettext_lazy("audit action", "reset"),
    "reset_request": pgettext_lazy("audit action", "reset requested"),
    "restore": pgettext_lazy("audit action", "restored"),
    "revoke": pgettext_lazy("audit action", "revoked"),
    "save_draft": pgettext_lazy("audit action", "draft saved"),
    "schedule": pgettext_lazy("audit action", "scheduled"),
    "start": pgettext_lazy("audit action", "started"),
    "start_vote": pgettext_lazy("audit action", "vote started"),
    "submit": pgettext_lazy("audit action", "submitted"),
    "subscribe": pgettext_lazy("audit action", "subscribed"),
    "undo": pgettext_lazy("audit action", "undone"),
    "unpublish": pgettext_lazy("audit action", "unpublished"),
    "unsubscribe": pgettext_lazy("audit action", "unsubscribed"),
    "update": pgettext_lazy("audit action", "updated"),
    "verify": pgettext_lazy("audit action", "verified"),
    "vote": pgettext_lazy("audit action", "voted"),
    "withdraw": pgettext_lazy("audit action", "withdrawn"),
    "write": pgettext_lazy("audit action", "written"),
}


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

    @property
    def verb_label(self) -> str:
        """What was done, in the reader's language ("created", "published"), else ""."""
        label = AUDIT_VERBS.get(self.action.rsplit(".", 1)[-1])
        return capfirst(str(label)) if label else ""

    def change_rows(self) -> list[dict[str, Any]]:
        """The changed fields as a reader knows them: the field's name in the reader's
        language, and choice values (statuses, kinds) by their labels, not their codes.
        Each row: {"label", "old", "new", "value"}; "value" alone for a recorded value
        without a before/after (what a record was created with)."""
        model = self.content_type.model_class() if self.content_type else None
        rows = []
        for name, change in self.changes.items():
            field = _field_of(model, name)
            label = field.verbose_name if field else _AUDIT_KEYS.get(name, name)
            row: dict[str, Any] = {"label": capfirst(label)}
            if isinstance(change, dict) and set(change) <= {"old", "new"} and change:
                row["old"] = _value_display(field, change.get("old"))
                row["new"] = _value_display(field, change.get("new"))
            else:
                row["value"] = _value_display(field, change)
            rows.append(row)
        return rows


# Keys that services record for a model without a field of that name (a page's draft, say).
_AUDIT_KEYS = {"language": _("language"), "title": _("title"), "revision": _("revision")}


def _field_of(model: type[models.Model] | None, name: str) -> Any:
    """The model's field recorded as `name` (per-language fields are recorded in the
    singular: "title" for `titles`), else None."""
    if model is None:
        return None
    for candidate in (name, f"{name}s"):
        try:
            field = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):  # not a reverse relation (no verbose name)
            return field
    return None


def _value_display(field: Any, value: Any) -> str:
    """A recorded value as the page shows it: a choice's label, yes/no, "∅" for nothing."""
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(_value_display(field, item) for item in value)
    if isinstance(value, dict):
        # Text entered in several languages ({"en": ..., "ru": ...}): the reader's.
        if set(value) <= set(LANGUAGE_CODES):
            return localized(value) or "∅"
        return "; ".join(f"{key}: {_value_display(None, item)}" for key, item in value.items())
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices:
        return str(choices.get(value, value))
    return str(value)


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
        return f"{self.display_name} ({self.get_status_display()})"

    @property
    def display_name(self) -> str:
        """The job's name in the reader's language: jobs store the English msgid of their
        name (`core.progress.job_start`), translated here when shown."""
        return gettext(self.name) if self.name else ""

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


class WorkerBeat(models.Model):
    """A running `hrnet db_worker`, as it last reported itself. A task whose worker has not
    been seen for HRNET_TASK_LEASE_SECONDS is taken back by another (`core.worker`)."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.host}:{self.pid}"
