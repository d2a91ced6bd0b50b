"""Writes of technical assistance: the roster, filing a request, every step of its
workflow, the work log, deliverables, the rating and the due-date reminders. Each checks
the policy, validates meaning with a translated message and calls `log_action`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role, user_has_role
from hrnet.assistance.audit import Action
from hrnet.assistance.emails import request_email
from hrnet.assistance.models import (
    AssistanceRequest,
    Deliverable,
    Expert,
    Kind,
    RequestAttachment,
    StatusChange,
    WorkLogEntry,
)
from hrnet.assistance.policies import (
    expert_policy,
    request_policy,
    requestable_organisations,
)
from hrnet.core.audit import log_action
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.core.uploads import upload_check
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.members.models import Organisation

Status = AssistanceRequest.Status

# Which status each step may start from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.TRIAGED: (Status.SUBMITTED,),
    Status.ASSIGNED: (Status.SUBMITTED, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS),
    Status.IN_PROGRESS: (Status.ASSIGNED,),
    Status.DELIVERED: (Status.ASSIGNED, Status.IN_PROGRESS),
    Status.CLOSED: (Status.DELIVERED,),
    Status.DECLINED: (Status.SUBMITTED, Status.TRIAGED, Status.ASSIGNED),
}
# The audit action of each step.
STEP_ACTIONS: dict[str, Action] = {
    Status.TRIAGED: Action.REQUEST_TRIAGE,
    Status.ASSIGNED: Action.REQUEST_ASSIGN,
    Status.IN_PROGRESS: Action.REQUEST_START,
    Status.DELIVERED: Action.REQUEST_DELIVER,
    Status.CLOSED: Action.REQUEST_CLOSE,
    Status.DECLINED: Action.REQUEST_DECLINE,
}


def _move(
    *,
    request: AssistanceRequest,
    to: str,
    actor: Actor,
    note: str = "",
    http_request: HttpRequest | None = None,
    fields: Iterable[str] = (),
) -> AssistanceRequest:
    if request.status not in TRANSITIONS[to]:
        raise ValidationError(
            _("A request that is “%(current)s” cannot become “%(new)s”.")
            % {"current": request.get_status_display(), "new": Status(to).label},
            code="invalid_transition",
        )
    before = request.status
    request.status = to
    request.save(update_fields=["status", "updated_at", *fields])
    StatusChange.objects.create(
        request=request,
        from_status=before,
        to_status=to,
        actor=actor if isinstance(actor, User) else None,
        note=note,
    )
    log_action(
        actor=actor,
        action=STEP_ACTIONS[to],
        obj=request,
        changes={"status": {"old": before, "new": to}, **({"note": note} if note else {})},
        request=http_request,
    )
    return request


# --- the roster --------------------------------------------------------------------------


def _expert_validate(user: User, kinds: list[str], languages: list[str]) -> None:
    if not user_has_role(user, Role.EXPERT, Role.SECRETARIAT):
        raise ValidationError(
            {
                "user": _("%(email)s is neither an expert nor secretariat staff.")
                % {"email": user.email}
            }
        )
    unknown = [code for code in kinds if code not in Kind.values]
    if unknown:
        raise ValidationError(
            {"kinds": _("Unknown kind of assistance: %(code)s.") % {"code": unknown[0]}}
        )
    bad = [code for code in languages if len(code) > 10 or not code.isalpha()]
    if bad:
        raise ValidationError(
            {"languages": _("“%(code)s” is not a language code.") % {"code": bad[0]}}
        )


def expert_save(
    *,
    actor: Actor,
    user: User,
    engagement: str,
    issue_areas: Iterable[IssueArea],
    kinds: list[str],
    languages: list[str],
    countries: Iterable[Country],
    availability: str,
    availability_note: str = "",
    is_active: bool = True,
    expert: Expert | None = None,
    request: HttpRequest | None = None,
) -> Expert:
    """Add someone to the roster, or change their entry."""
    expert_policy.require(actor, "change")
    languages = [code.strip().lower() for code in languages if code.strip()]
    _expert_validate(user, kinds, languages)
    if expert is None:
        existing = Expert.objects.filter(user=user).first()
        if existing is not None:
            raise ValidationError(
                {"user": _("%(email)s is on the roster already.") % {"email": user.email}}
            )
        expert = Expert(user=user)
    created = expert.pk is None
    expert.engagement = engagement
    expert.kinds = list(kinds)
    expert.languages = languages
    expert.availability = availability
    expert.availability_note = availability_note
    expert.is_active = is_active
    with transaction.atomic():
        expert.save()
        expert.issue_areas.set(list(issue_areas))
        expert.countries.set(list(countries))
        log_action(
            actor=actor,
            action=Action.EXPERT_ADD if created else Action.EXPERT_CHANGE,
            obj=expert,
            changes={"availability": availability, "kinds": kinds, "languages": languages},
            request=request,
        )
    return expert


# --- filing ------------------------------------------------------------------------------


def request_create(
    *,
    actor: Actor,
    organisation: Organisation | None,
    title: str,
    issue_area: IssueArea | None,
    kind: str,
    country: Country | None,
    description: str,
    urgency: str = AssistanceRequest.Urgency.NORMAL,
    wished_from: datetime.date | None = None,
    wished_until: datetime.date | None = None,
    language: str = "",
    files: Iterable[Any] = (),
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    """File a request for `organisation`, which `actor` administers or works for."""
    request_policy.require(actor, "add")
    errors: dict[str, list[str]] = {}
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation the request is for.")]
    elif not requestable_organisations(actor).filter(pk=organisation.pk).exists():
        errors["organisation"] = [
            _("You may not file requests for “%(name)s”.") % {"name": organisation}
        ]
    if not title.strip():
        errors["title"] = [_("Give the request a title.")]
    if issue_area is None:
        errors["issue_area"] = [_("Choose the topic (issue area) of the request.")]
    if kind not in Kind.values:
        errors["kind"] = [_("“%(kind)s” is not a kind of assistance.") % {"kind": kind}]
    if country is None:
        errors["country"] = [_("Choose the country the assistance is for.")]
    if not description.strip():
        errors["description"] = [_("Describe what you need.")]
    if urgency not in AssistanceRequest.Urgency.values:
        errors["urgency"] = [_("“%(value)s” is not an urgency.") % {"value": urgency}]
    if wished_from and wished_until and wished_until < wished_from:
        errors["wished_until"] = [_("The end of the wished dates is before their start.")]
    checked = []
    for upload in files:
        try:
            checked.append((upload, upload_check(upload)))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    if organisation is None or issue_area is None or country is None:  # for the type checker
        raise ValidationError(_("The request is incomplete."))
    filer = actor if isinstance(actor, User) else None  # signed in: the policy let them file
    codes = {code for code, _name in settings.LANGUAGES}
    language = language if language in codes else getattr(actor, "preferred_language", "")
    with transaction.atomic():
        assistance = AssistanceRequest.objects.create(
            organisation=organisation,
            filed_by=filer,
            title=title.strip(),
            issue_area=issue_area,
            kind=kind,
            country=country,
            description=description.strip(),
            urgency=urgency,
            wished_from=wished_from,
            wished_until=wished_until,
            language=language or settings.LANGUAGE_CODE,
        )
        StatusChange.objects.create(request=assistance, to_status=Status.SUBMITTED, actor=filer)
        for upload, check in checked:
            attachment = RequestAttachment(
                request=assistance,
                original_name=check.original_name,
                content_type=check.kind.content_type,
                size=check.size,
                uploaded_by=filer,
            )
            attachment.file.save(f"{check.sha256[:16]}.{check.kind.extension}", upload, save=False)
            attachment.save()
        log_action(actor=actor, action=Action.REQUEST_SUBMIT, obj=assistance, request=request)
    return assistance


# --- the secretariat's steps --------------------------------------------------------------


def request_triage(
    *,
    request: AssistanceRequest,
    actor: Actor,
    note: str = "",
    http_request: HttpRequest | None = None,
) -> AssistanceRequest:
    request_policy.require(actor, "manage", request)
    return _move(
        request=request, to=Status.TRIAGED, actor=actor, note=note, http_request=http_request
    )


def request_assign(
    *,
    request: AssistanceRequest,
    actor: Actor,
    experts: Iterable[Expert],
    due_date: datetime.date | None = None,
    http_request: HttpRequest | None = None,
) -> AssistanceRequest:
    """Assign one or more experts (replacing those assigned), with an optional due date."""
    request_policy.require(actor, "manage", request)
    chosen = list(experts)
    if not chosen:
        raise ValidationError({"experts": _("Choose at least one expert.")})
    for expert in chosen:
        if not expert.is_active or expert.availability == Expert.Availability.UNAVAILABLE:
            raise ValidationError(
                {"experts": _("%(name)s is not available.") % {"name": expert.name}}
            )
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date is in the past.")})
    with transaction.atomic():
        request.due_date = due_date
        request.due_reminded_at = None
        request.overdue_reminded_at = None
        names = ", ".join(expert.name for expert in chosen)
        _move(
            request=request,
            to=Status.ASSIGNED,
            actor=actor,
            note=names,
            http_request=http_request,
            fields=["due_date", "due_reminded_at", "overdue_reminded_at"],
        )
        request.experts.set(chosen)
        request_email(request, "assigned", to=request.filed_by)
    return request


def request_decline(
    *,
    request: AssistanceRequest,
    actor: Actor,
    reason: str,
    http_request: HttpRequest | None = None,
) -> AssistanceRequest:
    request_policy.require(actor, "manage", request)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is declined.")})
    with transaction.atomic():
        request.decline_reason = reason.strip()
        _move(
            request=request,
            to=Status.DECLINED,
            actor=actor,
            note=request.decline_reason,
            http_request=http_request,
            fields=["decline_reason"],
        )
        request_email(request, "declined", to=request.filed_by)
    return request


def request_close(
    *, request: AssistanceRequest, actor: Actor, http_request: HttpRequest | None = None
) -> AssistanceRequest:
    request_policy.require(actor, "manage", request)
    request.closed_at = timezone.now()
    return _move(
        request=request,
        to=Status.CLOSED,
        actor=actor,
        http_request=http_request,
        fields=["closed_at"],
    )


# --- the expert's steps -------------------------------------------------------------------


def request_start(
    *, request: AssistanceRequest, actor: Actor, http_request: HttpRequest | None = None
) -> AssistanceRequest:
    # Not assigned: NotAssignedError, a ValidationError the pages show as a message.
    request_policy.require(actor, "work", request)
    return _move(request=request, to=Status.IN_PROGRESS, actor=actor, http_request=http_request)


def worklog_add(
    *,
    request: AssistanceRequest,
    actor: Actor,
    date: datetime.date,
    days: Decimal | str | float,
    notes: str = "",
    http_request: HttpRequest | None = None,
) -> WorkLogEntry:
    """Log days of work; only an assigned expert may, while the work is open."""
    request_policy.require(actor, "work", request)
    if request.status not in AssistanceRequest.WORK_STATUSES:
        raise ValidationError(
            _("Work is logged on assigned requests in progress; this one is “%(status)s”.")
            % {"status": request.get_status_display()},
            code="closed",
        )
    try:
        amount = Decimal(str(days))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"days": _("“%(days)s” is not a number.") % {"days": days}}) from exc
    if not Decimal(0) < amount <= WorkLogEntry.MAX_DAYS:
        raise ValidationError(
            {"days": _("Days must be more than 0 and at most 31, not %(days)s.") % {"days": days}}
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("Work cannot be logged for a day in the future.")})
    expert = Expert.objects.get(user=actor.pk)
    with transaction.atomic():
        entry = WorkLogEntry.objects.create(
            request=request, expert=expert, date=date, days=amount, notes=notes.strip()
        )
        if request.status == Status.ASSIGNED:
            _move(request=request, to=Status.IN_PROGRESS, actor=actor, http_request=http_request)
        log_action(
            actor=actor,
            action=Action.WORK_LOG_ADD,
            obj=request,
            changes={"date": date.isoformat(), "days": str(amount)},
            request=http_request,
        )
    return entry


def deliverable_add(
    *,
    request: AssistanceRequest,
    actor: Actor,
    title: str,
    upload: Any = None,
    resource: Resource | None = None,
    http_request: HttpRequest | None = None,
) -> Deliverable:
    """A file, or a resource published in the library."""
    request_policy.require(actor, "work", request)
    if request.status not in AssistanceRequest.WORK_STATUSES:
        raise ValidationError(
            _("Deliverables are added while the work is open; this request is “%(status)s”.")
            % {"status": request.get_status_display()}
        )
    if (upload is None) == (resource is None):
        raise ValidationError({"file": _("Upload a file or choose a library resource (one).")})
    if resource is not None and not resource.is_published:
        raise ValidationError({"resource": _("The library resource is not published yet.")})
    deliverable = Deliverable(
        request=request,
        title=title.strip() or str(resource or ""),
        added_by=actor if isinstance(actor, User) else None,
    )
    if upload is not None:
        check = upload_check(upload)
        deliverable.original_name = check.original_name
        deliverable.content_type = check.kind.content_type
        deliverable.title = deliverable.title or check.original_name
    else:
        deliverable.resource = resource
    if not deliverable.title:
        raise ValidationError({"title": _("Give the deliverable a title.")})
    with transaction.atomic():
        if upload is not None:
            deliverable.file.save(f"{check.sha256[:16]}.{check.kind.extension}", upload, save=False)
        deliverable.save()
        log_action(
            actor=actor,
            action=Action.DELIVERABLE_ADD,
            obj=request,
            changes={"title": deliverable.title},
            request=http_request,
        )
    return deliverable


def request_deliver(
    *, request: AssistanceRequest, actor: Actor, http_request: HttpRequest | None = None
) -> AssistanceRequest:
    request_policy.require(actor, "work", request)
    if not request.deliverables.exists():
        raise ValidationError(_("Add at least one deliverable before delivering."))
    with transaction.atomic():
        request.delivered_at = timezone.now()
        _move(
            request=request,
            to=Status.DELIVERED,
            actor=actor,
            http_request=http_request,
            fields=["delivered_at"],
        )
        request_email(request, "delivered", to=request.filed_by)
    return request


# --- the requester's rating -----------------------------------------------------------------


def request_rate(
    *,
    request: AssistanceRequest,
    actor: Actor,
    rating: int,
    comment: str = "",
    http_request: HttpRequest | None = None,
) -> AssistanceRequest:
    request_policy.require(actor, "rate", request)
    if request.status not in (Status.DELIVERED, Status.CLOSED):
        raise ValidationError(_("A request is rated once it is delivered."))
    if request.rated_at is not None:
        raise ValidationError(_("This request is rated already."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5, not %(value)s.") % {"value": rating}})
    request.rating = rating
    request.rating_comment = comment.strip()
    request.rated_at = timezone.now()
    request.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    log_action(
        actor=actor,
        action=Action.REQUEST_RATE,
        obj=request,
        changes={"rating": rating},
        request=http_request,
    )
    return request


# --- reminders ---------------------------------------------------------------------------------


@dataclass
class ReminderReport:
    due: int = 0
    overdue: int = 0


def due_reminders_send(*, now: datetime.datetime | None = None) -> ReminderReport:
    """Remind the assigned experts once HRNET_ASSISTANCE_DUE_REMINDER_DAYS before the due
    date, and once when it has passed. Safe to run any number of times a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = ReminderReport()
    open_requests = AssistanceRequest.objects.filter(
        status__in=AssistanceRequest.WORK_STATUSES, due_date__isnull=False
    )
    overdue = open_requests.filter(due_date__lt=today, overdue_reminded_at__isnull=True)
    soon = open_requests.filter(
        due_date__gte=today,
        due_date__lte=today + datetime.timedelta(days=settings.HRNET_ASSISTANCE_DUE_REMINDER_DAYS),
        due_reminded_at__isnull=True,
    )
    for step, queryset, field, action in (
        ("overdue", overdue, "overdue_reminded_at", Action.REQUEST_REMIND_OVERDUE),
        ("due", soon, "due_reminded_at", Action.REQUEST_REMIND_DUE),
    ):
        for pk in list(queryset.values_list("pk", flat=True)):
            with transaction.atomic():
                # Claim the reminder first, so parallel runs send it once.
                claimed = queryset.filter(pk=pk).update(**{field: now})
                if not claimed:
                    continue
                request = AssistanceRequest.objects.get(pk=pk)
                if step == "overdue" and request.due_reminded_at is None:
                    AssistanceRequest.objects.filter(pk=pk).update(due_reminded_at=now)
                for expert in request.experts.select_related("user"):
                    request_email(request, step, to=expert.user)
                log_action(actor=None, action=action, obj=request)
            if step == "due":
                report.due += 1
            else:
                report.overdue += 1
    return report
