"""The member register: organisations and individuals, their links, the network's
principles, applications to join, and memberships with their terms and statuses."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.core.i18n import localized
from hrnet.core.models import IssueArea, SoftDeleteModel, TimeStampedModel
from hrnet.geo.models import Country, normalize_name
from hrnet.members.similarity import match_key


class Organisation(SoftDeleteModel, TimeStampedModel):
    """A legal entity that is (or applies to be) a member of the network."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        COMMUNITY_LED = "community_led", _("Community-led organisation of people who use drugs")
        SERVICE_PROVIDER = "service_provider", _("Service provider")
        RESEARCH = "research", _("Research institute")
        PUBLIC_BODY = "public_body", _("Public body")
        NETWORK = "network", _("Network")

    names = models.JSONField(
        _("name"), default=dict, help_text=_("One text per language code (en, ru, …).")
    )
    name_original = models.CharField(_("name in the original language"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    is_community_led = models.BooleanField(
        _("community-led"),
        default=False,
        help_text=_("Led by people who use drugs or other key communities."),
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email address"), blank=True)
    issue_areas = models.ManyToManyField(
        IssueArea, verbose_name=_("issue areas"), blank=True, related_name="+"
    )
    descriptions = models.JSONField(
        _("short description"),
        default=dict,
        blank=True,
        help_text=_("One text per language code (en, ru, …)."),
    )
    logo = models.ImageField(_("logo"), upload_to="members/logos/", blank=True)
    is_public = models.BooleanField(
        _("listed in the public directory"),
        default=False,
        help_text=_("The organisation agreed to appear in the public member directory."),
    )
    # Derived from the names by refresh_name_key(): the normalised English (else original)
    # name for sorting and duplicate detection, and every name for the directory's search.
    name_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    search_key = models.TextField(editable=False, default="")
    # The name key in Latin letters, for finding near-duplicates (members.similarity).
    match_key = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar[list[str]] = ["name_key"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["country", "kind"]),
            models.Index(fields=["is_public", "name_key"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.name_original or "—"

    @property
    def description(self) -> str:
        return localized(self.descriptions)

    def refresh_name_key(self) -> None:
        self.name_key = normalize_name(self.names.get("en") or self.name_original or self.name)
        self.match_key = match_key(self.name_key)
        texts = [*self.names.values(), self.name_original]
        self.search_key = " | ".join(sorted({normalize_name(t) for t in texts if t}))


class Person(SoftDeleteModel, TimeStampedModel):
    """An individual: a member in their own right, or staff of a member organisation."""

    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True, db_index=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    expertise = models.TextField(_("expertise"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, e.g. en, ru, ka.")
    )
    issue_areas = models.ManyToManyField(
        IssueArea, verbose_name=_("issue areas"), blank=True, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_public = models.BooleanField(
        _("listed in the public directory"),
        default=False,
        help_text=_("The person agreed to appear in the public member directory."),
    )
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    name_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    # The name key in Latin letters, for finding near-duplicates (members.similarity).
    match_key = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering: ClassVar[list[str]] = ["name_key"]

    def __str__(self) -> str:
        return self.full_name

    def refresh_name_key(self) -> None:
        self.name_key = normalize_name(self.full_name)
        self.match_key = match_key(self.name_key)


class Affiliation(TimeStampedModel):
    """A person's link to an organisation, with a role and dates."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        STAFF = "staff", _("Staff")
        VOLUNTEER = "volunteer", _("Volunteer")
        BOARD = "board", _("Board member")
        CONTACT = "contact", _("Contact person")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    is_admin = models.BooleanField(
        _("manages the organisation's profile"),
        default=False,
        help_text=_("May edit the organisation's profile and staff links."),
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering: ClassVar[list[str]] = ["organisation", "person"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation} ({self.get_role_display()})"

    def is_current(self, on: object = None) -> bool:
        today = on or timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (  # type: ignore[operator]
            self.end_date is None or self.end_date >= today  # type: ignore[operator]
        )


class PrinciplesVersion(TimeStampedModel):
    """A version of the network's principles that applicants and members accept."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    texts = models.JSONField(
        _("text"), default=dict, help_text=_("One text per language code (en, ru, …).")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("principles version")
        verbose_name_plural = _("principles versions")
        ordering: ClassVar[list[str]] = ["-number"]

    def __str__(self) -> str:
        return str(_("Principles, version %(number)s") % {"number": self.number})

    @property
    def text(self) -> str:
        return localized(self.texts)


class Application(TimeStampedModel):
    """A request to join, by an organisation or an individual, and its review."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INFO_REQUESTED = "info_requested", _("More information requested")
        IN_VOTE = "in_vote", _("Committee vote")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = ("submitted", "info_requested", "in_vote")

    kind = models.CharField(_("applying as"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    # What is applying: created hidden with the application, made a member on approval.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email address"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    motivation = models.TextField(_("why do you want to join?"), blank=True)
    principles_version = models.ForeignKey(
        PrinciplesVersion,
        verbose_name=_("principles accepted"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    principles_accepted_at = models.DateTimeField(_("principles accepted at"))
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_applications",
    )
    # The applicant follows their application with this secret link, with or without account.
    access_token = models.CharField(max_length=64, unique=True, editable=False)
    info_request = models.TextField(_("information requested"), blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(person__isnull=True),
                name="application_one_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} ({self.get_status_display()})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def applicant_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name  # type: ignore[union-attr]
        if self.person_id:
            return self.person.full_name  # type: ignore[union-attr]
        return self.contact_name

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Vote(TimeStampedModel):
    """One committee member's vote on an application."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        ABSTAIN = "abstain", _("Abstain")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="votes")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_vote_per_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.get_choice_display()}"


class MembershipType(models.Model):
    """Organisational or individual membership, its fee and how long a term runs."""

    class Kind(models.TextChoices):
        ORGANISATIONAL = "organisational", _("Organisational")
        INDIVIDUAL = "individual", pgettext_lazy("membership type", "Individual")

    class Term(models.TextChoices):
        FIXED = "fixed", _("Fixed: the calendar year")
        ROLLING = "rolling", _("Rolling: a number of months from the start")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    names = models.JSONField(_("name"), default=dict)
    kind = models.CharField(_("for"), max_length=20, choices=Kind.choices)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    term = models.CharField(_("term"), max_length=10, choices=Term.choices, default=Term.FIXED)
    term_months = models.PositiveSmallIntegerField(_("months (rolling terms)"), default=12)
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=60,
        help_text=_(
            "After the end date, the membership stays in grace this long before it lapses."
        ),
    )

    class Meta:
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")
        ordering: ClassVar[list[str]] = ["kind", "code"]

    def __str__(self) -> str:
        return localized(self.names) or self.code


class Membership(TimeStampedModel):
    """One member's membership: its type, current term and status.

    The status is computed from the dates by a daily task (`membership_status_refresh`),
    unless the secretariat set an override, which records who and why.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", pgettext_lazy("membership status", "Active")
        GRACE = "grace", _("Grace period")
        LAPSED = "lapsed", _("Lapsed")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")

    CURRENT_STATUSES: ClassVar[tuple[str, ...]] = ("active", "grace")

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    type = models.ForeignKey(
        MembershipType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    # Set for staff who are members through their organisation.
    inherited_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inherited",
        verbose_name=_("through the membership of"),
    )
    start_date = models.DateField(_("member since"), null=True, blank=True)
    end_date = models.DateField(_("current term ends"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    status_override = models.CharField(
        _("status set by hand"), max_length=10, choices=Status.choices, blank=True
    )
    override_reason = models.TextField(_("reason for setting the status by hand"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    override_at = models.DateTimeField(null=True, blank=True)
    principles_version = models.ForeignKey(
        PrinciplesVersion,
        verbose_name=_("principles accepted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering: ClassVar[list[str]] = ["-start_date"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(person__isnull=True))
                | (Q(organisation__isnull=True) & Q(person__isnull=False)),
                name="membership_exactly_one_member",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(organisation__isnull=False),
                name="one_membership_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False),
                name="one_membership_per_person",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_status_display()}"

    @property
    def member(self) -> Organisation | Person | None:
        return self.organisation or self.person

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT_STATUSES


class RenewalReminder(models.Model):
    """A renewal reminder sent for one term end, so it is never sent twice."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reminders")
    term_end = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["membership", "term_end", "days_before"], name="one_reminder_per_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.term_end} −{self.days_before}d"


class MembershipPeriod(TimeStampedModel):
    """An earlier membership of the same member, kept when two records were merged, so the
    member's dated history (type, status, term) survives the one-membership rule."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="periods")
    type = models.ForeignKey(
        MembershipType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("member since"), null=True, blank=True)
    end_date = models.DateField(_("term ended"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Membership.Status.choices)
    source = models.CharField(_("record merged"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("earlier membership")
        verbose_name_plural = _("earlier memberships")
        ordering: ClassVar[list[str]] = ["start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.membership} ({self.start_date}–{self.end_date})"


class RegisterMerge(TimeStampedModel):
    """One merge of two records of the register, with what it changed, so restoring the
    merged record from the trash can undo it."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        PERSON = "person", _("person")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    keep_id = models.PositiveBigIntegerField()
    merge_id = models.PositiveBigIntegerField(db_index=True)
    changes = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.merge_id} → #{self.keep_id}"


class DuplicateDismissal(TimeStampedModel):
    """Two records the secretariat said are not the same member, so they are not suggested
    again."""

    kind = models.CharField(max_length=20, choices=RegisterMerge.Kind.choices)
    first_id = models.PositiveBigIntegerField()
    second_id = models.PositiveBigIntegerField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["kind", "first_id", "second_id"], name="one_dismissal_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.first_id} ≠ #{self.second_id}"
