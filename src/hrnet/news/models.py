"""News articles and announcements, and the weekly digest members opt in to.

An article is a draft until it has a publication time; a time in the future makes it
scheduled, and it appears by itself when that time comes (every read compares with now,
so no task is needed). Translations of one story share a `translation_key`."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.models import IssueArea, SoftDeleteModel, TimeStampedModel
from hrnet.geo.models import Country

IMAGE_ALT_REQUIRED = _(
    "Describe the image for people who cannot see it: the alternative text is required when "
    "there is an image."
)


class Article(TimeStampedModel, SoftDeleteModel):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        ANNOUNCEMENT = "announcement", _("Announcement")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(
        _("lead"), max_length=1000, help_text=_("One or two sentences shown in the listing.")
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Markdown or simple HTML; scripts, styles and images are removed."),
    )
    image = models.ImageField(
        _("image"),
        upload_to="news/",  # named at random by the services
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description (alternative text)"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    image_credit = models.CharField(
        _("photo credit"),
        max_length=200,
        blank=True,
        help_text=_("For example © Olivier Papegnies"),
    )
    issue_areas = models.ManyToManyField(
        IssueArea, verbose_name=_("issue areas"), blank=True, related_name="articles"
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="articles"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    translation_key = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Articles with the same key are translations of one story."),
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty: a draft. In the future: scheduled."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering: ClassVar[list] = [
            models.F("published_at").desc(nulls_first=True),
            "-created_at",
        ]
        constraints: ClassVar[list] = [
            # A trashed translation keeps its language: restoring it must not collide.
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="news_article_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": IMAGE_ALT_REQUIRED})

    @property
    def state(self) -> str:
        if self.published_at is None:
            return self.State.DRAFT
        if self.published_at > timezone.now():
            return self.State.SCHEDULED
        return self.State.PUBLISHED

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED and self.deleted_at is None


class DigestSubscription(models.Model):
    """A member who wants the weekly email digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return str(self.user)


class DigestSending(models.Model):
    """The digest of one ISO week for one member: written before the email goes out, so a
    second run of the same week (or a concurrent one) finds it and sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_sendings",
    )
    week = models.CharField(_("week"), max_length=8, help_text=_("ISO week, e.g. 2025-W07"))
    period_start = models.DateTimeField(_("covers from"))
    period_end = models.DateTimeField(_("covers until"))
    item_count = models.PositiveIntegerField(
        _("items"), default=0, help_text=_("0: nothing was new, no email was sent.")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("digest sending")
        verbose_name_plural = _("digest sendings")
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["user", "week"], name="news_digest_once_a_week"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.week}"
