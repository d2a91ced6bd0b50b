"""Reads of the discussions, always for a reader: what they may read (`policies`) and no
more. A category, thread or post the reader may not read is `None`, which pages and the
API answer with 404, exactly as for one that does not exist.

The category page reads one page of threads by the index on (category, pinned, last post)
and the counters the services keep; it never counts posts."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from hrnet.core.types import Actor
from hrnet.discussions.models import Category, Flag, Post, Thread, ThreadRead, Watch
from hrnet.discussions.policies import (
    is_moderator,
    readable_categories,
    readable_threads,
    thread_readable,
)

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 20


class _CountedPaginator(Paginator):
    """Pages of a list whose length the services keep (`Category.thread_count`,
    `Thread.post_count`), so paging never counts the rows."""

    def __init__(self, object_list: Any, per_page: int, *, known: int) -> None:
        super().__init__(object_list, per_page)
        self._known = known

    @cached_property
    def count(self) -> int:
        return self._known


def _signed_in(user: Actor | None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _uid(user: Actor | None) -> int:
    """The reader's id; 0 (nobody) when signed out."""
    return int(user.pk) if user is not None and user.is_authenticated else 0


def category_list(*, user: Actor | None) -> list[Category]:
    """The categories the reader may read, in their order, each with `unread_threads`
    (threads with posts the reader has not read; 0 when signed out) and `watching`."""
    categories = readable_categories(user).select_related("issue_area", "subregion")
    if _signed_in(user):
        unread = (
            readable_threads(user)
            .filter(category=OuterRef("pk"))
            .annotate(
                read_to=Coalesce(
                    Subquery(
                        ThreadRead.objects.filter(user_id=_uid(user), thread=OuterRef("pk")).values(
                            "last_read_number"
                        )[:1]
                    ),
                    0,
                )
            )
            .filter(post_count__gt=F("read_to"))
            .order_by()
            .values("category")
            .annotate(n=Count("pk"))
            .values("n")
        )
        categories = categories.annotate(unread_threads=Coalesce(Subquery(unread), 0))
        watched = set(
            Watch.objects.filter(user_id=_uid(user), category__isnull=False).values_list(
                "category_id", flat=True
            )
        )
    else:
        watched = set()
    result = list(categories.order_by("position", "slug"))
    for category in result:
        category.watching = category.pk in watched  # type: ignore[attr-defined]
        if not hasattr(category, "unread_threads"):
            category.unread_threads = 0  # type: ignore[attr-defined]
    return result


def category_get(*, user: Actor | None, slug: str) -> Category | None:
    return readable_categories(user).filter(slug=slug).first()


def _with_read_marks(threads: QuerySet[Thread], user: Actor | None) -> QuerySet[Thread]:
    threads = threads.select_related("author", "last_author", "category")
    if _signed_in(user):
        threads = threads.annotate(
            read_to=Subquery(
                ThreadRead.objects.filter(user_id=_uid(user), thread=OuterRef("pk")).values(
                    "last_read_number"
                )[:1]
            )
        )
    return threads


def category_threads(*, user: Actor | None, category: Category, page: int | str = 1) -> Page:
    """One page of the category's threads, pinned first, then by last post; each with
    `read_to` (the reader's marker, None when never opened or signed out)."""
    threads = Thread.objects.filter(category=category)
    if not is_moderator(user):
        threads = threads.filter(hidden_at__isnull=True)
    threads = _with_read_marks(threads.order_by("-pinned", "-last_post_at", "-id"), user)
    if is_moderator(user):  # hidden threads too: the counter does not include them
        return Paginator(threads, THREADS_PER_PAGE).get_page(page)
    # The category's own counter, so a page of a large category does not count it.
    return _CountedPaginator(threads, THREADS_PER_PAGE, known=category.thread_count).get_page(page)


def thread_get(*, user: Actor | None, thread_id: int) -> Thread | None:
    thread = Thread.objects.select_related("category", "author").filter(pk=thread_id).first()
    if thread is None or not thread_readable(user, thread):
        return None
    return thread


def thread_posts(*, user: Actor | None, thread: Thread, page: int | str = 1) -> Page:
    posts = (
        Post.objects.filter(thread=thread)
        .select_related("author", "author__discussion_preference", "reply_to")
        .prefetch_related("attachments")
        .order_by("number")
    )
    return _CountedPaginator(posts, POSTS_PER_PAGE, known=thread.post_count).get_page(page)


def post_page_number(post: Post) -> int:
    """The page of its thread a post is on."""
    return (post.number - 1) // POSTS_PER_PAGE + 1


def post_get(*, user: Actor | None, post_id: int) -> Post | None:
    post = (
        Post.objects.select_related("thread", "thread__category", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not thread_readable(user, post.thread):
        return None
    return post


def latest_threads(*, user: Actor | None, limit: int = 5) -> list[Thread]:
    """The threads with the newest posts among those the reader may read (home page,
    start page)."""
    threads = readable_threads(user).order_by("-last_post_at", "-id")
    return list(_with_read_marks(threads, user)[:limit])


def unread_followed(*, user: Actor | None) -> QuerySet[Thread]:
    """Threads the reader follows (or that are in a category they follow) with posts they
    have not read, newest first: the start page's queue."""
    if not _signed_in(user):
        return Thread.objects.none()
    followed = Q(watches__user_id=_uid(user)) | Q(category__watches__user_id=_uid(user))
    ids = readable_threads(user).filter(followed).values("pk")
    return (
        _with_read_marks(Thread.objects.filter(pk__in=ids), user)
        .filter(Q(read_to__isnull=True) | Q(post_count__gt=F("read_to")))
        .order_by("-last_post_at", "-id")
    )


def thread_watching(*, user: Actor | None, thread: Thread) -> bool:
    if not _signed_in(user):
        return False
    return Watch.objects.filter(
        Q(thread=thread) | Q(category_id=thread.category_id), user_id=_uid(user)
    ).exists()


def flag_queue(*, user: Actor | None) -> QuerySet[Post]:
    """Posts with open flags, the oldest flag first, each with `open_flags`; the
    moderators' queue (empty for anyone else)."""
    if not is_moderator(user):
        return Post.objects.none()
    is_open = Q(flags__outcome=Flag.Outcome.OPEN)
    return (
        Post.objects.annotate(
            open_flags=Count("flags", filter=is_open),
            first_flagged_at=Min("flags__created_at", filter=is_open),
        )
        .filter(open_flags__gt=0)
        .select_related("thread", "thread__category", "author")
        .prefetch_related("flags")
        .order_by("first_flagged_at", "pk")
    )


def public_threads(*, category: Category | None = None, limit: int = 30) -> list[Thread]:
    """What an anonymous reader may see, newest first: for feeds and the sitemap, which
    are the same for everyone who fetches them."""
    threads = readable_threads(None).select_related("category", "author")
    if category is not None:
        threads = threads.filter(category=category)
    return list(threads.order_by("-created_at", "-id")[:limit])
