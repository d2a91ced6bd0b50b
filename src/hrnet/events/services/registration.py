"""Registration for events, with a waiting list that moves by itself.

Seats are held by confirmed registrations and by open offers (`Registration.HOLDS_SEAT`);
there are never more of them than the event's capacity. Every write that takes or frees a
seat first locks the event row (`select_for_update()` inside `transaction.atomic()`: a row
lock on PostgreSQL; on SQLite the IMMEDIATE transaction takes the database's write lock),
so two people registering for the last seat at once are served one after the other.

A freed seat is offered to the first person waiting (`waiting_list_advance`) for
HRNET_EVENT_OFFER_HOURS, never past the event's start; an offer that is declined or
expires passes to the next person. `events_tick` (run every few minutes by
`hrnet events_tick`) expires offers and sends the reminders 24 hours and 1 hour before the
first session. Functions that depend on the clock take `now` so tests can freeze it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.i18n import localized
from hrnet.core.throttle import address_key, throttle_hit
from hrnet.core.types import Actor
from hrnet.events.audit import Action
from hrnet.events.emails import registration_email
from hrnet.events.models import Event, Registration, RegistrationQuestion
from hrnet.events.policies import event_policy, registration_policy

Status = Registration.Status


def _when(moment: datetime) -> str:
    """A time as the reader sees it, with their zone named (services run in the request's
    time zone)."""
    local = timezone.localtime(moment)
    zone = timezone.get_current_timezone_name()
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone})"


def _lock(event: Event) -> Event:
    """The event, re-read with its row locked until the transaction ends."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_held(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=Registration.HOLDS_SEAT).count()


def seats_free(event: Event) -> int | None:
    """Seats neither confirmed nor on offer; None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - _seats_held(event))


def _offer_hours() -> int:
    return int(getattr(settings, "HRNET_EVENT_OFFER_HOURS", 24))


# --- registering ----------------------------------------------------------------------


def _answers_clean(event: Event, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers keyed by question id, checked against the event's questions; errors
    name the form field of the question (`question_<id>`)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for question in event.questions.all():
        key = str(question.pk)
        value = answers.get(key, answers.get(question.pk))  # type: ignore[call-overload]
        label = localized(question.labels)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if question.required:
                errors[f"question_{question.pk}"] = _("Please answer “%(question)s”.") % {
                    "question": label
                }
            continue
        if question.kind == RegistrationQuestion.Kind.CHOICE:
            try:
                index = int(value)
            except (TypeError, ValueError):
                index = -1
            if not 0 <= index < len(question.choices):
                errors[f"question_{question.pk}"] = _(
                    "Choose one of the listed answers to “%(question)s”."
                ) % {"question": label}
                continue
            value = index
        elif question.kind == RegistrationQuestion.Kind.YES_NO:
            value = value in (True, "yes", "true", "1", 1)
        else:
            value = str(value)[:2000]
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def registration_refusal(
    *, event: Event, user: Actor, now: datetime | None = None
) -> ValidationError | None:
    """Why `user` cannot register for `event` now (the reasons that do not depend on the
    form), or None. Pages use it to show the reason instead of the form."""
    now = now or timezone.now()
    title = event.title
    if not event.takes_registrations:
        return ValidationError(
            _(
                "“%(title)s” is a global event: the network prepares members for it, "
                "but there is no registration here."
            )
            % {"title": title},
            code="global",
        )
    if event.status == Event.Status.CANCELLED:
        return ValidationError(
            _("“%(title)s” was cancelled; registration is closed.") % {"title": title},
            code="cancelled",
        )
    if event.starts_at <= now:
        return ValidationError(
            _("“%(title)s” has already started; registration is closed.") % {"title": title},
            code="past",
        )
    if event.registration_opens_at and now < event.registration_opens_at:
        return ValidationError(
            _("Registration for “%(title)s” opens on %(date)s.")
            % {"title": title, "date": _when(event.registration_opens_at)},
            code="not_open",
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        return ValidationError(
            _("Registration for “%(title)s” closed on %(date)s.")
            % {"title": title, "date": _when(event.registration_closes_at)},
            code="closed",
        )
    if isinstance(user, User):
        existing = (
            Registration.objects.filter(event=event, user=user, status__in=Registration.ACTIVE)
            .only("status")
            .first()
        )
        if existing is not None:
            return ValidationError(
                _("You are already registered for “%(title)s” (%(status)s).")
                % {"title": title, "status": existing.get_status_display()},
                code="already",
            )
    return None


def _place(event: Event, registration: Registration, *, now: datetime) -> ValidationError | None:
    """Give a new (or newly confirmed guest) registration its status: pending when the
    organisers approve each one, confirmed while a seat is free, else waiting; the error
    to raise when the event is full and has no waiting list. The caller holds the event's
    lock; the error is raised after its block, so offers made here stay."""
    free = seats_free(event)
    if free and _waiting(event).exists():
        # Seats freed a moment ago go to those already waiting, not to newcomers.
        waiting_list_advance(event=event, now=now)
        free = seats_free(event)
    if event.approval_required:
        registration.status = Status.PENDING
    elif free is None or free > 0:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
    elif event.waiting_list:
        registration.status = Status.WAITING
        registration.waiting_since = now
    else:
        return ValidationError(
            _("“%(title)s” is full (seats: %(capacity)s) and has no waiting list.")
            % {"title": event.title, "capacity": event.capacity},
            code="full",
        )
    return None


def registration_create(
    *,
    event: Event,
    user: Actor,
    country: Any = None,
    organisation: Any = None,
    organisation_name: str = "",
    gender: str = Registration.Gender.UNSAID,
    answers: Mapping[str, Any] | None = None,
    language: str | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register `user` for `event`: confirmed if a seat is free, pending when the
    organisers approve each registration, on the waiting list when the event is full and
    has one. Refused (ValidationError with the reason) otherwise."""
    now = now or timezone.now()
    refusal = registration_refusal(event=event, user=user, now=now)
    if refusal is not None and refusal.code in ("global", "cancelled"):
        raise refusal
    event_policy.require(user, "register", event)
    if not isinstance(user, User):  # the policy lets signed-in people only; says so to mypy
        raise PermissionDenied
    if refusal is not None:
        raise refusal
    if gender not in Registration.Gender.values:
        raise ValidationError({"gender": _("Choose one of the listed answers.")})
    cleaned = _answers_clean(event, answers or {})
    try:
        with transaction.atomic():
            event = _lock(event)
            # Checked again under the lock: the same person in two tabs at once.
            refusal = registration_refusal(event=event, user=user, now=now)
            if refusal is not None:
                raise refusal
            registration = Registration(
                event=event,
                user=user,
                country=country,
                organisation=organisation,
                organisation_name=(organisation_name or "").strip()
                or (str(organisation) if organisation else ""),
                gender=gender,
                language=language
                or getattr(user, "preferred_language", "")
                or translation.get_language()
                or settings.LANGUAGE_CODE,
                answers=cleaned,
            )
            full = _place(event, registration, now=now)
            if full is None:
                with transaction.atomic():  # a savepoint: a duplicate leaves the offers be
                    registration.save()
                log_action(
                    actor=user,
                    action=Action.REGISTRATION_CREATE,
                    obj=registration,
                    changes={"status": {"old": None, "new": registration.status}},
                    request=request,
                )
                _notify(registration)
    except IntegrityError:
        # The unique constraint caught a second live registration of the same person.
        raise ValidationError(
            _("You are already registered for “%(title)s”.") % {"title": event.title},
            code="already",
        ) from None
    if full is not None:
        raise full
    return registration


# --- guests: registration without an account ------------------------------------------


def guest_registrations_per_hour() -> int:
    """Guest registrations one network address may send in an hour."""
    return int(getattr(settings, "HRNET_EVENT_GUEST_REGISTRATIONS_PER_HOUR", 10))


def guest_registrations_per_address() -> int:
    """Guest registrations (and confirmation emails) one email address gets in an hour."""
    return int(getattr(settings, "HRNET_EVENT_GUEST_REGISTRATIONS_PER_EMAIL", 3))


def guest_refusal(*, event: Event, now: datetime | None = None) -> ValidationError | None:
    """Why a visitor without an account cannot register for `event` as a guest, or None."""
    refusal = registration_refusal(event=event, user=AnonymousUser(), now=now)
    if refusal is not None:
        return refusal
    if not event_policy.user_has_permission_for_instance(AnonymousUser(), "register_guest", event):
        return ValidationError(
            _("Registration for “%(title)s” is open to network members only: sign in to register.")
            % {"title": event.title},
            code="members_only",
        )
    return None


def _guest_throttle(*, request: HttpRequest | None, email: str) -> None:
    hour = timedelta(hours=1)
    by_address = throttle_hit(
        scope="events.guest_registration",
        key=address_key(request),
        limit=guest_registrations_per_hour(),
        window=hour,
    )
    if not by_address or not throttle_hit(
        scope="events.guest_registration_email",
        key=email,
        limit=guest_registrations_per_address(),
        window=hour,
    ):
        raise ValidationError(
            _("Too many registrations from your address. Please try again in an hour."),
            code="throttled",
        )


def _guest_identity(name: str, email: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    email = (email or "").strip()
    if not name:
        errors["guest_name"] = _("Give your name.")
    elif len(name) > 200:
        errors["guest_name"] = _("The name is too long (200 characters at most).")
    try:
        EmailValidator()(email)
    except ValidationError:
        errors["guest_email"] = _("“%(value)s” is not an email address.") % {"value": email}
    if errors:
        raise ValidationError(errors)
    return name, email.lower()


def guest_registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    country: Any = None,
    organisation_name: str = "",
    gender: str = Registration.Gender.UNSAID,
    answers: Mapping[str, Any] | None = None,
    language: str | None = None,
    time_zone: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Registration:
    """A visitor without an account registers for a public event. The registration waits
    for the guest to open the link emailed to them (it holds no seat until then, see
    `guest_registration_confirm`). Registering again with the same address sends the link
    again; an address already registered is told so by email (the page says the same
    either way, so it reveals nobody's registration)."""
    now = now or timezone.now()
    refusal = guest_refusal(event=event, now=now)
    if refusal is not None:
        raise refusal
    name, email = _guest_identity(name, email)
    if gender not in Registration.Gender.values:
        raise ValidationError({"gender": _("Choose one of the listed answers.")})
    cleaned = _answers_clean(event, answers or {})
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        # Counted in this transaction: a refused form gives its hits back.
        _guest_throttle(request=request, email=email)
        event = _lock(event)
        existing = (
            Registration.objects.filter(
                event=event,
                user__isnull=True,
                guest_email__iexact=email,
                status__in=[Status.UNVERIFIED, *Registration.ACTIVE],
            )
            .select_related("event")
            .first()
        )
        if existing is not None and existing.status != Status.UNVERIFIED:
            registration_email(existing, "guest_already")
            return existing
        registration = existing or Registration(event=event, status=Status.UNVERIFIED)
        registration.guest_name = name
        registration.guest_email = email
        registration.guest_time_zone = time_zone
        registration.country = country
        registration.organisation_name = (organisation_name or "").strip()[:300]
        registration.gender = gender
        registration.language = language
        registration.answers = cleaned
        try:
            with transaction.atomic():  # a savepoint: two tabs at once meet the constraint
                registration.save()
        except IntegrityError:
            raise ValidationError(
                _("You are already registered for “%(title)s”.") % {"title": event.title},
                code="already",
            ) from None
        if existing is None:
            log_action(
                actor=None,
                action=Action.REGISTRATION_CREATE,
                obj=registration,
                changes={"status": {"old": None, "new": Status.UNVERIFIED}, "guest": True},
                request=request,
            )
        _notify(registration)
    return registration


def guest_registration_confirm(
    *,
    registration: Registration,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Registration:
    """The guest opened the link from their email: from now on the registration counts,
    with a seat if one is free, else on the waiting list (or pending approval). Opening
    the link again changes nothing."""
    now = now or timezone.now()
    full: ValidationError | None = None
    with transaction.atomic():
        _lock(registration.event)
        registration = _reload(registration)
        if registration.status != Status.UNVERIFIED:
            if registration.status in Registration.ACTIVE:
                return registration
            raise ValidationError(
                _("This registration is no longer active (%(status)s).")
                % {"status": registration.get_status_display()},
                code="inactive",
            )
        event = registration.event
        refusal = guest_refusal(event=event, now=now)
        if refusal is not None:
            raise refusal
        full = _place(event, registration, now=now)
        if full is None:
            registration.email_confirmed_at = now
            registration.save()
            log_action(
                actor=None,
                action=Action.REGISTRATION_CONFIRM_EMAIL,
                obj=registration,
                changes={"status": {"old": Status.UNVERIFIED, "new": registration.status}},
                request=request,
            )
            _notify(registration)
    if full is not None:
        raise full
    return registration


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if registration.status != Status.WAITING or registration.waiting_since is None:
        return None
    ahead = _waiting(registration.event).filter(
        Q(waiting_since__lt=registration.waiting_since)
        | Q(waiting_since=registration.waiting_since, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def _notify(registration: Registration) -> None:
    if registration.status == Status.UNVERIFIED:
        registration_email(registration, "guest_confirm")
    elif registration.status == Status.CONFIRMED:
        registration_email(registration, "confirmed", with_ics=True)
    elif registration.status == Status.PENDING:
        registration_email(registration, "pending")
    elif registration.status == Status.WAITING:
        registration_email(registration, "waiting", position=waiting_position(registration))
    elif registration.status == Status.OFFERED:
        registration_email(registration, "offered")


# --- the waiting list -----------------------------------------------------------------


def _waiting(event: Event) -> Any:
    return Registration.objects.filter(event=event, status=Status.WAITING).order_by(
        "waiting_since", "pk"
    )


def waiting_list_advance(*, event: Event, now: datetime | None = None) -> list[Registration]:
    """Offer every free seat to the next people waiting, first come first served, each by
    email; returns the new offers. Locks the event (joining the caller's transaction)."""
    now = now or timezone.now()
    offered: list[Registration] = []
    with transaction.atomic():
        event = _lock(event)
        if event.status != Event.Status.PUBLISHED or event.deleted_at is not None:
            return offered
        expires = min(now + timedelta(hours=_offer_hours()), event.starts_at)
        if expires <= now:  # it has started: nobody can take a seat any more
            return offered
        free = seats_free(event)
        queue = _waiting(event).select_related("user", "event")
        candidates = list(queue if free is None else queue[:free])
        for registration in candidates:
            registration.status = Status.OFFERED
            registration.offer_expires_at = expires
            registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
            log_action(
                actor=None,
                action=Action.REGISTRATION_OFFER,
                obj=registration,
                changes={
                    "status": {"old": Status.WAITING, "new": Status.OFFERED},
                    "offer_expires_at": expires.isoformat(),
                },
            )
            registration_email(registration, "offered")
            offered.append(registration)
    return offered


def _own_or_manager(
    actor: Actor, action: str, registration: Registration, *, link_checked: bool = False
) -> None:
    """The registrant, or those who manage the event; a guest proves it is theirs by the
    signed link from their email (`link_checked`, set by the view that verified it)."""
    if link_checked and registration.user_id is None:
        return
    registration_policy.require(actor, action, registration)


def _reload(registration: Registration) -> Registration:
    return Registration.objects.select_related("event", "user").get(pk=registration.pk)


def _registration_lock(
    *, registration: Registration, statuses: Collection[str], refusal: str, code: str
) -> Registration:
    """Lock the event, re-read `registration` and refuse (ValidationError with `code`)
    unless it is in one of `statuses`; `refusal` names what it is now with %(status)s.
    Runs inside the caller's transaction."""
    _lock(registration.event)
    registration = _reload(registration)
    if registration.status not in statuses:
        raise ValidationError(
            refusal % {"status": registration.get_status_display()},
            code=code,
        )
    return registration


def _expire(registration: Registration, *, now: datetime) -> None:
    registration.status = Status.EXPIRED
    registration.save(update_fields=["status", "updated_at"])
    log_action(
        actor=None,
        action=Action.REGISTRATION_OFFER_EXPIRE,
        obj=registration,
        changes={"status": {"old": Status.OFFERED, "new": Status.EXPIRED}},
    )
    registration_email(registration, "offer_expired")


def registration_offer_accept(
    *,
    registration: Registration,
    actor: Actor,
    request: HttpRequest | None = None,
    now: datetime | None = None,
    link_checked: bool = False,
) -> Registration:
    """Take the offered seat: confirmed, with the confirmation email and its .ics."""
    now = now or timezone.now()
    _own_or_manager(actor, "accept_offer", registration, link_checked=link_checked)
    with transaction.atomic():
        registration = _registration_lock(
            registration=registration,
            statuses={Status.OFFERED},
            refusal=_("This offer is no longer open (the registration is now: %(status)s)."),
            code="not_offered",
        )
        if registration.offer_expires_at is not None and registration.offer_expires_at <= now:
            expired_at = registration.offer_expires_at
            _expire(registration, now=now)
            waiting_list_advance(event=registration.event, now=now)
            error = ValidationError(
                _("The offer expired on %(date)s; the seat went to the next person waiting.")
                % {"date": _when(expired_at)},
                code="expired",
            )
        else:
            error = None
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at", "updated_at"])
            log_action(
                actor=actor,
                action=Action.REGISTRATION_OFFER_ACCEPT,
                obj=registration,
                changes={"status": {"old": Status.OFFERED, "new": Status.CONFIRMED}},
                request=request,
            )
            registration_email(registration, "confirmed", with_ics=True)
    if error is not None:
        # Raised after the commit: the expiry and the next offer must stay written.
        raise error
    return registration


def registration_offer_decline(
    *,
    registration: Registration,
    actor: Actor,
    request: HttpRequest | None = None,
    now: datetime | None = None,
    link_checked: bool = False,
) -> Registration:
    """Let the offered seat go: it passes to the next person waiting."""
    _own_or_manager(actor, "accept_offer", registration, link_checked=link_checked)
    with transaction.atomic():
        registration = _registration_lock(
            registration=registration,
            statuses={Status.OFFERED},
            refusal=_("This offer is no longer open (the registration is now: %(status)s)."),
            code="not_offered",
        )
        registration.status = Status.CANCELLED
        registration.cancelled_at = now or timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        log_action(
            actor=actor,
            action=Action.REGISTRATION_OFFER_DECLINE,
            obj=registration,
            changes={"status": {"old": Status.OFFERED, "new": Status.CANCELLED}},
            request=request,
        )
        waiting_list_advance(event=registration.event, now=now)
    return registration


def registration_cancel(
    *,
    registration: Registration,
    actor: Actor,
    request: HttpRequest | None = None,
    now: datetime | None = None,
    link_checked: bool = False,
) -> Registration:
    """The registrant (or an organiser) cancels; a freed seat goes to the waiting list."""
    now = now or timezone.now()
    _own_or_manager(actor, "cancel", registration, link_checked=link_checked)
    with transaction.atomic():
        registration = _registration_lock(
            registration=registration,
            statuses=Registration.ACTIVE,
            refusal=_("This registration is not active (%(status)s); there is nothing to cancel."),
            code="inactive",
        )
        before = registration.status
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        log_action(
            actor=actor,
            action=Action.REGISTRATION_CANCEL,
            obj=registration,
            changes={"status": {"old": before, "new": Status.CANCELLED}},
            request=request,
        )
        if before in Registration.HOLDS_SEAT:
            waiting_list_advance(event=registration.event, now=now)
    return registration


# --- the organisers' decisions --------------------------------------------------------


def registration_approve(
    *,
    registration: Registration,
    actor: Actor,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Registration:
    """Approve a pending registration: confirmed when a seat is free, else on the waiting
    list (or refused when the event has none)."""
    now = now or timezone.now()
    event_policy.require(actor, "manage", registration.event)
    with transaction.atomic():
        registration = _registration_lock(
            registration=registration,
            statuses={Status.PENDING},
            refusal=_(
                "Only a registration waiting for approval can be approved (this one: %(status)s)."
            ),
            code="not_pending",
        )
        event = registration.event
        free = seats_free(event)
        if free is None or (free > 0 and not _waiting(event).exists()):
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
        elif event.waiting_list:
            registration.status = Status.WAITING
            registration.waiting_since = now
        else:
            raise ValidationError(
                _(
                    "No seat is left on “%(title)s” (seats: %(capacity)s) "
                    "and it has no waiting list."
                )
                % {"title": event.title, "capacity": event.capacity},
                code="full",
            )
        registration.save()
        log_action(
            actor=actor,
            action=Action.REGISTRATION_APPROVE,
            obj=registration,
            changes={"status": {"old": Status.PENDING, "new": registration.status}},
            request=request,
        )
        _notify(registration)
        if registration.status == Status.WAITING:
            waiting_list_advance(event=event, now=now)
    return _reload(registration)


def registration_decline(
    *, registration: Registration, actor: Actor, request: HttpRequest | None = None
) -> Registration:
    event_policy.require(actor, "manage", registration.event)
    with transaction.atomic():
        registration = _registration_lock(
            registration=registration,
            statuses={Status.PENDING},
            refusal=_(
                "Only a registration waiting for approval can be declined (this one: %(status)s)."
            ),
            code="not_pending",
        )
        registration.status = Status.DECLINED
        registration.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action=Action.REGISTRATION_DECLINE,
            obj=registration,
            changes={"status": {"old": Status.PENDING, "new": Status.DECLINED}},
            request=request,
        )
        registration_email(registration, "declined")
    return registration


def registrations_notify_cancelled(*, event: Event) -> int:
    """Tell everyone registered, waiting or offered a seat that the event is cancelled."""
    registrations = Registration.objects.filter(
        event=event, status__in=Registration.ACTIVE
    ).select_related("user", "event")
    count = 0
    for registration in registrations:
        registration_email(
            registration, "event_cancelled", with_ics=registration.status == Status.CONFIRMED
        )
        count += 1
    return count


# --- the clock: offers that expire, reminders -----------------------------------------


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire the offers past `offer_expires_at` and offer those seats to the next people."""
    now = now or timezone.now()
    event_ids = set(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "event_id", flat=True
        )
    )
    expired = 0
    for event_id in sorted(event_ids):
        with transaction.atomic():
            event = Event.all_objects.select_for_update().get(pk=event_id)
            due = Registration.objects.filter(
                event=event, status=Status.OFFERED, offer_expires_at__lte=now
            ).select_related("user", "event")
            for registration in due:
                _expire(registration, now=now)
                expired += 1
            waiting_list_advance(event=event, now=now)
    return expired


REMINDERS = (
    # (flag field, how long before the first session)
    ("reminded_24h_at", timedelta(hours=24)),
    ("reminded_1h_at", timedelta(hours=1)),
)


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Remind confirmed participants 24 hours and 1 hour before the first session, each at
    most once (a flag claimed by an UPDATE, so overlapping runs cannot both send). Someone
    who registers within the last hour gets only the 1-hour reminder."""
    now = now or timezone.now()
    sent = {"24h": 0, "1h": 0}
    base = Registration.objects.filter(
        status=Status.CONFIRMED,
        event__status=Event.Status.PUBLISHED,
        event__deleted_at__isnull=True,
        event__starts_at__gt=now,
    )
    for flag, before in reversed(REMINDERS):  # the 1-hour one first: it supersedes
        key = "1h" if flag == "reminded_1h_at" else "24h"
        due = base.filter(**{f"{flag}__isnull": True, "event__starts_at__lte": now + before})
        for registration in due.select_related("user", "event"):
            fields = {flag: now}
            if flag == "reminded_1h_at":
                fields["reminded_24h_at"] = registration.reminded_24h_at or now
            claimed = Registration.objects.filter(
                pk=registration.pk, **{f"{flag}__isnull": True}
            ).update(**fields)
            if not claimed:
                continue
            registration.refresh_from_db()
            hours = max(1, round((registration.event.starts_at - now).total_seconds() / 3600))
            registration_email(registration, "reminder", with_ics=True, hours=hours)
            sent[key] += 1
    return sent


# A guest's registration never confirmed is forgotten when its link has expired.
UNVERIFIED_KEEP = timedelta(days=7)


def unverified_purge(*, now: datetime | None = None) -> int:
    """Delete guests' registrations whose address was never confirmed (they hold no seat)
    once the confirmation link has expired: no personal data kept for nothing."""
    now = now or timezone.now()
    deleted, _by_model = Registration.objects.filter(
        status=Status.UNVERIFIED, user__isnull=True, created_at__lt=now - UNVERIFIED_KEEP
    ).delete()
    return deleted


@dataclass
class TickReport:
    expired: int
    reminded_24h: int
    reminded_1h: int
    unverified_deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "expired": self.expired,
            "reminded_24h": self.reminded_24h,
            "reminded_1h": self.reminded_1h,
            "unverified_deleted": self.unverified_deleted,
        }


def events_tick(*, now: datetime | None = None) -> TickReport:
    """What the clock moves: expired offers (and the next offers), then reminders, then
    guests' registrations never confirmed."""
    now = now or timezone.now()
    expired = offers_expire(now=now)
    reminded = reminders_send(now=now)
    return TickReport(
        expired=expired,
        reminded_24h=reminded["24h"],
        reminded_1h=reminded["1h"],
        unverified_deleted=unverified_purge(now=now),
    )
