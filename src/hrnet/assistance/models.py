"""Technical assistance: the expert roster, requests from member organisations and their
workflow (submitted → triaged → assigned → in progress → delivered → closed, or declined),
the work log, deliverables and the requester's satisfaction rating."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.models import IssueArea, TimeStampedModel
from hrnet.core.storage import private_storage
from hrnet.geo.models import Country


class Kind(models.TextChoices):
    ADVOCACY = "advocacy", _("Advocacy")
    GRANT_WRITING = "grant_writing", _("Grant writing and Global Fund processes")
    MONITORING = "monitoring", _("Monitoring and evaluation")
    COMMUNITY = "community", _("Community mobilisation")
    ORGANISATIONAL = "organisational", _("Organisational development")
    LEGAL = "legal", _("Legal")
    OTHER = "other", _("Other")


class Expert(TimeStampedModel):
    """A person on the roster: whom the secretariat may assign to requests."""

    class Engagement(models.TextChoices):
        INTERNAL = "internal", _("Internal (secretariat)")
        CONSULTANT = "consultant", _("Consultant")

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        LIMITED = "limited", _("Limited")
        UNAVAILABLE = "unavailable", _("Unavailable")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="assistance_expert",
    )
    engagement = models.CharField(
        _("engagement"), max_length=20, choices=Engagement.choices, default=Engagement.CONSULTANT
    )
    issue_areas = models.ManyToManyField(IssueArea, verbose_name=_("issue areas"), blank=True)
    kinds = models.JSONField(_("kinds of assistance"), default=list, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, e.g. en, ru.")
    )
    countries = models.ManyToManyField(Country, verbose_name=_("countries"), blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    availability_note = models.CharField(_("availability note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("on the roster"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering: ClassVar[list[str]] = ["user__full_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(getattr(self.user, "full_name", "") or self.user.email)

    def kind_labels(self) -> list[str]:
        labels = dict(Kind.choices)
        return [str(labels[code]) for code in self.kinds if code in labels]

    def clean(self) -> None:
        unknown = [code for code in self.kinds or [] if code not in Kind.values]
        if unknown:
            raise ValidationError(
                {"kinds": _("Unknown kind of assistance: %(code)s.") % {"code": unknown[0]}}
            )


class AssistanceRequest(TimeStampedModel):
    class Urgency(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        TRIAGED = "triaged", _("Triaged")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (
        Status.SUBMITTED,
        Status.TRIAGED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
    )
    WORK_STATUSES: ClassVar[tuple[str, ...]] = (Status.ASSIGNED, Status.IN_PROGRESS)

    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="assistance_requests_filed",
    )
    title = models.CharField(_("title"), max_length=200)
    issue_area = models.ForeignKey(IssueArea, verbose_name=_("topic"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind of assistance"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT)
    description = models.TextField(_("description"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    wished_from = models.DateField(_("wished from"), null=True, blank=True)
    wished_until = models.DateField(_("wished until"), null=True, blank=True)
    language = models.CharField(
        _("language of the request"), max_length=10, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    experts = models.ManyToManyField(
        Expert, verbose_name=_("experts"), blank=True, related_name="requests"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def clean(self) -> None:
        if self.wished_from and self.wished_until and self.wished_until < self.wished_from:
            raise ValidationError(
                {"wished_until": _("The end of the wished dates is before their start.")}
            )
        if self.rating is not None and not 1 <= self.rating <= 5:
            raise ValidationError({"rating": _("Rate from 1 to 5.")})


def _attachment_path(instance: RequestAttachment, filename: str) -> str:
    return f"assistance/requests/{instance.request_id}/{filename}"


def _deliverable_path(instance: Deliverable, filename: str) -> str:
    return f"assistance/deliverables/{instance.request_id}/{filename}"


class RequestAttachment(TimeStampedModel):
    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_attachment_path, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One step of a request's timeline."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=AssistanceRequest.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class WorkLogEntry(TimeStampedModel):
    MAX_DAYS = Decimal(31)

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="work_log"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="work_log")
    date = models.DateField(_("date"))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log")
        ordering: ClassVar[list[str]] = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.days}"

    def clean(self) -> None:
        if self.days is None or not Decimal(0) < self.days <= self.MAX_DAYS:
            raise ValidationError(
                {
                    "days": _("Days must be more than 0 and at most 31, not %(days)s.")
                    % {"days": self.days}
                }
            )


class Deliverable(TimeStampedModel):
    """What the experts hand over: a file, or a resource published to the library."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_deliverable_path, max_length=300, blank=True
    )
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    resource = models.ForeignKey(
        "library.Resource",
        verbose_name=_("library resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering: ClassVar[list[str]] = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title
