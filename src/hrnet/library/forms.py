"""Forms of the library pages: the listing's filters, a resource (submit and edit) and the
moderator's rejection. They check shape; the services check meaning (file types, sizes,
translations)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import MultipleFileField
from hrnet.core.models import IssueArea
from hrnet.core.uploads import max_upload_bytes
from hrnet.geo.models import Country
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.selectors import ResourceFilters


class ResourceFilterForm(forms.Form):
    """GET filters; a value that does not fit is ignored, never a 500."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    issue_area = forms.ChoiceField(label=_("Issue area"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything: list[tuple[Any, Any]] = [("", _("All"))]
        by_subregion: dict[str, list[tuple[str, str]]] = {}
        for country in Country.objects.select_related("subregion"):
            by_subregion.setdefault(country.subregion.name, []).append((country.iso2, country.name))
        choices = {
            "type": anything + list(Resource.Type.choices),
            "language": anything + list(settings.LANGUAGES),
            "issue_area": anything + [(a.code, a.name) for a in IssueArea.objects.all()],
            "country": anything + list(by_subregion.items()),
            "year": anything + [(year, year) for year in years or []],
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or "").upper()

    def filters(self, *, prefer_language: str = "") -> ResourceFilters:
        """The valid filters (call after is_valid(); invalid ones count as not set)."""
        data = getattr(self, "cleaned_data", {})
        return ResourceFilters(
            prefer_language=prefer_language,
            type=data.get("type") or "",
            language=data.get("language") or "",
            issue_area=data.get("issue_area") or "",
            country=data.get("country") or "",
            year=data.get("year") or None,
        )


class CountryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ResourceForm(forms.Form):
    """A resource's fields and new files; `resource` (editing) adds the files to remove."""

    type = forms.ChoiceField(label=_("Type"), choices=Resource.Type.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in the listing."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://example.org)."),
    )
    language = forms.ChoiceField(label=_("Language of the resource"))
    publication_date = forms.DateField(
        label=_("Publication date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Resource.Visibility.choices,
        initial=Resource.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    external_url = forms.URLField(
        label=_("External link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where the resource is published elsewhere, if it is."),
    )
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Issue areas"),
        queryset=IssueArea.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = CountryChoiceField(
        label=_("Countries"),
        queryset=Country.objects.select_related("subregion"),
        to_field_name="iso2",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    uploads = MultipleFileField(label=_("Files"), required=False)
    files_remove = forms.ModelMultipleChoiceField(
        label=_("Remove files"),
        queryset=ResourceFile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, resource: Resource | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = list(settings.LANGUAGES)
        self.fields["uploads"].help_text = _(
            "PDF, DOCX, XLSX or PPTX, at most %(limit)s each. You can choose several."
        ) % {"limit": filesizeformat(max_upload_bytes())}
        if resource is None:
            del self.fields["files_remove"]
            self.fields["publication_date"].initial = timezone.localdate
        else:
            remove = cast(forms.ModelMultipleChoiceField, self.fields["files_remove"])
            remove.queryset = resource.files.defer("extracted_text")
            if not resource.files.exists():
                del self.fields["files_remove"]

    def resource_data(self) -> dict[str, Any]:
        """The cleaned fields as the services take them."""
        names = (
            "type",
            "title",
            "summary",
            "description",
            "language",
            "publication_date",
            "visibility",
            "publisher",
            "authors",
            "external_url",
            "issue_areas",
            "countries",
        )
        data = {name: self.cleaned_data[name] for name in names}
        data["issue_areas"] = list(data["issue_areas"])
        data["countries"] = list(data["countries"])
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The submitter receives it by email."),
    )
