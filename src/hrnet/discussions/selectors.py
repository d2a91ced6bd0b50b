"""Reads of the discussions, always for a reader: what they may read (`policies`) and no
more. A category, thread or post the reader may not read is `None`, which pages and the
API answer with 404, exactly as for one that does not exist.

The category page reads one page of threads by the index on (category, pinned, last post)
and the counters the services keep; it never counts posts."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from hrnet.accounts.models import User
from hrnet.core.types import Actor
from hrnet.discussions.mentions import handle_base
from hrnet.discussions.models import (
    Attachment,
    Category,
    Flag,
    Post,
    PostRevision,
    Thread,
    ThreadRead,
    Watch,
    WorkingGroup,
)
from hrnet.discussions.policies import (
    is_moderator,
    post_text_visible,
    readable_categories,
    readable_threads,
    thread_readable,
)
from hrnet.discussions.tokens import unsubscribe_token_user_id
from hrnet.geo.models import normalize_name
from hrnet.members.policies import NETWORK_ROLES

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


# --- the API, feeds and sitemap ------------------------------------------------------


def category_by_key(*, user: Actor | None, key: int | str) -> Category | None:
    """A category the reader may read, named by its id or its slug (the API takes
    either); None when there is none or the reader may not read it."""
    categories = readable_categories(user)
    text = str(key).strip()
    if text.isdigit():
        return categories.filter(pk=int(text)).first()
    return categories.filter(slug=text).first() if text else None


def thread_list(*, user: Actor | None, category: Category | None = None) -> QuerySet[Thread]:
    """The threads the reader may read, newest activity first (the API's list)."""
    threads = readable_threads(user)
    if category is not None:
        threads = threads.filter(category=category)
    return threads.select_related(
        "category", "author", "author__discussion_preference", "last_author"
    ).order_by("-last_post_at", "-id")


def thread_post_list(*, user: Actor | None, thread: Thread) -> QuerySet[Post]:
    """Every post of a thread the reader may read, in order (the API slices it); none
    when the reader may not read the thread."""
    if not thread_readable(user, thread):
        return Post.objects.none()
    return (
        Post.objects.filter(thread=thread)
        .select_related("author", "author__discussion_preference")
        .prefetch_related("attachments")
        .order_by("number")
    )


def sitemap_threads() -> QuerySet[Thread]:
    """Every thread an anonymous reader may read, oldest first (stable sitemap pages)."""
    return readable_threads(None).order_by("created_at", "id")


def opening_posts(*, threads: list[Thread]) -> dict[int, Post]:
    """The opening post of each of `threads` (already read through a selector), by thread
    id, in one query: a feed shows each thread with its first post."""
    posts = Post.objects.filter(thread__in=[t.pk for t in threads], number=1)
    return {post.thread_id: post for post in posts}


# --- reading and writing pages -------------------------------------------------------


def category_watching(*, user: Actor | None, category: Category) -> bool:
    """Does the reader follow the category itself?"""
    if not _signed_in(user):
        return False
    return Watch.objects.filter(user_id=_uid(user), category=category).exists()


def thread_watched(*, user: Actor | None, thread: Thread) -> bool:
    """Does the reader follow the thread itself (not through its category)?"""
    if not _signed_in(user):
        return False
    return Watch.objects.filter(user_id=_uid(user), thread=thread).exists()


def thread_read_to(*, user: Actor | None, thread: Thread) -> int | None:
    """The number of the last post the reader has read in the thread; None when never
    opened or signed out."""
    if not _signed_in(user):
        return None
    return (
        ThreadRead.objects.filter(user_id=_uid(user), thread=thread)
        .values_list("last_read_number", flat=True)
        .first()
    )


def post_revisions(*, user: Actor | None, post: Post) -> list[PostRevision] | None:
    """A post's earlier versions, newest first; None when the reader may not see its
    text (a hidden post's history is for moderators and its author)."""
    if not thread_readable(user, post.thread) or not post_text_visible(user, post):
        return None
    return list(post.revisions.select_related("editor").order_by("-replaced_at", "-id"))


def attachment_get(*, user: Actor | None, attachment_id: int) -> Attachment | None:
    """An attachment whose post the reader may read, text included (a hidden post's
    files are for moderators and its author); None otherwise."""
    attachment = (
        Attachment.objects.select_related("post", "post__thread", "post__thread__category")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        return None
    post = attachment.post
    if not thread_readable(user, post.thread) or not post_text_visible(user, post):
        return None
    return attachment


# --- moderation, working groups and personal settings -------------------------------

# (imported here, where this section begins, so that the sections stay apart)

FLAGGED_PER_PAGE = 20
MENTION_SUGGESTIONS = 8


def flag_queue_page(*, user: Actor | None, page: int | str = 1) -> Page:
    """One page of the flag queue (`flag_queue`), each post with `open_flag_list`: its
    open flags, oldest first, with who raised them."""
    open_flags = (
        Flag.objects.filter(outcome=Flag.Outcome.OPEN)
        .select_related("flagged_by")
        .order_by("created_at", "id")
    )
    posts = (
        flag_queue(user=user)
        .select_related("author__discussion_preference")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("flags", queryset=open_flags, to_attr="open_flag_list"), "attachments"
        )
    )
    return Paginator(posts, FLAGGED_PER_PAGE).get_page(page)


def flagged_posts(*, user: Actor | None, ids: list[int]) -> QuerySet[Post]:
    """The posts of the flag queue among `ids` (a bulk action's ticked rows)."""
    return flag_queue(user=user).filter(pk__in=ids)


def working_groups(*, user: Actor | None) -> QuerySet[WorkingGroup]:
    """The working groups (the moderators' to keep; none for anyone else), each with
    `member_count` and its categories prefetched."""
    if not is_moderator(user):
        return WorkingGroup.objects.none()
    return (
        WorkingGroup.objects.annotate(member_count=Count("members", distinct=True))
        .prefetch_related("categories")
        .order_by("slug")
    )


def working_group_get(*, user: Actor | None, slug: str) -> WorkingGroup | None:
    return working_groups(user=user).filter(slug=slug).first()


def working_group_members(group: WorkingGroup) -> QuerySet[User]:
    return group.members.order_by("full_name", "email")


def followed_threads(*, user: Actor | None) -> list[Thread]:
    """The threads the reader follows one by one and may still read, newest post first,
    each with `read_to`."""
    if not _signed_in(user):
        return []
    threads = readable_threads(user).filter(watches__user_id=_uid(user))
    return list(_with_read_marks(threads, user).order_by("-last_post_at", "-id"))


def followed_categories(*, user: Actor | None) -> list[Category]:
    """The categories the reader follows and may still read, in their order."""
    if not _signed_in(user):
        return []
    watched = readable_categories(user).filter(watches__user_id=_uid(user))
    return list(watched.order_by("position", "slug"))


def _handle_key(text: str) -> str:
    """The query as a mention name is written ("Айгерим" -> "aigerim"); empty when it
    has no letter a mention name could hold (`handle_base` then says "member")."""
    key = handle_base(text)
    return "" if key == "member" and "member" not in text.lower() else key


def mention_candidates(
    *, user: Actor | None, query: str, limit: int = MENTION_SUGGESTIONS
) -> list[User]:
    """Active network members (not the reader) whose name or mention name contains
    `query`, in any case and script, by name: whom the reader may @mention.

    Mention names are lower-case Latin, so the query is transliterated to match them
    ("Айг" finds "aigerim.nurlanova") on any database, SQLite too (which compares only
    Latin letters without case). People without a mention name yet are matched by their
    name here, in Python."""
    text = query.strip().lstrip("@").strip()
    if len(text) < 2 or not _signed_in(user):
        return []
    network = User.objects.filter(Q(is_superuser=True) | Q(groups__name__in=list(NETWORK_ROLES)))
    members = User.objects.filter(is_active=True, pk__in=network.values("pk")).exclude(
        pk=_uid(user)
    )
    key = _handle_key(text)
    condition = Q(full_name__icontains=text)
    if key:
        condition |= Q(discussion_preference__handle__contains=key)
    found = list(
        members.filter(condition, discussion_preference__isnull=False)
        .select_related("discussion_preference")
        .order_by("full_name", "pk")[:limit]
    )
    if len(found) < limit:
        folded = normalize_name(text)
        more: list[int] = []
        without = members.filter(discussion_preference__isnull=True).order_by("full_name", "pk")
        for pk, name in without.values_list("pk", "full_name"):
            if (folded and folded in normalize_name(name or "")) or (
                key and key in handle_base(name or "")
            ):
                more.append(pk)
                if len(found) + len(more) >= limit:
                    break
        found += list(User.objects.filter(pk__in=more))
    return sorted(found, key=lambda person: ((person.full_name or "").casefold(), person.pk))


def unsubscribe_user(*, token: str) -> User | None:
    """The person an unsubscribe link was made for (`tokens.unsubscribe_token`), or
    None for a link that is not valid. Changes nothing: the page asks first."""
    user_id = unsubscribe_token_user_id(token)
    return User.objects.filter(pk=user_id).first() if user_id is not None else None


def follows_anything(*, user: Actor | None) -> bool:
    """Whether the reader follows a thread or a category (the start page offers its
    unread queue to those who do)."""
    return _signed_in(user) and Watch.objects.filter(user_id=_uid(user)).exists()
