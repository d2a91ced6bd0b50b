"""Who may read and write in the discussions. Reading is decided by the category alone:

- a public category: anyone, signed in or not;
- a members-only category: the network's members (`members.policies.is_network_member`);
- a group category: the members of its working groups;
- the secretariat (the moderators) and superusers: every category.

Writing (a thread, a reply, a flag, following) needs a network member who may read the
category; a locked thread takes no replies. Hidden threads are seen by moderators only;
a hidden post shows its text to moderators and its author only. Every page, API answer,
search entry, feed, sitemap and email asks these functions, and what a person may not
read answers 404 (or 401 to an anonymous API caller) as if it did not exist."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.accounts.roles import Role, user_has_role
from hrnet.core.policies import ModelPolicy
from hrnet.core.types import Actor
from hrnet.discussions.models import Category, Flag, Post, Thread, WorkingGroup
from hrnet.members.policies import is_network_member


def is_moderator(user: Actor | None) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user_has_role(user, Role.SECRETARIAT)


def _group_ids(user: Actor | None) -> list[int]:
    """The working groups of `user`, looked up once per user object (a request's), as
    `user_roles` is: a page of posts asks for each post."""
    if user is None or not user.is_authenticated:
        return []
    cached: list[int] | None = getattr(user, "_discussion_group_ids", None)
    if cached is None:
        cached = list(WorkingGroup.objects.filter(members=user.pk).values_list("pk", flat=True))
        user._discussion_group_ids = cached  # type: ignore[attr-defined]
    return cached


def _category_group_ids(category: Category) -> set[int]:
    cached: set[int] | None = getattr(category, "_group_ids", None)
    if cached is None:
        cached = set(category.groups.values_list("pk", flat=True))
        category._group_ids = cached  # type: ignore[attr-defined]
    return cached


def readable_categories(user: Actor | None) -> QuerySet[Category]:
    """The categories `user` may read (and so find anything in)."""
    categories = Category.objects.all()
    if is_moderator(user):
        return categories
    condition = Q(visibility=Category.Visibility.PUBLIC)
    if is_network_member(user):
        condition |= Q(visibility=Category.Visibility.MEMBERS)
    groups = _group_ids(user)
    if groups:
        condition |= Q(visibility=Category.Visibility.GROUP, groups__in=groups)
    return categories.filter(
        pk__in=Category.objects.filter(condition).values("pk")
    )  # a subquery, so the join through groups never repeats a category


def category_readable(user: Actor | None, category: Category) -> bool:
    if category.visibility == Category.Visibility.PUBLIC or is_moderator(user):
        return True
    if category.visibility == Category.Visibility.MEMBERS:
        return is_network_member(user)
    groups = _group_ids(user)
    return bool(groups) and not _category_group_ids(category).isdisjoint(groups)


def category_writable(user: Actor | None, category: Category) -> bool:
    if is_moderator(user):
        return True
    return is_network_member(user) and category_readable(user, category)


def readable_threads(user: Actor | None) -> QuerySet[Thread]:
    threads = Thread.objects.filter(category__in=readable_categories(user))
    if not is_moderator(user):
        threads = threads.filter(hidden_at__isnull=True)
    return threads


def thread_readable(user: Actor | None, thread: Thread) -> bool:
    if thread.hidden_at is not None and not is_moderator(user):
        return False
    return category_readable(user, thread.category)


def post_text_visible(user: Actor | None, post: Post) -> bool:
    """A hidden post keeps its place in the thread; its text is for moderators and its
    author."""
    if post.hidden_at is None or is_moderator(user):
        return True
    return bool(getattr(user, "is_authenticated", False)) and post.author_id == user.pk  # type: ignore[union-attr]


def edit_window() -> timedelta:
    return timedelta(minutes=int(settings.HRNET_DISCUSSION_EDIT_MINUTES))


class CategoryPolicy(ModelPolicy):
    model = Category

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("list", "view"):
            return True  # the list shows only readable categories
        return is_moderator(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        category: Category = instance
        if action == "view":
            return category_readable(user, category)
        if action == "post":
            return category_writable(user, category)
        if action == "watch":
            return bool(getattr(user, "is_authenticated", False)) and category_readable(
                user, category
            )
        return is_moderator(user)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if action in ("list", "view"):
            return readable_categories(user)
        return super().instances_user_has_permission_for(user, action)


class ThreadPolicy(ModelPolicy):
    model = Thread

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("list", "view"):
            return True
        if action == "add":
            return is_network_member(user) or is_moderator(user)
        return is_moderator(user)  # lock, pin, move, hide

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        thread: Thread = instance
        if not thread_readable(user, thread):
            return False
        if action == "view":
            return True
        if action == "reply":
            return category_writable(user, thread.category) and (
                not thread.locked or is_moderator(user)
            )
        if action == "watch":
            return bool(getattr(user, "is_authenticated", False))
        return is_moderator(user)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if action in ("list", "view"):
            return readable_threads(user)
        return super().instances_user_has_permission_for(user, action)


class PostPolicy(ModelPolicy):
    model = Post

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("list", "view"):
            return True
        return is_moderator(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        post: Post = instance
        if not thread_readable(user, post.thread):
            return False
        if action == "view":
            return True
        if action == "edit":
            return (
                bool(getattr(user, "is_authenticated", False))
                and post.author_id == user.pk
                and post.hidden_at is None
                and not post.thread.locked
                and timezone.now() - post.created_at <= edit_window()
            )
        if action == "flag":
            return category_writable(user, post.thread.category) and (
                post.author_id != getattr(user, "pk", None)
            )
        if action == "translate":
            # Signed-in readers only: each call reaches the translation server.
            return bool(getattr(user, "is_authenticated", False)) and post_text_visible(user, post)
        return is_moderator(user)  # hide, unhide

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if action in ("list", "view"):
            return Post.objects.filter(thread__in=readable_threads(user))
        return super().instances_user_has_permission_for(user, action)


class FlagPolicy(ModelPolicy):
    """Members flag posts (through `PostPolicy` "flag"); the queue is the moderators'."""

    model = Flag

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return is_moderator(user)


class WorkingGroupPolicy(ModelPolicy):
    model = WorkingGroup

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return is_moderator(user)


category_policy = CategoryPolicy()
thread_policy = ThreadPolicy()
post_policy = PostPolicy()
flag_policy = FlagPolicy()
working_group_policy = WorkingGroupPolicy()
