"""Pages of technical assistance: my organisation's requests and filing one; a request's
page with its timeline, work log, deliverables and rating; the secretariat's queue, triage
and assignment with suggested experts, the roster and the reports; the expert's list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hrnet.assistance import exports, selectors, services
from hrnet.assistance.forms import (
    AssignForm,
    DeclineForm,
    DeliverableForm,
    ExpertForm,
    QueueFilterForm,
    RateForm,
    ReportFilterForm,
    RequestForm,
    WorkLogForm,
)
from hrnet.assistance.models import AssistanceRequest, Deliverable, Expert, RequestAttachment
from hrnet.assistance.policies import (
    expert_policy,
    request_policy,
    requestable_organisations,
)
from hrnet.core.exports import csv_response, download_response
from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.library.models import Resource

PAGE_SIZE = 50
MAX_DUE_WITHIN = 366


def _request_for(request: HttpRequest, pk: int) -> AssistanceRequest:
    try:
        return selectors.request_get(user=request.user, pk=pk)
    except AssistanceRequest.DoesNotExist as exc:
        if AssistanceRequest.objects.filter(pk=pk).exists():
            raise PermissionDenied from exc
        raise Http404 from exc


def _form_errors_back(request: HttpRequest, form: Any, pk: int) -> HttpResponse:
    """Each of the invalid `form`'s errors as a message, back on request `pk`'s page."""
    for message in [m for errors in form.errors.values() for m in errors]:
        messages.error(request, str(message))
    return redirect("assistance:request_detail", pk)


def _file_response(field: Any, name: str, content_type: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- requesters ------------------------------------------------------------------------------


@policy_required(request_policy, "list")
def my_requests(request: HttpRequest) -> HttpResponse:
    """The requests of the organisations the user works for (and those assigned to them)."""
    requests = selectors.request_list(user=request.user)
    return render(
        request,
        "assistance/request_list.html",
        {
            "requests": requests,
            "may_file": requestable_organisations(request.user).exists(),
        },
    )


@policy_required(request_policy, "add")
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.request_create(
                    actor=user,
                    organisation=data["organisation"],
                    title=data["title"],
                    issue_area=data["issue_area"],
                    kind=data["kind"],
                    country=data["country"],
                    description=data["description"],
                    urgency=data["urgency"],
                    wished_from=data["wished_from"],
                    wished_until=data["wished_until"],
                    language=translation.get_language() or "",
                    files=[data["attachment"]] if data["attachment"] else [],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your request is submitted. We will be in touch."))
                return redirect("assistance:request_detail", created.pk)
    else:
        organisations = requestable_organisations(user)
        first = organisations.first()
        form = RequestForm(
            user=user,
            initial={"country": first.country_id if first else None},
        )
        if first is None:
            messages.info(
                request,
                _("You can file a request once you are affiliated with a member organisation."),
            )
    return render(request, "assistance/request_form.html", {"form": form})


@policy_required(request_policy, "view")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assistance = _request_for(request, pk)
    user = request.user
    may_manage = request_policy.user_has_permission_for_instance(user, "manage", assistance)
    may_work = request_policy.user_has_permission_for_instance(user, "work", assistance)
    may_rate = (
        request_policy.user_has_permission_for_instance(user, "rate", assistance)
        and assistance.status
        in (AssistanceRequest.Status.DELIVERED, AssistanceRequest.Status.CLOSED)
        and assistance.rated_at is None
    )
    work_open = assistance.status in AssistanceRequest.WORK_STATUSES
    return render(
        request,
        "assistance/request_detail.html",
        {
            "assistance": assistance,
            "timeline": assistance.status_changes.select_related("actor"),
            "work_log": assistance.work_log.select_related("expert__user"),
            "days_logged": assistance.work_log.aggregate(total=Sum("days"))["total"] or 0,
            "deliverables": assistance.deliverables.select_related("resource"),
            "attachments": assistance.attachments.all(),
            "may_manage": may_manage,
            "may_work": may_work and work_open,
            "may_rate": may_rate,
            "worklog_form": WorkLogForm(initial={"date": timezone.localdate()}),
            "deliverable_form": DeliverableForm(),
            "rate_form": RateForm(),
            "decline_form": DeclineForm(),
            "can_triage": may_manage and assistance.status == AssistanceRequest.Status.SUBMITTED,
            "can_assign": may_manage
            and assistance.status in services.TRANSITIONS[AssistanceRequest.Status.ASSIGNED],
            "can_decline": may_manage
            and assistance.status in services.TRANSITIONS[AssistanceRequest.Status.DECLINED],
            "can_close": may_manage and assistance.status == AssistanceRequest.Status.DELIVERED,
        },
    )


def _step(
    request: HttpRequest, pk: int, action: str, run: Callable[[AssistanceRequest], Any], done: str
) -> HttpResponse:
    assistance = _request_for(request, pk)
    if action == "manage" and not request_policy.user_has_permission_for_instance(
        request.user, action, assistance
    ):
        raise PermissionDenied
    try:
        run(assistance)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("assistance:request_detail", assistance.pk)


@policy_required(request_policy, "manage")
@require_POST
def request_triage(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "manage",
        lambda a: services.request_triage(request=a, actor=request.user, http_request=request),
        _("The request is triaged."),
    )


@policy_required(request_policy, "manage")
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _step(
        request,
        pk,
        "manage",
        lambda a: services.request_decline(
            request=a, actor=request.user, reason=reason, http_request=request
        ),
        _("The request is declined; the requester is told why."),
    )


@policy_required(request_policy, "manage")
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "manage",
        lambda a: services.request_close(request=a, actor=request.user, http_request=request),
        _("The request is closed."),
    )


@policy_required(request_policy, "manage")
@require_http_methods(["GET", "POST"])
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Triage and assignment: the suggested experts, best match first, with why."""
    assistance = _request_for(request, pk)
    if not request_policy.user_has_permission_for_instance(request.user, "manage", assistance):
        raise PermissionDenied
    if request.method == "POST":
        form = AssignForm(request.POST)
        if form.is_valid():
            try:
                services.request_assign(
                    request=assistance,
                    actor=request.user,
                    experts=form.cleaned_data["experts"],
                    due_date=form.cleaned_data["due_date"],
                    http_request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The experts are assigned; the requester is told."))
                return redirect("assistance:request_detail", assistance.pk)
    else:
        form = AssignForm(
            initial={
                "experts": list(assistance.experts.all()),
                "due_date": assistance.due_date or assistance.wished_until,
            }
        )
    suggestions = selectors.expert_suggestions(user=request.user, request=assistance)
    chosen = {str(value) for value in (form["experts"].value() or [])}
    return render(
        request,
        "assistance/request_assign.html",
        {
            "assistance": assistance,
            "form": form,
            "suggestions": suggestions,
            "chosen": chosen,
            "can_assign": assistance.status
            in services.TRANSITIONS[AssistanceRequest.Status.ASSIGNED],
        },
    )


# --- experts ---------------------------------------------------------------------------------


@policy_required(request_policy, "list")
def assigned_to_me(request: HttpRequest) -> HttpResponse:
    """The expert's requests, the earliest due first; `?due_within=30` keeps those being
    worked on that are due within 30 days or overdue."""
    filters: dict[str, str] = {}
    due_within: int | None = None
    raw = request.GET.get("due_within", "")
    if raw.isdigit() and int(raw) <= MAX_DUE_WITHIN:
        due_within = int(raw)
        filters["due_within"] = raw
    requests = selectors.requests_assigned(user=request.user, due_within=due_within)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/assigned.html",
        {
            "requests": page.object_list,
            "page": page,
            "filters": filters,
            "due_within": due_within,
        },
    )


@policy_required(request_policy, "work")
@require_POST
def worklog_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = WorkLogForm(request.POST)
    assistance = _request_for(request, pk)
    if not form.is_valid():
        return _form_errors_back(request, form, assistance.pk)
    return _step(
        request,
        pk,
        "work",
        lambda a: services.worklog_add(
            request=a,
            actor=request.user,
            date=form.cleaned_data["date"],
            days=form.cleaned_data["days"],
            notes=form.cleaned_data["notes"],
            http_request=request,
        ),
        _("The work is logged."),
    )


@policy_required(request_policy, "work")
@require_POST
def deliverable_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeliverableForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_errors_back(request, form, pk)
    resource = None
    if form.cleaned_data["resource"]:
        resource = Resource.objects.filter(pk=form.cleaned_data["resource"]).first()
        if resource is None:
            messages.error(
                request,
                _("There is no library resource number %(number)s.")
                % {"number": form.cleaned_data["resource"]},
            )
            return redirect("assistance:request_detail", pk)
    return _step(
        request,
        pk,
        "work",
        lambda a: services.deliverable_add(
            request=a,
            actor=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            resource=resource,
            http_request=request,
        ),
        _("The deliverable is added."),
    )


@policy_required(request_policy, "work")
@require_POST
def request_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "work",
        lambda a: services.request_deliver(request=a, actor=request.user, http_request=request),
        _("The request is delivered; the requester is asked to rate it."),
    )


@policy_required(request_policy, "rate")
@require_POST
def request_rate(request: HttpRequest, pk: int) -> HttpResponse:
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect("assistance:request_detail", pk)
    return _step(
        request,
        pk,
        "rate",
        lambda a: services.request_rate(
            request=a,
            actor=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
            http_request=request,
        ),
        _("Thank you for your rating."),
    )


# --- files -------------------------------------------------------------------------------------


@policy_required(request_policy, "view")
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(RequestAttachment, pk=pk)
    _request_for(request, attachment.request_id)
    return _file_response(attachment.file, attachment.original_name, attachment.content_type)


@policy_required(request_policy, "view")
def deliverable_download(request: HttpRequest, pk: int) -> FileResponse:
    deliverable = get_object_or_404(Deliverable, pk=pk)
    _request_for(request, deliverable.request_id)
    if not deliverable.file:
        raise Http404
    return _file_response(deliverable.file, deliverable.original_name, deliverable.content_type)


# --- the secretariat ---------------------------------------------------------------------------


@policy_required(request_policy, "manage")
def queue(request: HttpRequest) -> HttpResponse:
    """Every request, the oldest first, paged. Without a filter the open ones only;
    `?status=submitted` is the requests to triage, `?overdue=1` those past their due date."""
    given = {name: request.GET[name] for name in QueueFilterForm.base_fields if name in request.GET}
    form = QueueFilterForm(given or None)
    filters = selectors.RequestFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.RequestFilters(
            status=data["status"],
            country=data["country"].iso2 if data["country"] else "",
            kind=data["kind"],
            urgency=data["urgency"],
            overdue=data["overdue"],
        )
    requests = selectors.request_queue(user=request.user, filters=filters)
    if not given:
        requests = requests.filter(status__in=AssistanceRequest.OPEN_STATUSES)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/queue.html",
        {"form": form, "requests": page.object_list, "page": page, "filters": given},
    )


@policy_required(expert_policy, "list")
def expert_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assistance/expert_list.html",
        {"experts": selectors.expert_list(user=request.user)},
    )


@policy_required(expert_policy, "change")
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    expert = get_object_or_404(Expert, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = ExpertForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.expert_save(
                    actor=request.user,
                    expert=expert,
                    user=data["user"],
                    engagement=data["engagement"],
                    issue_areas=data["issue_areas"],
                    kinds=data["kinds"],
                    languages=form.language_list(),
                    countries=data["countries"],
                    availability=data["availability"],
                    availability_note=data["availability_note"],
                    is_active=data["is_active"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The roster is saved."))
                return redirect("assistance:expert_list")
    elif expert is not None:
        form = ExpertForm(
            initial={
                "user": expert.user_id,
                "engagement": expert.engagement,
                "issue_areas": list(expert.issue_areas.all()),
                "kinds": expert.kinds,
                "languages": ", ".join(expert.languages),
                "countries": list(expert.countries.all()),
                "availability": expert.availability,
                "availability_note": expert.availability_note,
                "is_active": expert.is_active,
            }
        )
    else:
        form = ExpertForm()
    return render(request, "assistance/expert_form.html", {"form": form, "expert": expert})


@policy_required(request_policy, "report")
def reports(request: HttpRequest) -> HttpResponseBase:
    form = ReportFilterForm(request.GET)
    wanted = request.GET.get("format")
    if not form.is_valid():
        if wanted in ("csv", "xlsx"):
            return HttpResponse(form.error_text(), status=400, content_type="text/plain")
        return render(
            request, "assistance/reports.html", {"form": form, "report": None, "tables": []}
        )
    filters = selectors.ReportFilters(
        date_from=form.cleaned_data["from"],
        date_to=form.cleaned_data["to"],
        country=form.cleaned_data["country"],
    )
    report = selectors.assistance_report(user=request.user, filters=filters)
    tables = exports.report_tables(report)
    stamp = timezone.localdate().isoformat()
    if wanted == "xlsx":
        return download_response(
            exports.to_xlsx(tables),
            filename=f"assistance-report-{stamp}.xlsx",
            content_type=exports.XLSX_TYPE,
        )
    if wanted == "csv":
        table = request.GET.get("table", "summary")
        if table not in tables:
            raise Http404
        header, rows = tables[table]
        return csv_response(header, rows, filename=f"assistance-{table}-{stamp}.csv")
    labels = selectors.dimension_labels()
    # The downloads carry the same filters as the page.
    query = urlencode(
        {name: request.GET[name] for name in ("from", "to", "country") if request.GET.get(name)}
    )
    return render(
        request,
        "assistance/reports.html",
        {
            "form": form,
            "report": report,
            "query": f"&{query}" if query else "",
            "tables": [(name, labels[name], report.tables[name]) for name in selectors.DIMENSIONS],
        },
    )


@policy_required(request_policy, "report")
def request_export(request: HttpRequest) -> HttpResponse:
    requests = selectors.request_list(user=request.user).annotate(days_logged=Sum("work_log__days"))
    table = exports.request_rows(requests)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        return download_response(
            exports.to_xlsx({"requests": table}),
            filename=f"assistance-requests-{stamp}.xlsx",
            content_type=exports.XLSX_TYPE,
        )
    return download_response(
        exports.to_csv(table),
        filename=f"assistance-requests-{stamp}.csv",
        content_type=exports.CSV_TYPE,
    )


urlpatterns: list[URLPattern] = [
    path("", my_requests, name="my_requests"),
    path("new/", request_create, name="request_create"),
    path("assigned/", assigned_to_me, name="assigned"),
    path("queue/", queue, name="queue"),
    path("experts/", expert_list, name="expert_list"),
    path("experts/new/", expert_edit, name="expert_create"),
    path("experts/<int:pk>/", expert_edit, name="expert_edit"),
    path("reports/", reports, name="reports"),
    path("reports/requests/", request_export, name="request_export"),
    path("<int:pk>/", request_detail, name="request_detail"),
    path("<int:pk>/triage/", request_triage, name="request_triage"),
    path("<int:pk>/assign/", request_assign, name="request_assign"),
    path("<int:pk>/decline/", request_decline, name="request_decline"),
    path("<int:pk>/close/", request_close, name="request_close"),
    path("<int:pk>/work/", worklog_add, name="worklog_add"),
    path("<int:pk>/deliverables/", deliverable_add, name="deliverable_add"),
    path("<int:pk>/deliver/", request_deliver, name="request_deliver"),
    path("<int:pk>/rate/", request_rate, name="request_rate"),
    path("files/attachment/<int:pk>/", attachment_download, name="attachment_download"),
    path("files/deliverable/<int:pk>/", deliverable_download, name="deliverable_download"),
]
