"""Reading: the category list, a category's threads, a thread with its posts, a post's
address, its earlier versions, attachments.

Whatever the reader may not read answers 404, exactly as what does not exist (the
selectors return None); reading a page of a thread moves the reader's marker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from hrnet.accounts.middleware import visitor_time_zone_known
from hrnet.core.audit import log_action
from hrnet.discussions import selectors
from hrnet.discussions.audit import Action
from hrnet.discussions.forms import ReplyForm
from hrnet.discussions.models import Category, Post, Thread
from hrnet.discussions.policies import (
    category_policy,
    is_moderator,
    post_text_visible,
    thread_policy,
)
from hrnet.discussions.services.following import thread_read_mark
from hrnet.discussions.services.people import preference_for

LATEST_ON_INDEX = 10


def _zone(request: HttpRequest) -> dict[str, Any]:
    return {"zone_is_visitors": visitor_time_zone_known(request)}


def page_language() -> str:
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def post_url(post: Post) -> str:
    """The thread page that holds `post`, scrolled to it."""
    page = selectors.post_page_number(post)
    base = reverse("discussions:thread", args=[post.thread_id])
    return f"{base}?page={page}#post-{post.number}" if page > 1 else f"{base}#post-{post.number}"


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "discussions/index.html",
        {
            "categories": selectors.category_list(user=user),
            "latest": selectors.latest_threads(user=user, limit=LATEST_ON_INDEX),
            **_zone(request),
        },
    )


def category(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    found = selectors.category_get(user=user, slug=slug)
    if found is None:
        raise Http404
    page = selectors.category_threads(user=user, category=found, page=request.GET.get("page", 1))
    return render(
        request,
        "discussions/category.html",
        {
            "category": found,
            "page": page,
            "threads": list(page.object_list),
            "may_post": category_policy.user_has_permission_for_instance(user, "post", found),
            "may_watch": category_policy.user_has_permission_for_instance(user, "watch", found),
            "watching": selectors.category_watching(user=user, category=found),
            "is_public": found.visibility == Category.Visibility.PUBLIC,
            **_zone(request),
        },
    )


def _quote(request: HttpRequest, thread: Thread) -> dict[str, Any]:
    """The reply box prefilled with the post `?quote=` names: its text as a Markdown
    quote after its author's @name (they hear of it)."""
    raw = request.GET.get("quote", "")
    if not raw.isdigit():
        return {}
    quoted = selectors.post_get(user=request.user, post_id=int(raw))
    if (
        quoted is None
        or quoted.thread_id != thread.pk
        or not post_text_visible(request.user, quoted)
    ):
        return {}
    lines = [f"> {line}".rstrip() for line in quoted.body.strip().splitlines()]
    mention = f"@{preference_for(quoted.author).handle}\n" if quoted.author else ""
    return {"body": mention + "\n".join(lines) + "\n\n", "reply_to": quoted.pk}


def thread_context(
    request: HttpRequest, thread: Thread, page: Page, *, form: ReplyForm | None = None
) -> dict[str, Any]:
    """What the thread page shows: one page of posts, the reply form and the controls the
    reader may use (the reply view renders it again with the form's errors)."""
    user = request.user
    posts = list(page.object_list)
    for post in posts:
        post.thread = thread  # one thread for the page: no query per post
    read_to = selectors.thread_read_to(user=user, thread=thread)
    may_reply = thread_policy.user_has_permission_for_instance(user, "reply", thread)
    if form is None and may_reply:
        form = ReplyForm(initial={"language": page_language(), **_quote(request, thread)})
    first_unread = None
    if read_to is not None and read_to < thread.post_count:
        number = read_to + 1
        first_unread = {
            "number": number,
            "page": (number - 1) // selectors.POSTS_PER_PAGE + 1,
            "shown": any(p.number == number for p in posts),
        }
    moderator = is_moderator(user)
    return {
        "thread": thread,
        "category": thread.category,
        "page": page,
        "posts": posts,
        "read_to": read_to,
        "first_unread": first_unread,
        "form": form,
        "may_reply": may_reply,
        "may_watch": thread_policy.user_has_permission_for_instance(user, "watch", thread),
        "watching": selectors.thread_watched(user=user, thread=thread),
        "watching_category": selectors.category_watching(user=user, category=thread.category),
        "is_moderator": moderator,
        "move_targets": (
            category_policy.instances_user_has_permission_for(user, "view")
            .exclude(pk=thread.category_id)
            .order_by("position", "slug")
            if moderator
            else []
        ),
        "page_language": page_language(),
        **_zone(request),
    }


def thread(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = selectors.thread_get(user=user, thread_id=pk)
    if found is None:
        raise Http404
    page = selectors.thread_posts(user=user, thread=found, page=request.GET.get("page", 1))
    context = thread_context(request, found, page)
    posts = context["posts"]
    if posts and user.is_authenticated:
        thread_read_mark(actor=user, thread=found, number=posts[-1].number)
    return render(request, "discussions/thread.html", context)


def post(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's own address (search results and emails link here): the page of its
    thread that holds it."""
    found = selectors.post_get(user=request.user, post_id=pk)
    if found is None:
        raise Http404
    return redirect(post_url(found))


def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.post_get(user=request.user, post_id=pk)
    if found is None:
        raise Http404
    revisions = selectors.post_revisions(user=request.user, post=found)
    if revisions is None:
        raise Http404
    return render(
        request,
        "discussions/post_history.html",
        {
            "post": found,
            "thread": found.thread,
            "category": found.thread.category,
            "revisions": revisions,
            "post_url": post_url(found),
            **_zone(request),
        },
    )


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file, only for readers of its thread, always saved rather than shown (the
    browser never runs what a member uploaded)."""
    found = selectors.attachment_get(user=request.user, attachment_id=pk)
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except OSError as exc:  # the row is there but the storage lost the file
        raise Http404 from exc
    if found.post.thread.category.visibility != Category.Visibility.PUBLIC:
        log_action(
            actor=request.user,
            action=Action.ATTACHMENT_DOWNLOAD,
            obj=found,
            changes={"post": found.post_id, "thread": found.post.thread_id},
            request=request,
        )
    response = FileResponse(
        handle, as_attachment=True, filename=found.name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response
