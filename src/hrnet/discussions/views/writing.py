"""Writing: a new thread, a reply, an edit, a flag, a machine translation, following.

Every write goes through a service, which asks the policy again; a form that fails comes
back with what was typed and every reason, translated. What the writer may not read is
404; a visitor who is not signed in is sent to sign in first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from hrnet.core.forms import add_service_errors
from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.rendering import sanitise_html
from hrnet.discussions import selectors
from hrnet.discussions.forms import FlagForm, PostEditForm, ReplyForm, ThreadForm, TranslateForm
from hrnet.discussions.models import Post, Thread
from hrnet.discussions.policies import category_policy, edit_window, post_policy, thread_policy
from hrnet.discussions.services import following, moderation, posting
from hrnet.discussions.services import translation as translation_service
from hrnet.discussions.views.reading import page_language, post_url, thread_context


def _sign_in_first(request: HttpRequest, next_url: str) -> HttpResponseRedirect:
    return redirect_to_login(next_url)


def _service_errors(form: Any, error: ValidationError) -> None:
    """A service's errors on the form; its "files" are the form's attachments field."""
    if hasattr(error, "error_dict") and "files" in error.error_dict:
        error.error_dict["attachments"] = error.error_dict.pop("files")
    add_service_errors(form, error)


def _post_for(request: HttpRequest, pk: int) -> Post:
    found = selectors.post_get(user=request.user, post_id=pk)
    if found is None:
        raise Http404
    return found


def _thread_for(request: HttpRequest, pk: int) -> Thread:
    found = selectors.thread_get(user=request.user, thread_id=pk)
    if found is None:
        raise Http404
    return found


def _why_not_reply(thread: Thread) -> str:
    if thread.locked:
        return _("This thread is locked: it takes no more replies.")
    return _("Only members of the network can write here.")


@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    category = selectors.category_get(user=user, slug=slug)
    if category is None:
        raise Http404
    if not user.is_authenticated:
        return _sign_in_first(request, request.get_full_path())
    if not category_policy.user_has_permission_for_instance(user, "post", category):
        raise PermissionDenied
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                thread = posting.thread_create(
                    actor=user,
                    category=category,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                    files=form.cleaned_data["attachments"],
                    request=request,
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("Your thread is posted."))
                return redirect("discussions:thread", thread.pk)
    else:
        form = ThreadForm(initial={"language": page_language()})
    return render(
        request,
        "discussions/thread_form.html",
        {"category": category, "form": form, "files_lost": _files_lost(request, form)},
    )


def _files_lost(request: HttpRequest, form: Any) -> bool:
    """Files chosen in a form that came back with errors are not kept by the browser."""
    return request.method == "POST" and bool(request.FILES) and bool(form.errors)


@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thread = _thread_for(request, pk)
    if not user.is_authenticated:
        return _sign_in_first(request, reverse("discussions:thread", args=[thread.pk]) + "#reply")
    if not thread_policy.user_has_permission_for_instance(user, "reply", thread):
        messages.error(request, _why_not_reply(thread))
        return redirect("discussions:thread", thread.pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data.get("reply_to"):
            reply_to = selectors.post_get(user=user, post_id=form.cleaned_data["reply_to"])
        try:
            post = posting.post_create(
                actor=user,
                thread=thread,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"],
                reply_to=reply_to,
                files=form.cleaned_data["attachments"],
                request=request,
            )
        except PermissionDenied:  # locked or moved meanwhile
            thread.refresh_from_db()
            messages.error(request, _why_not_reply(thread))
            return redirect("discussions:thread", thread.pk)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(post_url(post))
    # Back on the thread's last page, the form with what was typed and why it failed.
    last = max(1, -(-thread.post_count // selectors.POSTS_PER_PAGE))
    page = selectors.thread_posts(user=user, thread=thread, page=last)
    context = thread_context(request, thread, page, form=form)
    context["files_lost"] = _files_lost(request, form)
    return render(request, "discussions/thread.html", context)


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    post = _post_for(request, pk)
    if not user.is_authenticated:
        return _sign_in_first(request, request.get_full_path())
    if not post_policy.user_has_permission_for_instance(user, "edit", post):
        raise PermissionDenied
    opening = post.number == 1
    if request.method == "POST":
        form = PostEditForm(request.POST, with_title=opening)
        if form.is_valid():
            try:
                posting.post_edit(
                    actor=user,
                    post=post,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title") if opening else None,
                    request=request,
                )
            except PermissionDenied:  # the window closed while they typed
                form.add_error(None, _("The time for changing this post is over."))
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post_url(post))
    else:
        initial = {"body": post.body, "title": post.thread.title}
        form = PostEditForm(initial=initial, with_title=opening)
    return render(
        request,
        "discussions/post_form.html",
        {
            "post": post,
            "thread": post.thread,
            "category": post.thread.category,
            "form": form,
            "editable_until": post.created_at + edit_window(),
            "post_url": post_url(post),
        },
    )


@require_http_methods(["GET", "POST"])
def post_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader tells the moderators what is wrong with a post. The thread page carries
    the form; this page shows it alone (without script, or again with its errors)."""
    user = request.user
    post = _post_for(request, pk)
    if not user.is_authenticated:
        return _sign_in_first(request, post_url(post))
    if not post_policy.user_has_permission_for_instance(user, "flag", post):
        raise PermissionDenied
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.post_flag(
                actor=user,
                post=post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The secretariat will look at this post."))
            return redirect(post_url(post))
    return render(
        request,
        "discussions/post_flag.html",
        {
            "post": post,
            "thread": post.thread,
            "category": post.thread.category,
            "form": form,
            "post_url": post_url(post),
        },
    )


@require_POST
@vary_on_headers("HX-Request")
def post_translate(request: HttpRequest, pk: int) -> HttpResponse:
    """A machine translation of a post into the page's language: the htmx fragment under
    the post, or a page of its own without script."""
    post = _post_for(request, pk)
    form = TranslateForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else page_language()
    error = ""
    body: SafeString | str = ""
    try:
        translated = translation_service.post_translate(
            actor=request.user, post=post, language=language
        )
    except PermissionDenied as exc:
        raise Http404 from exc  # a hidden post's text is not the reader's
    except ValidationError as exc:
        error = " ".join(str(message) for message in exc.messages)
    else:
        # Sanitised again on the way out: what a translation server returns is not trusted.
        body = mark_safe(sanitise_html(translated.body_html))  # noqa: S308 - cleaned just now
    context = {
        "post": post,
        "thread": post.thread,
        "category": post.thread.category,
        "language": language,
        "translation_html": body,
        "error": error,
        "post_url": post_url(post),
    }
    if is_htmx_fragment(request):
        return render(request, "discussions/partials/translation.html", context)
    return render(request, "discussions/post_translation.html", context)


@require_POST
@vary_on_headers("HX-Request")
def thread_watch(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thread = _thread_for(request, pk)
    back = reverse("discussions:thread", args=[thread.pk])
    if not user.is_authenticated:
        return _sign_in_first(request, back)
    watching = following.thread_watch(
        actor=user, thread=thread, watching=request.POST.get("watching") == "1"
    )
    context = {
        "watch_url": reverse("discussions:thread_watch", args=[thread.pk]),
        "watching": watching,
        "kind": "thread",
    }
    if is_htmx_fragment(request):
        return render(request, "discussions/partials/watch_button.html", context)
    messages.success(
        request,
        _("You follow this thread now.") if watching else _("You no longer follow this thread."),
    )
    return redirect(back)


@require_POST
@vary_on_headers("HX-Request")
def category_watch(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    category = selectors.category_get(user=user, slug=slug)
    if category is None:
        raise Http404
    back = reverse("discussions:category", args=[category.slug])
    if not user.is_authenticated:
        return _sign_in_first(request, back)
    watching = following.category_watch(
        actor=user, category=category, watching=request.POST.get("watching") == "1"
    )
    context = {
        "watch_url": reverse("discussions:category_watch", args=[category.slug]),
        "watching": watching,
        "kind": "category",
    }
    if is_htmx_fragment(request):
        return render(request, "discussions/partials/watch_button.html", context)
    messages.success(
        request,
        _("You follow this category now.")
        if watching
        else _("You no longer follow this category."),
    )
    next_url = request.POST.get("next", "")
    if next_url == reverse("discussions:index"):
        return redirect(next_url)
    return redirect(back)
