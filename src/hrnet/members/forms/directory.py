"""Forms of the directory area: the directory's filters, an organisation's profile and the
staff-link form. They check shape; the services check meaning."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from hrnet.core.models import IssueArea
from hrnet.geo.models import Country, SubRegion
from hrnet.members.models import Affiliation, Organisation
from hrnet.members.selectors.directory import (
    PAGE_SIZE,
    PAGE_SIZES,
    DirectoryFilters,
    type_choices,
)
from hrnet.members.services.applications import languages_resolve
from hrnet.members.services.profiles import logo_check


class DirectoryFilterForm(forms.Form):
    """GET filters; a value that does not fit is reported and ignored, never a 500."""

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    subregion = forms.ChoiceField(label=_("Sub-region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    issue_area = forms.ChoiceField(label=_("Issue area"), required=False)
    community_led = forms.BooleanField(label=_("Community-led only"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        choices=[(size, size) for size in PAGE_SIZES],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything: list[tuple[str, Any]] = [("", _("All"))]
        by_subregion: dict[str, list[tuple[str, str]]] = {}
        for country in Country.objects.select_related("subregion"):
            by_subregion.setdefault(country.subregion.name, []).append((country.iso2, country.name))
        choices = {
            "subregion": anything + [(s.code, s.name) for s in SubRegion.objects.all()],
            "country": anything + list(by_subregion.items()),
            "type": anything + type_choices(),
            "issue_area": anything + [(a.code, a.name) for a in IssueArea.objects.all()],
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or "").upper()

    def filters(self) -> DirectoryFilters:
        """The valid filters (call after is_valid(); invalid ones count as not set)."""
        data = getattr(self, "cleaned_data", {})
        return DirectoryFilters(
            subregion=data.get("subregion") or "",
            country=data.get("country") or "",
            type=data.get("type") or "",
            issue_area=data.get("issue_area") or "",
            community_led=bool(data.get("community_led")),
            q=(data.get("q") or "").strip(),
        )

    def page_size(self) -> int:
        data = getattr(self, "cleaned_data", {})
        return int(data.get("per_page") or PAGE_SIZE)


def _language_fields() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class OrganisationProfileForm(forms.Form):
    """An organisation's public profile. Name and description fields exist per interface
    language (settings.LANGUAGES), so a new language needs no code change."""

    name_original = forms.CharField(
        label=_("Name in the original language"), required=False, max_length=300
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Organisation.Kind.choices)
    is_community_led = forms.BooleanField(
        label=_("Community-led"),
        required=False,
        help_text=_("Led by people who use drugs or other key communities."),
    )
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://example.org"),
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Issue areas"),
        required=False,
        queryset=IssueArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    is_public = forms.BooleanField(
        label=_("List the organisation in the public directory"),
        required=False,
        help_text=_(
            "Anyone can then see its name, type, country, city, website, issue areas, "
            "description and logo. Network members always see current members."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        if organisation is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(organisation)
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for code, name in _language_fields():
            fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": name},
                required=False,
                max_length=300,
            )
        fields.update(self.fields)
        for code, name in _language_fields():
            fields[f"description_{code}"] = forms.CharField(
                label=_("Short description (%(language)s)") % {"language": name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        # Names first, descriptions after the other fields; the logo and listing last.
        tail = [key for key in ("logo", "is_public") if key in fields]
        order = [k for k in fields if k not in tail] + tail
        self.fields = {key: fields[key] for key in order}
        if organisation is not None and organisation.logo:
            self.fields["logo"].initial = organisation.logo

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name_original": organisation.name_original,
            "kind": organisation.kind,
            "is_community_led": organisation.is_community_led,
            "city": organisation.city,
            "website": organisation.website,
            "email": organisation.email,
            "issue_areas": list(organisation.issue_areas.all()),
            "is_public": organisation.is_public,
        }
        for code, _name in _language_fields():
            initial[f"name_{code}"] = organisation.names.get(code, "")
            initial[f"description_{code}"] = organisation.descriptions.get(code, "")
        return initial

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            try:
                logo_check(logo)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["logo"]) from exc
        return logo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [data.get(f"name_{code}") for code, _name in _language_fields()]
        if not any(names) and not data.get("name_original"):
            self.add_error(
                f"name_{settings.LANGUAGE_CODE}",
                _("Give the organisation’s name in at least one language."),
            )
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `organisation_profile_update` takes it."""
        data = self.cleaned_data
        logo = data.get("logo")
        return {
            "names": {code: data.get(f"name_{code}", "") for code, _n in _language_fields()},
            "descriptions": {
                code: data.get(f"description_{code}", "") for code, _n in _language_fields()
            },
            "name_original": data.get("name_original", ""),
            "kind": data["kind"],
            "is_community_led": data.get("is_community_led", False),
            "city": data.get("city", ""),
            "website": data.get("website", ""),
            "email": data.get("email", ""),
            "issue_areas": data.get("issue_areas") or [],
            "is_public": data.get("is_public", False),
            "logo": logo if isinstance(logo, UploadedFile) else None,
            "logo_clear": logo is False,  # ClearableFileInput's "clear" box
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StaffLinkForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_(
            "A person already registered with this email address is linked, not created again."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Affiliation.Role.choices, initial=Affiliation.Role.STAFF
    )
    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    is_admin = forms.BooleanField(
        label=_("Manages the organisation’s profile"),
        required=False,
        help_text=_(
            "May edit this profile and its staff links. They need an account "
            "with this email address."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The link cannot end before it starts."))
        return data


class PersonProfileForm(forms.Form):
    """A person's own profile in the register."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    expertise = forms.CharField(
        label=_("Expertise"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.CharField(
        label=_("Languages you work in"),
        required=False,
        help_text=_("Codes or names separated by commas, e.g. “ru, en, Georgian”."),
    )
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Issue areas"),
        queryset=IssueArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_public = forms.BooleanField(
        label=_("List me in the public member directory"), required=False
    )

    def clean_languages(self) -> list[str]:
        try:
            return languages_resolve(self.cleaned_data.get("languages", ""))
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
