from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from hrnet.core.models import TaskProgress
from hrnet.mailings.models import Mailing, Recipient, Unsubscription
from hrnet.mailings.services.delivery import mailing_deliver, mailings_due
from hrnet.mailings.services.mailings import mailing_create, mailing_send
from hrnet.mailings.tests.factories import MailingFactory, SegmentFactory, individual_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.HRNET_MAILING_RATE_PER_MINUTE = 0  # no pause between emails in tests


@pytest.fixture
def people(geography) -> list[Any]:
    # given: six individual members in Georgia, three reading Russian and three English
    return [
        individual_member(f"p{i}@example.org", language="ru" if i % 2 else "en") for i in range(6)
    ]


def per_address() -> Counter[str]:
    return Counter(address for message in mail.outbox for address in message.to)


def test_a_mailing_to_n_recipients_sends_n_emails_each_in_its_language(
    people, secretariat, django_capture_on_commit_callbacks
):
    segment = SegmentFactory.create(filters={"country": "GE"})
    mailing = mailing_create(
        actor=secretariat,
        segment=segment,
        subjects={"en": "Hello members", "ru": "Привет, члены сети"},
        bodies={"en": "Read [the report](https://example.org/r).", "ru": "Читайте отчёт."},
    )

    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(actor=secretariat, mailing=mailing)

    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert len(mail.outbox) == 6
    assert set(per_address().values()) == {1}
    for message in mail.outbox:
        russian = message.to[0] in {"p1@example.org", "p3@example.org", "p5@example.org"}
        assert message.subject == ("Привет, члены сети" if russian else "Hello members")
        assert message.extra_headers["Content-Language"] == ("ru" if russian else "en")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    english = next(m for m in mail.outbox if m.to == ["p0@example.org"])
    assert isinstance(english, EmailMultiAlternatives)
    html = str(english.alternatives[0][0])
    # the link as written: no click tracking, no pixel
    assert '<a href="https://example.org/r"' in html
    assert "<img" not in html
    assert mailing.job is not None
    job = TaskProgress.objects.get(pk=mailing.job.pk)
    assert (job.status, job.done, job.total) == (TaskProgress.Status.DONE, 6, 6)


def test_a_missing_language_falls_back_to_the_other(people, secretariat):
    mailing = MailingFactory.create(
        segment=SegmentFactory.create(filters={"country": "GE"}),
        subjects={"en": "Only English"},
        bodies={"en": "Text"},
    )
    mailing_send(actor=secretariat, mailing=mailing)
    mailing_deliver(mailing_id=mailing.pk)

    assert len(mail.outbox) == 6
    assert {m.subject for m in mail.outbox} == {"Only English"}


class DiesAfter(EmailBackend):
    """The mail server connection that breaks after `limit` messages (the worker dies)."""

    limit = 3

    def send_messages(self, messages: Any) -> int:
        if len(mail.outbox) >= self.limit:
            raise ConnectionError("the worker died")
        return super().send_messages(messages)


def test_a_send_killed_half_way_and_resumed_sends_each_email_once(people, secretariat, settings):
    mailing = MailingFactory.create(segment=SegmentFactory.create(filters={"country": "GE"}))
    mailing_send(actor=secretariat, mailing=mailing)

    # when: the email backend fails after three messages
    settings.EMAIL_BACKEND = f"{__name__}.DiesAfter"
    stopped = mailing_deliver(mailing_id=mailing.pk)

    assert stopped.status == Mailing.Status.FAILED
    assert len(mail.outbox) == 3
    assert Recipient.objects.filter(state=Recipient.State.PENDING).count() == 3

    # and: a run limited to one row (a worker stopped after one), then the rest
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _again, queued = mailing_send(actor=secretariat, mailing=stopped)
    assert queued
    mailing_deliver(mailing_id=mailing.pk, limit=1)
    assert len(mail.outbox) == 4
    assert mailings_due() == [mailing.pk]  # left sending: the next run picks it up
    finished = mailing_deliver(mailing_id=mailing.pk)

    # then: everyone got it exactly once
    assert finished.status == Mailing.Status.SENT
    assert per_address() == Counter({f"p{i}@example.org": 1 for i in range(6)})
    assert set(Recipient.objects.values_list("state", flat=True)) == {Recipient.State.SENT}


def test_sending_twice_sends_nothing_twice(people, secretariat):
    mailing = MailingFactory.create(segment=SegmentFactory.create(filters={"country": "GE"}))
    mailing_send(actor=secretariat, mailing=mailing)
    mailing_deliver(mailing_id=mailing.pk)

    _same, queued = mailing_send(actor=secretariat, mailing=mailing)
    mailing_deliver(mailing_id=mailing.pk)

    assert not queued
    assert len(mail.outbox) == 6


def test_a_scheduled_mailing_waits_for_its_time(people, secretariat):
    mailing = MailingFactory.create(segment=SegmentFactory.create(filters={"country": "GE"}))
    mailing_send(actor=secretariat, mailing=mailing, send_at=timezone.now() + timedelta(hours=2))

    mailing_deliver(mailing_id=mailing.pk)

    assert mail.outbox == []
    assert mailings_due() == []
    Mailing.objects.filter(pk=mailing.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    assert mailings_due() == [mailing.pk]


def test_one_click_unsubscribe_stops_that_category_only(people, secretariat, client):
    mailing = MailingFactory.create(segment=SegmentFactory.create(filters={"country": "GE"}))
    mailing_send(actor=secretariat, mailing=mailing)
    mailing_deliver(mailing_id=mailing.pk)
    message = next(m for m in mail.outbox if m.to == ["p0@example.org"])
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]

    asked = client.get(f"/{path}")
    done = client.post(f"/{path}")  # as a mail client does: no session, no CSRF token

    assert asked.status_code == 200
    assert Unsubscription.objects.filter(email="p0@example.org").count() == 1
    assert "will no longer receive" in done.content.decode()
    assert client.post(f"/{path[:-3]}xx/").status_code == 400
    mail.outbox.clear()
    second = MailingFactory.create(segment=mailing.segment, category="announcements")
    mailing_send(actor=secretariat, mailing=second)
    mailing_deliver(mailing_id=second.pk)
    other = MailingFactory.create(segment=mailing.segment, category="events")
    mailing_send(actor=secretariat, mailing=other)
    mailing_deliver(mailing_id=other.pk)
    addresses = per_address()
    assert addresses["p0@example.org"] == 1  # only the events mailing
    assert addresses["p1@example.org"] == 2


def test_the_pages_write_preview_send_and_list_recipients(
    people, secretariat, client, django_capture_on_commit_callbacks
):
    segment = SegmentFactory.create(name="Georgia", filters={"country": "GE"})
    client.force_login(secretariat)

    created = client.post(
        reverse("mailings:mailing_create"),
        {
            "segment": segment.pk,
            "category": "announcements",
            "subject_en": "Annual meeting",
            "body_en": "Come <script>alert(1)</script>**soon**",
            "subject_ru": "Ежегодное собрание",
            "body_ru": "Приходите",
        },
    )
    detail = client.get(created["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(created["Location"], {"when": "now"})
    recipients = client.get(created["Location"] + "recipients/")

    html = detail.content.decode()
    assert "<strong>soon</strong>" in html
    assert "<script>alert" not in html
    assert "6 email addresses today" in html
    assert sent.status_code == 302
    assert len(mail.outbox) == 6
    assert "6 of 6 sent" in recipients.content.decode()
    assert "p5@example.org" in recipients.content.decode()


def test_a_draft_needs_a_subject_and_body_in_some_language(secretariat, geography):
    with pytest.raises(ValidationError) as caught:
        mailing_create(
            actor=secretariat, segment=SegmentFactory.create(), subjects={"ru": "Тема"}, bodies={}
        )

    assert caught.value.message_dict == {
        "body_ru": ["Write the message that goes with this subject."]
    }


def test_the_sender_keeps_to_the_configured_rate(people, secretariat, settings, monkeypatch):
    settings.HRNET_MAILING_RATE_PER_MINUTE = 30  # one email every two seconds
    pauses: list[float] = []
    monkeypatch.setattr("hrnet.mailings.services.delivery.time.sleep", pauses.append)
    # a clock that moves a quarter of a second each time it is read (sending takes that)
    clock = itertools.count(0, 0.25)
    monkeypatch.setattr("hrnet.mailings.services.delivery.time.monotonic", lambda: next(clock))
    mailing = MailingFactory.create(segment=SegmentFactory.create(filters={"country": "GE"}))
    mailing_send(actor=secretariat, mailing=mailing)

    mailing_deliver(mailing_id=mailing.pk)

    assert len(mail.outbox) == 6
    # each email takes its two seconds, the time to send it included
    assert len(pauses) == 6
    assert pauses == [1.75] * 6
