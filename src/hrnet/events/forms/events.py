"""Forms of the events pages: the calendar's filters, registration with the event's own
questions, and the secretariat's editor (event, sessions, questions). They check shape;
the services check meaning (windows, seats, session times)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import HoneypotMixin
from hrnet.core.i18n import language_name, localized
from hrnet.core.models import IssueArea
from hrnet.events.models import Event, Registration, RegistrationQuestion
from hrnet.events.selectors.calendar import EventFilters
from hrnet.events.services.events import SessionSpec
from hrnet.geo.models import Country
from hrnet.library.models import Resource


class EventFilterForm(forms.Form):
    """GET filters; a value that does not fit is ignored, never a 500."""

    kind = forms.ChoiceField(label=_("Type"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    issue_area = forms.ChoiceField(label=_("Issue area"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything: list[tuple[str, Any]] = [("", _("All"))]
        choices = {
            "kind": anything + list(Event.Kind.choices),
            "language": anything + [(code, language_name(code)) for code, _n in settings.LANGUAGES],
            "issue_area": anything + [(a.code, a.name) for a in IssueArea.objects.all()],
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices

    def filters(self, *, when: str = "upcoming") -> EventFilters:
        data = getattr(self, "cleaned_data", {})
        return EventFilters(
            kind=data.get("kind") or "",
            language=data.get("language") or "",
            issue_area=data.get("issue_area") or "",
            when=when,
        )


# --- registration ---------------------------------------------------------------------


class RegistrationForm(forms.Form):
    """Who registers (for the organisers' reports) and the event's own questions, as
    fields named `question_<id>`."""

    country = forms.ModelChoiceField(
        label=_("Country where you work"),
        queryset=Country.objects.select_related("subregion"),
        required=False,
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Registration.Gender.choices,
        initial=Registration.Gender.UNSAID,
        help_text=_("For the network's reports to donors, counted only in totals."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(event.questions.all())
        for question in self.questions:
            label = localized(question.labels)
            name = f"question_{question.pk}"
            field: forms.Field
            if question.kind == RegistrationQuestion.Kind.CHOICE:
                options = [(str(i), localized(c)) for i, c in enumerate(question.choices)]
                field = forms.ChoiceField(
                    label=label,
                    choices=[("", "—"), *options],
                    required=False,
                )
            elif question.kind == RegistrationQuestion.Kind.YES_NO:
                field = forms.ChoiceField(
                    label=label,
                    choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                    required=False,
                )
            else:
                field = forms.CharField(
                    label=label,
                    max_length=2000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            # Required answers are checked by the service (one message for pages and API);
            # the browser is told too.
            if question.required:
                field.widget.attrs["required"] = "required"
                field.widget.attrs["aria-required"] = "true"
            self.fields[name] = field

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "country": data.get("country"),
            "organisation_name": data.get("organisation_name") or "",
            "gender": data.get("gender") or Registration.Gender.UNSAID,
            "answers": {
                str(q.pk): data.get(f"question_{q.pk}") or ""
                for q in self.questions
                if data.get(f"question_{q.pk}") not in (None, "")
            },
        }


class GuestRegistrationForm(HoneypotMixin, RegistrationForm):
    """Registration without an account: who the guest is, then the same fields as for
    people who sign in. The address gets a link that confirms the registration."""

    guest_name = forms.CharField(label=_("Your name"), max_length=200)
    guest_email = forms.EmailField(
        label=_("Email"),
        help_text=_("We send a link to confirm your registration to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, event=event, **kwargs)
        self.fields["guest_name"].widget.attrs["autocomplete"] = "name"
        self.order_fields(["guest_name", "guest_email", "organisation_name", "country"])

    def service_arguments(self) -> dict[str, Any]:
        return {
            **super().service_arguments(),
            "name": self.cleaned_data["guest_name"],
            "email": self.cleaned_data["guest_email"],
        }


# --- the secretariat's editor ---------------------------------------------------------

# The zones of the network's countries (the CEECA region: geo's reference data), offered
# first in the editor; the network's own zone (settings.TIME_ZONE) leads the list.
REGION_ZONES = (
    "Europe/Tallinn",  # EE
    "Europe/Riga",  # LV
    "Europe/Vilnius",  # LT
    "Europe/Prague",  # CZ
    "Europe/Budapest",  # HU
    "Europe/Warsaw",  # PL
    "Europe/Bratislava",  # SK
    "Europe/Ljubljana",  # SI
    "Europe/Tirane",  # AL
    "Europe/Sarajevo",  # BA
    "Europe/Sofia",  # BG
    "Europe/Zagreb",  # HR
    "Europe/Belgrade",  # RS, XK
    "Europe/Skopje",  # MK
    "Europe/Podgorica",  # ME
    "Europe/Bucharest",  # RO
    "Europe/Minsk",  # BY
    "Europe/Chisinau",  # MD
    "Europe/Kyiv",  # UA
    "Asia/Yerevan",  # AM
    "Asia/Baku",  # AZ
    "Asia/Tbilisi",  # GE
    "Asia/Almaty",  # KZ
    "Asia/Aqtobe",  # KZ (west)
    "Asia/Bishkek",  # KG
    "Asia/Dushanbe",  # TJ
    "Asia/Ashgabat",  # TM
    "Asia/Tashkent",  # UZ
    "Europe/Kaliningrad",  # RU
    "Europe/Moscow",  # RU
    "Europe/Samara",  # RU
    "Asia/Yekaterinburg",  # RU
    "Asia/Omsk",  # RU
    "Asia/Novosibirsk",  # RU
    "Asia/Krasnoyarsk",  # RU
    "Asia/Irkutsk",  # RU
    "Asia/Yakutsk",  # RU
    "Asia/Vladivostok",  # RU
    "Asia/Magadan",  # RU
    "Asia/Kamchatka",  # RU
)


def _zone_label(name: str) -> str:
    return name.replace("_", " ")


def event_time_zone_choices() -> list[Any]:
    """The network's zone and the region's zones first, then an optgroup of all others."""
    available = zoneinfo.available_timezones()
    first = [settings.TIME_ZONE, *sorted(REGION_ZONES, key=_zone_label)]
    first = [name for name in dict.fromkeys(first) if name in available or name == "UTC"]
    others = [(name, _zone_label(name)) for name in sorted(available) if name not in first]
    return [
        (_("The network’s region"), [(name, _zone_label(name)) for name in first]),
        (_("All other time zones"), others),
    ]


def _in_zone(value: datetime | None, zone_name: str) -> datetime | None:
    """The wall time the editor typed, read in the event's zone (Django read it in the
    editor's own zone)."""
    if value is None:
        return None
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return value
    return timezone.localtime(value).replace(tzinfo=None).replace(tzinfo=zone)


def _as_wall_time(value: datetime | None, zone_name: str) -> datetime | None:
    """An aware time as the naive wall time in the event's zone, for the editor's input."""
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(zone_name)).replace(tzinfo=None)


def _datetime_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class EventForm(forms.Form):
    """The event's own fields; titles and descriptions per interface language. Times are
    typed in the event's time zone."""

    kind = forms.ChoiceField(label=_("Type"), choices=Event.Kind.choices)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Event.Visibility.choices)
    members_only = forms.BooleanField(
        label=_("Registration for members only"),
        required=False,
        help_text=_(
            "Visitors without an account cannot register as guests; they are asked to sign in."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the organisers"),
        choices=event_time_zone_choices,
        initial=lambda: settings.TIME_ZONE,
        help_text=_("Every time on this page is read in this zone."),
    )
    external_url = forms.URLField(
        label=_("Event website"), required=False, max_length=500, assume_scheme="https"
    )
    online_url = forms.URLField(
        label=_("Online link"),
        assume_scheme="https",
        required=False,
        max_length=500,
        help_text=_("Shown only to confirmed participants and the organisers."),
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=300)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.select_related("subregion"), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation = forms.CharField(label=_("Interpretation"), required=False, max_length=200)
    speakers = forms.CharField(
        label=_("Speakers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    organiser_emails = forms.CharField(
        label=_("Organisers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Email addresses of people with an account, one per line. They see the "
            "participants, approve registrations and check people in."
        ),
    )
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Issue areas"),
        queryset=IssueArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    materials = forms.ModelMultipleChoiceField(
        label=_("Materials from the library"),
        queryset=Resource.objects.filter(status=Resource.Status.PUBLISHED).order_by("title"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Shown on the event page to those who may see each resource."),
    )
    recording_url = forms.URLField(
        label=_("Recording"), required=False, max_length=500, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Seats"), required=False, min_value=1, help_text=_("Empty: no limit.")
    )
    waiting_list = forms.BooleanField(
        label=_("Waiting list when the event is full"), required=False, initial=True
    )
    approval_required = forms.BooleanField(
        label=_("Organisers approve each registration"), required=False
    )
    certificate_min_attendance = forms.IntegerField(
        label=_("Attendance needed for a certificate, in per cent"),
        required=False,
        min_value=1,
        max_value=100,
        initial=75,
        help_text=_(
            "Share of the event's time a participant must attend: with 75, 15 minutes of a "
            "90-minute webinar earn no certificate. Empty: 75."
        ),
    )
    registration_opens_at = _datetime_field(_("Registration opens"), required=False)
    registration_closes_at = _datetime_field(_("Registration closes"), required=False)

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        self.event = event
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(event)
        super().__init__(*args, **kwargs)
        # Texts per language: title, description, "how we prepare".
        for code, _name in settings.LANGUAGES:
            name = language_name(code)
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=False,
                max_length=300,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"preparation_{code}"] = forms.CharField(
                label=_("How we prepare (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("For global events: how the network prepares its members."),
            )
        self.order_fields(
            [
                "kind",
                *[f"title_{code}" for code, _n in settings.LANGUAGES],
                *[f"description_{code}" for code, _n in settings.LANGUAGES],
            ]
        )

    @staticmethod
    def initial_from(event: Event) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(event, name)
            for name in (
                "kind",
                "visibility",
                "members_only",
                "time_zone",
                "external_url",
                "online_url",
                "venue",
                "city",
                "country",
                "languages",
                "interpretation",
                "speakers",
                "recording_url",
                "capacity",
                "waiting_list",
                "approval_required",
                "certificate_min_attendance",
            )
        }
        initial["organiser_emails"] = "\n".join(event.organisers.values_list("email", flat=True))
        initial["issue_areas"] = list(event.issue_areas.all())
        initial["materials"] = list(event.materials.all())
        for name in ("registration_opens_at", "registration_closes_at"):
            initial[name] = _as_wall_time(getattr(event, name), event.time_zone)
        for code, _n in settings.LANGUAGES:
            initial[f"title_{code}"] = event.titles.get(code, "")
            initial[f"description_{code}"] = event.descriptions.get(code, "")
            initial[f"preparation_{code}"] = event.preparation_notes.get(code, "")
        return initial

    def clean_organiser_emails(self) -> list[Any]:
        emails = [e.strip().lower() for e in self.cleaned_data["organiser_emails"].split()]
        emails = [e for e in emails if e]
        users = list(get_user_model().objects.filter(email__in=emails))
        found = {u.email.lower() for u in users}
        missing = [e for e in emails if e not in found]
        if missing:
            raise forms.ValidationError(
                _("No account has these addresses: %(emails)s") % {"emails": ", ".join(missing)}
            )
        return users

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone") or "UTC"
        for name in ("registration_opens_at", "registration_closes_at"):
            data[name] = _in_zone(data.get(name), zone)
        if not any(data.get(f"title_{code}") for code, _n in settings.LANGUAGES):
            self.add_error(f"title_{settings.LANGUAGE_CODE}", _("Give the event a title."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        codes = [code for code, _n in settings.LANGUAGES]
        return {
            "kind": data["kind"],
            "visibility": data["visibility"],
            "members_only": bool(data.get("members_only")),
            "time_zone": data["time_zone"],
            "titles": {c: data.get(f"title_{c}", "") for c in codes},
            "descriptions": {c: data.get(f"description_{c}", "") for c in codes},
            "preparation_notes": {c: data.get(f"preparation_{c}", "") for c in codes},
            "external_url": data.get("external_url") or "",
            "online_url": data.get("online_url") or "",
            "venue": data.get("venue") or "",
            "city": data.get("city") or "",
            "country": data.get("country"),
            "languages": list(data.get("languages") or []),
            "interpretation": data.get("interpretation") or "",
            "speakers": data.get("speakers") or "",
            "recording_url": data.get("recording_url") or "",
            "capacity": data.get("capacity"),
            "waiting_list": bool(data.get("waiting_list")),
            "approval_required": bool(data.get("approval_required")),
            "certificate_min_attendance": data.get("certificate_min_attendance") or 75,
            "registration_opens_at": data.get("registration_opens_at"),
            "registration_closes_at": data.get("registration_closes_at"),
            "organisers": data.get("organiser_emails") or [],
            "issue_areas": list(data.get("issue_areas") or []),
            "materials": list(data.get("materials") or []),
        }


class SessionForm(forms.Form):
    session_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    starts_at = _datetime_field(_("Starts"), required=False)
    ends_at = _datetime_field(_("Ends"), required=False)
    title = forms.CharField(
        label=_("Title of this session"),
        required=False,
        max_length=300,
        help_text=_("Optional, for a series: for example “Module 2: naloxone”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if (starts is None) != (ends is None):
            raise forms.ValidationError(_("Give both the start and the end of the session."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session must end after it starts."))
        return data


class BaseSessionFormSet(forms.BaseFormSet):
    def specs(self, zone: str) -> list[SessionSpec]:
        """The sessions that are filled in and not marked for deletion, read in `zone`."""
        language = settings.LANGUAGE_CODE
        specs = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("starts_at"):
                continue
            specs.append(
                SessionSpec(
                    starts_at=_in_zone(data["starts_at"], zone),
                    ends_at=_in_zone(data["ends_at"], zone),
                    titles={language: data.get("title") or ""},
                    pk=data.get("session_id"),
                )
            )
        return specs

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        filled = [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None)
            and f.cleaned_data.get("starts_at")
            and not f.cleaned_data.get("DELETE")
        ]
        if not filled:
            raise forms.ValidationError(_("An event needs at least one session."))


SessionFormSet = forms.formset_factory(
    SessionForm, formset=BaseSessionFormSet, extra=2, can_delete=True, max_num=50
)


def session_initial(event: Event) -> list[dict[str, Any]]:
    return [
        {
            "session_id": session.pk,
            "starts_at": _as_wall_time(session.starts_at, event.time_zone),
            "ends_at": _as_wall_time(session.ends_at, event.time_zone),
            "title": localized(session.titles),
        }
        for session in event.sessions.all()
    ]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Answer"), choices=RegistrationQuestion.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(
        label=_("Answers to choose from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For “One of a list”: one answer per line, “English | Русский”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _n in settings.LANGUAGES:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": language_name(code)},
                required=False,
                max_length=300,
            )
        self.order_fields([f"label_{code}" for code, _n in settings.LANGUAGES])

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        codes = [code for code, _n in settings.LANGUAGES]
        choices = []
        for line in (data.get("choices") or "").splitlines():
            parts = [part.strip() for part in line.split("|")]
            if any(parts):
                choices.append(dict(zip(codes, parts, strict=False)))
        return {
            "labels": {code: data.get(f"label_{code}") or "" for code in codes},
            "kind": data["kind"],
            "required": bool(data.get("required")),
            "choices": choices,
        }
