"""Forms of the election pages: the election with its constituencies and committee, a
nomination, the committee's decision, the ballot, the designated voter of an organisation,
the result statement and the receipt check. They check shape; services check meaning."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hrnet.accounts.models import User
from hrnet.core.forms import per_language_fields, per_language_initial, per_language_texts
from hrnet.core.i18n import LANGUAGE_CODES, language_name
from hrnet.geo.models import SubRegion
from hrnet.governance.models import Candidate, Constituency, Election, Roll
from hrnet.governance.services.elections import ConstituencyData, ElectionData
from hrnet.members.models import Organisation, Person

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
PHOTO_ACCEPT = "image/png,image/jpeg,image/webp"
MAX_SEATS = 50


def _when(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )


class ElectionForm(forms.Form):
    nominations_open_at = _when(_("Nominations open"))
    nominations_close_at = _when(_("Nominations close"), required=False)
    opens_at = _when(_("Voting opens"))
    closes_at = _when(_("Voting closes"))
    voters = forms.ChoiceField(
        label=_("Who votes"),
        choices=Roll.Voters.choices,
        widget=forms.RadioSelect,
        initial=Roll.Voters.ORGANISATIONS,
    )
    cutoff = forms.DateField(
        label=_("Cut-off date of the voter roll"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The roll lists the current members on the day the secretariat freezes it, on "
            "or after this date and before voting opens."
        ),
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum: percentage of the roll that must vote"),
        min_value=0,
        max_value=100,
        initial=50,
    )
    tie_break = forms.ChoiceField(
        label=_("Tie for the last seat"),
        choices=Election.TieBreak.choices,
        widget=forms.RadioSelect,
        initial=Election.TieBreak.LOT,
    )
    committee = forms.CharField(
        label=_("Election committee (email addresses)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One email address per line, of people with an account. The committee accepts "
            "candidates and confirms the count: at least two members are needed."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        per_language_fields(self, "title", _("Title"), max_length=300)
        per_language_fields(self, "description", _("Description"), textarea=True, rows=4)
        zone = timezone.get_current_timezone_name()
        for name in ("nominations_open_at", "nominations_close_at", "opens_at", "closes_at"):
            self.fields[name].help_text = _("In your time zone (%(zone)s).") % {"zone": zone}
        self.fields["nominations_close_at"].help_text = _(
            "In your time zone (%(zone)s). Empty: until voting opens."
        ) % {"zone": zone}

    def language_fields(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [
            (code, language_name(code), self[f"title_{code}"], self[f"description_{code}"])
            for code, _name in settings.LANGUAGES
        ]

    def clean_committee(self) -> list[User]:
        text = self.cleaned_data.get("committee") or ""
        emails = [e.strip() for e in text.replace(",", "\n").replace(";", "\n").split()]
        emails = list(dict.fromkeys(e for e in emails if e))
        users: list[User] = []
        unknown: list[str] = []
        for email in emails:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                unknown.append(email)
            else:
                users.append(user)
        if unknown:
            raise forms.ValidationError(
                _("No account has the email address %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        return users

    def election_data(self, constituencies: list[ConstituencyData]) -> ElectionData:
        data = self.cleaned_data
        return ElectionData(
            titles=per_language_texts(data, "title"),
            descriptions=per_language_texts(data, "description"),
            nominations_open_at=data["nominations_open_at"],
            nominations_close_at=data["nominations_close_at"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            quorum_percent=data["quorum_percent"],
            tie_break=data["tie_break"],
            voters=data["voters"],
            cutoff=data["cutoff"],
            constituencies=constituencies,
            committee=data["committee"],
        )

    @staticmethod
    def initial_from(election: Election) -> dict[str, Any]:
        return {
            **per_language_initial(election.titles, "title"),
            **per_language_initial(election.descriptions, "description"),
            "nominations_open_at": election.nominations_open_at,
            "nominations_close_at": election.nominations_close_at,
            "opens_at": election.opens_at,
            "closes_at": election.closes_at,
            "quorum_percent": election.quorum_percent,
            "tie_break": election.tie_break,
            "voters": election.roll.voters,
            "cutoff": election.roll.cutoff,
            "committee": "\n".join(
                election.committee.order_by("email").values_list("email", flat=True)
            ),
        }


class ConstituencyForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    seats = forms.IntegerField(
        label=_("Number of seats"), min_value=1, max_value=MAX_SEATS, initial=1
    )
    subregion = forms.ModelChoiceField(
        label=_("Voters"),
        queryset=SubRegion.objects.all(),
        required=False,
        empty_label=_("The whole network"),
        help_text=_("Choose a sub-region when only its voters elect this seat."),
    )
    community_led_only = forms.BooleanField(
        label=_("Candidates of community-led organisations only"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        per_language_fields(self, "name", _("Constituency name"), max_length=200)
        self.order_fields(
            ["id", *(f"name_{c}" for c, _n in settings.LANGUAGES), "seats", "subregion"]
        )

    def constituency_data(self) -> ConstituencyData:
        data = self.cleaned_data
        return ConstituencyData(
            names=per_language_texts(data, "name"),
            seats=data["seats"],
            subregion=data.get("subregion"),
            community_led_only=bool(data.get("community_led_only")),
            pk=data.get("id"),
        )

    @staticmethod
    def initial_from(constituency: Constituency) -> dict[str, Any]:
        return {
            "id": constituency.pk,
            **per_language_initial(constituency.names, "name"),
            "seats": constituency.seats,
            "subregion": constituency.subregion_id,
            "community_led_only": constituency.community_led_only,
        }


class BaseConstituencyFormSet(forms.BaseFormSet):
    def rows(self) -> list[ConstituencyData]:
        """The constituencies kept: filled-in rows not marked for removal."""
        kept = []
        for index, form in enumerate(self.forms):
            if form.cleaned_data.get("DELETE"):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # an empty row left blank
            kept.append(form.constituency_data())
        return kept


def constituency_formset(
    data: Any = None, *, election: Election | None = None
) -> BaseConstituencyFormSet:
    """The constituencies of `election` and empty rows to add more (no script needed). A
    new election starts with one constituency for the whole network, the usual case."""
    if election is not None:
        initial = [ConstituencyForm.initial_from(c) for c in election.constituencies.all()]
    else:
        names = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                names[f"name_{code}"] = str(_("The whole network"))
        initial = [{**names, "seats": 1}]
    formset_class = forms.formset_factory(
        ConstituencyForm,
        formset=BaseConstituencyFormSet,
        extra=2,
        can_delete=True,
        can_delete_extra=False,  # an empty row is simply left empty
        max_num=20,
    )
    return cast(
        BaseConstituencyFormSet, formset_class(data, initial=initial, prefix="constituencies")
    )


# --- nominations -----------------------------------------------------------------------------

SELF = "self"


class NominateForm(forms.Form):
    nominee = forms.ChoiceField(label=_("Who is nominated"))
    constituency = forms.TypedChoiceField(label=_("Constituency"), coerce=int)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("A PNG, JPEG or WebP picture of the candidate, at most 3 MB."),
    )

    def __init__(
        self,
        *args: Any,
        person: Person | None,
        organisations: list[tuple[Organisation, list[Person]]],
        constituencies: list[Constituency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = []
        if person is not None:
            choices.append((SELF, _("Myself (%(name)s)") % {"name": person.full_name}))
        for organisation, people in organisations:
            choices.append(
                (
                    _("For %(organisation)s") % {"organisation": organisation.name},
                    [(f"{organisation.pk}:{p.pk}", p.full_name) for p in people],
                )
            )
        cast(forms.ChoiceField, self.fields["nominee"]).choices = choices
        if len(choices) == 1 and person is not None:
            self.fields["nominee"].initial = SELF
        self._organisations = {o.pk: (o, {p.pk: p for p in people}) for o, people in organisations}
        cast(forms.TypedChoiceField, self.fields["constituency"]).choices = [
            (c.pk, constituency_label(c)) for c in constituencies
        ]
        self._constituencies = {c.pk: c for c in constituencies}
        per_language_fields(
            self, "statement", _("Statement"), textarea=True, rows=6, max_length=5000
        )
        self.order_fields(["nominee", "constituency"])

    def nominee_chosen(self) -> tuple[Person | None, Organisation | None]:
        value = self.cleaned_data["nominee"]
        if value == SELF:
            return None, None
        organisation_id, _sep, person_id = value.partition(":")
        organisation, people = self._organisations[int(organisation_id)]
        return people[int(person_id)], organisation

    def constituency_chosen(self) -> Constituency:
        return self._constituencies[self.cleaned_data["constituency"]]

    def statements(self) -> dict[str, str]:
        return per_language_texts(self.cleaned_data, "statement")

    def language_fields(self) -> list[tuple[str, str, forms.BoundField]]:
        return [
            (code, language_name(code), self[f"statement_{code}"])
            for code, _name in settings.LANGUAGES
        ]


def constituency_label(constituency: Constituency) -> str:
    parts = [
        constituency.name,
        ngettext("%(count)s seat", "%(count)s seats", constituency.seats)
        % {"count": constituency.seats},
    ]
    if constituency.subregion_id:
        parts.append(str(_("voters of %(subregion)s") % {"subregion": constituency.subregion}))
    if constituency.community_led_only:
        parts.append(str(_("community-led organisations only")))
    return " · ".join(parts)


class DecisionForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Do not accept"))])
    note = forms.CharField(
        label=_("Note (required when not accepting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- voting ----------------------------------------------------------------------------------


class BallotForm(forms.Form):
    """The choices (candidate ids) and which vote is cast: "me" for one's own, or an
    organisation's id."""

    choices = forms.TypedMultipleChoiceField(coerce=int, required=False)
    vote_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["choices"]).choices = [
            (c.pk, c.person.full_name) for c in candidates
        ]
        self.fields["choices"].error_messages["invalid_choice"] = _(
            "Choose candidates from the ballot."
        )

    def chosen(self) -> set[int]:
        """The ids ticked (also on an invalid form, so the ballot keeps them)."""
        if hasattr(self, "cleaned_data") and "choices" in self.cleaned_data:
            return set(self.cleaned_data["choices"])
        values = self.data.getlist("choices") if hasattr(self.data, "getlist") else []
        return {int(v) for v in values if str(v).isdigit()}


class DelegateForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    delegate = forms.TypedChoiceField(
        label=_("Who votes"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, admins: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["delegate"]).choices = [
            ("", _("Any current admin")),
            *((u.pk, f"{u.full_name or u.email} ({u.email})") for u in admins),
        ]


class PublishForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        per_language_fields(self, "summary", _("Result statement"), textarea=True, rows=5)

    def summaries(self) -> dict[str, str]:
        return per_language_texts(self.cleaned_data, "summary")


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("The code you got after voting, e.g. ABCD-EFGH-JKMN."),
    )
