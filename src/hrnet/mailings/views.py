"""Pages of segments and mailings (the secretariat's) and the one-click unsubscribe page
(anyone holding a link from a mailing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from hrnet.core.audit import log_action
from hrnet.core.exports import download_response
from hrnet.core.forms import add_service_errors
from hrnet.core.i18n import language_name
from hrnet.core.policies import policy_required
from hrnet.core.rendering import body_html
from hrnet.mailings import selectors
from hrnet.mailings.audit import Action
from hrnet.mailings.exports import FORMATS, recipients_file
from hrnet.mailings.forms import MailingForm, SegmentForm, SendForm
from hrnet.mailings.models import Category, Mailing, Segment
from hrnet.mailings.policies import mailing_policy, segment_policy
from hrnet.mailings.services import delivery, mailings, segments

# --- segments ---------------------------------------------------------------------------


@policy_required(segment_policy, "list")
def segment_list(request: HttpRequest) -> HttpResponse:
    rows = [
        (
            segment,
            selectors.segment_count(
                user=request.user, filters=selectors.SegmentFilters.from_dict(segment.filters)
            ),
        )
        for segment in selectors.segment_list(user=request.user)
    ]
    return render(request, "mailings/segment_list.html", {"rows": rows})


def _segment_form_page(request: HttpRequest, segment: Segment | None) -> HttpResponse:
    if request.method == "POST":
        form = SegmentForm(request.POST)
        if form.is_valid():
            stored = form.segment_filters().as_dict()
            name = form.cleaned_data.get("name") or ""
            try:
                if segment is None:
                    segment = segments.segment_create(
                        actor=request.user, name=name, filters=stored, request=request
                    )
                else:
                    segments.segment_update(
                        actor=request.user,
                        segment=segment,
                        name=name,
                        filters=stored,
                        request=request,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The segment “%(name)s” is saved.") % {"name": name})
                return redirect("mailings:segment_detail", segment.pk)
    else:
        form = SegmentForm(initial=SegmentForm.initial_from(segment) if segment else None)
    filters = (
        form.segment_filters()
        if form.is_bound and form.is_valid()
        else selectors.SegmentFilters.from_dict(segment.filters if segment else {})
    )
    count = selectors.segment_count(user=request.user, filters=filters)
    return render(
        request,
        "mailings/segment_form.html",
        {"form": form, "segment": segment, "count": count, "formats": FORMATS},
    )


@policy_required(segment_policy, "add")
def segment_create(request: HttpRequest) -> HttpResponse:
    return _segment_form_page(request, None)


@policy_required(segment_policy, "change")
def segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        segment = selectors.segment_get(user=request.user, pk=pk)
    except Segment.DoesNotExist as exc:
        raise Http404 from exc
    return _segment_form_page(request, segment)


@policy_required(segment_policy, "view")
def segment_count(request: HttpRequest) -> HttpResponse:
    """The live count as the filters change (htmx)."""
    form = SegmentForm(request.GET)
    form.is_valid()
    count = selectors.segment_count(user=request.user, filters=form.segment_filters())
    return render(request, "mailings/partials/segment_count.html", {"count": count})


@policy_required(segment_policy, "export")
def segment_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    try:
        segment = selectors.segment_get(user=request.user, pk=pk)
    except Segment.DoesNotExist as exc:
        raise Http404 from exc
    recipients = selectors.segment_recipients(
        filters=selectors.SegmentFilters.from_dict(segment.filters)
    )
    content, content_type = recipients_file(recipients, fmt=fmt)
    log_action(
        actor=request.user,
        action=Action.SEGMENT_EXPORT,
        obj=segment,
        changes={"format": fmt, "rows": len(recipients)},
        request=request,
    )
    filename = f"segment-{slugify(segment.name) or segment.pk}.{fmt}"
    return download_response(content, filename=filename, content_type=content_type)


# --- mailings ---------------------------------------------------------------------------


@policy_required(mailing_policy, "list")
def mailing_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.mailing_list(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "mailings/mailing_list.html", {"page": page})


def _mailing_form_page(request: HttpRequest, mailing: Mailing | None) -> HttpResponse:
    choices = selectors.segment_list(user=request.user)
    if request.method == "POST":
        form = MailingForm(request.POST, segments=choices)
        if form.is_valid():
            try:
                if mailing is None:
                    mailing = mailings.mailing_create(
                        actor=request.user,
                        segment=form.cleaned_data["segment"],
                        category=form.cleaned_data["category"],
                        subjects=form.subjects(),
                        bodies=form.bodies(),
                        request=request,
                    )
                else:
                    mailings.mailing_update(
                        actor=request.user,
                        mailing=mailing,
                        segment=form.cleaned_data["segment"],
                        category=form.cleaned_data["category"],
                        subjects=form.subjects(),
                        bodies=form.bodies(),
                        request=request,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The draft is saved. Check the preview, then send."))
                return redirect("mailings:mailing_detail", mailing.pk)
    else:
        initial: dict = {"segment": request.GET.get("segment")}
        if mailing is not None:
            initial = {"segment": mailing.segment_id, "category": mailing.category}
            for code, text in mailing.subjects.items():
                initial[f"subject_{code}"] = text
            for code, text in mailing.bodies.items():
                initial[f"body_{code}"] = text
        form = MailingForm(initial=initial, segments=choices)
    return render(request, "mailings/mailing_form.html", {"form": form, "mailing": mailing})


@policy_required(mailing_policy, "add")
def mailing_create(request: HttpRequest) -> HttpResponse:
    return _mailing_form_page(request, None)


def _mailing_or_404(request: HttpRequest, pk: int) -> Mailing:
    try:
        return selectors.mailing_get(user=request.user, pk=pk)
    except Mailing.DoesNotExist as exc:
        raise Http404 from exc


@policy_required(mailing_policy, "change")
def mailing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = _mailing_or_404(request, pk)
    if mailing.status != Mailing.Status.DRAFT:
        return redirect("mailings:mailing_detail", mailing.pk)
    return _mailing_form_page(request, mailing)


@policy_required(mailing_policy, "view")
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = _mailing_or_404(request, pk)
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        send_at = form.cleaned_data["send_at"] if form.cleaned_data["when"] == "later" else None
        mailing, queued = mailings.mailing_send(
            actor=request.user, mailing=mailing, send_at=send_at, request=request
        )
        if queued:
            messages.success(request, _("The mailing is queued."))
        else:
            messages.info(request, _("This mailing was already sent or is on its way."))
        return redirect("mailings:mailing_detail", mailing.pk)
    versions = [
        {
            "code": code,
            "language": language_name(code),
            "subject": mailing.subjects.get(code, ""),
            "body_html": body_html(mailing.bodies.get(code, "")),
        }
        for code in selectors.LANGUAGE_CODES
        if mailing.subjects.get(code)
    ]
    recipients_now = None
    if mailing.status == Mailing.Status.DRAFT:
        recipients_now = len(
            selectors.segment_recipients(
                filters=selectors.SegmentFilters.from_dict(mailing.segment.filters),
                category=mailing.category,
            )
        )
    return render(
        request,
        "mailings/mailing_detail.html",
        {
            "mailing": mailing,
            "versions": versions,
            "counts": selectors.mailing_counts(mailing=mailing),
            "recipients_now": recipients_now,
            "form": form,
            "job": mailing.job,
            # A mailing waiting for its time shows the time, not a bar polled for hours.
            "show_progress": mailing.job is not None
            and mailing.status != Mailing.Status.DRAFT
            and not (mailing.send_at and mailing.send_at > timezone.now()),
            "category": Category(mailing.category).label,
        },
    )


@policy_required(mailing_policy, "view")
def mailing_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = _mailing_or_404(request, pk)
    page = Paginator(selectors.mailing_recipients(user=request.user, mailing=mailing), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mailings/mailing_recipients.html",
        {"mailing": mailing, "page": page, "counts": selectors.mailing_counts(mailing=mailing)},
    )


# --- unsubscribing ----------------------------------------------------------------------


# The signed token in the URL is the credential, as for the weekly digest: mail clients that
# follow RFC 8058 POST here without a CSRF token, and a forged POST would need the token.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners follow links); POST unsubscribes. No sign-in needed."""
    found = delivery.unsubscribe_token_read(token)
    if found is None:
        return render(request, "mailings/unsubscribe.html", {"invalid": True}, status=400)
    email, category = found
    context: dict[str, Any] = {"email": email, "category": Category(category).label}
    if request.method == "POST":
        delivery.category_unsubscribe(email=email, category=category, request=request)
        context["done"] = True
    return render(request, "mailings/unsubscribe.html", context)
