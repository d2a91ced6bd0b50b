"""Forms of the campaign pages: the listing's filters, the secretariat's editors (campaign,
action, outcome), joining, and signing the statement. They check shape; the services check
meaning."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hrnet.campaigns.models import Campaign, CampaignAction, CampaignOutcome
from hrnet.campaigns.selectors import CampaignFilters
from hrnet.campaigns.services import EvidenceLink, TargetSpec
from hrnet.core.forms import per_language_fields, per_language_initial, per_language_texts
from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.core.models import IssueArea
from hrnet.events.models import Event
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.members.models import Organisation
from hrnet.news.models import Article


class CampaignFilterForm(forms.Form):
    """GET filters; a value that does not fit is ignored, never a 500."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    issue_area = forms.ChoiceField(label=_("Issue area"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    open = forms.BooleanField(label=_("Open for signature"), required=False)
    unsigned = forms.BooleanField(label=_("Not signed by my organisation yet"), required=False)

    def __init__(
        self, *args: Any, show_drafts: bool = False, show_unsigned: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not show_unsigned:
            del self.fields["unsigned"]  # only for organisation admins
        anything: list[tuple[str, Any]] = [("", _("All"))]
        statuses = [
            (value, label)
            for value, label in Campaign.Status.choices
            if show_drafts or value != Campaign.Status.DRAFT
        ]
        choices = {
            "country": anything
            + [(c.iso2, c.name) for c in Country.objects.order_by("position", "iso2")],
            "issue_area": anything + [(a.code, a.name) for a in IssueArea.objects.all()],
            "status": anything + statuses,
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices

    def filters(self) -> CampaignFilters:
        data = getattr(self, "cleaned_data", {})
        return CampaignFilters(
            country=data.get("country") or "",
            issue_area=data.get("issue_area") or "",
            status=data.get("status") or "",
            open=bool(data.get("open")),
            unsigned=bool(data.get("unsigned")),
        )


class CampaignForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Campaign.Status.choices)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Campaign.Visibility.choices)
    slug = forms.SlugField(
        label=_("Address"),
        required=False,
        max_length=100,
        help_text=_("The last part of the page’s address. Empty: made from the English title."),
    )
    starts_on = forms.DateField(
        label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    targets = forms.CharField(
        label=_("Target decision makers and institutions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: name | institution | country code, e.g. "
            "“Minister of Health | Ministry of Health | MD”. Leave out what does not apply."
        ),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        required=False,
        queryset=Country.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Issue areas"),
        required=False,
        queryset=IssueArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Coordinating organisations"),
        required=False,
        queryset=Organisation.objects.all(),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    events = forms.ModelMultipleChoiceField(
        label=_("Linked events"), required=False, queryset=Event.objects.all()
    )
    articles = forms.ModelMultipleChoiceField(
        label=_("Linked news"), required=False, queryset=Article.objects.all()
    )
    statement_open = forms.BooleanField(
        label=_("The statement is open for signatures"), required=False
    )

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(campaign)
        super().__init__(*args, **kwargs)
        per_language_fields(self, "title", _("Title"))
        per_language_fields(self, "goal", _("Goal"), textarea=True, rows=3)
        per_language_fields(self, "description", _("Description"), textarea=True, rows=8)
        per_language_fields(self, "statement", _("Sign-on statement"), textarea=True, rows=6)
        self.order_fields(
            [
                *[f"title_{c}" for c in LANGUAGE_CODES],
                "status",
                "visibility",
                *[f"goal_{c}" for c in LANGUAGE_CODES],
                *[f"description_{c}" for c in LANGUAGE_CODES],
            ]
        )

    @staticmethod
    def initial_from(campaign: Campaign) -> dict[str, Any]:
        return {
            "status": campaign.status,
            "visibility": campaign.visibility,
            "slug": campaign.slug,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "targets": "\n".join(
                " | ".join([t.name, t.institution, t.country.iso2 if t.country else ""]).rstrip(
                    " |"
                )
                for t in campaign.targets.select_related("country")
            ),
            "countries": list(campaign.countries.all()),
            "issue_areas": list(campaign.issue_areas.all()),
            "coordinators": list(campaign.coordinators.all()),
            "events": list(campaign.events.all()),
            "articles": list(campaign.articles.all()),
            "statement_open": campaign.statement_open,
            **per_language_initial(campaign.titles, "title"),
            **per_language_initial(campaign.goals, "goal"),
            **per_language_initial(campaign.descriptions, "description"),
            **per_language_initial(campaign.statement_texts, "statement"),
        }

    def clean_targets(self) -> list[TargetSpec]:
        specs: list[TargetSpec] = []
        countries = {c.iso2: c for c in Country.objects.all()}
        for number, line in enumerate(self.cleaned_data["targets"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) > 3:
                raise forms.ValidationError(
                    _("Line %(number)s has more than three parts.") % {"number": number}
                )
            name, institution, code = [*parts, "", ""][:3]
            country = None
            if code:
                country = countries.get(code.upper())
                if country is None:
                    raise forms.ValidationError(
                        _("Line %(number)s: “%(code)s” is not a country code.")
                        % {"number": number, "code": code}
                    )
            specs.append(TargetSpec(name=name, institution=institution, country=country))
        return specs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{c}") for c in LANGUAGE_CODES):
            self.add_error(f"title_{settings.LANGUAGE_CODE}", _("Give the campaign a title."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "titles": per_language_texts(data, "title"),
            "goals": per_language_texts(data, "goal"),
            "descriptions": per_language_texts(data, "description"),
            "statement_texts": per_language_texts(data, "statement"),
            "status": data["status"],
            "visibility": data["visibility"],
            "slug": data.get("slug") or "",
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "statement_open": bool(data.get("statement_open")),
            "targets": data.get("targets") or [],
            "countries": data.get("countries") or [],
            "issue_areas": data.get("issue_areas") or [],
            "coordinators": data.get("coordinators") or [],
            "events": data.get("events") or [],
            "articles": data.get("articles") or [],
        }


class ActionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Type"), choices=CampaignAction.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=CampaignAction.Status.choices)

    def __init__(self, *args: Any, action: CampaignAction | None = None, **kwargs: Any) -> None:
        if action is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": action.date,
                "kind": action.kind,
                "status": action.status,
                **per_language_initial(action.titles, "title"),
                **per_language_initial(action.descriptions, "description"),
            }
        super().__init__(*args, **kwargs)
        per_language_fields(self, "title", _("Title"))
        per_language_fields(self, "description", _("Description"), textarea=True, rows=3)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{c}") for c in LANGUAGE_CODES):
            self.add_error(f"title_{settings.LANGUAGE_CODE}", _("Give the action a title."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "kind": data["kind"],
            "status": data["status"],
            "titles": per_language_texts(data, "title"),
            "descriptions": per_language_texts(data, "description"),
        }


class OutcomeForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    resources = forms.ModelMultipleChoiceField(
        label=_("Library resources"),
        required=False,
        queryset=Resource.objects.all(),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    evidence_links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: label | https://address"),
    )

    def __init__(self, *args: Any, outcome: CampaignOutcome | None = None, **kwargs: Any) -> None:
        if outcome is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": outcome.date,
                "resources": list(outcome.resources.all()),
                "evidence_links": "\n".join(
                    f"{link.get('label', '')} | {link.get('url', '')}"
                    for link in outcome.evidence_links
                ),
                **per_language_initial(outcome.descriptions, "description"),
            }
        super().__init__(*args, **kwargs)
        per_language_fields(self, "description", _("Outcome"), textarea=True, rows=3)
        self.order_fields(["date", *[f"description_{c}" for c in LANGUAGE_CODES]])

    def clean_evidence_links(self) -> list[EvidenceLink]:
        links = []
        for line in self.cleaned_data["evidence_links"].splitlines():
            if not line.strip():
                continue
            label, _sep, url = line.rpartition("|")
            links.append(EvidenceLink(url=url.strip(), label=label.strip()))
        return links

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"description_{c}") for c in LANGUAGE_CODES):
            self.add_error(f"description_{settings.LANGUAGE_CODE}", _("Describe the outcome."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "descriptions": per_language_texts(data, "description"),
            "evidence_links": data.get("evidence_links") or [],
            "resources": data.get("resources") or [],
        }


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class SignatureForm(forms.Form):
    """Sign for an organisation one administers, or give a name and a country."""

    organisation = forms.ModelChoiceField(
        label=_("Your organisation in the register"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Another organisation (give its name below)"),
    )
    organisation_name = forms.CharField(label=_("Organisation"), required=False, max_length=300)
    country = forms.ModelChoiceField(
        label=_("Country"), required=False, queryset=Country.objects.all()
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        help_text=_("Not shown on the page: the secretariat may contact them to verify."),
    )
    contact_email = forms.EmailField(
        label=_("Contact email address"), help_text=_("Not shown on the page.")
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations:
            field = cast(forms.ModelChoiceField, self.fields["organisation"])
            field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        else:
            del self.fields["organisation"]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation": data.get("organisation"),
            "organisation_name": data.get("organisation_name") or "",
            "country": data.get("country"),
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
        }
