"""/api/v1/discussions: categories, threads and their posts as JSON, with the visibility
of the pages (`discussions.policies`).

Reads take the caller's token (`Authorization: Bearer ...`) or browser session when there
is one, else answer as to an anonymous reader (public categories only); a token that is
sent but not valid answers 401. A category, thread or post the caller may not read
answers 404 exactly as one that does not exist, signed in or not. Writes need a sign-in
(401 without one); a caller who may read but not write there (not a network member, or a
locked thread) gets 403; text the services refuse, 400 with the errors by field.
Names follow `Accept-Language`.
"""

# No `from __future__ import annotations`: @paginate's wrapper makes ninja read the list
# view's annotations in ninja.pagination's namespace, so they must be real objects.

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.forms import errors_by_field
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.core.rendering import body_html
from hrnet.core.types import Actor
from hrnet.discussions import selectors
from hrnet.discussions.models import Category, Post, Thread
from hrnet.discussions.names import author_name
from hrnet.discussions.policies import (
    category_writable,
    post_text_visible,
    thread_policy,
)
from hrnet.discussions.services import posting

discussions_router = Router(tags=["discussions"])
# The one router the API mounts at its root; it carries the discussions' own prefix.
router = Router()


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class CategoryOut(Schema):
    id: int
    slug: str
    name: str = Field(description="In the language of the request (Accept-Language).")
    visibility: str = Field(
        description="public (anyone reads), members (network members) or group (the "
        "members of its working groups)."
    )


class ThreadsFilter(Schema):
    category: str = Field("", description="A category's id or slug.")


class ThreadOut(Schema):
    id: int
    category: CategoryOut
    title: str
    language: str
    author: str = Field(description='The author\'s name, or "Former member".')
    created_at: datetime
    last_post_at: datetime
    reply_count: int
    pinned: bool
    locked: bool
    hidden: bool = Field(description="Hidden by a moderator (only moderators see it).")
    url: str = Field(description="The thread's page.")


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str = Field(description="Download address (the same permission check).")


class PostOut(Schema):
    id: int
    number: int = Field(description="1 is the opening post.")
    author: str = Field(description='The author\'s name, or "Former member".')
    created_at: datetime
    edited_at: datetime | None
    language: str
    reply_to: int | None = Field(description="The id of the post this one answers.")
    hidden: bool = Field(
        description="Hidden by a moderator: body_html is empty unless the caller is a "
        "moderator or the author."
    )
    body_html: str = Field(description="The text rendered and sanitised.")
    attachments: list[AttachmentOut]
    url: str = Field(description="The post's address in its thread.")


class ThreadDetailOut(ThreadOut):
    post_count: int = Field(description="Posts in the thread, the opening post included.")
    may_reply: bool = Field(description="Whether the caller may reply now.")
    posts: list[PostOut] = Field(description="The posts from `offset`, at most `limit`.")


class PostsWindow(Schema):
    offset: int = Field(0, ge=0, description="Posts to skip (0: from the opening post).")
    limit: int = Field(100, ge=1, le=200, description="Posts to return.")


class ThreadIn(Schema):
    category: int | str = Field(description="The category's id or slug.")
    title: str
    body: str = Field(description="Markdown.")
    language: str = Field("", description="en or ru; the request's language by default.")


class PostIn(Schema):
    body: str = Field(description="Markdown.")
    language: str = Field("", description="en or ru; the request's language by default.")
    reply_to: int | None = Field(None, description="The id of a post in this thread.")


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _not_found() -> Status:
    return Status(404, {"detail": _("Not found.")})


def _invalid(exc: ValidationError) -> Status:
    errors = errors_by_field(exc)
    detail = next(iter(errors.values()))[0]
    if not hasattr(exc, "error_dict") and exc.code == "throttled":
        return Status(429, {"detail": detail})  # too many posts this hour: retry later
    return Status(400, {"detail": detail, "errors": errors})


def _category_out(category: Category) -> dict[str, Any]:
    return {
        "id": category.pk,
        "slug": category.slug,
        "name": category.name,
        "visibility": category.visibility,
    }


def _thread_out(request: HttpRequest, thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.pk,
        "category": _category_out(thread.category),
        "title": thread.title,
        "language": thread.language,
        "author": author_name(thread.author),
        "created_at": thread.created_at,
        "last_post_at": thread.last_post_at,
        "reply_count": thread.reply_count,
        "pinned": thread.pinned,
        "locked": thread.locked,
        "hidden": thread.hidden_at is not None,
        "url": request.build_absolute_uri(reverse("discussions:thread", args=[thread.pk])),
    }


def _post_out(request: HttpRequest, post: Post, user: Actor) -> dict[str, Any]:
    visible = post_text_visible(user, post)
    return {
        "id": post.pk,
        "number": post.number,
        "author": author_name(post.author),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "language": post.language,
        "reply_to": post.reply_to_id,
        "hidden": post.hidden_at is not None,
        "body_html": str(body_html(post.body)) if visible else "",
        # A hidden post's files are hidden with its text.
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "url": request.build_absolute_uri(reverse("discussions:attachment", args=[a.pk])),
            }
            for a in post.attachments.all()
        ]
        if visible
        else [],
        "url": request.build_absolute_uri(reverse("discussions:post", args=[post.pk])),
    }


def _thread_detail_out(
    request: HttpRequest, thread: Thread, user: Actor, *, offset: int = 0, limit: int = 100
) -> dict[str, Any]:
    posts = selectors.thread_post_list(user=user, thread=thread)[offset : offset + limit]
    return {
        **_thread_out(request, thread),
        "post_count": thread.post_count,
        "may_reply": thread_policy.user_has_permission_for_instance(user, "reply", thread),
        "posts": [_post_out(request, post, user) for post in posts],
    }


@discussions_router.get("/categories", response=list[CategoryOut], auth=OPTIONAL_AUTH)
def category_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The categories the caller may read, in their order (a short list, not paged, as
    /countries). Anonymous callers get the public ones."""
    return [_category_out(c) for c in selectors.category_list(user=_caller(request))]


@discussions_router.get("/threads", response=list[ThreadOut], auth=OPTIONAL_AUTH)
@paginate(LimitOffsetPagination, default_limit=30, max_limit=100)
def thread_list(request: HttpRequest, filters: Query[ThreadsFilter]) -> Paged:
    """The threads the caller may read, newest activity first; `category` (id or slug)
    narrows them to one category (none when the caller may not read it)."""
    user = _caller(request)
    category = None
    if filters.category.strip():
        category = selectors.category_by_key(user=user, key=filters.category)
        if category is None:
            return Paged(Thread.objects.none())
    threads = selectors.thread_list(user=user, category=category)
    return Paged(threads, render=lambda page: [_thread_out(request, t) for t in page])


@discussions_router.post(
    "/threads",
    response={201: ThreadDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut},
)
def thread_create(request: HttpRequest, data: ThreadIn) -> Status:
    """Start a thread with its opening post. 404 when the category does not exist or the
    caller may not read it; 403 when they may read it but not write there (only network
    members write)."""
    user = request.auth  # type: ignore[attr-defined]
    category = selectors.category_by_key(user=user, key=data.category)
    if category is None:
        return _not_found()
    if not category_writable(user, category):
        return Status(403, {"detail": _("Only network members may start a thread here.")})
    try:
        thread = posting.thread_create(
            actor=user,
            category=category,
            title=data.title,
            body=data.body,
            language=data.language,
            request=request,
        )
    except PermissionDenied:
        return Status(403, {"detail": _("Only network members may start a thread here.")})
    except ValidationError as exc:
        return _invalid(exc)
    thread = selectors.thread_get(user=user, thread_id=thread.pk) or thread
    return Status(201, _thread_detail_out(request, thread, user))


@discussions_router.get(
    "/threads/{thread_id}", response={200: ThreadDetailOut, 404: ErrorOut}, auth=OPTIONAL_AUTH
)
def thread_detail(request: HttpRequest, thread_id: int, window: Query[PostsWindow]) -> Status:
    """A thread with its posts (`offset` and `limit` page through a long one); 404 when it
    does not exist or the caller may not read it."""
    user = _caller(request)
    thread = selectors.thread_get(user=user, thread_id=thread_id)
    if thread is None:
        return _not_found()
    return Status(
        200, _thread_detail_out(request, thread, user, offset=window.offset, limit=window.limit)
    )


@discussions_router.post(
    "/threads/{thread_id}/posts",
    response={201: PostOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut},
)
def post_create(request: HttpRequest, thread_id: int, data: PostIn) -> Status:
    """Reply in a thread. 404 when the caller may not read it; 403 when it is locked or
    they may not write there."""
    user = request.auth  # type: ignore[attr-defined]
    thread = selectors.thread_get(user=user, thread_id=thread_id)
    if thread is None:
        return _not_found()
    refused = Status(403, {"detail": _("You may not reply in this thread.")})
    if not thread_policy.user_has_permission_for_instance(user, "reply", thread):
        return refused
    reply_to = None
    if data.reply_to is not None:
        reply_to = thread.posts.filter(pk=data.reply_to).first()
        if reply_to is None:
            message = _("No post of this thread has the id %(id)s.") % {"id": data.reply_to}
            return _invalid(ValidationError({"reply_to": message}))
    try:
        post = posting.post_create(
            actor=user,
            thread=thread,
            body=data.body,
            language=data.language,
            reply_to=reply_to,
            request=request,
        )
    except PermissionDenied:
        return refused
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _post_out(request, post, user))


router.add_router("/discussions", discussions_router)
