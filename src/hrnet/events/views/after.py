"""Pages after an event: the organisers' check-in list and attendance import, the survey
(reached by a signed link, no sign-in) and its results, certificates (issue, download,
public verification) and reports with their CSV/XLSX exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hrnet.core.exports import download_response
from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.policies import policy_required
from hrnet.events.forms.after import (
    AttendanceConfirmForm,
    AttendanceImportForm,
    CertificateLookupForm,
    CheckInSearchForm,
    FeedbackForm,
    ReportFilterForm,
)
from hrnet.events.models import Certificate, Event, Registration, Session
from hrnet.events.pdf import certificate_pdf, event_dates
from hrnet.events.policies import event_policy, registration_policy
from hrnet.events.selectors import reports
from hrnet.events.services import attendance, certificates, feedback
from hrnet.members.policies import is_secretariat


def _managed_event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.all(), pk=pk)
    event_policy.require(request.user, "manage", event)
    return event


def _current_session(event: Event, sessions: list[Session], wanted: str | None) -> Session:
    """The session asked for, else the first not yet over, else the last."""
    if not sessions:
        raise Http404(_("This event has no sessions."))
    by_pk = {str(session.pk): session for session in sessions}
    if wanted in by_pk:
        return by_pk[wanted]
    now = timezone.now()
    return next((s for s in sessions if s.ends_at >= now), sessions[-1])


# --- check-in -------------------------------------------------------------------------------


def _check_in_context(request: HttpRequest, event: Event, session: Session) -> dict[str, Any]:
    form = CheckInSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return {
        "event": event,
        "session": session,
        "form": form,
        "query": query,
        "registrations": reports.check_in_list(
            user=request.user, event=event, session=session, query=query
        ),
        "counts": reports.check_in_counts(user=request.user, event=event, session=session),
    }


@policy_required(event_policy, "manage")
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmed participants of one session with a button each to mark them present."""
    event = _managed_event(request, pk)
    sessions = list(event.sessions.all())
    session = _current_session(event, sessions, request.GET.get("session"))
    context = _check_in_context(request, event, session)
    context["sessions"] = sessions
    if is_htmx_fragment(request):
        return render(request, "events/partials/after_check_in_rows.html", context)
    return render(request, "events/after_check_in.html", context)


@policy_required(event_policy, "manage")
@require_POST
def check_in_toggle(
    request: HttpRequest, pk: int, session_pk: int, registration_pk: int
) -> HttpResponse:
    event = _managed_event(request, pk)
    session = get_object_or_404(Session, pk=session_pk, event=event)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=registration_pk, event=event
    )
    try:
        if request.POST.get("present") == "1":
            attendance.attendance_check_in(
                registration=registration, session=session, actor=request.user, request=request
            )
        else:
            attendance.attendance_undo(
                registration=registration, session=session, actor=request.user, request=request
            )
    except ValidationError as exc:
        if is_htmx_fragment(request):
            return HttpResponseBadRequest(" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
    if not is_htmx_fragment(request):
        query = urlencode({"session": str(session.pk), "q": str(request.POST.get("q", ""))})
        return redirect(f"{reverse('events:after_check_in', args=[event.pk])}?{query}")
    row = (
        reports.check_in_list(user=request.user, event=event, session=session)
        .filter(pk=registration.pk)
        .first()
    )
    return render(
        request,
        "events/partials/after_check_in_row.html",
        {
            "event": event,
            "session": session,
            "registration": row,
            "counts": reports.check_in_counts(user=request.user, event=event, session=session),
            "oob": True,
        },
    )


# --- attendance import ----------------------------------------------------------------------


@policy_required(event_policy, "manage")
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (the matched people are imported)."""
    event = _managed_event(request, pk)
    context: dict[str, Any] = {"event": event}
    form = AttendanceImportForm(event=event)
    if request.method == "POST" and "token" in request.POST:
        confirm = AttendanceConfirmForm(request.POST)
        if not confirm.is_valid():
            return HttpResponseBadRequest(_("Upload the file again."))
        session = get_object_or_404(Session, pk=confirm.cleaned_data["session"], event=event)
        try:
            result = attendance.attendance_import(
                session=session,
                token=confirm.cleaned_data["token"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context.update({"result": result, "session": session})
    elif request.method == "POST":
        form = AttendanceImportForm(request.POST, request.FILES, event=event)
        if form.is_valid():
            session = form.cleaned_data["session"]
            preview = attendance.attendance_import_preview(
                session=session, data=form.cleaned_data["file"].read(), actor=request.user
            )
            context.update(
                {
                    "preview": preview,
                    "session": session,
                    "confirm": AttendanceConfirmForm(
                        initial={
                            "session": session.pk,
                            "token": attendance.attendance_import_token(
                                session=session, preview=preview
                            ),
                        }
                    ),
                }
            )
    context["form"] = form
    return render(request, "events/after_attendance_import.html", context)


# --- feedback -------------------------------------------------------------------------------


def feedback_form(request: HttpRequest, token: str) -> HttpResponse:
    """The survey, for whoever has the link (it is signed and expires)."""
    try:
        registration = feedback.feedback_registration(token)
    except feedback.FeedbackLinkInvalid as exc:
        return render(request, "events/after_feedback_form.html", {"invalid": str(exc)}, status=404)
    event = registration.event
    existing = getattr(registration, "feedback", None)
    initial = (
        {
            "overall": existing.overall,
            "usefulness": existing.usefulness,
            "comment": existing.comment,
        }
        if existing
        else None
    )
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_submit(registration=registration, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request, "events/after_feedback_form.html", {"event": event, "thanks": True}
            )
    return render(
        request,
        "events/after_feedback_form.html",
        {"event": event, "form": form, "answered": existing is not None},
    )


@policy_required(event_policy, "manage")
def feedback_results(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    results = reports.feedback_results(user=request.user, event=event)
    return render(
        request, "events/after_feedback_results.html", {"event": event, "results": results}
    )


# --- certificates -----------------------------------------------------------------------------


@policy_required(event_policy, "manage")
def certificate_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Who may have a certificate, who has one; one button issues the missing ones."""
    event = _managed_event(request, pk)
    if request.method == "POST":
        result = certificates.certificates_issue(event=event, actor=request.user, request=request)
        if result.issued:
            messages.success(
                request,
                ngettext(
                    "%(count)s certificate was issued.",
                    "%(count)s certificates were issued.",
                    len(result.issued),
                )
                % {"count": len(result.issued)},
            )
        else:
            messages.info(request, _("No new certificates: everyone eligible has one."))
        if result.without_name:
            messages.warning(
                request,
                _("No certificate for %(people)s: their profile has no name.")
                % {"people": ", ".join(r.email for r in result.without_name)},
            )
        return redirect("events:after_certificates", pk=event.pk)
    eligible = certificates.certificate_eligible(event=event).select_related("certificate")
    issued = Certificate.objects.filter(registration__event=event).select_related(
        "registration__user"
    )
    return render(
        request,
        "events/after_certificates.html",
        {
            "event": event,
            "eligible": eligible,
            "missing": [r for r in eligible if not hasattr(r, "certificate")],
            "issued": issued.order_by("holder_name"),
            "sessions": event.sessions.count(),
        },
    )


@policy_required(event_policy, "manage")
@require_POST
def certificate_revoke(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    event = _managed_event(request, pk)
    certificate = get_object_or_404(Certificate, code=code, registration__event=event)
    certificates.certificate_revoke(certificate=certificate, actor=request.user, request=request)
    messages.success(request, _("Certificate %(code)s was revoked.") % {"code": certificate.code})
    return redirect("events:after_certificates", pk=event.pk)


def _pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@policy_required(registration_policy, "certificate")
def certificate_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in person's own certificate of event `pk`, as PDF."""
    certificate = (
        Certificate.objects.select_related("registration__event")
        .filter(
            registration__event_id=pk,
            registration__user_id=request.user.pk or 0,
            registration__event__deleted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    )
    if certificate is None:
        raise Http404(_("You have no certificate for this event."))
    return _pdf_response(certificate)


@policy_required(registration_policy, "certificate")
def certificate_download(request: HttpRequest, code: str) -> HttpResponse:
    """A certificate's PDF for its holder or the event's managers."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("registration__event"),
        code=code,
        registration__event__deleted_at__isnull=True,
    )
    registration_policy.require(request.user, "certificate", certificate.registration)
    if certificate.revoked_at is not None:
        raise Http404(_("This certificate was revoked."))
    return _pdf_response(certificate)


def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """Anyone can type a code to check a certificate."""
    form = CertificateLookupForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        code = certificates.certificate_code_normalize(form.cleaned_data["code"])
        if code:
            return redirect("events:after_certificate_verify", code=code)
        form.add_error("code", _("Type the code printed on the certificate."))
    return render(request, "events/after_certificate_verify.html", {"form": form})


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a certificate with this code exists, for whom, for what, and
    whether it still stands. Nothing else (no email, no registration details)."""
    certificate = certificates.certificate_find(code=code)
    form = CertificateLookupForm(initial={"code": code})
    if certificate is None:
        return render(
            request,
            "events/after_certificate_verify.html",
            {"form": form, "not_found": True, "code": code},
            status=404,
        )
    event = certificate.registration.event
    return render(
        request,
        "events/after_certificate_verify.html",
        {
            "form": form,
            "certificate": certificate,
            "dates": event_dates(event),
            "sessions": event.sessions.count(),
        },
    )


# --- reports --------------------------------------------------------------------------------


def _report_response(
    request: HttpRequest, report: reports.Report, *, name: str
) -> HttpResponse | None:
    """The export asked for by `?format=`, or None for the page."""
    fmt = request.GET.get("format", "")
    if not fmt:
        return None
    table = request.GET.get("table", "")
    if fmt not in reports.FORMATS or (fmt == "csv" and table not in reports.TABLES):
        return HttpResponseBadRequest(
            _("Ask for format=xlsx, or format=csv with table=%(tables)s.")
            % {"tables": "|".join(reports.TABLES)}
        )
    export = reports.report_export(
        user=request.user, report=report, fmt=fmt, table=table, name=name, request=request
    )
    return download_response(
        export.content, filename=export.filename, content_type=export.content_type
    )


@policy_required(event_policy, "manage")
def report_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    report = reports.report_for_event(user=request.user, event=event)
    response = _report_response(request, report, name=f"event-{event.pk}-report")
    if response is not None:
        return response
    return render(
        request,
        "events/after_report.html",
        {"event": event, "report": report, "tables": reports.TABLES},
    )


@policy_required(event_policy, "manage")
def participants_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    fmt = request.GET.get("format", "csv")
    if fmt not in reports.FORMATS:
        return HttpResponseBadRequest(_("Ask for format=csv or format=xlsx."))
    export = reports.participants_export(user=request.user, event=event, fmt=fmt, request=request)
    return download_response(
        export.content, filename=export.filename, content_type=export.content_type
    )


@policy_required(event_policy, "manage")
def report_across(request: HttpRequest) -> HttpResponse:
    """Every event the user manages (the secretariat: all) in a date range."""
    user = request.user
    if not is_secretariat(user) and not user.events_organised.exists():  # type: ignore[union-attr]
        raise PermissionDenied
    form = ReportFilterForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = reports.report_across_events(user=user, start=start, end=end)
    response = _report_response(request, report, name="events-report")
    if response is not None:
        return response
    query = {key: str(request.GET[key]) for key in ("start", "end") if request.GET.get(key)}
    return render(
        request,
        "events/after_report.html",
        {"report": report, "form": form, "tables": reports.TABLES, "query": urlencode(query)},
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/check-in/", check_in, name="after_check_in"),
    path(
        "<int:pk>/check-in/<int:session_pk>/<int:registration_pk>/",
        check_in_toggle,
        name="after_check_in_toggle",
    ),
    path("<int:pk>/attendance/import/", attendance_import, name="after_attendance_import"),
    path("<int:pk>/feedback/results/", feedback_results, name="after_feedback_results"),
    path("feedback/<str:token>/", feedback_form, name="after_feedback"),
    path("<int:pk>/certificates/", certificate_list, name="after_certificates"),
    path(
        "<int:pk>/certificates/<str:code>/revoke/",
        certificate_revoke,
        name="after_certificate_revoke",
    ),
    path("<int:pk>/certificate.pdf", certificate_mine, name="after_certificate_mine"),
    path("certificates/", certificate_lookup, name="after_certificate_lookup"),
    path("certificates/<str:code>/", certificate_verify, name="after_certificate_verify"),
    path("certificates/<str:code>/pdf/", certificate_download, name="after_certificate_pdf"),
    path("<int:pk>/report/", report_event, name="after_report_event"),
    path("<int:pk>/participants/export/", participants_export, name="after_participants_export"),
    path("reports/", report_across, name="after_reports"),
]
