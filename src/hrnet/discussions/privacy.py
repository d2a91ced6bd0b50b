"""A person's part in the discussions in their data export, and what erasure leaves of it
(registered with members' privacy in DiscussionsConfig.ready()).

Erasure keeps the conversation and removes the person: their posts and threads stay in
place, numbered as before, shown as by a "Former member" (no author); their email
addresses are taken out of their posts' texts and earlier versions, and every "@name"
mention of them, in anyone's post, becomes the erased name; they leave the mention lists,
working groups, follows, read markers, pending emails, settings (the mention name is made
from their name) and the flags they raised (the flag stays, without who raised it). The
files they attached are deleted: a picture may show them, and a document's properties
often carry its author's name, which cannot be checked file by file. Machine
translations of their posts are dropped (they are copies of the text from before).
Their posts are indexed again, so the search holds only what is left. Their name written
out in free text cannot be recognised here (the account's name is already blanked when
this runs); the secretariat hides or edits such a post by hand."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Q

from hrnet.accounts.models import User
from hrnet.discussions.models import (
    Attachment,
    Flag,
    Notification,
    Post,
    PostRevision,
    PostTranslation,
    Preference,
    Thread,
    ThreadRead,
    Watch,
    WorkingGroup,
)
from hrnet.discussions.policies import thread_readable
from hrnet.search.services import index_update


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _thread_title(user: User, thread: Thread) -> str | None:
    """The thread's title, when the person started it or may still read it: the export
    never tells them of a thread they may no longer see."""
    if thread.author_id == user.pk or thread_readable(user, thread):
        return thread.title
    return None


def account_discussion_data(user: User) -> dict[str, Any]:
    preference = Preference.objects.filter(user=user).first()
    posts = (
        Post.objects.filter(author=user)
        .select_related("thread", "thread__category")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    watches = Watch.objects.filter(user=user).select_related("thread__category", "category")
    return {
        "discussion_settings": (
            {"mention_name": preference.handle, "emails": preference.email}
            if preference is not None
            else None
        ),
        "discussion_threads_started": [
            {
                "id": thread.pk,
                "title": thread.title,
                "category": thread.category.name,
                "created_at": _iso(thread.created_at),
            }
            for thread in Thread.objects.filter(author=user)
            .select_related("category")
            .order_by("created_at", "pk")
        ],
        "discussion_posts": [
            {
                "thread_id": post.thread_id,
                "thread": _thread_title(user, post.thread),
                "number": post.number,
                "posted_at": _iso(post.created_at),
                "edited_at": _iso(post.edited_at),
                "language": post.language,
                "body": post.body,
                "hidden": post.hidden_at is not None,
                "attachments": [attachment.name for attachment in post.attachments.all()],
            }
            for post in posts
        ],
        "discussion_following": [
            {"thread": _thread_title(user, watch.thread)}
            if watch.thread is not None
            else {"category": watch.category.name if watch.category else None}
            for watch in watches
        ],
        "discussion_flags": [
            {
                "post_id": flag.post_id,
                "reason": flag.reason,
                "note": flag.note,
                "flagged_at": _iso(flag.created_at),
                "outcome": flag.outcome,
            }
            for flag in Flag.objects.filter(flagged_by=user).order_by("created_at", "pk")
        ],
    }


def _mention_pattern(handle: str) -> re.Pattern[str]:
    # As `mentions.MENTION` reads it: "@name" not inside a longer name or an address.
    return re.compile(rf"(?<![\w@./])@{re.escape(handle)}(?![a-z0-9_-]|\.[a-z0-9])", re.IGNORECASE)


def _scrub(text: str, *, emails: list[str], mention: re.Pattern[str] | None, name: str) -> str:
    for email in emails:
        text = re.sub(re.escape(email), name, text, flags=re.IGNORECASE)
    if mention is not None:
        text = mention.sub(name, text)
    return text


def account_discussion_data_erase(user: User | None, erased_name: str, emails: list[str]) -> None:
    if user is None:
        return  # discussions are written by accounts only
    preference = Preference.objects.filter(user=user).first()
    handle = preference.handle if preference is not None else ""
    mention = _mention_pattern(handle) if handle else None
    emails = [email for email in emails if email]

    # The texts that name them: their own posts (and the versions before their edits),
    # and anyone's post that mentions them.
    condition = Q(author=user) | Q(mentioned=user)
    if handle:
        condition |= Q(body__icontains=f"@{handle}")
    reindex: list[Post] = []
    for post in Post.objects.filter(condition).distinct().select_related("thread__category"):
        body = _scrub(post.body, emails=emails, mention=mention, name=erased_name)
        if body != post.body:
            post.body = body
            post.save(update_fields=["body"])
        reindex.append(post)
    for revision in PostRevision.objects.filter(Q(post__author=user) | Q(editor=user)):
        body = _scrub(revision.body, emails=emails, mention=mention, name=erased_name)
        if body != revision.body:
            revision.body = body
            revision.save(update_fields=["body"])
    Post.mentioned.through.objects.filter(user_id=user.pk).delete()

    own = Post.objects.filter(author=user)
    PostTranslation.objects.filter(post__in=own).delete()
    attachments = list(Attachment.objects.filter(post__in=own))
    names = [attachment.file.name for attachment in attachments if attachment.file]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    if names:
        storage = attachments[0].file.storage

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        # The files go once the erasure is committed (a rollback keeps them).
        transaction.on_commit(delete_files)

    own.update(author=None)
    Thread.objects.filter(author=user).update(author=None)
    Thread.objects.filter(last_author=user).update(last_author=None)
    PostRevision.objects.filter(editor=user).update(editor=None)
    Flag.objects.filter(flagged_by=user).update(flagged_by=None)
    Flag.objects.filter(resolved_by=user).update(resolved_by=None)
    for group in WorkingGroup.objects.filter(members=user):
        group.members.remove(user)
    Watch.objects.filter(user=user).delete()
    ThreadRead.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()

    for post in reindex:
        index_update(post)
