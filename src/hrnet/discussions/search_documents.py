"""What the search sees of a post (registered in DiscussionsConfig.ready()): the opening
post carries its thread's title; a reply is found by its own text under the thread's
title. Its visibility is its category's: public, members, or the category's working
groups (an audience only their members hold, `search.documents.register_audience`).
Hidden posts and posts of hidden threads are not searchable."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from hrnet.core.rendering import body_text
from hrnet.core.types import Actor
from hrnet.discussions.models import Category, Post, WorkingGroup
from hrnet.discussions.policies import is_moderator
from hrnet.search.documents import GROUP, MEMBERS, PUBLIC, SearchDocument

THREAD_KIND = "discussion"
REPLY_KIND = "discussion_reply"


def category_audience(category: Category) -> tuple[str, list[str]]:
    if category.visibility == Category.Visibility.PUBLIC:
        return PUBLIC, []
    if category.visibility == Category.Visibility.MEMBERS:
        return MEMBERS, []
    return GROUP, [f"discussions.group.{pk}" for pk in category.groups.values_list("pk", flat=True)]


def user_audiences(user: Actor | None) -> set[str]:
    """The group keys `user` holds: their working groups' (every group's for moderators,
    who read every category)."""
    if not getattr(user, "is_authenticated", False) or isinstance(user, AnonymousUser):
        return set()
    groups = WorkingGroup.objects.all()
    if not is_moderator(user):
        groups = groups.filter(members=user)
    return {f"discussions.group.{pk}" for pk in groups.values_list("pk", flat=True)}


def post_search_document(post: Post) -> SearchDocument | None:
    thread = post.thread
    if post.hidden_at is not None or thread.hidden_at is not None:
        return None
    visibility, audiences = category_audience(thread.category)
    opening = post.number == 1
    return SearchDocument(
        kind=THREAD_KIND if opening else REPLY_KIND,
        language=post.language,
        title=thread.title,
        summary="",
        body=body_text(post.body),
        url_name="discussions:post",
        published_at=post.created_at,
        visibility=visibility,
        audiences=audiences,
        issue_areas=[area.code] if (area := thread.category.issue_area) is not None else [],
        year=post.created_at.year,
    )
