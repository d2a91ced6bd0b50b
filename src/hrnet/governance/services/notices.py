"""The emails to voters about an election, each in the reader's language: nominations are
open, voting is open (with the link to vote), two days before voting closes to those who
have not voted, and the results are published.

Who gets them: every entry of the frozen roll (an election whose roll is not frozen yet
waits); an individual member at their account; a member organisation at its designated
delegate, or every current admin when none is designated. An entry with nobody to write
to is left for a later run (an admin may get an account meanwhile).

Exactly once per voter and kind: the `Notice` row (unique per election, roll entry and
kind) is written in a transaction before the email goes and committed after it went; a
second run, or one running at the same time, finds the row (or waits on it) and skips.
If sending fails the row is rolled back and the next run tries again; an address the
mail server refuses keeps its row, so it is not tried every 15 minutes. (A run killed
after the server took the message but before the commit would send that one twice: the
window is one SMTP reply.)"""

from __future__ import annotations

import logging
import smtplib
import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.i18n import localized
from hrnet.core.links import site_url
from hrnet.core.selectors import network_get
from hrnet.governance.models import Election, Notice, RollEntry, VoterRecord
from hrnet.governance.selectors import current_admins

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(days=2)
# Someone told voting is open less than this long ago is not reminded yet.
REMINDER_AFTER_VOTING_NOTICE = timedelta(days=1)


def _language(user: User) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def _zone(user: User) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(user.time_zone) if user.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def entry_recipients(entry: RollEntry, admins: dict[int, list[User]] | None = None) -> list[User]:
    """Who is written to for a roll entry: the member; the organisation's delegate, or its
    current admins when none is designated. Active accounts only."""
    if entry.person_id is not None:
        users = [entry.person.user] if entry.person and entry.person.user else []
    elif entry.delegate is not None:
        users = [entry.delegate]
    else:
        if admins is None:
            admins = current_admins([entry.organisation_id or 0])
        users = admins.get(entry.organisation_id or 0, [])
    return [user for user in users if user.is_active and user.email]


def _texts(kind: str, election: Election, entry: RollEntry, network: Any) -> dict[str, str]:
    """Subject, opening and call to action, in the active language."""
    names = {"network": network.short_name or network.name, "election": election.title}
    closes = timezone.localtime(election.closes_at)
    when = {"date": date_format(closes, "DATETIME_FORMAT"), "zone": closes.tzname() or ""}
    if kind == Notice.Kind.NOMINATIONS:
        until = date_format(
            timezone.localtime(election.nominations_close_at or election.opens_at),
            "DATETIME_FORMAT",
        )
        return {
            "subject": _("[%(network)s] Nominations are open: %(election)s") % names,
            "intro": _(
                "Nominations are open for “%(election)s”. Members may stand themselves, and "
                "member organisations may nominate a person of their organisation."
            )
            % names,
            "detail": _("Nominations close on %(date)s (%(zone)s).") % {**when, "date": until},
            "action": _("Read about the election and nominate:"),
        }
    if kind == Notice.Kind.VOTING:
        return {
            "subject": _("[%(network)s] Voting is open: %(election)s") % names,
            "intro": _("Voting is open in “%(election)s”.") % names,
            "detail": _("Voting closes on %(date)s (%(zone)s). Your vote is secret.") % when,
            "action": _("Read the candidates’ statements and vote:"),
        }
    if kind == Notice.Kind.REMINDER:
        return {
            "subject": _("[%(network)s] Two days left to vote: %(election)s") % names,
            "intro": _(
                "Voting in “%(election)s” closes in two days, and this vote is not cast yet."
            )
            % names,
            "detail": _("Voting closes on %(date)s (%(zone)s).") % when,
            "action": _("Vote now:"),
        }
    return {
        "subject": _("[%(network)s] Results: %(election)s") % names,
        "intro": _("The results of “%(election)s” are published.") % names,
        "detail": localized(election.result_summaries),
        "action": _("Read the results and check your receipt:"),
    }


def _url(kind: str, election: Election) -> str:
    name = {
        Notice.Kind.NOMINATIONS: "governance:election",
        Notice.Kind.VOTING: "governance:vote",
        Notice.Kind.REMINDER: "governance:vote",
        Notice.Kind.RESULTS: "governance:results",
    }[Notice.Kind(kind)]
    return site_url(reverse(name, args=[election.pk]))


def notice_message(
    *, kind: str, election: Election, entry: RollEntry, user: User, network: Any = None
) -> EmailMultiAlternatives:
    """One notice to one person, in their language and time zone."""
    network = network if network is not None else network_get()
    language = _language(user)
    with translation.override(language), timezone.override(_zone(user)):
        texts = _texts(kind, election, entry, network)
        context = {
            **texts,
            "user": user,
            "network": network,
            "election": election,
            "entry": entry,
            "for_organisation": entry.organisation_id is not None,
            "url": _url(kind, election),
            "site_url": site_url(),
        }
        text = render_to_string("governance/email/notice.txt", context)
        html = render_to_string("governance/email/notice.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(texts["subject"].split()),
        body=text,
        to=[user.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _due(election: Election, now: datetime) -> list[str]:
    status = election.status_at(now)
    if status == Election.Status.NOMINATIONS and election.nominations_open(now):
        return [Notice.Kind.NOMINATIONS]
    if status == Election.Status.OPEN:
        kinds: list[str] = [Notice.Kind.VOTING]
        if election.closes_at - now <= REMINDER_BEFORE:
            kinds.append(Notice.Kind.REMINDER)
        return kinds
    if status == Election.Status.PUBLISHED:
        return [Notice.Kind.RESULTS]
    return []


def _entries_due(election: Election, kind: str, now: datetime) -> list[RollEntry]:
    entries = RollEntry.objects.filter(roll=election.roll).exclude(
        pk__in=Notice.objects.filter(election=election, kind=kind).values("roll_entry")
    )
    if kind in (Notice.Kind.VOTING, Notice.Kind.REMINDER):
        entries = entries.exclude(
            pk__in=VoterRecord.objects.filter(election=election).values("roll_entry")
        )
    if kind == Notice.Kind.REMINDER:
        entries = entries.exclude(
            pk__in=Notice.objects.filter(
                election=election,
                kind=Notice.Kind.VOTING,
                sent_at__gt=now - REMINDER_AFTER_VOTING_NOTICE,
            ).values("roll_entry")
        )
    return list(entries.select_related("person__user", "delegate").order_by("pk"))


def _send(
    *, kind: str, election: Election, entry: RollEntry, users: list[User], network: Any, now: Any
) -> int:
    """Claim the notice and email it; the number of emails sent (0 when another run has
    it). An error other than a refused address rolls the claim back and propagates."""
    sent = 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                Notice.objects.create(election=election, roll_entry=entry, kind=kind, sent_at=now)
        except IntegrityError:
            return 0  # sent by another run
        for user in users:
            message = notice_message(
                kind=kind, election=election, entry=entry, user=user, network=network
            )
            try:
                message.send()
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
                logger.warning("Election notice to user %s refused by the mail server", user.pk)
                continue
            sent += 1
    return sent


def notices_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send every election notice that is due and not yet sent; the number of emails sent
    per kind. Safe to run again, or twice at once; schedule it every 15 minutes."""
    now = now or timezone.now()
    network = network_get()
    counts = dict.fromkeys(Notice.Kind.values, 0)
    elections = Election.objects.filter(
        announced_at__isnull=False, roll__frozen_at__isnull=False
    ).select_related("roll")
    for election in elections:
        for kind in _due(election, now):
            entries = _entries_due(election, kind, now)
            admins = current_admins(
                [e.organisation_id for e in entries if e.organisation_id and not e.delegate_id]
            )
            for entry in entries:
                users = entry_recipients(entry, admins)
                if not users:
                    continue  # nobody to write to yet
                try:
                    counts[kind] += _send(
                        kind=kind,
                        election=election,
                        entry=entry,
                        users=users,
                        network=network,
                        now=now,
                    )
                except Exception:
                    logger.exception("Election notices stopped; the next run sends the rest")
                    return counts
    return counts
