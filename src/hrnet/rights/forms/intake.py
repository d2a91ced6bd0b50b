"""The public report form: what happened, when, where, what kind of violation, to whom it
goes, and a way to be contacted only when the person asks for it. It checks shape; the
case itself is written by `services.cases.case_intake_create`.

Nothing here asks who the person is: no name, phone or email field exists unless
"I want to be contacted" is ticked, and then one free field says how to reach them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import HoneypotMixin
from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.members.selectors.directory import DirectoryFilters, directory_organisations
from hrnet.rights.models import ViolationType

SECRETARIAT = "secretariat"  # the organisation choice that sends the report to the network
WHAT_HAPPENED_MAX = 10000
CONTACT_MAX = 300
FIRST_YEAR = 1990

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


def public_organisations() -> list[Organisation]:
    """Member organisations listed in the public directory, whoever fills in the form: a
    signed-in member must not be offered (and reveal) members-only organisations here."""
    return list(
        directory_organisations(user=AnonymousUser(), filters=DirectoryFilters())
        .select_related("country")
        .distinct()
    )


def organisation_choices(organisations: list[Organisation]) -> list[tuple[Any, Any]]:
    """The secretariat first, then the public members grouped by country."""
    by_country: dict[Country, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        by_country[organisation.country].append(organisation)
    choices: list[tuple[Any, Any]] = [(SECRETARIAT, _("The network’s secretariat"))]
    for country in sorted(by_country, key=lambda c: (c.name, c.iso2)):
        members = sorted(by_country[country], key=lambda o: o.name)
        choices.append((country.name, [(str(o.pk), o.name) for o in members]))
    return choices


def _violation_label(violation: ViolationType) -> str:
    return violation.name


class IntakeForm(HoneypotMixin, forms.Form):
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=WHAT_HAPPENED_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Tell it in your own words: what was done, by whom (a police officer, a doctor, "
            "…), and what happened next. You do not need to give names."
        ),
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("If you do not remember the day, give the month and the year instead."),
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *MONTHS],
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), empty_label=_("Choose a country")
    )
    locality = forms.CharField(
        label=_("Region or city"),
        required=False,
        max_length=120,
        help_text=_("No street or address, please."),
    )
    violation_types = forms.ModelMultipleChoiceField(
        label=_("What kind of violation was it? (optional)"),
        required=False,
        queryset=ViolationType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.ChoiceField(
        label=_("Who should receive your report?"),
        help_text=_(
            "A member organisation in your country, or the network’s secretariat. Only they "
            "can read it."
        ),
    )
    wants_contact = forms.BooleanField(label=_("I want to be contacted"), required=False)
    contact = forms.CharField(
        label=_("How can we reach you safely?"),
        required=False,
        max_length=CONTACT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example a messenger name or a phone number, and when it is safe to call. "
            "It is kept encrypted and only the organisation you chose can read it."
        ),
    )
    # The honeypot `website` and `is_bot` come from HoneypotMixin.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in public_organisations()}
        organisation_field = cast(forms.ChoiceField, self.fields["organisation"])
        organisation_field.choices = organisation_choices(list(self.organisations.values()))
        organisation_field.initial = SECRETARIAT
        violations = cast(forms.ModelMultipleChoiceField, self.fields["violation_types"])
        violations.queryset = ViolationType.objects.filter(is_active=True)
        violations.label_from_instance = _violation_label  # type: ignore[method-assign,assignment]
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        # With htmx, the organisations follow the country and the contact field appears
        # when the box is ticked; without it, the server does both on submission.
        self.fields["country"].widget.attrs.update(
            {
                "hx-get": reverse("rights:intake_organisations"),
                "hx-trigger": "change",
                "hx-target": "#id_organisation",
                "hx-swap": "innerHTML",
            }
        )
        self.fields["wants_contact"].widget.attrs.update(
            {
                "hx-get": reverse("rights:intake_contact"),
                "hx-trigger": "change",
                "hx-target": "#intake-contact",
                "hx-swap": "innerHTML",
                "aria-controls": "intake-contact",
            }
        )

    @property
    def shows_contact(self) -> bool:
        """Whether the page shows the contact field: only once the box is ticked."""
        if not self.is_bound:
            return False
        return self.fields["wants_contact"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("wants_contact")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        when: datetime.date | None = data.get("date")
        month, year = data.get("month"), data.get("year")
        if when is not None:
            if when > today:
                self.add_error("date", _("The date cannot be in the future."))
                when = None
            elif when.year < FIRST_YEAR:
                self.add_error("date", _("Give a date from %(year)s on.") % {"year": FIRST_YEAR})
                when = None
        elif month and year:
            when = datetime.date(year, month, 1)
            if when > today:
                self.add_error("month", _("The month cannot be in the future."))
                when = None
        elif "date" not in self.errors and "year" not in self.errors:
            if month or year:
                field = "year" if month else "month"
                self.add_error(field, _("Give both the month and the year."))
            else:
                self.add_error("date", _("Give the date, or the month and the year."))
        data["date_from"] = when

        choice = data.get("organisation")
        country = data.get("country")
        organisation = None
        if choice and choice != SECRETARIAT:
            organisation = self.organisations.get(choice)
            if organisation is None:
                self.add_error("organisation", _("Choose an organisation from the list."))
            elif country is not None and organisation.country_id != country.pk:
                self.add_error(
                    "organisation",
                    _("%(organisation)s does not work in %(country)s: choose another.")
                    % {"organisation": organisation.name, "country": country.name},
                )
        data["organisation_object"] = organisation

        if data.get("wants_contact"):
            if not (data.get("contact") or "").strip():
                self.add_error("contact", _("Say how we can reach you, or untick the box."))
        else:
            # Never keep a way to reach someone who did not ask to be reached.
            data["contact"] = ""
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation": data["organisation_object"],
            "date_from": data["date_from"],
            "country": data["country"],
            "locality": (data.get("locality") or "").strip(),
            "what_happened": data["what_happened"].strip(),
            "violation_types": list(data.get("violation_types") or []),
            "wants_contact": bool(data.get("wants_contact")),
            "contact_details": (data.get("contact") or "").strip(),
        }
