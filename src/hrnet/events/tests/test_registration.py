"""Registration: statuses, every refusal, the waiting list with a frozen clock, approvals,
reminders, and the last-seat race on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import Event, Registration
from hrnet.events.services.events import event_cancel, event_update
from hrnet.events.services.registration import (
    events_tick,
    registration_approve,
    registration_cancel,
    registration_create,
    registration_decline,
    registration_offer_accept,
    registration_offer_decline,
    waiting_list_advance,
    waiting_position,
)
from hrnet.events.tests.factories import (
    EventFactory,
    RegistrationFactory,
    RegistrationQuestionFactory,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def _emails_at_once(monkeypatch):
    # Emails leave after the commit, which a test's transaction never reaches: send them
    # at once here (test_emails_wait_for_the_commit checks the waiting).
    monkeypatch.setattr("hrnet.events.emails._schedule", lambda message: message.send())


def test_emails_wait_for_the_commit(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.undo()
    event = EventFactory.create()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        register(event)
        assert not mail.outbox
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def register(event, user=None, **kwargs):
    return registration_create(event=event, user=user or UserFactory.create(), **kwargs)


def refusal(event, user=None, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        register(event, user, **kwargs)
    return " ".join(info.value.messages)


# --- statuses -------------------------------------------------------------------------


def test_a_free_seat_confirms_and_emails_the_ics():
    event = EventFactory.create(capacity=2)
    registration = register(event, language="ru")
    assert registration.status == Status.CONFIRMED
    assert registration.confirmed_at is not None
    message = mail.outbox[-1]
    # In the registrant's language: the Russian title (the interface strings follow once
    # the lead merges the Russian catalogue).
    assert event.titles["ru"] in message.subject
    assert message.extra_headers["Content-Language"] == "ru"
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics")
    assert mimetype == "text/calendar"
    assert "meet.example.org" in content  # a confirmed participant's own file


def test_a_full_event_puts_people_on_the_waiting_list_in_order():
    event = EventFactory.create(capacity=1)
    register(event)
    second, third = register(event), register(event)
    assert (second.status, third.status) == (Status.WAITING, Status.WAITING)
    assert (waiting_position(second), waiting_position(third)) == (1, 2)
    assert "waiting list" in mail.outbox[-1].body
    assert "meet.example.org" not in mail.outbox[-1].body


def test_approval_required_makes_registrations_pending_then_the_organiser_decides():
    organiser = UserFactory.create()
    event = EventFactory.create(capacity=1, approval_required=True, organisers=[organiser])
    first, second, third = register(event), register(event), register(event)
    assert {first.status, second.status, third.status} == {Status.PENDING}
    assert registration_approve(registration=first, actor=organiser).status == Status.CONFIRMED
    assert registration_approve(registration=second, actor=organiser).status == Status.WAITING
    assert registration_decline(registration=third, actor=organiser).status == Status.DECLINED
    assert "could not accept" in mail.outbox[-1].body


def test_only_those_who_manage_the_event_approve(member):
    event = EventFactory.create(approval_required=True)
    pending = register(event)
    with pytest.raises(PermissionDenied):
        registration_approve(registration=pending, actor=member)


def test_answers_are_kept_and_required_ones_checked():
    event = EventFactory.create()
    question = RegistrationQuestionFactory.create(event=event, required=True)
    choice = RegistrationQuestionFactory.create(
        event=event, kind="choice", choices=[{"en": "Outreach"}, {"en": "Nurse"}]
    )
    message = refusal(event, answers={})
    assert "Please answer “What is your role?”" in message
    with pytest.raises(ValidationError) as info:
        register(event, answers={str(question.pk): "peer", str(choice.pk): "7"})
    assert f"question_{choice.pk}" in info.value.message_dict
    registration = register(event, answers={str(question.pk): " peer ", str(choice.pk): "1"})
    assert registration.answers == {str(question.pk): "peer", str(choice.pk): 1}


# --- refusals -------------------------------------------------------------------------


def test_every_refusal_has_its_own_clear_message():
    now = timezone.now()
    user = UserFactory.create()
    assert "has already started" in refusal(
        EventFactory.create(starts_at=now - timedelta(hours=1)), user
    )
    assert "opens on" in refusal(
        EventFactory.create(registration_opens_at=now + timedelta(days=1)), user
    )
    assert "closed on" in refusal(
        EventFactory.create(registration_closes_at=now - timedelta(minutes=1)), user
    )
    assert "was cancelled" in refusal(EventFactory.create(status=Event.Status.CANCELLED), user)
    assert "global event" in refusal(EventFactory.create(kind=Event.Kind.GLOBAL), user)
    event = EventFactory.create(capacity=1, waiting_list=False)
    register(event)
    assert "is full (seats: 1) and has no waiting list" in refusal(event, user)
    twice = EventFactory.create()
    register(twice, user)
    assert "already registered" in refusal(twice, user)


def test_drafts_and_members_only_events_are_not_open_to_everyone():
    outsider = UserFactory.create()
    with pytest.raises(PermissionDenied):
        register(EventFactory.create(status=Event.Status.DRAFT), outsider)
    with pytest.raises(PermissionDenied):
        register(EventFactory.create(visibility=Event.Visibility.MEMBERS), outsider)
    member = UserFactory.create(roles=[Role.MEMBER])
    members_only = EventFactory.create(visibility=Event.Visibility.MEMBERS)
    assert register(members_only, member).status == Status.CONFIRMED


def test_after_cancelling_one_may_register_again():
    event, user = EventFactory.create(), UserFactory.create()
    registration_cancel(registration=register(event, user), actor=user)
    assert register(event, user).status == Status.CONFIRMED


# --- the waiting list with a frozen clock ----------------------------------------------


def test_a_cancelled_seat_is_offered_to_the_first_waiting_until_the_offer_expires(settings):
    settings.HRNET_EVENT_OFFER_HOURS = 24
    now = timezone.now().replace(microsecond=0)
    event = EventFactory.create(capacity=1, starts_at=now + timedelta(days=5))
    holder = register(event, now=now)
    first = register(event, now=now + timedelta(minutes=1))
    second = register(event, now=now + timedelta(minutes=2))

    # when: the holder cancels
    registration_cancel(registration=holder, actor=holder.user, now=now + timedelta(hours=1))

    # then: the first waiting is offered the seat for 24 hours, by email with the link
    first.refresh_from_db()
    assert first.status == Status.OFFERED
    assert first.offer_expires_at == now + timedelta(hours=25)
    offer_email = mail.outbox[-1]
    assert offer_email.to == [first.user.email]
    assert f"/registrations/{first.pk}/offer/" in offer_email.body

    # when: the clock passes the expiry without an answer
    assert events_tick(now=now + timedelta(hours=24, minutes=59)).expired == 0
    report = events_tick(now=now + timedelta(hours=25))

    # then: the offer expired and passed to the next person
    first.refresh_from_db()
    second.refresh_from_db()
    assert report.expired == 1
    assert first.status == Status.EXPIRED
    assert second.status == Status.OFFERED
    assert second.offer_expires_at == now + timedelta(hours=49)


def test_an_offer_never_outlives_the_event_start():
    now = timezone.now().replace(microsecond=0)
    event = EventFactory.create(capacity=1, starts_at=now + timedelta(hours=3))
    holder = register(event, now=now)
    waiting = register(event, now=now)
    registration_cancel(registration=holder, actor=holder.user, now=now)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == event.starts_at


def test_accepting_confirms_with_the_ics_and_declining_passes_it_on():
    now = timezone.now()
    event = EventFactory.create(capacity=1)
    holder, first, second = register(event), register(event), register(event)
    registration_cancel(registration=holder, actor=holder.user)
    first.refresh_from_db()

    registration_offer_decline(registration=first, actor=first.user)
    second.refresh_from_db()
    assert second.status == Status.OFFERED

    accepted = registration_offer_accept(registration=second, actor=second.user, now=now)
    assert accepted.status == Status.CONFIRMED
    assert mail.outbox[-1].attachments, "the confirmation carries the .ics"
    with pytest.raises(ValidationError, match="no longer open"):
        registration_offer_accept(registration=first, actor=first.user)


def test_an_offer_accepted_too_late_is_refused_and_passed_on():
    now = timezone.now()
    event = EventFactory.create(capacity=1)
    holder, late, next_one = register(event), register(event), register(event)
    registration_cancel(registration=holder, actor=holder.user, now=now)
    late.refresh_from_db()
    with pytest.raises(ValidationError, match="offer expired"):
        registration_offer_accept(registration=late, actor=late.user, now=now + timedelta(days=2))
    late.refresh_from_db()
    next_one.refresh_from_db()
    assert late.status == Status.EXPIRED
    assert next_one.status == Status.OFFERED


def test_someone_else_cannot_take_my_offer():
    event = EventFactory.create(capacity=1)
    holder, waiting = register(event), register(event)
    registration_cancel(registration=holder, actor=holder.user)
    waiting.refresh_from_db()
    with pytest.raises(PermissionDenied):
        registration_offer_accept(registration=waiting, actor=UserFactory.create())


def test_more_seats_advance_the_waiting_list(secretariat):
    event = EventFactory.create(capacity=1)
    register(event)
    first, second = register(event), register(event)
    event_update(event=event, actor=secretariat, capacity=3)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.OFFERED, Status.OFFERED)


def test_seat_holders_never_exceed_the_capacity_through_any_path(secretariat):
    event = EventFactory.create(capacity=2)
    people = [register(event) for _ in range(5)]
    for registration in people[:2]:
        registration_cancel(registration=registration, actor=registration.user)
    waiting_list_advance(event=event)
    waiting_list_advance(event=event)
    register(event)
    held = Registration.objects.filter(event=event, status__in=Registration.HOLDS_SEAT).count()
    assert held == 2


def test_a_newcomer_does_not_jump_the_queue_when_a_seat_is_free_for_a_moment():
    event = EventFactory.create(capacity=1)
    register(event)
    waiting = register(event)
    # A seat freed without advancing (e.g. the capacity raised in the admin).
    Event.objects.filter(pk=event.pk).update(capacity=2)
    event.refresh_from_db()
    newcomer = register(event)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert newcomer.status == Status.WAITING


def test_cancelling_the_event_tells_everyone_registered(secretariat):
    event = EventFactory.create(capacity=1)
    register(event, language="ru")
    register(event)
    mail.outbox.clear()
    event_cancel(event=event, actor=secretariat)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert len(mail.outbox) == 2
    assert any("STATUS:CANCELLED" in m.attachments[0][1] for m in mail.outbox if m.attachments)


# --- reminders ------------------------------------------------------------------------


def test_reminders_go_out_24_hours_and_1_hour_before_each_once_in_the_registrant_language():
    now = timezone.now().replace(microsecond=0)
    event = EventFactory.create(starts_at=now + timedelta(days=2))
    russian = RegistrationFactory.create(event=event, language="ru")
    RegistrationFactory.create(event=event, status=Status.WAITING)  # not reminded
    mail.outbox.clear()

    assert events_tick(now=now + timedelta(hours=23)).reminded_24h == 0
    report = events_tick(now=now + timedelta(hours=24, minutes=5))
    assert (report.reminded_24h, report.reminded_1h) == (1, 0)
    reminder = mail.outbox[-1]
    assert reminder.to == [russian.email]
    assert reminder.extra_headers["Content-Language"] == "ru"
    assert event.titles["ru"] in reminder.subject
    assert reminder.attachments[0][0].endswith(".ics")
    assert events_tick(now=now + timedelta(hours=25)).reminded_24h == 0  # once

    report = events_tick(now=now + timedelta(hours=47, minutes=10))
    assert (report.reminded_24h, report.reminded_1h) == (0, 1)
    assert events_tick(now=now + timedelta(hours=47, minutes=20)).reminded_1h == 0
    russian.refresh_from_db()
    assert russian.reminded_24h_at
    assert russian.reminded_1h_at


def test_a_late_registrant_gets_only_the_1_hour_reminder():
    now = timezone.now().replace(microsecond=0)
    event = EventFactory.create(starts_at=now + timedelta(minutes=50))
    RegistrationFactory.create(event=event)
    report = events_tick(now=now)
    assert (report.reminded_24h, report.reminded_1h) == (0, 1)
    assert events_tick(now=now + timedelta(minutes=5)).reminded_24h == 0


def test_no_reminders_for_cancelled_events():
    now = timezone.now()
    event = EventFactory.create(
        starts_at=now + timedelta(minutes=30), status=Event.Status.CANCELLED
    )
    RegistrationFactory.create(event=event)
    assert events_tick(now=now).reminded_1h == 0


# --- the last seat, on PostgreSQL -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_last_seat_goes_to_exactly_one_of_many_at_once():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks need PostgreSQL; SQLite serialises every write transaction anyway "
            "(run with DATABASE_URL=postgres://...)"
        )
    event = EventFactory.create(capacity=3)
    RegistrationFactory.create_batch(2, event=event)  # one seat left
    people = UserFactory.create_batch(6)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def attempt(user):
        try:
            barrier.wait()
            outcomes.append(registration_create(event=event, user=user).status)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert sorted(outcomes) == [Status.CONFIRMED] + [Status.WAITING] * 5
    held = Registration.objects.filter(event=event, status__in=Registration.HOLDS_SEAT).count()
    assert held == 3
