"""The network's own pages (who we are, strategy, role, how to join, issues), its projects
with partners and commitments, and its team with the contact form.

A page has one draft and a list of published revisions per language: a language's
visitors see its latest revision, so publishing the Russian text leaves the English page
as it was. Restoring a revision publishes a copy of it as a new revision.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import localized
from hrnet.core.models import TimeStampedModel


class Page(TimeStampedModel):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    menu_position = models.PositiveSmallIntegerField(_("position in the menu"), default=0)
    in_menu = models.BooleanField(_("in the menu"), default=True)
    # A page about one issue area lists that area's news, resources, events and campaigns.
    issue_area = models.OneToOneField(
        "core.IssueArea",
        verbose_name=_("issue area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="page",
    )

    class Meta:
        ordering: ClassVar = ["menu_position", "slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.slug


class PageDraft(TimeStampedModel):
    """The text being edited in one language (one per page and language)."""

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="drafts"
    )
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("page draft")
        verbose_name_plural = _("page drafts")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["page", "language"], name="network_draft_unique")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.language} draft"


class PageRevision(models.Model):
    """A published text of a page in one language; never changed once written."""

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="revisions"
    )
    language = models.CharField(_("language"), max_length=8)
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"))
    restored_from = models.ForeignKey(
        "self",
        verbose_name=_("restored from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["page", "language", "-number"]
        verbose_name = _("page revision")
        verbose_name_plural = _("page revisions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["page", "language", "number"], name="network_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.language} #{self.number}"


class Partner(TimeStampedModel):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Network of people who use drugs")
        DONOR = "donor", _("Donor")
        UN_AGENCY = "un_agency", _("UN agency")
        NGO = "ngo", _("Non-governmental organisation")
        OTHER = "other", _("Other")

    names = models.JSONField(_("name"), default=dict)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="partners/", blank=True)
    logo_alt = models.CharField(_("logo description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)


class Project(TimeStampedModel):
    """A project or programme the network runs, such as a donor-funded regional platform."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    names = models.JSONField(_("name"), default=dict)
    summaries = models.JSONField(_("summary"), default=dict, blank=True)
    objectives = models.JSONField(_("objectives (Markdown)"), default=dict, blank=True)
    donors = models.ManyToManyField(
        Partner, verbose_name=_("donors"), blank=True, related_name="funded_projects"
    )
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partners"), blank=True, related_name="projects"
    )
    countries = models.ManyToManyField(
        "geo.Country", verbose_name=_("countries"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering: ClassVar = ["-start_date", "slug"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)


class Commitment(TimeStampedModel):
    """Something the network promised in a project (overviews of donor documents, webinars
    for community leaders, trainings, technical assistance), with a target count; its
    outputs are records of other modules linked to it."""

    class Kind(models.TextChoices):
        DOCUMENT_OVERVIEW = "document_overview", _("Overviews of donor documents")
        WEBINAR = "webinar", _("Webinars")
        TRAINING = "training", _("Trainings")
        TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
        RESEARCH = "research", _("Research and evidence")
        ADVOCACY = "advocacy", _("Advocacy")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    descriptions = models.JSONField(_("description"), default=dict)
    target = models.PositiveIntegerField(_("target number"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering: ClassVar = ["project", "position", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.description or self.get_kind_display()

    @property
    def description(self) -> str:
        return localized(self.descriptions)


class CommitmentOutput(TimeStampedModel):
    """A record of another module that delivers a commitment: an event, a library resource
    or a technical-assistance request."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="outputs"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    resource = models.ForeignKey(
        "library.Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assistance_request = models.ForeignKey(
        "assistance.AssistanceRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("commitment output")
        verbose_name_plural = _("commitment outputs")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        event__isnull=False, resource__isnull=True, assistance_request__isnull=True
                    )
                    | models.Q(
                        event__isnull=True, resource__isnull=False, assistance_request__isnull=True
                    )
                    | models.Q(
                        event__isnull=True, resource__isnull=True, assistance_request__isnull=False
                    )
                ),
                name="network_output_one_record",
            ),
        ]

    def __str__(self) -> str:
        linked = self.event_id or self.resource_id or self.assistance_request_id
        return f"{self.commitment_id}: {linked}"


class TeamMember(TimeStampedModel):
    """Someone of the secretariat shown on the team page, with the contact details they
    chose to publish."""

    full_name = models.CharField(_("name"), max_length=200)
    roles = models.JSONField(_("role"), default=dict)
    photo = models.ImageField(_("photo"), upload_to="team/", blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone (international format)"), max_length=32, blank=True)
    publish_email = models.BooleanField(_("publish the email"), default=False)
    publish_phone = models.BooleanField(_("publish the phone"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering: ClassVar = ["position", "full_name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.full_name

    @property
    def role(self) -> str:
        return localized(self.roles)


class ContactTopic(TimeStampedModel):
    """What a visitor writes about, and who of the team receives it."""

    names = models.JSONField(_("name"), default=dict)
    recipient = models.ForeignKey(
        TeamMember, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="topics"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)


class ContactMessage(TimeStampedModel):
    topic = models.ForeignKey(
        ContactTopic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="messages"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, db_index=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return f"{self.topic_id} {self.created_at:%Y-%m-%d}"
