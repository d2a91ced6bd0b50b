"""Forms of the site pages: the filter, a site's details, assigning staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.outreach.models import Site, SiteStaff


class SiteFilterForm(forms.Form):
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False, to_field_name="iso2"
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    inactive = forms.BooleanField(label=_("Show closed sites too"), required=False)


class SiteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Site.Kind.choices)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]  # a site keeps its organisation
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class StaffForm(forms.Form):
    email = forms.EmailField(label=_("Email of the person's account"))
    role = forms.ChoiceField(label=_("Role"), choices=SiteStaff.Role.choices)
