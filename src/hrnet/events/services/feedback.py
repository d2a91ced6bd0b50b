"""The survey after an event: one email per participant with a signed link (no sign-in
needed), and the answers, one per registration. Sending again the same link, or
answering again through it, changes the answer instead of adding one."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hrnet.core.audit import log_action
from hrnet.core.i18n import localized
from hrnet.core.links import site_url
from hrnet.core.selectors import network_get
from hrnet.events.audit import Action
from hrnet.events.models import Attendance, Event, Feedback, Registration

logger = logging.getLogger(__name__)

FEEDBACK_SALT = "hrnet.events.feedback"
LINK_DAYS = 30
# Surveys go out once the event is over, and not for events long past (when this is first
# deployed, or after a pause of the worker): their link would barely outlive the request.
SEND_AFTER = timedelta(hours=1)
SEND_WITHIN = timedelta(days=LINK_DAYS)


class FeedbackLinkInvalid(Exception):
    """The link was changed, has expired, or its registration is gone."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def feedback_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=FEEDBACK_SALT)


def feedback_url(registration: Registration, language: str | None = None) -> str:
    """The absolute survey link, in `language` (the registrant's by default)."""
    with translation.override(language or registration.language or settings.LANGUAGE_CODE):
        path = reverse("events:after_feedback", kwargs={"token": feedback_token(registration)})
    return site_url(path)


def feedback_registration(token: str) -> Registration:
    """The registration a survey link is for; raises FeedbackLinkInvalid."""
    try:
        pk = signing.loads(token, salt=FEEDBACK_SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise FeedbackLinkInvalid(
            _("This survey link has expired (links work for %(days)s days).") % {"days": LINK_DAYS},
            expired=True,
        ) from exc
    except signing.BadSignature as exc:
        raise FeedbackLinkInvalid(
            _("This survey link is not valid. Copy the whole link from the email.")
        ) from exc
    registration = (
        Registration.objects.select_related("event", "user")
        .filter(pk=pk, status=Registration.Status.CONFIRMED, event__deleted_at__isnull=True)
        .first()
    )
    if registration is None:
        raise FeedbackLinkInvalid(_("This survey is no longer open."))
    return registration


def feedback_submit(
    *,
    registration: Registration,
    overall: int,
    usefulness: int,
    comment: str = "",
    now: datetime | None = None,
) -> Feedback:
    """Record the answers; answering again through the link replaces the earlier answers
    (one Feedback per registration)."""
    now = now or timezone.now()
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can answer this survey."))
    if registration.event.ends_at > now:
        raise ValidationError(_("The survey opens when the event has ended."))
    errors = {
        name: _("Choose a number from 1 to 5 (you gave “%(value)s”).") % {"value": value}
        for name, value in (("overall", overall), ("usefulness", usefulness))
        if value not in range(1, 6)
    }
    if errors:
        raise ValidationError(errors)
    feedback, created = Feedback.objects.update_or_create(
        registration=registration,
        defaults={"overall": overall, "usefulness": usefulness, "comment": comment.strip()},
    )
    # The answers stay out of the log: the results page shows comments without names.
    log_action(
        actor=registration.user,
        action=Action.FEEDBACK_SUBMIT if created else Action.FEEDBACK_CHANGE,
        obj=registration,
    )
    return feedback


# --- the survey emails ----------------------------------------------------------------------


def feedback_recipients(*, now: datetime | None = None) -> Any:
    """Registrations due a survey: confirmed, not asked yet, of a published event of ours
    that ended at least an hour ago (and within the link's lifetime); those who attended,
    or everyone confirmed when the event has no attendance recorded."""
    now = now or timezone.now()
    attended = Attendance.objects.filter(registration=OuterRef("pk"))
    event_has_attendance = Attendance.objects.filter(session__event=OuterRef("event"))
    return (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            feedback_requested_at__isnull=True,
            event__status=Event.Status.PUBLISHED,
            event__deleted_at__isnull=True,
            event__ends_at__lte=now - SEND_AFTER,
            event__ends_at__gt=now - SEND_WITHIN,
        )
        .exclude(event__kind=Event.Kind.GLOBAL)
        .filter(Q(Exists(attended)) | ~Q(Exists(event_has_attendance)))
        .select_related("event", "user")
        .order_by("event_id", "pk")
    )


def _message(registration: Registration) -> EmailMessage:
    language = registration.language or settings.LANGUAGE_CODE
    event = registration.event
    network = network_get()
    with translation.override(language):
        title = localized(event.titles, language)
        ends = timezone.localtime(event.ends_at, _zone(event.time_zone))
        subject = _("How was “%(event)s”? Two minutes of your feedback") % {"event": title}
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": registration.display_name},
                _(
                    "Thank you for taking part in “%(event)s” (%(date)s). Please tell us "
                    "how it went: three questions, two minutes. Your comment is shown to "
                    "the organisers without your name."
                )
                % {"event": title, "date": formats.date_format(ends, "DATE_FORMAT")},
                feedback_url(registration, language),
                _("The link works for %(days)s days and needs no password.") % {"days": LINK_DAYS},
                network.name or "",
            ]
        )
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        to=[registration.email],
        headers={"Content-Language": language},
    )


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def feedback_requests_send(*, now: datetime | None = None) -> int:
    """Send the survey to everyone due one, once per registration; returns emails sent.

    Each registration is claimed by an UPDATE before its email goes out, so two workers
    running this at once never send twice; a failed send releases the claim for the next
    run.
    """
    now = now or timezone.now()
    sent = 0
    for registration in feedback_recipients(now=now):
        claimed = Registration.objects.filter(
            pk=registration.pk, feedback_requested_at__isnull=True
        ).update(feedback_requested_at=now)
        if not claimed:
            continue
        try:
            _message(registration).send()
        except Exception:
            logger.exception("Feedback survey to registration %s not sent", registration.pk)
            Registration.objects.filter(pk=registration.pk).update(feedback_requested_at=None)
            continue
        sent += 1
        log_action(actor=None, action=Action.FEEDBACK_REQUEST, obj=registration)
    return sent
