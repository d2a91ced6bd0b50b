"""The secretariat's pages: create and edit an event with its sessions, its registration
questions; publish, cancel, move to the trash."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.events.forms.events import (
    BaseSessionFormSet,
    EventForm,
    QuestionForm,
    SessionFormSet,
    session_initial,
)
from hrnet.events.models import Event, RegistrationQuestion
from hrnet.events.policies import event_policy
from hrnet.events.services import events as services


def _event_for(request: HttpRequest, pk: int, action: str) -> Event:
    event = Event.objects.filter(pk=pk).first()
    if event is None or not event_policy.user_has_permission_for_instance(
        request.user, action, event
    ):
        raise Http404
    return event


def _add_service_errors(form: Any, formset: Any, exc: ValidationError) -> None:
    """The service's errors on the form; those about the sessions above the session rows."""
    if hasattr(exc, "error_dict") and "sessions" in exc.error_dict:
        sessions = exc.error_dict.pop("sessions")
        formset._non_form_errors = formset.error_class(ValidationError(sessions).messages)
        if not exc.error_dict:
            return
    add_service_errors(form, exc)


def _editor(request: HttpRequest, event: Event | None) -> HttpResponse:
    if request.method == "POST":
        form = EventForm(request.POST, event=event)
        formset = SessionFormSet(request.POST, prefix="sessions")
        if form.is_valid() and formset.is_valid():
            arguments = form.service_arguments()
            sessions = cast(BaseSessionFormSet, formset).specs(arguments["time_zone"])
            try:
                if event is None:
                    event = services.event_create(
                        actor=request.user, sessions=sessions, request=request, **arguments
                    )
                    messages.success(
                        request, _("The event is saved as a draft. Publish it when it is ready.")
                    )
                else:
                    services.event_update(
                        event=event,
                        actor=request.user,
                        sessions=sessions,
                        request=request,
                        **arguments,
                    )
                    messages.success(request, _("The event was saved."))
            except ValidationError as exc:
                if event is not None and event.pk:
                    event.refresh_from_db()
                _add_service_errors(form, formset, exc)
            else:
                return redirect("events:event_detail", pk=event.pk)
    else:
        form = EventForm(event=event)
        formset = SessionFormSet(
            prefix="sessions", initial=session_initial(event) if event is not None else None
        )
    return render(
        request, "events/event_form.html", {"form": form, "formset": formset, "event": event}
    )


@policy_required(event_policy, "add")
def event_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@policy_required(event_policy, "change")
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, _event_for(request, pk, "change"))


@require_POST
@policy_required(event_policy, "change")
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "change")
    try:
        services.event_publish(event=event, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The event is published."))
    return redirect("events:event_detail", pk=event.pk)


@policy_required(event_policy, "change")
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then cancels and emails everyone registered (POST)."""
    event = _event_for(request, pk, "change")
    if request.method == "POST":
        services.event_cancel(event=event, actor=request.user, request=request)
        messages.success(
            request, _("The event is cancelled; everyone registered is told by email.")
        )
        return redirect("events:event_detail", pk=event.pk)
    return render(request, "events/event_cancel.html", {"event": event})


@policy_required(event_policy, "delete")
def event_trash(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "delete")
    if request.method == "POST":
        services.event_trash(event=event, actor=request.user, request=request)
        messages.success(
            request,
            _("“%(title)s” is in the trash; it can be restored from there.")
            % {"title": event.title},
        )
        return redirect("events:event_list")
    return render(request, "events/event_trash.html", {"event": event})


@policy_required(event_policy, "change")
def event_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's registration questions, and a form to add one."""
    event = _event_for(request, pk, "change")
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                services.question_add(
                    event=event, actor=request.user, request=request, **form.service_arguments()
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The question was added."))
                return redirect("events:event_questions", pk=event.pk)
    else:
        form = QuestionForm()
    return render(
        request,
        "events/event_questions.html",
        {"event": event, "form": form, "questions": list(event.questions.all())},
    )


@require_POST
@policy_required(event_policy, "change")
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    event = _event_for(request, pk, "change")
    question = RegistrationQuestion.objects.filter(event=event, pk=question_pk).first()
    if question is None:
        raise Http404
    services.question_delete(question=question, actor=request.user, request=request)
    messages.success(request, _("The question was removed."))
    return redirect("events:event_questions", pk=event.pk)


urlpatterns: list[URLPattern] = [
    path("new/", event_create, name="event_create"),
    path("<int:pk>/edit/", event_edit, name="event_edit"),
    path("<int:pk>/publish/", event_publish, name="event_publish"),
    path("<int:pk>/cancel/", event_cancel, name="event_cancel"),
    path("<int:pk>/trash/", event_trash, name="event_trash"),
    path("<int:pk>/questions/", event_questions, name="event_questions"),
    path("<int:pk>/questions/<int:question_pk>/delete/", question_delete, name="question_delete"),
]
