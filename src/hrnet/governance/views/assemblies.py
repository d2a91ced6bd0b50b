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
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hrnet.accounts.middleware import visitor_time_zone_known
from hrnet.core.forms import (
    add_service_errors,
)
from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.governance import selectors
from hrnet.governance.forms.assemblies import (
    AgendaFormSet,
    AssemblyForm,
    ResolutionForm,
    ResolutionVoteForm,
    agenda_initial,
)
from hrnet.governance.models import Assembly, Resolution, Roll
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
                saved = services.assembly_save(
                    actor=user,  # type: ignore[arg-type]
                    assembly=found,
                    agenda=specs,
                    request=request,
                    **form.service_arguments(),
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
        formset = AgendaFormSet(prefix="agenda", initial=agenda_initial(found))
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
