"""Forms of the case pages: recording and editing a case, a response, closing, sharing
with a named reviewer, breaking the glass, filtering the list. They check shape only;
`rights.services.cases` checks meaning (consent, file types, who may do what)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hrnet.accounts.roles import Role
from hrnet.geo.models import Country
from hrnet.rights.models import (
    AgeGroup,
    Case,
    CaseResponse,
    Gender,
    PerpetratorType,
    ReferralService,
    ReferralStatus,
    ViolationType,
)
from hrnet.rights.vocabulary import KEY_POPULATION_LABELS, KEY_POPULATIONS, PERPETRATOR_LABELS

__all__ = ["KEY_POPULATIONS", "KEY_POPULATION_LABELS", "PERPETRATOR_LABELS"]

_DATE = {"type": "date"}


class _CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CaseForm(forms.Form):
    """A case as a documenter records it: what, where, when, to whom (without identity),
    by whom, with the person's consent. No field asks for a name or a street address."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    date_from = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=_DATE))
    date_to = forms.DateField(
        label=_("Until (if it went on for a while)"),
        required=False,
        widget=forms.DateInput(attrs=_DATE),
    )
    country = _CountryChoiceField(label=_("Country"), queryset=Country.objects.all())
    locality = forms.CharField(
        label=_("Region or city"),
        max_length=120,
        required=False,
        help_text=_("Never a street address or anything else that points to the person."),
    )
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=AgeGroup.choices, initial=AgeGroup.UNKNOWN
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    key_populations = forms.MultipleChoiceField(
        label=_("Key populations"),
        choices=KEY_POPULATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    violation_types = forms.ModelMultipleChoiceField(
        label=_("Violations"),
        queryset=ViolationType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    perpetrator_types = forms.MultipleChoiceField(
        label=_("Perpetrators"),
        choices=PerpetratorType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Without names, addresses or anything else that identifies the person."),
    )
    person_description = forms.CharField(
        label=_("The person, without identity"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_record = forms.BooleanField(
        label=_("The person consents to this record"), required=False
    )
    consent_to_share = forms.BooleanField(
        label=_("The person consents to anonymised sharing"), required=False
    )
    consent_to_advocacy = forms.BooleanField(
        label=_("The person consents to the use of the case in advocacy"), required=False
    )
    consent_date = forms.DateField(
        label=_("Consent given on"), required=False, widget=forms.DateInput(attrs=_DATE)
    )
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, JPEG, PNG or DOCX. Stored encrypted."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]],
        with_file: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0][0]
            self.fields["organisation"].widget = forms.HiddenInput()
        if not with_file:
            del self.fields["evidence"]

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        return {
            "organisation": case.organisation_id,
            "date_from": case.date_from,
            "date_to": case.date_to,
            "country": case.country_id,
            "locality": case.locality,
            "age_group": case.age_group,
            "gender": case.gender,
            "key_populations": case.key_populations,
            "violation_types": list(case.violation_types.values_list("pk", flat=True)),
            "perpetrator_types": case.perpetrator_types,
            "narrative": case.narrative,
            "person_description": case.person_description,
            "consent_to_record": case.consent_to_record,
            "consent_to_share": case.consent_to_share,
            "consent_to_advocacy": case.consent_to_advocacy,
            "consent_date": case.consent_date,
        }


class EvidenceForm(forms.Form):
    evidence = forms.FileField(
        label=_("Evidence file"), help_text=_("PDF, JPEG, PNG or DOCX. Stored encrypted.")
    )


class ResponseForm(forms.Form):
    """A response; for a referral, the service and how far the referral went."""

    action = forms.ChoiceField(label=_("Action"), choices=CaseResponse.Action.choices)
    service = forms.ChoiceField(
        label=_("Service referred to"),
        choices=[("", _("Not a referral")), *ReferralService.choices],
        required=False,
    )
    referral_status = forms.ChoiceField(
        label=_("Referral status"),
        choices=[("", "—"), *ReferralStatus.choices],
        required=False,
        help_text=_("Follow the referral: made, accepted, then completed or refused."),
    )
    responder = forms.CharField(
        label=_("Who responded"),
        max_length=200,
        required=False,
        help_text=_("For a referral: the service or organisation referred to."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=_DATE))
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case closed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        full_name = obj.get_full_name() if hasattr(obj, "get_full_name") else ""
        return f"{full_name} ({obj.email})" if full_name else obj.email


def secretariat_reviewers() -> QuerySet:
    """The secretariat's staff a documenter may name as a reviewer."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SECRETARIAT)
        .distinct()
        .order_by("email")
    )


class ShareForm(forms.Form):
    reviewer = _ReviewerChoiceField(
        label=_("Reviewer of the secretariat"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = secretariat_reviewers()  # type: ignore[attr-defined]


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must you open this case?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The organisation's admins are told at once, and the access is audited. "
            "It ends after 24 hours."
        ),
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Case.Status.choices],
    )
    country = _CountryChoiceField(
        label=_("Country"),
        required=False,
        queryset=Country.objects.all(),
        empty_label=_("Any country"),
    )
