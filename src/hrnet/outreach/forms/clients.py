"""Forms of the client pages: finding a client by UIC, a referral's outcome, merging a
duplicate. They check shape only; the services check meaning."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.outreach.models import Referral


class ClientSearchForm(forms.Form):
    uic = forms.CharField(
        label=_("UIC"),
        max_length=64,
        required=False,
        help_text=_("Latin or Cyrillic letters; spaces and hyphens are ignored."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Referral.Outcome.choices)
    outcome_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cured = forms.NullBooleanField(
        label=_("Cured"),
        required=False,
        widget=forms.NullBooleanSelect,
    )


class ClientMergeForm(forms.Form):
    KEEP_THIS = "this"
    KEEP_OTHER = "other"

    other = forms.IntegerField(widget=forms.HiddenInput)
    # The worker decides which record lives on (often the one with the code typed right),
    # not whichever page happened to be open.
    keep = forms.ChoiceField(
        label=_("Which record is kept?"),
        choices=[(KEEP_THIS, _("This client")), (KEEP_OTHER, _("The other client"))],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_keep(self) -> str:
        return self.cleaned_data.get("keep") or self.KEEP_THIS
