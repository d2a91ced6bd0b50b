"""Writes of segments and mailings, and the sending itself.

Exactly once per recipient: when a mailing is queued its recipients are frozen as
`Recipient` rows (pending). The sender claims one pending row at a time in a transaction
(`select_for_update(skip_locked)` on PostgreSQL, so parallel workers take different rows;
a conditional UPDATE, which SQLite serialises, on both), sends its email and marks it
sent in that same transaction. A worker that dies before the commit leaves the row
pending and the next run sends it; a row marked sent is never sent again. (A worker
killed after the mail server took the message but before the commit would send that one
message twice: the window is one SMTP reply.) An address the server refuses is marked
failed and the send goes on; any other error stops the run and marks the mailing failed,
and sending it again resumes with the rows still pending.
"""

from __future__ import annotations

import logging
import smtplib
import time
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hrnet.core.audit import log_action
from hrnet.core.links import site_url
from hrnet.core.progress import job_finish, job_update
from hrnet.core.rendering import body_html
from hrnet.core.selectors import network_get
from hrnet.mailings.audit import Action
from hrnet.mailings.models import Category, Mailing, Recipient, Unsubscription
from hrnet.mailings.selectors import LANGUAGE_CODES

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "hrnet.mailings.unsubscribe"


# --- delivery ---------------------------------------------------------------------------


def unsubscribe_token(email: str, category: str) -> str:
    return signing.dumps({"e": email.strip().lower(), "c": category}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") not in Category.values or not data.get("e"):
        return None
    return str(data["e"]), str(data["c"])


def unsubscribe_url(email: str, category: str) -> str:
    return site_url(reverse("mailings:unsubscribe", args=[unsubscribe_token(email, category)]))


def version_language(mailing: Mailing, language: str) -> str:
    """The recipient's language when the mailing has it, else the other one written."""
    if mailing.subjects.get(language) and mailing.bodies.get(language):
        return language
    for code in LANGUAGE_CODES:
        if mailing.subjects.get(code) and mailing.bodies.get(code):
            return code
    return language


def mailing_message(
    mailing: Mailing, recipient: Recipient, *, network: Any = None
) -> EmailMultiAlternatives:
    """The email to one recipient, in their language; no tracking pixel, no redirected
    links: the links are the ones written."""
    language = version_language(mailing, recipient.language)
    url = unsubscribe_url(recipient.email, mailing.category)
    with translation.override(language):
        context = {
            "mailing": mailing,
            "recipient": recipient,
            "network": network if network is not None else network_get(),
            "body": mailing.bodies.get(language, ""),
            "body_html": body_html(mailing.bodies.get(language, "")),
            "category": Category(mailing.category).label,
            "unsubscribe_url": url,
            "site_url": site_url(),
        }
        text = render_to_string("mailings/email/mailing_body.txt", context)
        html = render_to_string("mailings/email/mailing_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(mailing.subjects.get(language, "").split()),
        body=text,
        to=[recipient.email],
        headers={
            "Content-Language": language,
            # RFC 2369 and RFC 8058, as the weekly digest: a one-click button in mail clients.
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{mailing.category}.mailings.{_host()}>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _host() -> str:
    return site_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def _claim_and_send(mailing: Mailing, network: Any) -> bool:
    """Send to one pending recipient; False when none is left."""
    with transaction.atomic():
        pending = Recipient.objects.filter(mailing=mailing, state=Recipient.State.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        recipient = pending.order_by("pk").first()
        if recipient is None:
            return False
        # The claim: on SQLite (no row locks) only one worker's UPDATE finds it pending.
        claimed = Recipient.objects.filter(pk=recipient.pk, state=Recipient.State.PENDING).update(
            state=Recipient.State.SENDING
        )
        if not claimed:
            return True
        try:
            mailing_message(mailing, recipient, network=network).send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            # This address will not take it; the others still get theirs.
            recipient.state = Recipient.State.FAILED
            recipient.error = str(exc)[:500]
            recipient.save(update_fields=["state", "error"])
            return True
        recipient.state = Recipient.State.SENT
        recipient.sent_at = timezone.now()
        recipient.save(update_fields=["state", "sent_at"])
    return True


def rate_per_minute() -> int:
    """HRNET_MAILING_RATE_PER_MINUTE: emails per minute (0: as fast as the server takes)."""
    return int(getattr(settings, "HRNET_MAILING_RATE_PER_MINUTE", 120))


def mailing_deliver(*, mailing_id: int, limit: int | None = None) -> Mailing:
    """Send a queued mailing's pending emails (at most `limit` in this run), paced at the
    configured rate, reporting progress to its job. Safe to run again, or twice at once."""
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",)).select_related("job").get(pk=mailing_id)
        )
        if mailing.status not in (Mailing.Status.QUEUED, Mailing.Status.SENDING):
            return mailing
        if mailing.send_at and mailing.send_at > timezone.now():
            return mailing
        mailing.status = Mailing.Status.SENDING
        mailing.save(update_fields=["status", "updated_at"])
    job = mailing.job
    rate = rate_per_minute()
    interval = 60.0 / rate if rate > 0 else 0.0
    network = network_get()
    sent_in_run = 0
    try:
        while limit is None or sent_in_run < limit:
            started = time.monotonic()
            if not _claim_and_send(mailing, network):
                break
            sent_in_run += 1
            if job is not None:
                done = Recipient.objects.filter(mailing=mailing).exclude(
                    state__in=(Recipient.State.PENDING, Recipient.State.SENDING)
                )
                job_update(job, done=done.count())
            if interval:  # each email takes `interval` seconds, sending included
                wait = started + interval - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
    except Exception as exc:
        logger.exception("Mailing %s stopped", mailing.pk)
        Mailing.objects.filter(pk=mailing.pk).update(
            status=Mailing.Status.FAILED, error=str(exc)[:1000], updated_at=timezone.now()
        )
        if job is not None:
            job_finish(job, result={}, message=str(exc)[:500], failed=True)
        mailing.refresh_from_db()
        return mailing
    left = Recipient.objects.filter(
        mailing=mailing, state__in=(Recipient.State.PENDING, Recipient.State.SENDING)
    ).exists()
    if not left:
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT, finished_at=timezone.now(), updated_at=timezone.now()
        )
        if job is not None:
            sent = Recipient.objects.filter(mailing=mailing, state=Recipient.State.SENT).count()
            job_finish(job, result={"sent": sent})
    mailing.refresh_from_db()
    return mailing


def mailings_due() -> list[int]:
    """Mailings that should be sending now: queued and due, or left sending by a worker
    that stopped (their pending rows are sent; sent rows never again)."""
    now = timezone.now()
    return list(
        Mailing.objects.filter(status__in=(Mailing.Status.QUEUED, Mailing.Status.SENDING))
        .exclude(send_at__gt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- unsubscribing ----------------------------------------------------------------------


@transaction.atomic
def category_unsubscribe(*, email: str, category: str, request: HttpRequest | None = None) -> bool:
    """No more mailings of `category` to `email`; False when it was already so. The
    signed token is the proof, so nobody is signed in."""
    unsubscription, created = Unsubscription.objects.get_or_create(
        email=email.strip().lower(), category=category
    )
    if created:
        Recipient.objects.filter(
            email__iexact=email, state=Recipient.State.PENDING, mailing__category=category
        ).update(state=Recipient.State.FAILED, error="unsubscribed")
        log_action(
            actor=None, action=Action.CATEGORY_UNSUBSCRIBE, obj=unsubscription, request=request
        )
    return created
