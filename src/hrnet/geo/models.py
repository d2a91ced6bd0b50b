"""Sub-regions and countries of the network, and the other names sources use for them."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import localized


def normalize_name(text: str) -> str:
    """A lookup key: case-folded, accents and punctuation dropped, spaces collapsed.

    "  The former Yugoslav Republic of  Macedonia " and "the former yugoslav republic of
    macedonia" get the same key; diacritics go, so "Türkiye" matches "Turkiye" and
    "Лёгкий" matches "Легкий".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


class SubRegion(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    names = models.JSONField(
        _("name"), default=dict, help_text=_("One text per language code (en, ru, …).")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("sub-region")
        verbose_name_plural = _("sub-regions")
        ordering: ClassVar[list[str]] = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


class Country(models.Model):
    iso2 = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    names = models.JSONField(
        _("name"), default=dict, help_text=_("One text per language code (en, ru, …).")
    )
    subregion = models.ForeignKey(
        SubRegion,
        verbose_name=_("sub-region"),
        on_delete=models.PROTECT,
        related_name="countries",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering: ClassVar[list[str]] = ["subregion__position", "position", "iso2"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.iso2


class CountryAlias(models.Model):
    """Another spelling of a country's name ("Republic of Moldova", "Czech Republic")."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name = _("country alias")
        verbose_name_plural = _("country aliases")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The key is derived data that must always match the name, so it is set here.
        self.key = normalize_name(self.name)
        super().save(*args, **kwargs)
