"""Certificates of attendance: who is eligible, issuing them once, the PDF's text, the
holder's own download, and the public verification page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import Network
from hrnet.events.models import Attendance, Certificate, Registration
from hrnet.events.pdf import certificate_pdf
from hrnet.events.services.certificates import (
    certificate_eligible,
    certificate_revoke,
    certificates_issue,
)
from hrnet.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.usefixtures("geography")


def _attend(registration, sessions):
    for session in sessions:
        Attendance.objects.create(
            registration=registration, session=session, source=Attendance.Source.CHECK_IN
        )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def organiser(make_user):
    return make_user(Role.MEMBER)


@pytest.fixture
def training(organiser):
    return EventFactory.create(
        organisers=[organiser],
        sessions=3,
        titles={"en": "Community network development", "ru": "Развитие сетей сообществ"},
    )


def test_only_those_present_at_every_session_are_eligible(training, organiser):
    sessions = list(training.sessions.all())
    everywhere = RegistrationFactory.create(event=training)
    _attend(everywhere, sessions)
    missed_one = RegistrationFactory.create(event=training)
    _attend(missed_one, sessions[:2])
    cancelled = RegistrationFactory.create(event=training, status=Registration.Status.CANCELLED)
    _attend(cancelled, sessions)

    assert list(certificate_eligible(event=training)) == [everywhere]

    result = certificates_issue(event=training, actor=organiser)
    assert [c.registration for c in result.issued] == [everywhere]
    assert not Certificate.objects.filter(registration=missed_one).exists()


def test_issuing_is_idempotent_and_fixes_name_and_title(training, organiser):
    user = UserFactory.create(full_name="Айгерим Садыкова")
    registration = RegistrationFactory.create(event=training, user=user, language="ru")
    _attend(registration, training.sessions.all())

    first = certificates_issue(event=training, actor=organiser)
    second = certificates_issue(event=training, actor=organiser)

    assert len(first.issued) == 1
    assert second.issued == []
    assert second.already == 1
    certificate = Certificate.objects.get()
    user.full_name = "Renamed Later"
    user.save()
    training.titles = {"en": "Changed"}
    training.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "Айгерим Садыкова"
    assert certificate.event_title == "Развитие сетей сообществ"


def test_no_certificate_without_a_name(training, organiser):
    registration = RegistrationFactory.create(event=training, user=UserFactory(full_name=""))
    _attend(registration, training.sessions.all())

    result = certificates_issue(event=training, actor=organiser)

    assert result.without_name == [registration]
    assert not Certificate.objects.exists()


def test_the_pdf_holds_name_title_code_and_verification_address(training, organiser, settings):
    settings.HRNET_SITE_URL = "https://hrnet.example.org"
    Network.objects.create(
        names={"en": "Eurasian Harm Reduction Network", "ru": "Евразийская сеть снижения вреда"}
    )
    registration = RegistrationFactory.create(
        event=training, user=UserFactory(full_name="Айгерим Садыкова"), language="ru"
    )
    _attend(registration, training.sessions.all())
    certificate = certificates_issue(event=training, actor=organiser).issued[0]

    text = _pdf_text(certificate_pdf(certificate))

    assert "Айгерим Садыкова" in text
    assert "Развитие сетей сообществ" in text
    assert certificate.code in text
    assert "Евразийская сеть снижения вреда" in text
    compact = "".join(text.split())
    assert f"https://hrnet.example.org/ru/events/certificates/{certificate.code}/" in compact


def test_holder_downloads_their_own_others_cannot(client, training, organiser, make_user):
    registration = RegistrationFactory.create(event=training, user=UserFactory(full_name="A B"))
    _attend(registration, training.sessions.all())
    certificate = certificates_issue(event=training, actor=organiser).issued[0]
    stranger = make_user(Role.MEMBER)

    client.force_login(registration.user)
    mine = client.get(reverse("events:after_certificate_mine", args=[training.pk]))
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/pdf"
    assert certificate.code in _pdf_text(mine.content)
    by_code = client.get(reverse("events:after_certificate_pdf", args=[certificate.code]))
    assert by_code.status_code == 200

    client.force_login(stranger)
    assert (
        client.get(reverse("events:after_certificate_mine", args=[training.pk])).status_code == 404
    )
    assert (
        client.get(reverse("events:after_certificate_pdf", args=[certificate.code])).status_code
        == 403
    )

    client.force_login(organiser)
    assert (
        client.get(reverse("events:after_certificate_pdf", args=[certificate.code])).status_code
        == 200
    )

    client.logout()
    response = client.get(reverse("events:after_certificate_mine", args=[training.pk]))
    assert response.status_code == 302


def test_the_issue_button(client, training, organiser):
    registration = RegistrationFactory.create(event=training, user=UserFactory(full_name="A B"))
    _attend(registration, training.sessions.all())
    client.force_login(organiser)
    url = reverse("events:after_certificates", args=[training.pk])

    assert "Issue 1 certificate" in client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert "1 certificate was issued." in response.content.decode()
    assert Certificate.objects.count() == 1
    client.post(url)
    assert Certificate.objects.count() == 1


def test_verification_page_shows_holder_event_and_validity_only(client, training, organiser):
    registration = RegistrationFactory.create(
        event=training, user=UserFactory(full_name="Ivan Petrov", email="ivan@example.org")
    )
    _attend(registration, training.sessions.all())
    certificate = certificates_issue(event=training, actor=organiser).issued[0]
    url = reverse("events:after_certificate_verify", args=[certificate.code])

    body = client.get(url).content.decode()
    assert "Ivan Petrov" in body
    assert "Community network development" in body
    assert "Valid" in body
    assert "ivan@example.org" not in body

    typed = client.get(
        reverse("events:after_certificate_lookup"),
        {"code": certificate.code.lower()[:5] + " " + certificate.code[5:]},
    )
    assert typed.status_code == 302
    assert typed["Location"] == url

    certificate_revoke(certificate=certificate, actor=organiser)
    body = client.get(url).content.decode()
    assert "Revoked" in body
    assert "no longer valid" in body


def test_unknown_code_is_clearly_not_found(client):
    response = client.get(reverse("events:after_certificate_verify", args=["ZZZZ222222"]))

    assert response.status_code == 404
    assert "No certificate has the code" in response.content.decode()
    assert "ZZZZ222222" in response.content.decode()


def test_russian_verification_page(client, training, organiser):
    registration = RegistrationFactory.create(event=training, user=UserFactory(full_name="A B"))
    _attend(registration, training.sessions.all())
    certificate = certificates_issue(event=training, actor=organiser).issued[0]

    response = client.get(f"/ru/events/certificates/{certificate.code}/")

    assert response.status_code == 200
