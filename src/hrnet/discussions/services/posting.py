"""Writing in the discussions: a new thread with its opening post, a reply, an edit
(the text it replaced is kept), attachments.

A reply locks its thread row, so posts are numbered without gaps under concurrency and
the counters the category page reads (`Thread.reply_count`, `last_post_at`,
`Category.thread_count`...) stay true. Everything a post sets off is written in the same
transaction: its mentions, the notifications of those who follow the thread or category
(emailed by the worker after the commit, `services.notifications`), the author's read
marker and the search entry. Files are checked before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.images import image_without_metadata
from hrnet.core.throttle import throttle_hit
from hrnet.core.uploads import IMAGE_KINDS, KINDS, CheckedUpload, upload_check
from hrnet.discussions.audit import Action
from hrnet.discussions.mentions import mentioned_handles
from hrnet.discussions.models import (
    Attachment,
    Category,
    Notification,
    Post,
    PostRevision,
    Thread,
    ThreadRead,
    Watch,
)
from hrnet.discussions.policies import category_policy, post_policy, thread_policy, thread_readable
from hrnet.discussions.services.people import users_by_handles
from hrnet.discussions.tasks import notifications_send
from hrnet.search.services import index_update

MAX_BODY = 20_000
MAX_TITLE = 200
MAX_FILES = 5
MAX_FILE_MB = 10


def _language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return language
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return active if active in codes else settings.LANGUAGE_CODE


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something before you post.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("A post may have at most %(max)s characters.") % {"max": MAX_BODY}}
        )
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < 5:
        raise ValidationError({"title": _("Give the thread a title of at least 5 characters.")})
    if len(title) > MAX_TITLE:
        raise ValidationError(
            {"title": _("A title may have at most %(max)s characters.") % {"max": MAX_TITLE}}
        )
    return title


def _check_files(files: Sequence[Any]) -> list[tuple[Any, CheckedUpload]]:
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("At most %(max)s files per post.") % {"max": MAX_FILES}})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(
                (
                    upload,
                    upload_check(
                        upload,
                        kinds=(*KINDS, *IMAGE_KINDS),
                        max_bytes=MAX_FILE_MB * 1024 * 1024,
                        refused=_(
                            "“%(name)s” is %(found)s. Attach PDF, DOCX, XLSX or PPTX documents "
                            "(without macros) or JPEG and PNG pictures."
                        ),
                    ),
                )
            )
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _throttle(actor: User) -> None:
    if not throttle_hit(
        scope="discussions.post",
        key=str(actor.pk),
        limit=int(settings.HRNET_DISCUSSION_POSTS_PER_HOUR),
        window=timedelta(hours=1),
    ):
        raise ValidationError(
            _("You have posted a lot in the last hour. Please wait a little and try again."),
            code="throttled",
        )


def _attach(post: Post, checked: list[tuple[Any, CheckedUpload]]) -> None:
    for upload, info in checked:
        upload.seek(0)
        content = (
            image_without_metadata(upload, name=info.original_name)
            if info.kind in IMAGE_KINDS
            else upload
        )
        attachment = Attachment(
            post=post,
            name=info.original_name,
            content_type=info.kind.content_type,
            size=content.size,
            sha256=info.sha256,
        )
        attachment.file.save(info.original_name, content, save=False)
        attachment.save()


def _notify(post: Post, author: User) -> int:
    """Notification rows for those mentioned and those following the thread or its
    category, each once, never the author, and only people who may read the thread."""
    thread = post.thread
    reasons: dict[int, str] = {}
    for user in post.mentioned.all():
        reasons.setdefault(user.pk, Notification.Reason.MENTION)
    for user_id in Watch.objects.filter(thread=thread).values_list("user_id", flat=True):
        reasons.setdefault(user_id, Notification.Reason.THREAD)
    for user_id in Watch.objects.filter(category_id=thread.category_id).values_list(
        "user_id", flat=True
    ):
        reasons.setdefault(user_id, Notification.Reason.CATEGORY)
    reasons.pop(author.pk, None)
    users = User.objects.filter(pk__in=reasons, is_active=True)
    rows = [
        Notification(user=user, post=post, reason=reasons[user.pk])
        for user in users
        if thread_readable(user, thread)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _mentions(post: Post, author: User) -> None:
    users = users_by_handles(mentioned_handles(post.body))
    post.mentioned.set([u for u in users if u.pk != author.pk and thread_readable(u, post.thread)])


def _read_to(user: User, thread: Thread, number: int) -> None:
    ThreadRead.objects.update_or_create(
        user=user, thread=thread, defaults={"last_read_number": number, "read_at": timezone.now()}
    )


def _after_commit() -> None:
    transaction.on_commit(lambda: notifications_send.enqueue())


def _add_post(
    *,
    thread: Thread,
    author: User,
    body: str,
    language: str,
    reply_to: Post | None,
    checked: list[tuple[Any, CheckedUpload]],
) -> Post:
    """Inside the caller's transaction, with `thread` locked: the next post."""
    now = timezone.now()
    number = thread.post_count + 1
    post = Post.objects.create(
        thread=thread,
        number=number,
        author=author,
        body=body,
        language=language,
        reply_to=reply_to,
        created_at=now,
    )
    _attach(post, checked)
    Thread.objects.filter(pk=thread.pk).update(
        post_count=number,
        reply_count=max(number - 1, 0),
        last_post_at=now,
        last_author=author,
    )
    Category.objects.filter(pk=thread.category_id).update(
        post_count=F("post_count") + 1, last_post_at=now
    )
    thread.post_count, thread.reply_count, thread.last_post_at = number, max(number - 1, 0), now
    _mentions(post, author)
    _notify(post, author)
    Watch.objects.get_or_create(user=author, thread=thread)  # you hear of replies to you
    _read_to(author, thread, number)
    index_update(post)
    return post


def thread_create(
    *,
    actor: User,
    category: Category,
    title: str,
    body: str,
    language: str = "",
    files: Sequence[Any] = (),
    request: HttpRequest | None = None,
) -> Thread:
    category_policy.require(actor, "post", category)
    title, body = _clean_title(title), _clean_body(body)
    checked = _check_files(files)
    language = _language(language)
    with transaction.atomic():
        _throttle(actor)
        thread = Thread.objects.create(
            category=category,
            title=title,
            author=actor,
            language=language,
            last_author=actor,
        )
        Category.objects.filter(pk=category.pk).update(thread_count=F("thread_count") + 1)
        post = _add_post(
            thread=thread,
            author=actor,
            body=body,
            language=language,
            reply_to=None,
            checked=checked,
        )
        log_action(
            actor=actor,
            action=Action.THREAD_CREATE,
            obj=thread,
            changes={"category": category.slug, "post": post.pk},
            request=request,
        )
        _after_commit()
    return thread


def post_create(
    *,
    actor: User,
    thread: Thread,
    body: str,
    language: str = "",
    reply_to: Post | None = None,
    files: Sequence[Any] = (),
    request: HttpRequest | None = None,
) -> Post:
    thread_policy.require(actor, "reply", thread)
    body = _clean_body(body)
    checked = _check_files(files)
    language = _language(language)
    if reply_to is not None and reply_to.thread_id != thread.pk:
        reply_to = None
    with transaction.atomic():
        # The row lock numbers posts one at a time; the policy is asked again under it
        # (a moderator may have locked or moved the thread meanwhile).
        thread = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=thread.pk)
        )
        thread_policy.require(actor, "reply", thread)
        _throttle(actor)
        post = _add_post(
            thread=thread,
            author=actor,
            body=body,
            language=language,
            reply_to=reply_to,
            checked=checked,
        )
        log_action(
            actor=actor,
            action=Action.POST_CREATE,
            obj=post,
            changes={"thread": thread.pk, "number": post.number},
            request=request,
        )
        _after_commit()
    return post


def post_edit(
    *,
    actor: User,
    post: Post,
    body: str,
    title: str | None = None,
    request: HttpRequest | None = None,
) -> Post:
    """The author changes their post within the edit window; the old text is kept as a
    revision. The opening post's edit may change the thread's title."""
    post_policy.require(actor, "edit", post)
    body = _clean_body(body)
    new_title = _clean_title(title) if title is not None and post.number == 1 else None
    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("thread", "thread__category")
            .get(pk=post.pk)
        )
        post_policy.require(actor, "edit", post)
        thread = post.thread
        if body == post.body and (new_title is None or new_title == thread.title):
            return post
        PostRevision.objects.create(
            post=post,
            body=post.body,
            title=thread.title if post.number == 1 else "",
            editor=actor,
        )
        changes: dict[str, Any] = {"body": {"old_length": len(post.body), "new_length": len(body)}}
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at"])
        if new_title is not None and new_title != thread.title:
            changes["title"] = {"old": thread.title, "new": new_title}
            thread.title = new_title
            thread.save(update_fields=["title", "updated_at"])
            index_update(thread.posts.get(number=1))
        # Mentions added by the edit are told; those already told are not told twice.
        before = set(post.mentioned.values_list("pk", flat=True))
        _mentions(post, actor)
        added = set(post.mentioned.values_list("pk", flat=True)) - before
        if added:
            Notification.objects.bulk_create(
                [
                    Notification(user_id=pk, post=post, reason=Notification.Reason.MENTION)
                    for pk in added
                ],
                ignore_conflicts=True,
            )
            _after_commit()
        index_update(post)
        log_action(actor=actor, action=Action.POST_EDIT, obj=post, changes=changes, request=request)
    return post
