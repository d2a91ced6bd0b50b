"""Advocacy campaigns: goal, targets, countries, coordinating and participating members,
actions and milestones on a timeline, outcomes with evidence, linked events and news, and
an optional sign-on statement whose signatures the secretariat verifies before they show.

Texts entered by people are per-language JSON objects read with `core.i18n.localized`."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.core.i18n import localized
from hrnet.core.models import IssueArea, SoftDeleteModel, TimeStampedModel
from hrnet.geo.models import Country

LANGUAGE_HELP = _("One text per language code (en, ru, …).")


class Campaign(TimeStampedModel, SoftDeleteModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("campaign status", "Active")
        CONCLUDED = "concluded", _("Concluded")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    titles = models.JSONField(_("title"), default=dict, help_text=LANGUAGE_HELP)
    goals = models.JSONField(_("goal"), default=dict, blank=True, help_text=LANGUAGE_HELP)
    descriptions = models.JSONField(
        _("description"), default=dict, blank=True, help_text=LANGUAGE_HELP
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="campaigns"
    )
    issue_areas = models.ManyToManyField(
        IssueArea, verbose_name=_("issue areas"), blank=True, related_name="campaigns"
    )
    coordinators = models.ManyToManyField(
        "members.Organisation",
        verbose_name=_("coordinating organisations"),
        blank=True,
        related_name="coordinated_campaigns",
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("linked events"), blank=True, related_name="campaigns"
    )
    articles = models.ManyToManyField(
        "news.Article", verbose_name=_("linked news"), blank=True, related_name="campaigns"
    )
    # The optional sign-on statement.
    statement_texts = models.JSONField(
        _("sign-on statement"),
        default=dict,
        blank=True,
        help_text=_("Empty: the campaign has no sign-on statement."),
    )
    statement_open = models.BooleanField(_("statement open for signatures"), default=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.slug

    @property
    def title(self) -> str:
        return localized(self.titles)

    @property
    def goal(self) -> str:
        return localized(self.goals)

    @property
    def description(self) -> str:
        return localized(self.descriptions)

    @property
    def statement(self) -> str:
        return localized(self.statement_texts)

    @property
    def has_statement(self) -> bool:
        return any(text.strip() for text in self.statement_texts.values() if text)

    @property
    def takes_signatures(self) -> bool:
        return self.has_statement and self.statement_open and self.status == self.Status.ACTIVE


class Target(models.Model):
    """A decision maker or institution the campaign wants to move."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("decision maker"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=300, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering: ClassVar[list[str]] = ["position", "pk"]

    def __str__(self) -> str:
        return " — ".join(part for part in (self.name, self.institution) if part)


class CampaignParticipant(models.Model):
    """A member organisation taking part; its admin joins (and leaves) from the page."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="campaign_participations",
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("joined by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        ordering: ClassVar[list[str]] = ["joined_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="campaigns_participant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.campaign}"


class CampaignAction(models.Model):
    """An action or a milestone on the campaign's timeline."""

    class Kind(models.TextChoices):
        ACTION = "action", _("Action")
        MILESTONE = "milestone", _("Milestone")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.ACTION)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    titles = models.JSONField(_("title"), default=dict, help_text=LANGUAGE_HELP)
    descriptions = models.JSONField(
        _("description"), default=dict, blank=True, help_text=LANGUAGE_HELP
    )

    class Meta:
        verbose_name = _("campaign action")
        verbose_name_plural = _("campaign actions")
        ordering: ClassVar[list[str]] = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def title(self) -> str:
        return localized(self.titles)

    @property
    def description(self) -> str:
        return localized(self.descriptions)


class CampaignOutcome(models.Model):
    """What the campaign achieved, with the evidence: library resources and links
    (`evidence_links`: a list of {"url": ..., "label": ...}, e.g. to evidence dashboards)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outcomes")
    date = models.DateField(_("date"))
    descriptions = models.JSONField(_("outcome"), default=dict, help_text=LANGUAGE_HELP)
    resources = models.ManyToManyField(
        "library.Resource", verbose_name=_("library resources"), blank=True, related_name="+"
    )
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)

    class Meta:
        verbose_name = _("campaign outcome")
        verbose_name_plural = _("campaign outcomes")
        ordering: ClassVar[list[str]] = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.description[:80]}"

    @property
    def description(self) -> str:
        return localized(self.descriptions)


class Signature(models.Model):
    """An organisation's signature of a campaign's statement. It shows on the page only
    once the secretariat verified it; the contact person is never shown."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation"), max_length=300)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    # The normalised name: one signature per name and country.
    name_key = models.CharField(max_length=300, editable=False)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email address"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering: ClassVar[list[str]] = ["signed_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # A rejected signature does not count: a fake one under a real organisation's
            # name must not keep that organisation from signing.
            models.UniqueConstraint(
                fields=["campaign", "organisation"],
                condition=Q(organisation__isnull=False) & ~Q(status="rejected"),
                name="campaigns_signature_once_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["campaign", "country", "name_key"],
                condition=~Q(status="rejected"),
                name="campaigns_signature_once_per_name_and_country",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation_name
