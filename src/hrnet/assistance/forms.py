"""Forms of technical assistance: they validate shape; the services judge meaning and
their messages are put back on the fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hrnet.accounts.roles import Role
from hrnet.assistance.models import AssistanceRequest, Expert, Kind
from hrnet.assistance.policies import requestable_organisations
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.core.uploads import ACCEPT
from hrnet.geo.models import Country
from hrnet.members.models import Organisation


class DateInput(forms.DateInput):
    """An HTML date input; its value is always ISO, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class RequestForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=None,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    issue_area = forms.ModelChoiceField(
        label=_("Topic"), queryset=IssueArea.objects.all(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of assistance"), choices=Kind.choices)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=AssistanceRequest.Urgency.choices,
        initial=AssistanceRequest.Urgency.NORMAL,
    )
    wished_from = forms.DateField(label=_("Wished from"), required=False, widget=DateInput)
    wished_until = forms.DateField(label=_("Wished until"), required=False, widget=DateInput)
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, DOCX, XLSX or PPTX."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = requestable_organisations(user)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *AssistanceRequest.Status.choices],
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        required=False,
        to_field_name="iso2",
        empty_label=_("Any"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *Kind.choices]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        required=False,
        choices=[("", _("Any")), *AssistanceRequest.Urgency.choices],
    )
    overdue = forms.BooleanField(label=_("Past their due date only"), required=False)


class AssignForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts"),
        queryset=Expert.objects.filter(is_active=True).select_related("user"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class WorkLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    days = forms.DecimalField(label=_("Days"), max_digits=4, decimal_places=2)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    resource = forms.IntegerField(
        label=_("or the number of a library resource"), required=False, min_value=1
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you? (1 = not at all, 5 = very)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExpertForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Person"), queryset=get_user_model().objects.none()
    )
    engagement = forms.ChoiceField(label=_("Engagement"), choices=Expert.Engagement.choices)
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Issue areas"),
        queryset=IssueArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of assistance"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Codes separated by commas: en, ru.")
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.all(), required=False
    )
    availability = forms.ChoiceField(label=_("Availability"), choices=Expert.Availability.choices)
    availability_note = forms.CharField(label=_("Availability note"), required=False)
    is_active = forms.BooleanField(label=_("On the roster"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = (
                get_user_model()
                .objects.filter(groups__name__in=[Role.EXPERT, Role.SECRETARIAT], is_active=True)
                .distinct()
                .order_by("full_name")
            )

    def language_list(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [code.strip() for code in raw.replace(";", ",").split(",") if code.strip()]


class ReportFilterForm(forms.Form):
    """`?from=&to=&country=` of the report: dates as YYYY-MM-DD, the country by its ISO
    code. A value that does not fit is refused in words naming it, never ignored, so a
    report is never mistaken for one that was filtered."""

    country = forms.CharField(label=_("Country"), required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the period's fields are added by name.
        self.fields["from"] = forms.CharField(
            label=_("Submitted from"), required=False, widget=DateInput()
        )
        self.fields["to"] = forms.CharField(label=_("to"), required=False, widget=DateInput())
        self.order_fields(["from", "to", "country"])

    @staticmethod
    def _date(value: str) -> date | None:
        value = value.strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31.")
                % {"value": value}
            ) from None

    def clean_from(self) -> date | None:
        return self._date(self.cleaned_data["from"])

    def clean_to(self) -> date | None:
        return self._date(self.cleaned_data["to"])

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].strip()
        if not code:
            return ""
        found = Country.objects.filter(iso2__iexact=code).first()
        if found is None:
            raise forms.ValidationError(
                _("No country has the code “%(value)s”; use the two-letter ISO code, e.g. MD.")
                % {"value": code}
            )
        return found.iso2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error(
                "to",
                _("The period ends (%(end)s) before it starts (%(start)s).")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        return cleaned

    def error_text(self) -> str:
        """Every error in one line, for a download that cannot show the form."""
        return " ".join(str(message) for errors in self.errors.values() for message in errors)
