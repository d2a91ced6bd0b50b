"""The fast-entry form: a client by UIC (typed, or built from its four parts), a preset
bundle, optional extras. The same fields are posted by the plain form and, as JSON, by the
page's script to the API."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.outreach.models import (
    Client,
    Commodity,
    CommodityBundle,
    Contact,
    Referral,
    Site,
    Test,
)

# Which contact setting a site's kind suggests (the worker can change it in the extras).
SETTING_BY_SITE_KIND = {
    Site.Kind.OUTREACH: Contact.Setting.OUTREACH,
    Site.Kind.MOBILE: Contact.Setting.MOBILE,
}
NEED_CODE = _("Type the client's code, or build it from its parts.")


def bundles_for_site(site: Site) -> QuerySet[CommodityBundle]:
    """The active bundles a worker at `site` picks from: network-wide and the site's
    organisation's own."""
    return CommodityBundle.objects.filter(is_active=True).filter(
        Q(organisation__isnull=True) | Q(organisation_id=site.organisation_id)
    )


def setting_for_site(site: Site) -> str:
    return str(SETTING_BY_SITE_KIND.get(Site.Kind(site.kind), Contact.Setting.FIXED))


class BundleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name or obj.code


class ContactEntryForm(forms.Form):
    # Made when the page is drawn: a double submit of the same page is stored once.
    contact_id = forms.UUIDField(widget=forms.HiddenInput)
    uic = forms.CharField(
        label=_("Client's code (UIC)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    # The code's four parts: the names are used for their first letters only and never
    # stored (autocomplete off so the phone does not remember them either).
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Client.Sex.choices, required=False, widget=forms.RadioSelect
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), min_value=1900, max_value=2100, required=False
    )
    mother_name = forms.CharField(
        label=_("Mother's first name"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    father_name = forms.CharField(
        label=_("Father's first name"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bundle = BundleChoiceField(
        label=_("What was given"),
        queryset=CommodityBundle.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    setting = forms.ChoiceField(label=_("Setting"), choices=Contact.Setting.choices)
    syringes_returned = forms.IntegerField(
        label=_("Used syringes returned"),
        min_value=0,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    counselling = forms.BooleanField(label=_("Counselling"), required=False)
    referrals = forms.MultipleChoiceField(
        label=_("Referred to"),
        choices=Referral.Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("contact_id", uuid.uuid4())
        initial.setdefault("date", timezone.localdate())
        initial.setdefault("setting", setting_for_site(site))
        super().__init__(*args, **kwargs)
        self.site = site
        bundle_field = cast(forms.ModelChoiceField, self.fields["bundle"])
        bundle_field.queryset = bundles_for_site(site)
        self.commodities = list(Commodity.objects.filter(is_active=True))
        for commodity in self.commodities:
            self.fields[f"extra_{commodity.code}"] = forms.IntegerField(
                label=commodity.name or commodity.code,
                min_value=0,
                required=False,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": 0, "data-commodity": commodity.code}
                ),
            )
        for kind, label in Test.Kind.choices:
            self.fields[f"test_{kind}"] = forms.ChoiceField(
                label=label,
                choices=[("", _("Not done")), *Test.Result.choices],
                required=False,
                widget=forms.Select(attrs={"data-test": kind}),
            )

    # Groups of fields for the template.
    def extra_item_fields(self) -> list[forms.BoundField]:
        return [self[f"extra_{commodity.code}"] for commodity in self.commodities]

    def bundle_choices(self) -> list[dict[str, Any]]:
        """The bundles as tiles: each with its items (for the page's script)."""
        chosen = str(self["bundle"].value() or "")
        bundle_field = cast(forms.ModelChoiceField, self.fields["bundle"])
        return [
            {
                "bundle": bundle,
                "items": json.dumps(bundle.items or {}),
                "checked": str(bundle.pk) == chosen,
                "id": f"id_bundle_{index}",
            }
            for index, bundle in enumerate(bundle_field.queryset or [])
        ]

    def test_fields(self) -> list[forms.BoundField]:
        return [self[f"test_{kind}"] for kind in Test.Kind.values]

    def clean_uic(self) -> str:
        return " ".join(self.cleaned_data["uic"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("uic") and not (data.get("mother_name") or data.get("father_name")):
            self.add_error("uic", NEED_CODE)
        return data

    def items(self) -> dict[str, int]:
        """Commodity code -> quantity: the bundle's plus any extras."""
        data = self.cleaned_data
        items: dict[str, int] = {}
        bundle = data.get("bundle")
        if bundle is not None:
            for code, quantity in (bundle.items or {}).items():
                items[str(code)] = int(quantity)
        for commodity in self.commodities:
            extra = data.get(f"extra_{commodity.code}")
            if extra:
                items[commodity.code] = items.get(commodity.code, 0) + int(extra)
        return items

    def tests(self) -> dict[str, str]:
        return {
            kind: self.cleaned_data[f"test_{kind}"]
            for kind in Test.Kind.values
            if self.cleaned_data.get(f"test_{kind}")
        }

    def contact_date(self) -> datetime.date:
        return cast(datetime.date, self.cleaned_data["date"])

    def contact_fields(self) -> dict[str, Any]:
        """What the contact services take from the form, recording and correcting alike."""
        data = self.cleaned_data
        return {
            "date": self.contact_date(),
            "setting": data["setting"],
            "items": self.items(),
            "syringes_returned": data.get("syringes_returned") or 0,
            "counselling": bool(data.get("counselling")),
            "tests": self.tests() or None,
            "referrals": list(data.get("referrals") or []) or None,
        }


class ContactCorrectForm(ContactEntryForm):
    """Correcting a contact just recorded: what was given, tested and referred, the date
    and the setting. Whose contact it is does not change here (and the code is not shown)."""

    IDENTITY_FIELDS = ("contact_id", "uic", "sex", "birth_year", "mother_name", "father_name")

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.update(
            {
                "date": contact.date,
                "setting": contact.setting,
                "syringes_returned": contact.syringes_returned,
                "counselling": contact.counselling,
                "referrals": [referral.service for referral in contact.referrals.all()],
            }
        )
        for item in contact.items.all():
            initial[f"extra_{item.commodity.code}"] = item.quantity
        for test in contact.tests.all():
            initial[f"test_{test.kind}"] = test.result
        super().__init__(*args, site=contact.site, **kwargs)
        for name in (*self.IDENTITY_FIELDS, "bundle"):
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        return forms.Form.clean(self) or {}
