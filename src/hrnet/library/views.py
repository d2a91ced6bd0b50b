"""Pages of the resource library: the listing with filters, a resource's page, file
downloads, submitting a resource, the submitter's own list, and the secretariat's
moderation queue, editing and trash."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from hrnet.core.bulk import bulk_apply, bulk_report, selected_ids
from hrnet.core.forms import add_service_errors
from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.policies import policy_required
from hrnet.core.rendering import body_html
from hrnet.library import selectors
from hrnet.library.forms import RejectForm, ResourceFilterForm, ResourceForm
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.policies import resource_policy
from hrnet.library.services import resources as services


class _SignInFirst(Exception):
    """An anonymous visitor asked for a members-only resource."""


def _resource_for(request: HttpRequest, pk: int) -> Resource:
    try:
        return selectors.resource_get(user=request.user, pk=pk)
    except Resource.DoesNotExist as exc:
        if not request.user.is_authenticated and selectors.resource_requires_sign_in(pk=pk):
            raise _SignInFirst from exc
        raise Http404 from exc


# --- reading --------------------------------------------------------------------------


@vary_on_headers("HX-Request")
def resource_list(request: HttpRequest) -> HttpResponse:
    """Published resources the visitor may see, filtered and paginated; htmx swaps the
    results only, and without JavaScript the filters are a plain GET form."""
    form = ResourceFilterForm(request.GET, years=selectors.resource_years(user=request.user))
    form.is_valid()
    filters = form.filters(prefer_language=translation.get_language() or "")
    paginator = Paginator(
        selectors.resource_list(user=request.user, filters=filters), selectors.PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = filters.as_query()
    base = reverse("library:resource_list")

    def page_url(number: int) -> str:
        return f"{base}?{urlencode({**query, 'page': str(number)})}"

    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "page": page,
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": page_url(page.next_page_number()) if page.has_next() else "",
        "may_submit": resource_policy.user_has_permission(request.user, "add"),
        "may_moderate": resource_policy.user_has_permission(request.user, "moderate"),
    }
    if is_htmx_fragment(request):
        return render(request, "library/partials/resource_results.html", context)
    return render(request, "library/resource_list.html", context)


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        resource = _resource_for(request, pk)
    except _SignInFirst:
        return redirect_to_login(request.get_full_path())
    translations = selectors.resource_translations(user=request.user, resource=resource)
    languages_present = {resource.language, *(t.language for t in translations)}
    user = request.user
    return render(
        request,
        "library/resource_detail.html",
        {
            "resource": resource,
            "description_html": body_html(resource.description),
            "translations": [
                {"resource": t, "language": translation.get_language_info(t.language)}
                for t in translations
            ],
            "may_translate": resource.is_published
            and resource_policy.user_has_permission(user, "add")
            and len(languages_present) < len(settings.LANGUAGES),
            "may_change": resource_policy.user_has_permission_for_instance(
                user, "change", resource
            ),
            "may_moderate": resource_policy.user_has_permission_for_instance(
                user, "moderate", resource
            ),
            "is_submitter": resource.submitted_by_id == getattr(user, "pk", None),
            "reject_form": RejectForm(),
        },
    )


def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file, as an attachment with the type found in its bytes; never shown inline."""
    try:
        resource_file = selectors.resource_file_get(user=request.user, pk=pk)
    except ResourceFile.DoesNotExist as exc:
        resource_id = (
            ResourceFile.objects.filter(pk=pk).values_list("resource_id", flat=True).first()
        )
        if (
            not request.user.is_authenticated
            and resource_id is not None
            and selectors.resource_requires_sign_in(pk=resource_id)
        ):
            return redirect_to_login(request.get_full_path())
        raise Http404 from exc
    try:
        handle = resource_file.file.open("rb")
    except OSError as exc:  # the row is there but the storage lost the file
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource_file.original_name,
        content_type=resource_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- submitting -----------------------------------------------------------------------


def _translation_of(request: HttpRequest) -> Resource | None:
    raw = request.POST.get("translation_of") or request.GET.get("translation_of")
    if not raw or not str(raw).isdigit():
        return None
    try:
        return selectors.resource_get(user=request.user, pk=int(raw))
    except Resource.DoesNotExist as exc:
        raise Http404 from exc


@policy_required(resource_policy, "add")
@require_http_methods(["GET", "POST"])
def resource_submit(request: HttpRequest) -> HttpResponse:
    """Network members submit a resource for moderation; the secretariat adds one, which is
    published at once. With `translation_of`, the new resource is its translation."""
    original = _translation_of(request)
    initial: dict[str, Any] = {"language": translation.get_language() or settings.LANGUAGE_CODE}
    if original is not None:
        initial.update(
            type=original.type,
            visibility=original.visibility,
            publisher=original.publisher,
            authors=original.authors,
            publication_date=original.publication_date,
            external_url=original.external_url,
            issue_areas=list(original.issue_areas.all()),
            countries=list(original.countries.all()),
            language=next(
                (code for code, _name in settings.LANGUAGES if code != original.language),
                initial["language"],
            ),
        )
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ResourceForm(data, files, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                actor=request.user,
                **form.resource_data(),
                uploads=form.cleaned_data["uploads"],
                translation_of=original,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if resource.is_published:
                messages.success(request, _("The resource is published."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: the resource was submitted. The secretariat will review it "
                        "and we will email you."
                    ),
                )
            return redirect("library:resource_detail", pk=resource.pk)
    if request.method == "POST" and form.errors and request.FILES:
        messages.warning(
            request,
            _("Your entries are kept, but files must be chosen again after an error."),
        )
    return render(
        request,
        "library/resource_submit.html",
        {
            "form": form,
            "original": original,
            "publishes": resource_policy.user_has_permission(request.user, "moderate"),
        },
    )


@login_required
def resource_mine(request: HttpRequest) -> HttpResponse:
    """What the signed-in person submitted, with each submission's status."""
    paginator = Paginator(selectors.resources_submitted_by(user=request.user), selectors.PAGE_SIZE)
    return render(
        request,
        "library/resource_mine.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "may_submit": resource_policy.user_has_permission(request.user, "add"),
        },
    )


# --- the secretariat ------------------------------------------------------------------


@policy_required(resource_policy, "moderate")
def moderation_queue(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.moderation_queue(user=request.user), selectors.PAGE_SIZE)
    return render(
        request,
        "library/moderation_queue.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "reject_form": RejectForm(),
            "bulk_actions": [("publish", _("Publish"))],
        },
    )


def _published(count: int) -> str:
    return ngettext(
        "%(count)s submission published.", "%(count)s submissions published.", count
    ) % {"count": count}


@policy_required(resource_policy, "moderate")
@require_POST
def moderation_bulk(request: HttpRequest) -> HttpResponse:
    """Publish the ticked submissions, each on its own; those that fail are named."""
    if request.POST.get("action") != "publish":
        messages.error(request, _("Choose what to do with the selected submissions."))
        return redirect("library:moderation_queue")
    result = bulk_apply(
        selectors.moderation_selection(user=request.user, ids=selected_ids(request)),
        lambda resource: services.resource_publish(
            resource=resource, actor=request.user, request=request
        ),
        label=lambda resource: resource.title,
    )
    bulk_report(request, result, done=_published)
    return redirect("library:moderation_queue")


def _next_url(request: HttpRequest, resource: Resource) -> str:
    if request.POST.get("next") == "queue":
        return reverse("library:moderation_queue")
    return reverse("library:resource_detail", kwargs={"pk": resource.pk})


@policy_required(resource_policy, "moderate")
@require_POST
def resource_publish(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_for(request, pk)
    try:
        services.resource_publish(resource=resource, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": resource.title})
    return redirect(_next_url(request, resource))


@policy_required(resource_policy, "moderate")
@require_http_methods(["GET", "POST"])
def resource_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject with a reason. The queue posts here; a missing reason shows this page."""
    resource = _resource_for(request, pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_reject(
                resource=resource,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is rejected; the submitter was emailed the reason.")
                % {"title": resource.title},
            )
            return redirect(_next_url(request, resource))
    return render(request, "library/resource_reject.html", {"resource": resource, "form": form})


@policy_required(resource_policy, "change")
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_for(request, pk)
    initial = {
        "type": resource.type,
        "title": resource.title,
        "summary": resource.summary,
        "description": resource.description,
        "language": resource.language,
        "publication_date": resource.publication_date,
        "visibility": resource.visibility,
        "publisher": resource.publisher,
        "authors": resource.authors,
        "external_url": resource.external_url,
        "issue_areas": list(resource.issue_areas.all()),
        "countries": list(resource.countries.all()),
    }
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ResourceForm(data, files, initial=initial, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                resource=resource,
                actor=request.user,
                data=form.resource_data(),
                uploads=form.cleaned_data["uploads"],
                files_remove=form.cleaned_data.get("files_remove") or (),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("library:resource_detail", pk=resource.pk)
    return render(request, "library/resource_edit.html", {"resource": resource, "form": form})


@policy_required(resource_policy, "delete")
@require_http_methods(["GET", "POST"])
def resource_trash(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_for(request, pk)
    if request.method == "POST":
        services.resource_trash(resource=resource, actor=request.user, request=request)
        messages.success(
            request,
            _("“%(title)s” is in the trash; it can be restored from there.")
            % {"title": resource.title},
        )
        return redirect("library:resource_list")
    return render(request, "library/resource_trash.html", {"resource": resource})
