"""The survey after an event: sent once per participant in their language, an hour after
the end; answered through a signed link without signing in; results without names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.events.models import Attendance, Feedback, Registration
from hrnet.events.services.feedback import (
    FeedbackLinkInvalid,
    feedback_registration,
    feedback_requests_send,
    feedback_token,
)
from hrnet.events.tasks import feedback_requests
from hrnet.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.usefixtures("geography")


def _ended(hours_ago: float = 3, **fields):
    start = timezone.now() - timedelta(hours=hours_ago + 1)
    return EventFactory.create(starts_at=start, **fields)


def _link(message) -> str:
    return next(line for line in message.body.splitlines() if "/feedback/" in line).strip()


def test_sent_once_in_the_registrants_language(db):
    event = _ended()
    english = RegistrationFactory.create(event=event)
    russian = RegistrationFactory.create(event=event, language="ru")
    RegistrationFactory.create(event=event, status=Registration.Status.CANCELLED)
    RegistrationFactory.create(event=event, status=Registration.Status.WAITING)

    assert feedback_requests_send() == 2
    assert feedback_requests_send() == 0  # once per registration

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {english.email, russian.email}
    assert "/en/events/feedback/" in _link(by_address[english.email])
    assert "/ru/events/feedback/" in _link(by_address[russian.email])
    assert "Вебинар" in by_address[russian.email].subject
    russian.refresh_from_db()
    assert russian.feedback_requested_at is not None


def test_waits_an_hour_after_the_end_and_skips_old_events(db):
    just_ended = _ended(hours_ago=0.5)
    RegistrationFactory.create(event=just_ended)
    long_ago = _ended(hours_ago=24 * 60)
    RegistrationFactory.create(event=long_ago)
    upcoming = EventFactory.create()
    RegistrationFactory.create(event=upcoming)

    assert feedback_requests_send() == 0
    assert feedback_requests_send(now=timezone.now() + timedelta(hours=1)) == 1


def test_only_those_who_attended_when_attendance_was_recorded(db):
    event = _ended()
    present = RegistrationFactory.create(event=event)
    RegistrationFactory.create(event=event)  # absent
    Attendance.objects.create(
        registration=present, session=event.sessions.get(), source=Attendance.Source.CHECK_IN
    )

    assert feedback_requests_send() == 1
    assert mail.outbox[0].to == [present.email]


def test_the_task_sends(db):
    RegistrationFactory.create(event=_ended())

    feedback_requests.enqueue()

    assert len(mail.outbox) == 1


def test_link_works_without_signing_in_and_a_second_answer_replaces_the_first(client):
    registration = RegistrationFactory.create(event=_ended())
    url = reverse("events:after_feedback", args=[feedback_token(registration)])

    page = client.get(url)
    assert page.status_code == 200
    assert registration.event.title in page.content.decode()

    response = client.post(url, {"overall": "4", "usefulness": "5", "comment": "More cases."})
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    client.post(url, {"overall": "2", "usefulness": "3", "comment": "Sound was bad."})

    feedback = Feedback.objects.get()
    assert (feedback.overall, feedback.usefulness, feedback.comment) == (2, 3, "Sound was bad.")
    assert "already answered" in client.get(url).content.decode()


def test_out_of_range_scores_are_refused(client):
    registration = RegistrationFactory.create(event=_ended())
    url = reverse("events:after_feedback", args=[feedback_token(registration)])

    response = client.post(url, {"overall": "6", "usefulness": "0"})

    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_tampered_and_expired_links_are_refused(client, monkeypatch):
    registration = RegistrationFactory.create(event=_ended())
    token = feedback_token(registration)
    forged = signing.dumps(registration.pk + 1, salt="something else")

    for bad in (token[:-3] + "abc", forged):
        response = client.get(reverse("events:after_feedback", args=[bad]))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()
        assert (
            client.post(
                reverse("events:after_feedback", args=[bad]), {"overall": "5", "usefulness": "5"}
            ).status_code
            == 404
        )

    later = timezone.now().timestamp() + 31 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(FeedbackLinkInvalid) as info:
        feedback_registration(token)
    assert info.value.expired
    assert not Feedback.objects.exists()


def test_a_cancelled_registration_cannot_answer(client):
    registration = RegistrationFactory.create(event=_ended())
    token = feedback_token(registration)
    registration.status = Registration.Status.CANCELLED
    registration.save()

    assert client.get(reverse("events:after_feedback", args=[token])).status_code == 404


def test_the_survey_is_not_open_before_the_end(client):
    registration = RegistrationFactory.create(event=EventFactory.create())
    url = reverse("events:after_feedback", args=[feedback_token(registration)])

    response = client.post(url, {"overall": "5", "usefulness": "5"})

    assert "opens when the event has ended" in response.content.decode()
    assert not Feedback.objects.exists()


def test_results_show_averages_distribution_and_comments_without_names(client, make_user):
    organiser = make_user(Role.MEMBER)
    event = _ended(organisers=[organiser])
    answers = [(5, 4, "Great speakers."), (4, 4, ""), (3, 2, "Too short.")]
    for overall, usefulness, comment in answers:
        registration = RegistrationFactory.create(event=event)
        Feedback.objects.create(
            registration=registration, overall=overall, usefulness=usefulness, comment=comment
        )
    client.force_login(organiser)

    body = client.get(reverse("events:after_feedback_results", args=[event.pk])).content.decode()

    assert "4.0" in body  # overall average
    assert "3.3" in body  # usefulness average
    assert "Great speakers." in body
    assert "Too short." in body
    for registration in event.registrations.select_related("user"):
        assert registration.user.email not in body
        assert registration.user.full_name not in body
