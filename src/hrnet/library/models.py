"""The resource library: documents the network shares (guidance, reports, overviews of
donor documents, best practices, ...), their files, and their moderation."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.core.models import IssueArea, SoftDeleteModel, TimeStampedModel
from hrnet.core.storage import private_storage
from hrnet.core.uploads import KINDS_BY_CONTENT_TYPE
from hrnet.geo.models import Country
from hrnet.search.documents import MEMBERS, PUBLIC


class Resource(TimeStampedModel, SoftDeleteModel):
    """One document in one language. Translations of it share a `translation_key`."""

    class Type(models.TextChoices):
        GUIDANCE = "guidance", _("Guidance")
        REPORT = "report", _("Report")
        OVERVIEW = "overview", _("Overview of key documents")
        BEST_PRACTICE = "best_practice", _("Best practice")
        CASE_STUDY = "case_study", _("Case study")
        TRAINING = "training", _("Training material")
        METHODOLOGY = "methodology", _("Methodological material")
        POLICY_BRIEF = "policy_brief", _("Policy brief")
        DATASET = "dataset", _("Dataset")

    class Visibility(models.TextChoices):
        PUBLIC = PUBLIC, _("Public")
        MEMBERS = MEMBERS, _("Network members only")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("resource", "Submitted")
        PUBLISHED = "published", pgettext_lazy("resource", "Published")
        REJECTED = "rejected", pgettext_lazy("resource", "Rejected")

    type = models.CharField(_("type"), max_length=20, choices=Type.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(
        _("summary"), max_length=1000, help_text=_("One or two sentences shown in the listing.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://example.org)."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, db_index=True
    )
    translation_key = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Resources with the same key are translations of one another."),
    )
    issue_areas = models.ManyToManyField(
        IssueArea, verbose_name=_("issue areas"), blank=True, related_name="resources"
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="resources"
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publication_date = models.DateField(_("publication date"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=PUBLIC
    )
    external_url = models.URLField(_("external link"), max_length=500, blank=True)

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_submissions",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering: ClassVar[list[str]] = ["-published_at", "-created_at", "-id"]
        constraints: ClassVar[list[Any]] = [
            # Trashed resources keep their place: restoring one must not clash.
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="library_one_resource_per_language"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "visibility", "published_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_members_only(self) -> bool:
        return self.visibility == self.Visibility.MEMBERS


UPLOAD_FOLDER = "library"


def _upload_to(instance: ResourceFile, filename: str) -> str:
    # Never the uploader's name on disk: it is kept in original_name for the download.
    suffix = PurePath(filename).suffix.lower()
    return f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}{suffix}"


class ResourceFile(TimeStampedModel):
    """A file of a resource, kept in the private storage, with the text taken from it for
    the search."""

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        NONE = "none", _("Not needed")

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_upload_to, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=Extraction.choices,
        default=Extraction.PENDING,
    )
    extraction_error = models.CharField(_("extraction error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("resource file")
        verbose_name_plural = _("resource files")
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind_label(self) -> str:
        kind = KINDS_BY_CONTENT_TYPE.get(self.content_type)
        return str(kind.label) if kind else self.content_type
