"""The forms of general assemblies: an assembly with its agenda, a resolution, and the
yes / no / abstain ballot. Their meaning is checked by `services.assemblies`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from hrnet.core.forms import per_language_fields, per_language_initial, per_language_texts
from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.events.models import Event
from hrnet.governance.models import AgendaItem, Assembly, Ballot, Resolution, Roll
from hrnet.governance.services import assemblies as services
from hrnet.library.models import Resource


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kwargs,
    )


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        starts = timezone.localtime(obj.starts_at).date()
        return f"{starts:%Y-%m-%d} · {obj.title}"


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.language}, #{obj.pk})"


class ResourcesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.language}, #{obj.pk})"


def _published_resources() -> Any:
    return Resource.objects.filter(status=Resource.Status.PUBLISHED).order_by("title", "pk")


class AssemblyForm(forms.Form):
    """The assembly, its roll (until frozen) and, once held, its minutes."""

    date = _date_field(gettext_lazy("Date of the assembly"))
    event = EventChoiceField(
        label=gettext_lazy("Event for registration and attendance"),
        queryset=Event.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Members register and are checked in on the event’s page; create the event in "
            "Events first."
        ),
    )
    voters = forms.ChoiceField(
        label=gettext_lazy("Who votes"), choices=Roll.Voters.choices, widget=forms.RadioSelect
    )
    cutoff = _date_field(
        gettext_lazy("Cut-off date of the voter roll"),
        help_text=gettext_lazy(
            "The roll is taken from the register (current members only) when you freeze it, "
            "on or after this date."
        ),
    )

    def __init__(self, *args: Any, assembly: Assembly | None = None, **kwargs: Any) -> None:
        self.assembly = assembly
        if assembly is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(assembly)
        super().__init__(*args, **kwargs)
        cast_event = self.fields["event"]
        assert isinstance(cast_event, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        cast_event.queryset = (
            Event.objects.filter(status=Event.Status.PUBLISHED)
            .exclude(kind=Event.Kind.GLOBAL)
            .order_by("-starts_at")
        )
        per_language_fields(self, "title", _("Title"))
        per_language_fields(self, "description", _("Description"), textarea=True, rows=3)
        order = [
            *[f"title_{code}" for code in LANGUAGE_CODES],
            *[f"description_{code}" for code in LANGUAGE_CODES],
            "date",
            "event",
            "voters",
            "cutoff",
        ]
        if assembly is not None:
            per_language_fields(
                self, "minutes", pgettext("assembly", "Minutes"), textarea=True, rows=6
            )
            self.fields["minutes_document"] = ResourceChoiceField(
                label=_("Minutes as a library document"),
                queryset=_published_resources(),
                required=False,
                help_text=_("A published resource of the library, instead of or beside the text."),
            )
            order += [*[f"minutes_{code}" for code in LANGUAGE_CODES], "minutes_document"]
            if assembly.roll.frozen_at is not None:
                for name in ("voters", "cutoff"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("The voter roll is frozen.")
        self.order_fields(order)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the fieldsets the page shows: the meeting, who votes, and (once
        it exists) the minutes."""
        named = [
            (_("The assembly"), ["title", "description", "date", "event"]),
            (_("Voter roll"), ["voters", "cutoff"]),
            (_("Minutes, written after the meeting"), ["minutes"]),
        ]
        groups = []
        for legend, names in named:
            fields = [
                self[name]
                for name in self.fields
                if name in names or name.rsplit("_", 1)[0] in names
            ]
            if fields:
                groups.append((legend, fields))
        return groups

    @staticmethod
    def initial_from(assembly: Assembly) -> dict[str, Any]:
        return {
            **per_language_initial(assembly.titles, "title"),
            **per_language_initial(assembly.descriptions, "description"),
            **per_language_initial(assembly.minutes, "minutes"),
            "date": assembly.date,
            "event": assembly.event,
            "voters": assembly.roll.voters,
            "cutoff": assembly.roll.cutoff,
            "minutes_document": assembly.minutes_document,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{code}") for code in LANGUAGE_CODES):
            self.add_error(f"title_{LANGUAGE_CODES[0]}", _("Give the assembly a title."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments = {
            "titles": per_language_texts(data, "title"),
            "descriptions": per_language_texts(data, "description"),
            "date": data["date"],
            "event": data.get("event"),
            "voters": data["voters"],
            "cutoff": data["cutoff"],
        }
        if self.assembly is not None:
            arguments["minutes"] = per_language_texts(data, "minutes")
            arguments["minutes_document"] = data.get("minutes_document")
        return arguments


class AgendaItemForm(forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    documents = ResourcesChoiceField(
        label=gettext_lazy("Documents from the library"),
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=gettext_lazy(
            "Published resources; hold Ctrl (⌘ on a Mac) to choose several. Members see "
            "those the library lets them read."
        ),
    )
    remove = forms.BooleanField(label=gettext_lazy("Take this item off the agenda"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents = self.fields["documents"]
        assert isinstance(documents, forms.ModelMultipleChoiceField)  # noqa: S101
        documents.queryset = _published_resources()
        per_language_fields(self, "title", _("Title"))
        per_language_fields(self, "description", _("Description"), textarea=True, rows=2)
        self.order_fields(
            [
                "item_id",
                *[f"title_{code}" for code in LANGUAGE_CODES],
                *[f"description_{code}" for code in LANGUAGE_CODES],
                "documents",
                "remove",
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        written = any(data.get(f"title_{code}") for code in LANGUAGE_CODES)
        described = any(data.get(f"description_{code}") for code in LANGUAGE_CODES)
        if not data.get("remove") and not written and (described or data.get("documents")):
            self.add_error(f"title_{LANGUAGE_CODES[0]}", _("Give the agenda item a title."))
        return data

    def spec(self) -> services.AgendaItemSpec | None:
        """The row for the service; None for an empty new row."""
        data = self.cleaned_data
        titles = per_language_texts(data, "title")
        if not data.get("item_id") and not any(titles.values()):
            return None
        return services.AgendaItemSpec(
            id=data.get("item_id"),
            titles=titles,
            descriptions=per_language_texts(data, "description"),
            documents=list(data.get("documents") or []),
            delete=bool(data.get("remove")),
        )


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=2, max_num=50)


def agenda_initial(assembly: Assembly | None) -> list[dict[str, Any]]:
    if assembly is None:
        return []
    return [
        {
            "item_id": item.pk,
            **per_language_initial(item.titles, "title"),
            **per_language_initial(item.descriptions, "description"),
            "documents": list(item.documents.all()),
        }
        for item in assembly.agenda.prefetch_related("documents")
    ]


class EarlierAssemblyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%Y-%m-%d} · {obj.title}"


class AgendaItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ResolutionForm(forms.Form):
    majority = forms.ChoiceField(
        label=gettext_lazy("Majority needed"),
        choices=Resolution.Majority.choices,
        widget=forms.RadioSelect,
        initial=Resolution.Majority.SIMPLE,
        help_text=gettext_lazy("Abstentions count for the quorum, not for the majority."),
    )
    quorum_percent = forms.IntegerField(
        label=gettext_lazy("Quorum: share of the voter roll that must vote, in percent"),
        min_value=0,
        max_value=100,
        initial=50,
    )
    opens_at = _datetime_field(gettext_lazy("Voting opens"))
    closes_at = _datetime_field(gettext_lazy("Voting closes"))
    agenda_item = AgendaItemField(
        label=gettext_lazy("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    adopts_minutes_of = EarlierAssemblyField(
        label=gettext_lazy("Adopts the minutes of"),
        queryset=Assembly.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "When this resolution is adopted, the minutes of that assembly are adopted."
        ),
    )

    def __init__(
        self,
        *args: Any,
        assembly: Assembly,
        resolution: Resolution | None = None,
        **kwargs: Any,
    ) -> None:
        if resolution is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **per_language_initial(resolution.titles, "title"),
                **per_language_initial(resolution.texts, "text"),
                "majority": resolution.majority,
                "quorum_percent": resolution.quorum_percent,
                "opens_at": timezone.localtime(resolution.opens_at).replace(tzinfo=None),
                "closes_at": timezone.localtime(resolution.closes_at).replace(tzinfo=None),
                "agenda_item": resolution.agenda_item,
                "adopts_minutes_of": resolution.adopts_minutes_of,
            }
        super().__init__(*args, **kwargs)
        agenda = self.fields["agenda_item"]
        earlier = self.fields["adopts_minutes_of"]
        assert isinstance(agenda, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(earlier, forms.ModelChoiceField)  # noqa: S101
        agenda.queryset = assembly.agenda.all()
        earlier.queryset = (
            Assembly.objects.filter(date__lte=assembly.date)
            .exclude(pk=assembly.pk)
            .order_by("-date")
        )
        per_language_fields(self, "title", _("Title"))
        per_language_fields(self, "text", _("Text"), textarea=True, rows=5)
        self.order_fields(
            [
                *[f"title_{code}" for code in LANGUAGE_CODES],
                *[f"text_{code}" for code in LANGUAGE_CODES],
                "agenda_item",
                "majority",
                "quorum_percent",
                "opens_at",
                "closes_at",
                "adopts_minutes_of",
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{code}") for code in LANGUAGE_CODES):
            self.add_error(f"title_{LANGUAGE_CODES[0]}", _("Give the resolution a title."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if isinstance(opens, datetime) and isinstance(closes, datetime) and closes <= opens:
            self.add_error("closes_at", _("Voting must close after it opens."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "titles": per_language_texts(data, "title"),
            "texts": per_language_texts(data, "text"),
            "majority": data["majority"],
            "quorum_percent": data["quorum_percent"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "agenda_item": data.get("agenda_item"),
            "adopts_minutes_of": data.get("adopts_minutes_of"),
        }


class ResolutionVoteForm(forms.Form):
    """Yes, no or abstain; and whose vote it is when the voter holds several (their own
    and their organisations')."""

    answer = forms.ChoiceField(
        label=gettext_lazy("Your vote"), choices=Ballot.Answer.choices, widget=forms.RadioSelect
    )
    voter = forms.ChoiceField(label=gettext_lazy("Whose vote"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, entries: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = {str(entry.pk): entry for entry in entries}
        field = self.fields["voter"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        if len(entries) > 1:
            field.choices = [
                (
                    str(entry.pk),
                    entry.name if entry.organisation_id else _("My own, as an individual member"),
                )
                for entry in entries
            ]
        else:
            del self.fields["voter"]

    def organisation_id(self) -> int | None:
        """The organisation whose vote this is; None for the voter's own."""
        entries = list(self.entries.values())
        entry = self.entries.get(self.cleaned_data.get("voter") or "") or entries[0]
        return entry.organisation_id


# --- helpers ----------------------------------------------------------------------------
