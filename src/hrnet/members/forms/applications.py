"""Forms of applications and the principles. They check the shape of what was typed; the
services in `members.services.applications` decide what it means (country, principles)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hrnet.members.models import Application, Organisation, Vote
from hrnet.members.selectors.applications import country_choices, issue_area_choices


def _language_name(code: str) -> str:
    return str(translation.get_language_info(code)["name_translated"])


class PrinciplesForm(forms.Form):
    """One text per language of the site (settings.LANGUAGES)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Principles (%(language)s)") % {"language": _language_name(code)},
                required=code == settings.LANGUAGE_CODE,
                widget=forms.Textarea(attrs={"rows": 14, "lang": code}),
            )

    def texts(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"text_{code}", "") for code, _name in settings.LANGUAGES
        }


class _ApplicationForm(forms.Form):
    """What both kinds of applicant fill in; the country list and issue areas come from
    the database, so they are set per form."""

    kind: str
    country = forms.CharField(
        label=_("Country"),
        max_length=100,
        error_messages={"required": _("Choose your country.")},
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    issue_areas = forms.MultipleChoiceField(
        label=_("Issue areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What you work on."),
    )
    is_public = forms.BooleanField(
        label=_("List us in the public member directory"),
        required=False,
        help_text=_(
            "Only if you agree. Members of the network see every member; the public sees "
            "only those who chose to be listed."
        ),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join the network?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences are enough."),
    )
    principles_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Also checked by the service (for the API); here so that every error shows at once.
    accept_principles = forms.BooleanField(
        label=_("I accept the principles"),
        error_messages={
            "required": _("Please read the principles and tick the box to accept them.")
        },
    )

    def __init__(self, *args: Any, principles_number: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("principles_version", principles_number)
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.choices = [("", _("Choose a country")), *country_choices()]
        issue_areas = self.fields["issue_areas"]
        assert isinstance(issue_areas, forms.MultipleChoiceField)  # noqa: S101 - declared above
        issue_areas.choices = issue_area_choices()
        for field in self.fields.values():
            if not field.required and not isinstance(field, forms.BooleanField):
                field.label = _("%(label)s (optional)") % {"label": field.label}
        if principles_number is not None:
            self.fields["accept_principles"].label = _(
                "I accept the principles (version %(number)s)"
            ) % {"number": principles_number}

    def details(self) -> dict[str, Any]:
        """What the service needs, by field name."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("principles_version", "accept_principles")
        }


class OrganisationApplicationForm(_ApplicationForm):
    kind = Application.Kind.ORGANISATION

    name_original = forms.CharField(
        label=_("Name in the original language"),
        max_length=300,
        required=False,
        help_text=_("As registered, if it is in another language."),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("Choose a type")), *Organisation.Kind.choices],
    )
    is_community_led = forms.BooleanField(
        label=_("Community-led"),
        required=False,
        help_text=_("Led by people who use drugs or other key communities."),
    )
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    email = forms.EmailField(
        label=_("The organisation's email address"), max_length=254, required=False
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Who we write to about this application."),
    )
    contact_email = forms.EmailField(
        label=_("Contact person's email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the link to follow your application here."),
    )

    field_order = [  # the names per language come first
        "name_original",
        "organisation_kind",
        "is_community_led",
        "country",
        "city",
        "website",
        "email",
        "issue_areas",
        "description",
        "is_public",
        "contact_name",
        "contact_email",
        "motivation",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": _language_name(code)},
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"lang": code}),
                help_text=_("Give the name in at least one language."),
            )
        self.order_fields([f"name_{code}" for code, _name in settings.LANGUAGES] + self.field_order)


class IndividualApplicationForm(_ApplicationForm):
    kind = Application.Kind.INDIVIDUAL

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the link to follow your application here."),
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. outreach, opioid substitution therapy, advocacy, research."),
    )
    languages = forms.CharField(
        label=_("Languages you work in"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas, e.g. Russian, English, Georgian."),
    )

    field_order = [
        "full_name",
        "email",
        "country",
        "city",
        "expertise",
        "languages",
        "issue_areas",
        "is_public",
        "motivation",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_public"].label = _("List me in the public member directory")


APPLICATION_FORMS: dict[str, type[_ApplicationForm]] = {
    Application.Kind.ORGANISATION: OrganisationApplicationForm,
    Application.Kind.INDIVIDUAL: IndividualApplicationForm,
}


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DecisionForm(forms.Form):
    """One of the secretariat's decisions; the page shows one such form per decision."""

    decision = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("request_info", _("Ask for more information")),
        ],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    LABELS = {
        "approve": (_("Note (optional, for the secretariat)"), ""),
        "reject": (_("Reason"), _("The applicant sees this reason.")),
        "request_info": (
            _("What information do you need?"),
            _("The applicant sees this question."),
        ),
    }

    def __init__(self, *args: Any, decision: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["decision"] = decision
        kwargs.setdefault("auto_id", f"id_{decision}_%s")
        super().__init__(*args, **kwargs)
        label, help_text = self.LABELS[decision]
        self.fields["reason"].label = label
        self.fields["reason"].help_text = str(help_text)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
