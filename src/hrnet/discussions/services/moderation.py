"""Moderation: members flag a post with a reason; the secretariat's queue hides the post
or dismisses the flags; moderators hide, lock, pin and move threads. Every step is
audited; a hidden post keeps its place and number, its text shown only to moderators and
its author, and it leaves the search."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.discussions.audit import Action
from hrnet.discussions.models import Category, Flag, Post, Thread
from hrnet.discussions.policies import category_policy, flag_policy, post_policy, thread_policy
from hrnet.search.services import index_remove, index_update


def post_flag(
    *, actor: User, post: Post, reason: str, note: str = "", request: HttpRequest | None = None
) -> Flag:
    post_policy.require(actor, "flag", post)
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose why this post should be looked at.")})
    note = note.strip()
    if reason == Flag.Reason.OTHER and not note:
        raise ValidationError({"note": _("Say what is wrong with this post.")})
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=post, flagged_by=actor, reason=reason, note=note[:2000])
    except IntegrityError:
        raise ValidationError(
            _("You have already flagged this post; the secretariat will look at it.")
        ) from None
    log_action(
        actor=actor, action=Action.POST_FLAG, obj=post, changes={"reason": reason}, request=request
    )
    return flag


def _resolve_flags(post: Post, actor: User, outcome: str) -> int:
    return Flag.objects.filter(post=post, outcome=Flag.Outcome.OPEN).update(
        outcome=outcome, resolved_at=timezone.now(), resolved_by=actor
    )


def post_hide(*, actor: User, post: Post, reason: str, request: HttpRequest | None = None) -> Post:
    post_policy.require(actor, "hide", post)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why the post is hidden; its author will see it.")})
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.hidden_at is None:
            post.hidden_at = timezone.now()
        post.hidden_reason = reason[:300]
        post.save(update_fields=["hidden_at", "hidden_reason"])
        flags = _resolve_flags(post, actor, Flag.Outcome.HIDDEN)
        index_remove(post)
        log_action(
            actor=actor,
            action=Action.POST_HIDE,
            obj=post,
            changes={"reason": post.hidden_reason, "flags": flags},
            request=request,
        )
    return post


def post_unhide(*, actor: User, post: Post, request: HttpRequest | None = None) -> Post:
    post_policy.require(actor, "unhide", post)
    with transaction.atomic():
        post.hidden_at = None
        post.hidden_reason = ""
        post.save(update_fields=["hidden_at", "hidden_reason"])
        index_update(post)
        log_action(actor=actor, action=Action.POST_UNHIDE, obj=post, request=request)
    return post


def flags_dismiss(*, actor: User, post: Post, request: HttpRequest | None = None) -> int:
    """The post stays: its open flags are closed as dismissed."""
    flag_policy.require(actor, "change")
    with transaction.atomic():
        count = _resolve_flags(post, actor, Flag.Outcome.DISMISSED)
        log_action(
            actor=actor,
            action=Action.FLAG_DISMISS,
            obj=post,
            changes={"flags": count},
            request=request,
        )
    return count


def _thread_set(
    *,
    actor: User,
    thread: Thread,
    action: str,
    field: str,
    value: bool,
    audit: Action,
    request: HttpRequest | None,
) -> Thread:
    thread_policy.require(actor, action, thread)
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(**{field: value})
        setattr(thread, field, value)
        log_action(actor=actor, action=audit, obj=thread, request=request)
    return thread


def thread_lock(
    *, actor: User, thread: Thread, locked: bool, request: HttpRequest | None = None
) -> Thread:
    return _thread_set(
        actor=actor,
        thread=thread,
        action="lock",
        field="locked",
        value=locked,
        audit=Action.THREAD_LOCK if locked else Action.THREAD_UNLOCK,
        request=request,
    )


def thread_pin(
    *, actor: User, thread: Thread, pinned: bool, request: HttpRequest | None = None
) -> Thread:
    return _thread_set(
        actor=actor,
        thread=thread,
        action="pin",
        field="pinned",
        value=pinned,
        audit=Action.THREAD_PIN if pinned else Action.THREAD_UNPIN,
        request=request,
    )


def _reindex(thread: Thread) -> None:
    for post in thread.posts.select_related("thread", "thread__category"):
        index_update(post)


def thread_hide(
    *, actor: User, thread: Thread, hidden: bool, request: HttpRequest | None = None
) -> Thread:
    """A hidden thread leaves lists, search and feeds for everyone but moderators."""
    thread_policy.require(actor, "hide", thread)
    with transaction.atomic():
        thread = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=thread.pk)
        )
        was_hidden = thread.hidden_at is not None
        if was_hidden == hidden:
            return thread
        thread.hidden_at = timezone.now() if hidden else None
        thread.save(update_fields=["hidden_at", "updated_at"])
        Category.objects.filter(pk=thread.category_id).update(
            thread_count=F("thread_count") + (-1 if hidden else 1),
            post_count=F("post_count") + (-thread.post_count if hidden else thread.post_count),
        )
        _reindex(thread)
        log_action(
            actor=actor,
            action=Action.THREAD_HIDE if hidden else Action.THREAD_UNHIDE,
            obj=thread,
            request=request,
        )
    return thread


def thread_move(
    *, actor: User, thread: Thread, category: Category, request: HttpRequest | None = None
) -> Thread:
    """To another category: its readers change, so the search entries and the counters
    follow. Pending notifications stay: each is checked against the new category when it
    is sent, and dropped if its person may no longer read the thread."""
    thread_policy.require(actor, "move", thread)
    category_policy.require(actor, "post", category)
    with transaction.atomic():
        thread = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
        old = thread.category_id
        if old == category.pk:
            return thread
        visible = thread.hidden_at is None
        thread.category = category
        thread.save(update_fields=["category", "updated_at"])
        if visible:
            Category.objects.filter(pk=old).update(
                thread_count=F("thread_count") - 1, post_count=F("post_count") - thread.post_count
            )
            Category.objects.filter(pk=category.pk).update(
                thread_count=F("thread_count") + 1, post_count=F("post_count") + thread.post_count
            )
        _reindex(thread)
        log_action(
            actor=actor,
            action=Action.THREAD_MOVE,
            obj=thread,
            changes={"category": {"old": old, "new": category.pk}},
            request=request,
        )
    return thread
