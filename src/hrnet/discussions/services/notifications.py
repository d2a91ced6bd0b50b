"""The emails of new posts: one email per post for people who want them at once, one
summary a day for those who chose it (`Preference.email`), each in the person's language
with a one-click unsubscribe (RFC 8058).

Exactly once: a pending `Notification` row is claimed in a transaction
(`select_for_update(skip_locked)` on PostgreSQL, so parallel workers take different rows;
a conditional UPDATE, which SQLite serialises, on both), emailed and marked in that same
transaction, so a worker that dies before the commit leaves it pending for the next run
and a row marked emailed is never sent again (a worker killed after the mail server took
the message but before the commit would send that one twice: the window is one SMTP
reply). The daily summary is claimed the same way
through `Preference.daily_sent_on`: one per person per day.

Just before sending, each row is checked again: the thread may have been hidden or moved,
the category restricted, the post hidden, the person may have lost their membership or
been deactivated since the post was written. Such a row is marked skipped and nothing is
sent, as are the rows of people who want no emails."""

from __future__ import annotations

import logging
import re
import smtplib
import zoneinfo
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.links import site_url
from hrnet.core.rendering import body_html, body_text
from hrnet.core.selectors import network_get
from hrnet.discussions.models import Notification, Post, Preference, Thread
from hrnet.discussions.names import author_name
from hrnet.discussions.policies import thread_readable
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.tokens import unsubscribe_token

logger = logging.getLogger(__name__)

SUMMARY_POSTS_PER_THREAD = 5  # more are counted, not quoted: the link opens the thread
EXCERPT_WORDS = 40


def _pending() -> QuerySet[Notification]:
    return Notification.objects.filter(emailed_at__isnull=True, skipped=False)


def _lock(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True, of=("self",))
    return rows


def _still_readable(notification: Notification) -> bool:
    """May the person still read this post? Asked again at sending time."""
    user, post = notification.user, notification.post
    thread = post.thread
    if not user.is_active or post.hidden_at is not None or thread.hidden_at is not None:
        return False
    return thread_readable(user, thread)


def _language(user: User) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def _plain_text(body: str) -> str:
    """The post as plain text, its paragraphs kept apart (`body_text` makes one line)."""
    blocks = (body_text(block) for block in re.split(r"\n\s*\n", body or ""))
    return "\n\n".join(block for block in blocks if block)


def _host() -> str:
    return site_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def _message(
    *, user: User, subject: str, template: str, context: dict[str, Any], thread: Thread | None
) -> EmailMultiAlternatives:
    """Inside the person's `translation.override`: the email with its links."""
    unsubscribe_url = site_url(reverse("discussions:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": site_url(reverse("discussions:settings")),
        "site_url": site_url(),
    }
    text = render_to_string(f"discussions/email/{template}.txt", context)
    html = render_to_string(f"discussions/email/{template}.html", context)
    headers = {
        "Content-Language": translation.get_language() or settings.LANGUAGE_CODE,
        # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<discussions.{_host()}>",
        "Auto-Submitted": "auto-generated",
    }
    if thread is not None:
        # Mail clients put the emails of one thread together.
        headers["References"] = f"<discussions.thread.{thread.pk}@{_host()}>"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[user.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


# --- one email per post -----------------------------------------------------------------


def _post_url(post: Post) -> str:
    return site_url(reverse("discussions:post", args=[post.pk]))


def notification_message(notification: Notification, *, network: Any) -> EmailMultiAlternatives:
    """The email of one post to one person, in their language."""
    user, post = notification.user, notification.post
    thread = post.thread
    with translation.override(_language(user)):
        author = author_name(post.author)
        names = {
            "author": author,
            "title": thread.title,
            "category": thread.category.name,
            "network": network.short_name,
        }
        if notification.reason == Notification.Reason.MENTION:
            subject = _("[%(network)s] %(author)s mentioned you in “%(title)s”") % names
            intro = _("%(author)s mentioned you in “%(title)s”.") % names
            why = _("You receive this because you were mentioned.")
        elif post.number == 1:
            subject = _("[%(network)s] New thread: %(title)s") % names
            intro = (
                _("%(author)s started the thread “%(title)s” in %(category)s, which you follow.")
                % names
            )
            why = _("You receive this because you follow %(category)s.") % names
        else:
            subject = _("[%(network)s] %(title)s") % names
            if notification.reason == Notification.Reason.THREAD:
                intro = _("%(author)s replied in “%(title)s”, a thread you follow.") % names
                why = _("You receive this because you follow this thread.")
            else:
                intro = (
                    _("%(author)s replied in “%(title)s” in %(category)s, which you follow.")
                    % names
                )
                why = _("You receive this because you follow %(category)s.") % names
        context = {
            "network": network,
            "post": post,
            "thread": thread,
            "author": author,
            "intro": intro,
            "why": why,
            "body": _plain_text(post.body),
            "body_html": body_html(post.body),
            "attachments": post.attachments.count(),
            "post_url": _post_url(post),
        }
        return _message(user=user, subject=subject, template="post", context=context, thread=thread)


def _mark(pk: int, **values: Any) -> int:
    """Mark a row still pending; 0 when another worker got there first."""
    return _pending().filter(pk=pk).update(**values)


def _send_next(cursor: int, network: Any) -> tuple[int, bool] | None:
    """Handle the next pending row after `cursor`: (its pk, whether an email went out);
    None when none is left."""
    daily = Preference.objects.filter(email=Preference.Email.DAILY).values("user_id")
    with transaction.atomic():
        pk = (
            _lock(_pending().filter(pk__gt=cursor).exclude(user_id__in=daily))
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return None
        notification = Notification.objects.select_related(
            "user", "post__author", "post__thread__category"
        ).get(pk=pk)
        email = preference_for(notification.user).email
        if email == Preference.Email.DAILY:
            return pk, False  # chosen meanwhile: the summary takes it
        if email == Preference.Email.NEVER or not _still_readable(notification):
            _mark(pk, skipped=True)
            return pk, False
        # The claim: on SQLite (no row locks) only one worker's UPDATE finds it pending.
        if not _mark(pk, emailed_at=timezone.now()):
            return pk, False
        try:
            notification_message(notification, network=network).send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
            # This address will not take it; the others still get theirs.
            Notification.objects.filter(pk=pk).update(emailed_at=None, skipped=True)
            return pk, False
    return pk, True


def notifications_send() -> int:
    """Email every pending notification of people who want each post at once (and skip
    those of people who want none); the number of emails sent. Safe to run again, or
    twice at once. An error of the mail server stops the run; its rows stay pending."""
    network = network_get()
    sent, cursor = 0, 0
    while True:
        try:
            result = _send_next(cursor, network)
        except Exception:
            logger.exception("Discussion emails stopped; the rest are sent by the next run")
            break
        if result is None:
            break
        cursor, emailed = result
        sent += emailed
    return sent


# --- the daily summary ------------------------------------------------------------------


@dataclass
class SummaryThread:
    thread: Thread
    category: str
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.posts)


def _summary_threads(rows: list[Notification]) -> list[SummaryThread]:
    """The rows grouped by thread, the most recently active first, posts in order."""
    groups: dict[int, SummaryThread] = {}
    for row in sorted(rows, key=lambda r: (r.post.thread_id, r.post.number)):
        post = row.post
        group = groups.get(post.thread_id)
        if group is None:
            group = groups[post.thread_id] = SummaryThread(
                thread=post.thread,
                category=post.thread.category.name,
                url=_post_url(post),  # the first new post
            )
        group.count += 1
        if len(group.posts) < SUMMARY_POSTS_PER_THREAD:
            group.posts.append(
                {
                    "author": author_name(post.author),
                    "created_at": post.created_at,
                    "excerpt": Truncator(body_text(post.body)).words(EXCERPT_WORDS),
                    "url": _post_url(post),
                    "mention": row.reason == Notification.Reason.MENTION,
                }
            )
    return sorted(
        groups.values(), key=lambda g: max(p["created_at"] for p in g.posts), reverse=True
    )


def _zone(user: User) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(user.time_zone) if user.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def summary_message(
    *, user: User, rows: list[Notification], network: Any
) -> EmailMultiAlternatives:
    """The day's summary of `rows` to one person, in their language and time zone."""
    with translation.override(_language(user)), timezone.override(_zone(user)):
        threads = _summary_threads(rows)
        count = len(rows)
        subject = translation.ngettext(
            "[%(network)s] Discussions: %(count)s new post",
            "[%(network)s] Discussions: %(count)s new posts",
            count,
        ) % {"network": network.short_name, "count": count}
        context = {"network": network, "threads": threads, "count": count}
        return _message(
            user=user, subject=subject, template="summary", context=context, thread=None
        )


def _summary_send(user_id: int, today: date, network: Any) -> bool:
    """The day's summary of one person; False when it had gone out or nothing is left."""
    with transaction.atomic():
        # The claim of the day: only one run's UPDATE finds the day not yet sent.
        claimed = (
            Preference.objects.filter(user_id=user_id, email=Preference.Email.DAILY)
            .exclude(daily_sent_on=today)
            .update(daily_sent_on=today)
        )
        if not claimed:
            return False
        pks = list(_lock(_pending().filter(user_id=user_id)).values_list("pk", flat=True))
        rows = list(
            Notification.objects.filter(pk__in=pks).select_related(
                "user", "post__author", "post__thread__category"
            )
        )
        readable = [row for row in rows if _still_readable(row)]
        gone = [row.pk for row in rows if row not in readable]
        if gone:
            _pending().filter(pk__in=gone).update(skipped=True)
        if not readable:
            return False
        _pending().filter(pk__in=[row.pk for row in readable]).update(emailed_at=timezone.now())
        user = readable[0].user
        try:
            summary_message(user=user, rows=readable, network=network).send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
            Notification.objects.filter(pk__in=[row.pk for row in readable]).update(
                emailed_at=None, skipped=True
            )
            return False
    return True


def daily_summaries_send(*, today: date | None = None) -> int:
    """Send today's summary to each person who chose one and has pending posts, at most
    once a day each (run it as often as you like); the number of emails sent. "Today" is
    the site's date (`TIME_ZONE`)."""
    today = today or timezone.localdate()
    network = network_get()
    user_ids = list(
        _pending()
        .filter(
            user_id__in=Preference.objects.filter(email=Preference.Email.DAILY)
            .exclude(daily_sent_on=today)
            .values("user_id")
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in user_ids:
        try:
            sent += _summary_send(user_id, today, network)
        except Exception:
            logger.exception("Discussion summaries stopped; the rest are sent by the next run")
            break
    return sent
