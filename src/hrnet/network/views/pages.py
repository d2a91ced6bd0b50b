"""The network's pages under /<lang>/pages/: the index and a page for everyone; for the
secretariat a new page, the editor of one language's draft (with a preview), and the
history of revisions with comparison and restore."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.core.rendering import body_html
from hrnet.network.forms.pages import PageCreateForm, PageDraftForm
from hrnet.network.models import Page, PageRevision
from hrnet.network.policies import page_policy
from hrnet.network.selectors import pages as selectors
from hrnet.network.services import pages as services


def _language(request: HttpRequest) -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _page(request: HttpRequest, slug: str) -> Page:
    try:
        return selectors.page_get(user=request.user, slug=slug)
    except Page.DoesNotExist as exc:
        raise Http404 from exc


def _edit_language(request: HttpRequest) -> str:
    """The language being edited: `?language=` when it is one of the site's."""
    language = request.GET.get("language") or request.POST.get("language") or ""
    return language if language in selectors.language_codes() else _language(request)


def _edit_url(page: Page, language: str) -> str:
    return f"{reverse('network:page_edit', args=[page.slug])}?{urlencode({'language': language})}"


def _history_url(page: Page, language: str) -> str:
    query = urlencode({"language": language})
    return f"{reverse('network:page_history', args=[page.slug])}?{query}"


def page_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.page_list(user=request.user, language=_language(request))
    return render(
        request,
        "network/pages/page_list.html",
        {"entries": entries, "may_add": page_policy.user_has_permission(request.user, "add")},
    )


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _page(request, slug)
    language = _language(request)
    entry = selectors.page_live(user=request.user, page=page, language=language)
    may_change = page_policy.user_has_permission_for_instance(request.user, "change", page)
    items = None
    if page.issue_area is not None:
        items = selectors.issue_area_items(
            user=request.user, issue_area=page.issue_area, language=language
        )
    return render(
        request,
        "network/pages/page_detail.html",
        {
            "page": page,
            "entry": entry,
            "revision": entry.revision,
            "body": body_html(entry.revision.body) if entry.revision else "",
            "language_name": selectors.language_name(entry.language),
            "items": items,
            "may_change": may_change,
            "edit_url": _edit_url(page, language) if may_change else "",
            "history_url": _history_url(page, language) if may_change else "",
        },
    )


@policy_required(page_policy, "add")
def page_create(request: HttpRequest) -> HttpResponse:
    """A new page; the editor of its first language's text comes next."""
    form = PageCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.page_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The page was created. Write its text now."))
            return redirect(_edit_url(page, _language(request)))
    return render(request, "network/pages/page_create.html", {"form": form})


def _languages(page: Page, current: str) -> list[dict[str, Any]]:
    published = set(PageRevision.objects.filter(page=page).values_list("language", flat=True))
    return [
        {
            "code": code,
            "name": name,
            "current": code == current,
            "published": code in published,
            "edit_url": _edit_url(page, code),
        }
        for code, name in settings.LANGUAGES
    ]


def _save_draft(
    request: HttpRequest, page: Page, language: str, form: PageDraftForm, publish: bool
) -> HttpResponse | None:
    """Save the draft (and publish it); None with the refusals on the form."""
    try:
        services.page_draft_save(
            actor=request.user, page=page, language=language, request=request, **form.cleaned_data
        )
        if not publish:
            messages.success(request, _("The draft was saved; visitors do not see it yet."))
            return redirect(_edit_url(page, language))
        revision = services.page_publish(
            actor=request.user, page=page, language=language, request=request
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(
        request,
        _("Revision %(number)s is published in %(language)s.")
        % {"number": revision.number, "language": selectors.language_name(language)},
    )
    return redirect("network:page_detail", slug=page.slug)


@policy_required(page_policy, "change")
def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The draft of one language: save it, preview it, or publish it for that language's
    visitors. What was typed stays on the page when something is refused."""
    page = _page(request, slug)
    language = _edit_language(request)
    draft = selectors.page_draft_for_edit(user=request.user, page=page, language=language)
    preview = None
    if request.method == "POST":
        form = PageDraftForm(request.POST)
        action = request.POST.get("action", "save")
        if form.is_valid():
            if action == "preview":
                preview = body_html(form.cleaned_data["body"])
            else:
                response = _save_draft(request, page, language, form, publish=action == "publish")
                if response is not None:
                    return response
    else:
        form = PageDraftForm(
            initial={"title": draft.title, "summary": draft.summary, "body": draft.body}
        )
    return render(
        request,
        "network/pages/page_edit.html",
        {
            "page": page,
            "form": form,
            "language": language,
            "language_name": selectors.language_name(language),
            "edit_languages": _languages(page, language),
            "draft_saved": draft.pk is not None,
            "draft_is_published": draft.pk is not None
            and selectors.page_draft_is_published(draft=draft),
            "preview": preview,
            "history_url": _history_url(page, language),
        },
    )


@require_POST
@policy_required(page_policy, "change")
def page_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The body being typed, as visitors would see it (htmx fragment; nothing is saved)."""
    _page(request, slug)
    form = PageDraftForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return render(request, "network/pages/partials/page_preview.html", {"preview": body_html(body)})


@policy_required(page_policy, "history")
def page_history(request: HttpRequest, slug: str) -> HttpResponse:
    page = _page(request, slug)
    language = _edit_language(request)
    rows = selectors.page_history(user=request.user, page=page, language=language)
    return render(
        request,
        "network/pages/page_history.html",
        {
            "page": page,
            "rows": rows,
            "language": language,
            "language_name": selectors.language_name(language),
            "history_languages": [
                {"code": code, "name": name, "url": _history_url(page, code)}
                for code, name in settings.LANGUAGES
            ],
            "edit_url": _edit_url(page, language),
        },
    )


@require_POST
@policy_required(page_policy, "restore")
def page_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Publish an earlier revision's text again, as a new revision."""
    page = _page(request, slug)
    try:
        revision = selectors.page_revision_get(user=request.user, page=page, pk=pk)
    except PageRevision.DoesNotExist as exc:
        raise Http404 from exc
    restored = services.page_revision_restore(
        actor=request.user, revision=revision, request=request
    )
    messages.success(
        request,
        _("Revision %(old)s is published again as revision %(new)s.")
        % {"old": revision.number, "new": restored.number},
    )
    return redirect(_history_url(page, revision.language))


urlpatterns: list[URLPattern] = [
    path("pages/", page_list, name="page_list"),
    path("pages/new/", page_create, name="page_create"),
    path("pages/<slug:slug>/", page_detail, name="page_detail"),
    path("pages/<slug:slug>/edit/", page_edit, name="page_edit"),
    path("pages/<slug:slug>/preview/", page_preview, name="page_preview"),
    path("pages/<slug:slug>/history/", page_history, name="page_history"),
    path("pages/<slug:slug>/history/<int:pk>/restore/", page_restore, name="page_restore"),
]
