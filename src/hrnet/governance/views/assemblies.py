"""General assemblies: the assembly with its agenda, documents, resolutions and minutes;
the secretariat's editors (assembly and agenda, resolutions), the roll's freezing and the
publication of the results; voting on a resolution and its receipt, shown once.

Everything is in the members' area (network members and the secretariat); an assembly
whose results are published is public. What a visitor may not read is 404.

The forms live here while they are few and used by these pages only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from hrnet.accounts.middleware import visitor_time_zone_known
from hrnet.core.forms import (
    add_service_errors,
    per_language_fields,
    per_language_initial,
    per_language_texts,
)
from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.events.models import Event
from hrnet.governance import selectors
from hrnet.governance.models import AgendaItem, Assembly, Ballot, Resolution, Roll
from hrnet.governance.policies import assembly_policy, resolution_open
from hrnet.governance.services import assemblies as services
from hrnet.governance.services.ballots import (
    AlreadyVoted,
    receipt_normalise,
    resolution_vote_cast,
)
from hrnet.governance.services.roll import roll_freeze
from hrnet.library.models import Resource
from hrnet.library.policies import visible_q

# --- forms ------------------------------------------------------------------------------


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


def _agenda_initial(assembly: Assembly | None) -> list[dict[str, Any]]:
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


def _service_errors(form: forms.Form, error: ValidationError) -> None:
    """The service names its fields by their stored name (`titles`); the form has one per
    language (`title_en`): those messages go to the first language's field."""
    if hasattr(error, "error_dict"):
        renamed: dict[str, Any] = {}
        for name, errors in error.error_dict.items():
            prefix = {"titles": "title", "texts": "text", "descriptions": "description"}.get(name)
            renamed[f"{prefix}_{LANGUAGE_CODES[0]}" if prefix else name] = errors
        error = ValidationError(renamed)
    add_service_errors(form, error)


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


def _assembly_for(request: HttpRequest, pk: int) -> Assembly:
    found = selectors.assembly_get(user=request.user, assembly_id=pk)
    if found is None:
        raise Http404
    return found


def _resolution_for(request: HttpRequest, pk: int) -> Resolution:
    found = selectors.resolution_get(user=request.user, resolution_id=pk)
    if found is None:
        raise Http404
    return found


def _secretariat_only(request: HttpRequest, action: str, assembly: Assembly | None = None) -> None:
    allowed = (
        assembly_policy.user_has_permission(request.user, action)
        if assembly is None
        else assembly_policy.user_has_permission_for_instance(request.user, action, assembly)
    )
    if not allowed:
        raise PermissionDenied


def resolution_state(resolution: Resolution) -> str:
    """upcoming | open | closed | published, for the pages."""
    if resolution.assembly.published_at is not None:
        return "published"
    now = timezone.now()
    if now < resolution.opens_at:
        return "upcoming"
    return "open" if now < resolution.closes_at else "closed"


def _resolution_rows(request: HttpRequest, assembly: Assembly) -> list[dict[str, Any]]:
    rows = []
    for resolution in assembly.resolutions.select_related("agenda_item", "adopts_minutes_of"):
        resolution.assembly = assembly
        state = resolution_state(resolution)
        votes = (
            selectors.resolution_votes_of(user=request.user, resolution=resolution)
            if state == "open"
            else []
        )
        rows.append(
            {
                "resolution": resolution,
                "state": state,
                "result": selectors.resolution_result(user=request.user, resolution=resolution),
                "votes": votes,
                "to_vote": any(not voted for _entry, voted in votes),
            }
        )
    return rows


def _readable_document(request: HttpRequest, resource: Resource | None) -> Resource | None:
    if resource is None:
        return None
    return Resource.objects.filter(visible_q(request.user), pk=resource.pk).first()


# --- pages ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assembly(request: HttpRequest, pk: int) -> HttpResponse:
    found = _assembly_for(request, pk)
    user = request.user
    if request.method == "POST":  # the secretariat freezes the roll
        _secretariat_only(request, "change", found)
        if request.POST.get("action") != "freeze":
            return redirect("governance:assembly", found.pk)
        try:
            count = roll_freeze(actor=user, roll=found.roll, request=request)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The voter roll is frozen: %(count)s voters.") % {"count": count}
            )
        return redirect("governance:assembly", found.pk)
    member_view = assembly_policy.user_has_permission_for_instance(user, "view", found)
    may_change = assembly_policy.user_has_permission_for_instance(user, "change", found)
    rows = _resolution_rows(request, found)
    return render(
        request,
        "governance/assembly.html",
        {
            "assembly": found,
            "agenda": selectors.assembly_agenda(user=user, assembly=found),
            "resolutions": rows,
            "member_view": member_view,
            "may_change": may_change,
            "may_publish": may_change
            and found.published_at is None
            and bool(rows)
            and all(row["state"] == "closed" for row in rows),
            "roll_size": found.roll.entries.count() if found.roll.frozen_at else None,
            "minutes_document": _readable_document(request, found.minutes_document)
            if member_view
            else None,
            "minutes_adopted_by": selectors.minutes_adoption(assembly=found),
            "adopts_minutes": [
                row["resolution"].adopts_minutes_of
                for row in rows
                if row["resolution"].adopts_minutes_of is not None
            ],
            "today": timezone.localdate(),
            "zone_is_visitors": visitor_time_zone_known(request),
            "shows_times": any(row["state"] in ("upcoming", "open") for row in rows),
        },
    )


def _assembly_form_page(request: HttpRequest, found: Assembly | None) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = AssemblyForm(request.POST, assembly=found)
        formset = AgendaFormSet(request.POST, prefix="agenda")
        if form.is_valid() and formset.is_valid():
            specs = [spec for row in formset if (spec := row.spec()) is not None]
            try:
                with transaction.atomic():
                    if found is None:
                        saved = services.assembly_create(
                            actor=user,  # type: ignore[arg-type]
                            request=request,
                            **form.service_arguments(),
                        )
                    else:
                        saved = services.assembly_change(
                            actor=user,  # type: ignore[arg-type]
                            assembly=found,
                            request=request,
                            **form.service_arguments(),
                        )
                    services.assembly_agenda_set(
                        actor=user,  # type: ignore[arg-type]
                        assembly=saved,
                        items=specs,
                        request=request,
                    )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("The assembly is saved."))
                return redirect("governance:assembly", saved.pk)
    else:
        initial: dict[str, Any] = {}
        if found is None:
            initial = {"voters": Roll.Voters.ORGANISATIONS, "cutoff": timezone.localdate()}
        form = AssemblyForm(assembly=found, **({"initial": initial} if found is None else {}))
        formset = AgendaFormSet(prefix="agenda", initial=_agenda_initial(found))
    return render(
        request,
        "governance/assembly_form.html",
        {"assembly": found, "form": form, "formset": formset},
    )


@require_http_methods(["GET", "POST"])
def assembly_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _secretariat_only(request, "add")
    return _assembly_form_page(request, None)


@require_http_methods(["GET", "POST"])
def assembly_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = _assembly_for(request, pk)
    _secretariat_only(request, "change", found)
    if found.published_at is not None:
        messages.error(request, _("The results of this assembly are published: it is closed."))
        return redirect("governance:assembly", found.pk)
    return _assembly_form_page(request, found)


@require_POST
def assembly_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _assembly_for(request, pk)
    _secretariat_only(request, "change", found)
    try:
        services.assembly_results_publish(
            actor=request.user,  # type: ignore[arg-type]
            assembly=found,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The results are published; this page is now public."))
    return redirect("governance:assembly", found.pk)


@require_http_methods(["GET", "POST"])
def resolution_new(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = _assembly_for(request, pk)
    _secretariat_only(request, "change", found)
    if found.published_at is not None:
        messages.error(request, _("The results of this assembly are published: it is closed."))
        return redirect("governance:assembly", found.pk)
    if request.method == "POST":
        form = ResolutionForm(request.POST, assembly=found)
        if form.is_valid():
            try:
                created = services.resolution_create(
                    actor=request.user,
                    assembly=found,
                    request=request,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("The resolution is added."))
                return redirect("governance:resolution", created.pk)
    else:
        day = timezone.localtime(
            timezone.make_aware(datetime.combine(found.date, datetime.min.time()))
        ).replace(hour=10, tzinfo=None)
        form = ResolutionForm(
            assembly=found,
            initial={
                "opens_at": day,
                "closes_at": day.replace(hour=18),
                "majority": Resolution.Majority.SIMPLE,
                "quorum_percent": 50,
            },
        )
    return render(
        request,
        "governance/resolution_form.html",
        {
            "assembly": found,
            "resolution": None,
            "form": form,
            "zone_is_visitors": visitor_time_zone_known(request),
        },
    )


@require_http_methods(["GET", "POST"])
def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    """The resolution, its voting and, once published, its result. The secretariat edits
    it here (`?edit`) until voting opens. A POST with `check` checks a receipt."""
    found = _resolution_for(request, pk)
    user = request.user
    state = resolution_state(found)
    may_edit = state == "upcoming" and assembly_policy.user_has_permission_for_instance(
        user, "change", found.assembly
    )
    checking = request.method == "POST" and "check" in request.POST
    if may_edit and not checking and (request.method == "POST" or "edit" in request.GET):
        form = ResolutionForm(
            request.POST if request.method == "POST" else None,
            assembly=found.assembly,
            resolution=found,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.resolution_change(
                    actor=user,  # type: ignore[arg-type]
                    resolution=found,
                    request=request,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("The resolution is saved."))
                return redirect("governance:resolution", found.pk)
        return render(
            request,
            "governance/resolution_form.html",
            {
                "assembly": found.assembly,
                "resolution": found,
                "form": form,
                "zone_is_visitors": visitor_time_zone_known(request),
            },
        )
    if request.method == "POST" and not checking:
        raise PermissionDenied
    # A receipt comes in a POST body: in an address it would stay in the browser's history
    # and the server's logs, beside who asked.
    receipt_typed = request.POST.get("receipt", "").strip() if checking else ""
    receipt = receipt_normalise(receipt_typed)
    votes = selectors.resolution_votes_of(user=user, resolution=found) if state == "open" else []
    response = render(
        request,
        "governance/resolution.html",
        {
            "assembly": found.assembly,
            "resolution": found,
            "state": state,
            "result": selectors.resolution_result(user=user, resolution=found),
            "votes": votes,
            "to_vote": any(not voted for _entry, voted in votes),
            "may_edit": may_edit,
            "zone_is_visitors": visitor_time_zone_known(request),
            "receipt_typed": receipt_typed,
            "receipt": receipt,
            "receipt_counted": selectors.resolution_receipt_counted(
                resolution=found, receipt=receipt
            )
            if receipt
            else None,
        },
    )
    if checking:
        add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def resolution_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot: yes, no or abstain (and for whom, when the voter holds several votes).
    The receipt is shown once, in the answer to the vote, never stored with the voter."""
    found = _resolution_for(request, pk)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not resolution_open(found):
        messages.error(request, _("Voting on this resolution is not open."))
        return redirect("governance:resolution", found.pk)
    votes = selectors.resolution_votes_of(user=user, resolution=found)
    if not votes:
        raise PermissionDenied
    entries = [entry for entry, voted in votes if not voted]
    if not entries:
        messages.info(request, _("Your vote on this resolution is counted."))
        return redirect("governance:resolution", found.pk)
    form = ResolutionVoteForm(request.POST if request.method == "POST" else None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = resolution_vote_cast(
                actor=user,
                resolution=found,
                answer=form.cleaned_data["answer"],
                organisation_id=form.organisation_id(),
            )
        except AlreadyVoted:
            messages.error(request, _("This vote has already been cast; it was not counted twice."))
            return redirect("governance:resolution", found.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = render(
                request,
                "governance/resolution_receipt.html",
                {"assembly": found.assembly, "resolution": found, "receipt": receipt},
            )
            add_never_cache_headers(response)  # the receipt is shown once: never from a cache
            return response
    return render(
        request,
        "governance/resolution_vote.html",
        {
            "assembly": found.assembly,
            "resolution": found,
            "form": form,
            "entries": entries,
            "zone_is_visitors": visitor_time_zone_known(request),
        },
    )
