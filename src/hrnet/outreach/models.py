"""Service delivery: sites of member organisations and their staff; anonymous clients
known by a UIC; contacts with what was given, tested and referred.

Evidence reports site-level values (a site x month) against these sites; contacts roll up
into those values (`outreach.rollup`).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import localized
from hrnet.core.models import TimeStampedModel


class Site(TimeStampedModel):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed site")
        OUTREACH = "outreach", _("Outreach")
        MOBILE = "mobile", _("Mobile van")
        PHARMACY = "pharmacy", _("Pharmacy")
        PRISON = "prison", _("Prison")
        DROP_IN = "drop_in", _("Drop-in centre")

    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FIXED)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["country", "organisation", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="outreach_site_name_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name


class SiteStaff(TimeStampedModel):
    """A person working at a site: a worker records contacts, a site manager also runs
    the site's reports."""

    class Role(models.TextChoices):
        WORKER = "worker", _("Worker")
        MANAGER = "manager", _("Site manager")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="site_assignments",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.WORKER)

    class Meta:
        ordering: ClassVar = ["site", "role", "user"]
        verbose_name = _("site staff")
        verbose_name_plural = _("site staff")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["site", "user"], name="outreach_site_staff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site} ({self.get_role_display()})"


class Commodity(TimeStampedModel):
    """Something handed out at a contact (syringes, needles, swabs, condoms, naloxone
    kits...): the list is the network's to configure."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    names = models.JSONField(_("names"), default=dict)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    # The evidence data element a month of this commodity adds up into (e.g. NS_DISTRIBUTED).
    indicator_code = models.CharField(_("evidence indicator"), max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["position", "code"]
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def name(self) -> str:
        return localized(self.names)


class CommodityBundle(TimeStampedModel):
    """A preset of commodities picked with one tap ("standard NSP pack"); network-wide when
    `organisation` is empty. `items` maps commodity codes to quantities."""

    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commodity_bundles",
    )
    code = models.SlugField(_("code"), max_length=32)
    names = models.JSONField(_("names"), default=dict)
    items = models.JSONField(_("items"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["position", "code"]
        verbose_name = _("commodity bundle")
        verbose_name_plural = _("commodity bundles")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="outreach_bundle_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def name(self) -> str:
        return localized(self.names)


class Client(TimeStampedModel):
    """A person served, known only by a Unique Identifier Code built from non-identifying
    parts (`outreach.uic`). Never a name, address or phone."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Not known")

    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="clients",
    )
    uic = models.CharField(_("UIC"), max_length=32)
    uic_scheme = models.CharField(_("UIC scheme"), max_length=32, default="central_asia")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(_("gender"), max_length=32, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    substances = models.JSONField(_("substances"), default=list, blank=True)
    injects = models.BooleanField(_("injects drugs"), null=True, blank=True)
    key_populations = models.JSONField(_("key populations"), default=list, blank=True)
    first_contact_on = models.DateField(_("first contact"), null=True, blank=True)
    first_site = models.ForeignKey(
        Site,
        verbose_name=_("first site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    class Meta:
        ordering: ClassVar = ["organisation", "uic"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        permissions: ClassVar = [
            (
                "view_client_records",
                _("See the client records of every site of the organisations one manages"),
            )
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "uic"], name="outreach_client_uic_unique"
            )
        ]

    def __str__(self) -> str:
        # Not the UIC: a client's str() ends up in audit descriptions and admin lists.
        return f"client #{self.pk}"


class Contact(TimeStampedModel):
    """One meeting with a client. The id is made by the phone that recorded it, so a
    contact sent twice (offline, then again) is stored once."""

    class Setting(models.TextChoices):
        FIXED = "fixed", _("Fixed site")
        OUTREACH = "outreach", _("Outreach")
        MOBILE = "mobile", _("Mobile")
        PEER = "peer", _("Peer")

    id = models.UUIDField(primary_key=True, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="contacts"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="contacts"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date = models.DateField(_("date"))
    setting = models.CharField(
        _("setting"), max_length=16, choices=Setting.choices, default=Setting.FIXED
    )
    syringes_returned = models.PositiveIntegerField(_("used syringes returned"), default=0)
    counselling = models.BooleanField(_("counselling"), default=False)
    overdoses_witnessed = models.PositiveSmallIntegerField(_("overdoses witnessed"), default=0)
    overdoses_reported = models.PositiveSmallIntegerField(_("overdoses reported"), default=0)

    class Meta:
        ordering: ClassVar = ["-date", "-created_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes: ClassVar = [
            models.Index(fields=["site", "date"]),
            models.Index(fields=["client", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.date}"


class ContactItem(models.Model):
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="items"
    )
    commodity = models.ForeignKey(
        Commodity, verbose_name=_("commodity"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("commodity given")
        verbose_name_plural = _("commodities given")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["contact", "commodity"], name="outreach_contact_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commodity_id} x {self.quantity}"


class Test(models.Model):
    class Kind(models.TextChoices):
        HIV_RAPID = "hiv_rapid", _("HIV rapid test")
        HCV_ANTIBODY = "hcv_antibody", _("HCV antibody test")
        HCV_RNA = "hcv_rna", _("HCV RNA test")
        TB_SCREENING = "tb_screening", _("TB screening")

    class Result(models.TextChoices):
        NEGATIVE = "negative", _("Negative")
        POSITIVE = "positive", _("Positive")
        INVALID = "invalid", _("Invalid")
        NOT_GIVEN = "not_given", _("Result not given")

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="tests"
    )
    kind = models.CharField(_("test"), max_length=16, choices=Kind.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["contact", "kind"], name="outreach_test_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.result}"


class Referral(TimeStampedModel):
    class Service(models.TextChoices):
        OST = "ost", _("Opioid agonist therapy")
        ART = "art", _("HIV treatment (ART)")
        HCV_TREATMENT = "hcv_treatment", _("HCV treatment")
        TB = "tb", _("TB services")
        LEGAL = "legal", _("Legal aid")
        SOCIAL = "social", _("Social services")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not followed up yet")
        REACHED = "reached", _("Reached the service")
        NOT_REACHED = "not_reached", _("Did not reach the service")

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="referrals"
    )
    service = models.CharField(_("referred to"), max_length=16, choices=Service.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    # For HCV treatment: cured (sustained virological response), once known.
    cured = models.BooleanField(_("cured"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["contact", "service"], name="outreach_referral_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.outcome}"


class PendingMonth(models.Model):
    """A site's month whose contacts changed and whose figures wait to be recomputed by
    the drain task (`outreach.tasks.pending_months_drain`). One untaken row per site and
    month, so a hundred contacts saved in a month queue one recomputation, not a hundred."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    month = models.CharField(max_length=7)  # "2025-01"
    # Who changed the contacts first: the recomputed values are written in their name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The drain task that took the row (its task id), or "" while it waits.
    taken_by = models.CharField(max_length=64, blank=True, db_index=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["site", "month"],
                condition=models.Q(taken_by=""),
                name="outreach_pending_month_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.month}"
