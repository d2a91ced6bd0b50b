"""Saved segments of the register, mailings to them, each mailing's recipients with a
state per row (what makes a send exactly-once), and unsubscriptions per category."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.models import TaskProgress, TimeStampedModel


class Segment(TimeStampedModel):
    """A named set of register filters (`selectors.SegmentFilters`), evaluated when used:
    the members it matches change as the register does."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    """What a mailing is about; people unsubscribe per category."""

    ANNOUNCEMENTS = "announcements", _("Network announcements")
    EVENTS = "events", _("Events and trainings")
    ADVOCACY = "advocacy", _("Advocacy and campaigns")
    MEMBERSHIP = "membership", _("Membership matters")


class Mailing(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="mailings"
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.ANNOUNCEMENTS
    )
    # {"en": ..., "ru": ...}; at least one language has both a subject and a body.
    subjects = models.JSONField(_("subject"), default=dict)
    bodies = models.JSONField(_("message"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    job = models.ForeignKey(
        TaskProgress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.subjects.get("en") or self.subjects.get("ru") or f"#{self.pk}"


class Recipient(models.Model):
    """One address of a mailing, frozen when the mailing is queued. A row moves
    pending → sent (or failed) in the transaction that sends its email."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10)
    # The person behind the address, when there is one (erasure removes the row).
    person_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering: ClassVar[list[str]] = ["pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["mailing", "email"], name="recipient_once_per_mailing")
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["mailing", "state"])]

    def __str__(self) -> str:
        return self.email


class Unsubscription(models.Model):
    """An address that wants no more mailings of one category (lower-cased)."""

    email = models.EmailField(_("email address"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    created_at = models.DateTimeField(_("unsubscribed"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["email", "category"], name="unsubscribe_once")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.category})"
