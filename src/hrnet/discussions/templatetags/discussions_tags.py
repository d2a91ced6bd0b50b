"""Template helpers of the discussion pages: what the reader may do with one post (so the
post partial works wherever it is included: a thread, the flag queue) and a thread's
unread marker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from hrnet.core.i18n import language_name
from hrnet.core.rendering import body_html
from hrnet.discussions.models import Flag, Post, PostRevision, Thread
from hrnet.discussions.names import author_name
from hrnet.discussions.policies import is_moderator, post_policy, post_text_visible
from hrnet.discussions.selectors import POSTS_PER_PAGE
from hrnet.discussions.services import translation as translation_service

register = template.Library()


@dataclass(frozen=True)
class PostView:
    text_visible: bool
    body: SafeString | str
    author_name: str
    language_name: str  # the post's language when it differs from the page's, else ""
    is_new: bool
    may_edit: bool
    may_flag: bool
    may_moderate: bool
    may_translate: bool


@register.filter
def display_name(user: Any) -> str:
    return author_name(user)


@register.simple_tag(takes_context=True)
def post_view(context: Any, post: Post) -> PostView:
    """What the reader sees of `post` and may do with it. `read_to` in the context (the
    thread page's read marker before this visit) marks the posts that are new."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    page_language = (translation.get_language() or "").split("-")[0]
    visible = post_text_visible(user, post)
    differs = bool(post.language) and post.language != page_language
    read_to = context.get("read_to")
    own = signed_in and post.author_id == getattr(user, "pk", None)
    return PostView(
        text_visible=visible,
        body=body_html(post.body) if visible else "",
        author_name=author_name(post.author),
        language_name=language_name(post.language) if differs else "",
        is_new=signed_in and read_to is not None and post.number > read_to,
        may_edit=own and post_policy.user_has_permission_for_instance(user, "edit", post),  # type: ignore[arg-type]
        may_flag=signed_in
        and not own
        and post.hidden_at is None
        and post_policy.user_has_permission_for_instance(user, "flag", post),  # type: ignore[arg-type]
        may_moderate=is_moderator(user),
        may_translate=visible
        and differs
        and translation_service.translation_enabled()
        and post_policy.user_has_permission_for_instance(user, "translate", post),  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Unread:
    label: str  # "new", "3 unread" or "" when all is read (or the reader is signed out)
    url: str  # the first unread post


@register.simple_tag
def thread_unread(thread: Thread) -> Unread:
    """The reader's unread marker of a thread from a list (`read_to` annotated by the
    selectors for signed-in readers only)."""
    if not hasattr(thread, "read_to"):
        return Unread("", "")
    read_to = thread.read_to
    base = reverse("discussions:thread", args=[thread.pk])
    if read_to is None:
        return Unread(pgettext("thread", "new"), base)
    unread = thread.post_count - read_to
    if unread <= 0:
        return Unread("", "")
    number = read_to + 1
    page = (number - 1) // POSTS_PER_PAGE + 1
    label = translation.ngettext("%(count)s unread", "%(count)s unread", unread) % {"count": unread}
    return Unread(label, f"{base}?page={page}#post-{number}")


@register.simple_tag
def flag_reasons() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Flag.Reason.choices]


@register.simple_tag
def revision_body(revision: PostRevision) -> SafeString:
    """An earlier text, rendered like a post (through the one sanitiser)."""
    return body_html(revision.body)
