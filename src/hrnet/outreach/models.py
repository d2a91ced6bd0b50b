"""Service delivery sites of member organisations and the staff assigned to them.

Evidence reports site-level values (a site x month) against these sites; the records of
clients and contacts at a site build on them too.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
