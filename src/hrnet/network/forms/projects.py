"""Forms of the project pages: partners, projects, commitments and the output link form.
They check shape; the services in `network.services.projects` check meaning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import per_language_fields, per_language_initial, per_language_texts
from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.geo.models import Country
from hrnet.network.models import Commitment, Partner, Project


class PartnerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Partner.Kind.choices)
    url = forms.CharField(label=_("Website"), required=False, max_length=200)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    logo_clear = forms.BooleanField(label=_("Remove the logo"), required=False)
    logo_alt = forms.CharField(
        label=_("Logo description"),
        required=False,
        max_length=200,
        help_text=_("For people who cannot see the logo; required when there is one."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)

    def __init__(self, *args: Any, partner: Partner | None = None, **kwargs: Any) -> None:
        if partner is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": partner.kind,
                    "url": partner.url,
                    "logo_alt": partner.logo_alt,
                    "position": partner.position,
                    **per_language_initial(partner.names, "names"),
                },
            )
        super().__init__(*args, **kwargs)
        per_language_fields(self, "names", _("Name"), max_length=200)
        self.order_fields([f"names_{code}" for code in LANGUAGE_CODES])
        if partner is None or not partner.logo:
            del self.fields["logo_clear"]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "names": per_language_texts(data, "names"),
            "kind": data["kind"],
            "url": data.get("url") or "",
            "logo": data.get("logo") or None,
            "logo_alt": data.get("logo_alt") or "",
            "position": data.get("position") or 0,
        }


class ProjectForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_("The last part of the page’s address, e.g. regional-platform."),
    )
    start_date = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    donors = forms.ModelMultipleChoiceField(
        label=_("Donors"),
        required=False,
        queryset=Partner.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        required=False,
        queryset=Partner.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        required=False,
        queryset=Country.objects.order_by("position", "iso2"),
        widget=forms.CheckboxSelectMultiple,
    )
    is_published = forms.BooleanField(
        label=_("Published"), required=False, help_text=_("Visitors see published projects.")
    )

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        if project is not None:
            kwargs.setdefault(
                "initial",
                {
                    "slug": project.slug,
                    "start_date": project.start_date,
                    "end_date": project.end_date,
                    "donors": list(project.donors.all()),
                    "partners": list(project.partners.all()),
                    "countries": list(project.countries.all()),
                    "is_published": project.is_published,
                    **per_language_initial(project.names, "names"),
                    **per_language_initial(project.summaries, "summaries"),
                    **per_language_initial(project.objectives, "objectives"),
                },
            )
        super().__init__(*args, **kwargs)
        per_language_fields(self, "names", _("Name"), max_length=300)
        per_language_fields(self, "summaries", _("Summary"), textarea=True, max_length=2000)
        per_language_fields(self, "objectives", _("Objectives"), textarea=True, max_length=20000)
        self.order_fields(
            [
                f"{prefix}_{code}"
                for prefix in ("names", "summaries", "objectives")
                for code in LANGUAGE_CODES
            ]
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "slug": data["slug"],
            "names": per_language_texts(data, "names"),
            "summaries": per_language_texts(data, "summaries"),
            "objectives": per_language_texts(data, "objectives"),
            "donors": list(data.get("donors") or []),
            "partners": list(data.get("partners") or []),
            "countries": list(data.get("countries") or []),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "is_published": bool(data.get("is_published")),
        }


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Commitment.Kind.choices)
    target = forms.IntegerField(
        label=_("Target number"),
        required=False,
        min_value=1,
        help_text=_("How many outputs were promised, e.g. 5 webinars. Empty: no number."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, required=False)

    def __init__(self, *args: Any, commitment: Commitment | None = None, **kwargs: Any) -> None:
        if commitment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": commitment.kind,
                    "target": commitment.target,
                    "position": commitment.position,
                    **per_language_initial(commitment.descriptions, "descriptions"),
                },
            )
        super().__init__(*args, **kwargs)
        per_language_fields(self, "descriptions", _("Description"), textarea=True, max_length=2000)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "kind": data["kind"],
            "target": data.get("target"),
            "descriptions": per_language_texts(data, "descriptions"),
        }
        if data.get("position") is not None:
            arguments["position"] = data["position"]
        return arguments


OUTPUT_KIND_CHOICES = [
    ("event", _("Event")),
    ("resource", _("Library resource")),
    ("assistance_request", _("Technical-assistance request")),
]


class OutputSearchForm(forms.Form):
    """GET: find records to link by title."""

    kind = forms.ChoiceField(label=_("Kind"), choices=OUTPUT_KIND_CHOICES)
    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)


class OutputLinkForm(forms.Form):
    """POST: link the record of `kind` with number `record`."""

    kind = forms.ChoiceField(label=_("Kind"), choices=OUTPUT_KIND_CHOICES)
    record = forms.IntegerField(label=_("Number"), min_value=1)
