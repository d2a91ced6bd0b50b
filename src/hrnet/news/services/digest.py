"""The weekly email digest: what was published since a member's last digest (news,
resources, and whatever other modules add), in the member's language, with a signed
one-click unsubscribe link.

Sections come from a small registry (here; the sections themselves are reads, in
`news.selectors.digest`): news and the library are built in; another module
(events, for upcoming events) adds its own in its AppConfig.ready():

    from hrnet.news.selectors.digest import DigestItem, DigestSection
    from hrnet.news.services.digest import digest_section_register

    def upcoming_events(*, user, start, end) -> DigestSection | None: ...

    digest_section_register("events", upcoming_events, position=30)

Each member gets at most one digest per ISO week: a `DigestSending` row (unique per user
and week) is written before the email goes out, so a second or concurrent run of the same
week sends nothing. A member with nothing new gets the row (with no items) and no email;
their next digest starts where this one ended.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.links import site_url
from hrnet.core.selectors import network_get
from hrnet.core.types import Actor
from hrnet.news.audit import Action
from hrnet.news.models import DigestSending, DigestSubscription
from hrnet.news.policies import digest_subscription_policy, is_network_member
from hrnet.news.selectors.digest import (
    UNSUBSCRIBE_SALT,
    DigestSection,
    digest_period_start,
    news_section,
    resources_section,
)

logger = logging.getLogger(__name__)

# Called inside the recipient's language: (*, user, start, end) -> a section or None.
SectionBuilder = Callable[..., DigestSection | None]

_sections: dict[str, tuple[int, SectionBuilder]] = {}


def digest_section_register(key: str, builder: SectionBuilder, *, position: int = 100) -> None:
    """Add (or replace) a section of the digest; sections are shown by `position`."""
    _sections[key] = (position, builder)


digest_section_register("news", news_section, position=10)
digest_section_register("resources", resources_section, position=20)


def digest_sections(*, user: Actor, start: datetime, end: datetime) -> list[DigestSection]:
    """The non-empty sections of `user`'s digest for [start, end), in the active language."""
    sections = []
    for _position, builder in sorted(_sections.values(), key=lambda entry: entry[0]):
        section = builder(user=user, start=start, end=end)
        if section is not None and section.items:
            sections.append(section)
    return sections


# --- subscriptions and the unsubscribe token ------------------------------------------


@transaction.atomic
def digest_subscribe(*, user: Actor, request: HttpRequest | None = None) -> DigestSubscription:
    digest_subscription_policy.require(user, "subscribe")
    subscription, created = DigestSubscription.objects.get_or_create(user=user)
    if created:
        log_action(actor=user, action=Action.DIGEST_SUBSCRIBE, obj=subscription, request=request)
    return subscription


@transaction.atomic
def digest_unsubscribe(*, user: Actor, request: HttpRequest | None = None) -> bool:
    """Stop the digest for `user` (signed in, or holding a valid unsubscribe token).
    Returns whether there was a subscription."""
    if not isinstance(user, User):
        return False
    subscription = DigestSubscription.objects.filter(user=user).first()
    if subscription is None:
        return False
    log_action(actor=user, action=Action.DIGEST_UNSUBSCRIBE, obj=subscription, request=request)
    subscription.delete()
    return True


def digest_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=False)


def digest_unsubscribe_url(user: User) -> str:
    return site_url(reverse("news:digest_unsubscribe", args=[digest_token(user)]))


# --- sending ----------------------------------------------------------------------------


def week_key(moment: datetime) -> str:
    year, week, _weekday = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DigestReport:
    sent: int = 0
    empty: int = 0  # nothing new: no email
    already: int = 0  # this week's digest had gone out before
    not_members: int = 0  # subscribed but no longer in the network
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "empty": self.empty,
            "already": self.already,
            "not_members": self.not_members,
            "failed": self.failed,
        }


def digest_send(
    *, now: datetime | None = None, progress: Callable[[int, int], Any] | None = None
) -> DigestReport:
    """Send this week's digest to every subscriber who has not had it yet; safe to run as
    often as you like (the daily housekeeping does)."""
    now = now or timezone.now()
    week = week_key(now)
    report = DigestReport()
    subscriptions = list(
        DigestSubscription.objects.select_related("user")
        .filter(user__is_active=True)
        .exclude(user__digest_sendings__week=week)
        .order_by("pk")
    )
    total = len(subscriptions)
    network = network_get()
    for done, subscription in enumerate(subscriptions, start=1):
        _send_one(subscription, now=now, week=week, network=network, report=report)
        if progress is not None:
            progress(done, total)
    if progress is not None and not total:
        progress(0, 0)
    return report


def _send_one(
    subscription: DigestSubscription,
    *,
    now: datetime,
    week: str,
    network: Any,
    report: DigestReport,
) -> None:
    user = subscription.user
    if not is_network_member(user):
        report.not_members += 1
        return
    start = digest_period_start(subscription, now)
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        sections = digest_sections(user=user, start=start, end=now)
        item_count = sum(len(section.items) for section in sections)
        try:
            with transaction.atomic():
                sending = DigestSending.objects.create(
                    user=user, week=week, period_start=start, period_end=now, item_count=item_count
                )
        except IntegrityError:  # another run got there first
            report.already += 1
            return
        if not item_count:
            report.empty += 1
            return
        message = _digest_message(
            user=user, sections=sections, network=network, start=start, end=now
        )
    try:
        message.send()
    except Exception as exc:
        # Not sent: forget the row so that the next run tries again this week.
        logger.exception("The weekly digest to user %s could not be sent", user.pk)
        sending.delete()
        report.failed += 1
        report.errors.append(str(exc))
        return
    report.sent += 1


def _digest_message(
    *, user: User, sections: list[DigestSection], network: Any, start: datetime, end: datetime
) -> EmailMultiAlternatives:
    unsubscribe_url = digest_unsubscribe_url(user)
    context = {
        "user": user,
        "network": network,
        "sections": sections,
        "start": start,
        "end": end,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": site_url(reverse("news:digest_settings")),
        "site_url": site_url(),
    }
    subject = render_to_string("news/email/digest_subject.txt", context)
    text = render_to_string("news/email/digest_body.txt", context)
    html = render_to_string("news/email/digest_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[user.email],
        headers={
            "Content-Language": translation.get_language() or settings.LANGUAGE_CODE,
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
