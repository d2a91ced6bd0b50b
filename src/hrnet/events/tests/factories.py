"""Factories of events: an event comes with one session (pass `sessions=0` for none, or
`sessions=4` for a training of four); registrations are confirmed unless told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import factory
from django.utils import timezone

from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import Event, Registration, RegistrationQuestion, Session


def _next_week() -> Any:
    start = timezone.now() + timedelta(days=7)
    return start.replace(minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory[Event]):
    """A published public webinar next week, one hour, with one session of that hour.

    `EventFactory(sessions=4)` makes four weekly sessions and keeps `starts_at`/`ends_at`
    at the first start and the last end.
    """

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.WEBINAR
    titles = factory.Sequence(lambda n: {"en": f"Naloxone webinar {n}", "ru": f"Вебинар {n}"})
    descriptions = factory.LazyFunction(
        lambda: {"en": "Overdose response for outreach workers.", "ru": "Помощь при передозировке."}
    )
    starts_at = factory.LazyFunction(_next_week)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    time_zone = "Asia/Almaty"
    online_url = "https://meet.example.org/naloxone"
    languages = factory.LazyFunction(lambda: ["en", "ru"])
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC
    capacity = None
    waiting_list = True

    @factory.post_generation
    def sessions(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        event = cast(Event, self)
        count = 1 if extracted is None else int(extracted)
        length = event.ends_at - event.starts_at
        for index in range(count):
            start = event.starts_at + timedelta(days=7 * index)
            Session.objects.create(event=event, starts_at=start, ends_at=start + length)
        if count > 1:
            event.ends_at = event.starts_at + timedelta(days=7 * (count - 1)) + length
            event.save(update_fields=["ends_at"])

    @factory.post_generation
    def organisers(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.organisers.set(extracted)

    @factory.post_generation
    def issue_areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.issue_areas.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    """A session of an event; the event's cached `starts_at`/`ends_at` are not updated
    (use the services, or EventFactory(sessions=N), when those matter)."""

    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory, sessions=0)
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))


class RegistrationQuestionFactory(factory.django.DjangoModelFactory[RegistrationQuestion]):
    class Meta:
        model = RegistrationQuestion

    event = factory.SubFactory(EventFactory)
    labels = factory.LazyFunction(lambda: {"en": "What is your role?", "ru": "Ваша роль?"})
    kind = RegistrationQuestion.Kind.TEXT
    required = False
    position = factory.Sequence(lambda n: n)


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    """A confirmed registration; pass `status=` for others (waiting ones get
    `waiting_since`, offered ones an `offer_expires_at` a day ahead)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    gender = Registration.Gender.UNSAID
    language = "en"
    confirmed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Registration.Status.CONFIRMED else None
    )
    waiting_since = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status in (Registration.Status.WAITING, Registration.Status.OFFERED)
            else None
        )
    )
    offer_expires_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + timedelta(hours=24)
            if o.status == Registration.Status.OFFERED
            else None
        )
    )
