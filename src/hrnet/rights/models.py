"""Human-rights cases in the REAct way (record, respond, refer, use the evidence): what
happened to a person who uses drugs, described without identity, with the responses
given, and who may see it.

The narrative, the person's description, contact details and evidence files are encrypted
at rest (`rights.crypto`): a copy of the database or the media folder alone reveals
nothing. Access is need-to-know (`rights.policies`) and every read is audited.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.core.i18n import localized
from hrnet.core.models import TimeStampedModel
from hrnet.rights.crypto import EncryptedTextField


class ViolationType(models.Model):
    """The editable EN/RU vocabulary of violations (police abuse or extortion, arbitrary
    detention, ...), loaded from src/hrnet/data/violation-types.csv."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    names = models.JSONField(_("name"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["position", "code"]
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


class PerpetratorType(models.TextChoices):
    POLICE = "police", _("Police")
    HEALTH_WORKER = "health_worker", _("Health worker")
    PRISON_STAFF = "prison_staff", _("Prison staff")
    EMPLOYER = "employer", _("Employer")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")


class AgeGroup(models.TextChoices):
    UNDER_18 = "<18", _("Under 18")
    FROM_18 = "18-24", _("18–24")
    FROM_25 = "25-34", _("25–34")
    FROM_35 = "35-49", _("35–49")
    FROM_50 = "50+", _("50 and older")
    UNKNOWN = "unknown", _("Not known")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANSGENDER = "transgender", _("Transgender person")
    NON_BINARY = "non_binary", _("Non-binary person")
    UNKNOWN = "unknown", _("Not known")


class Case(TimeStampedModel):
    class Status(models.TextChoices):
        UNREVIEWED = "unreviewed", _("Not reviewed (public report)")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        DOCUMENTER = "documenter", _("Recorded by a documenter")
        PUBLIC_INTAKE = "public_intake", _("Reported through the public form")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # None: the secretariat's own (or a public report addressed to the secretariat).
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights_cases",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.DOCUMENTER
    )
    date_from = models.DateField(_("date"))
    date_to = models.DateField(_("until"), null=True, blank=True)
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    locality = models.CharField(_("region or city"), max_length=120, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=8, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.UNKNOWN
    )
    key_populations = models.JSONField(_("key populations"), default=list, blank=True)
    violation_types = models.ManyToManyField(
        ViolationType, verbose_name=_("violations"), related_name="cases"
    )
    perpetrator_types = models.JSONField(_("perpetrators"), default=list, blank=True)
    narrative = EncryptedTextField(_("what happened"), blank=True)
    person_description = EncryptedTextField(_("the person, without identity"), blank=True)
    consent_to_record = models.BooleanField(_("consents to the record"), default=False)
    consent_to_share = models.BooleanField(_("consents to anonymised sharing"), default=False)
    consent_to_advocacy = models.BooleanField(_("consents to use in advocacy"), default=False)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    # Public intake: only when the reporter asked to be contacted.
    wants_contact = models.BooleanField(_("wants to be contacted"), default=False)
    contact_details = EncryptedTextField(_("how to contact"), blank=True)
    documenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("documenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closure_reason = EncryptedTextField(_("closure reason"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The last reopening; the closure reason before it stays beside it.
    reopen_reason = EncryptedTextField(_("reason for reopening"), blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-date_from", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes: ClassVar = [models.Index(fields=["country", "date_from"])]

    def __str__(self) -> str:
        return self.reference


class ReferralService(models.TextChoices):
    HEALTH = "health", _("Health care")
    LEGAL = "legal", _("Legal service")
    SHELTER = "shelter", _("Shelter")
    HARM_REDUCTION = "harm_reduction", _("Harm reduction")
    OTHER = "other", _("Other service")


class ReferralStatus(models.TextChoices):
    MADE = "made", _("Referral made")
    ACCEPTED = "accepted", _("Accepted by the service")
    COMPLETED = "completed", pgettext_lazy("referral", "Completed")
    REFUSED = "refused", pgettext_lazy("referral", "Refused")


class CaseResponse(TimeStampedModel):
    """A response to a case; a referral names the service and is followed through its
    status to its outcome. Edits keep the replaced versions (`CaseResponseVersion`)."""

    class Action(models.TextChoices):
        LEGAL_AID = "legal_aid", _("Legal aid")
        COMPLAINT = "complaint", _("Complaint filed")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
        REFERRAL = "referral", _("Referral to a service")
        SHELTER = "shelter", _("Shelter")
        MEDIATION = "mediation", _("Mediation")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="responses"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # Only for a referral.
    service = models.CharField(
        _("service"), max_length=20, choices=ReferralService.choices, blank=True
    )
    referral_status = models.CharField(
        _("referral status"), max_length=12, choices=ReferralStatus.choices, blank=True
    )
    responder = models.CharField(_("who responded"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    outcome = EncryptedTextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["case", "date", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action}"

    @property
    def is_referral(self) -> bool:
        return self.action == self.Action.REFERRAL


class CaseResponseVersion(TimeStampedModel):
    """A response as it was before an edit (the outcome encrypted like the response's),
    with who replaced it; `created_at` is when it was replaced."""

    response = models.ForeignKey(
        CaseResponse,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    action = models.CharField(_("action"), max_length=20, choices=CaseResponse.Action.choices)
    service = models.CharField(
        _("service"), max_length=20, choices=ReferralService.choices, blank=True
    )
    referral_status = models.CharField(
        _("referral status"), max_length=12, choices=ReferralStatus.choices, blank=True
    )
    responder = models.CharField(_("who responded"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    outcome = EncryptedTextField(_("outcome"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["response", "-created_at", "-pk"]
        verbose_name = _("earlier version of a response")
        verbose_name_plural = _("earlier versions of responses")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.created_at:%Y-%m-%d}"


class CaseFile(TimeStampedModel):
    """Evidence kept encrypted in the private storage under a random name; the original
    name is encrypted too."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="files"
    )
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["case", "created_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.case_id}: file {self.pk}"


class CaseShare(TimeStampedModel):
    """A named reviewer of the secretariat with whom the documenter shared the case."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="shares"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="shared_rights_cases",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case share")
        verbose_name_plural = _("case shares")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="rights_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.reviewer_id}"


class BreakGlass(TimeStampedModel):
    """An administrator's emergency access to one case, with the reason given; the
    organisation is notified and the access is audited. Valid for a limited time."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="break_glass"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("administrator"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    expires_at = models.DateTimeField(_("until"))

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")

    def __str__(self) -> str:
        return f"{self.case_id} by {self.user_id}"
