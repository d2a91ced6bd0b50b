from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.members.models import Membership


class RenewalForm(forms.Form):
    accept_principles = forms.BooleanField(
        label=_("I have read and accept the network's principles in their current version"),
        required=False,
    )


class OverrideForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("From the dates (no override)")), *Membership.Status.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
