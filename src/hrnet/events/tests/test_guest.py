"""Guests: registration without an account for public events, confirmed by an emailed
link; the waiting list and offers by signed links; cancel and .ics by link; throttling,
the honeypot, members-only events; guests in the organisers' lists, the personal-data
export and erasure."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import Registration
from hrnet.events.selectors.privacy import guest_event_data
from hrnet.events.services.registration import (
    events_tick,
    guest_registration_confirm,
    guest_registration_create,
    registration_cancel,
    seats_free,
)
from hrnet.events.tests.factories import (
    EventFactory,
    RegistrationFactory,
    RegistrationQuestionFactory,
)
from hrnet.events.tokens import GuestLinkInvalid, guest_registration, guest_token
from hrnet.members.services.privacy import person_data_export, person_erase
from hrnet.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def _emails_at_once(monkeypatch):
    # Emails leave after the commit, which a test's transaction never reaches.
    monkeypatch.setattr("hrnet.events.emails._schedule", lambda message: message.send())


def _link(message, kind: str) -> str:
    found = re.search(rf"https?://\S+/events/guest/\S+/{kind}/", message.body)
    assert found is not None, message.body
    return found.group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _guest(event, email="olena@example.org", **kwargs):
    return guest_registration_create(
        event=event, name=kwargs.pop("name", "Olena Kovalenko"), email=email, **kwargs
    )


def _form(**extra):
    return {
        "guest_name": "Olena Kovalenko",
        "guest_email": "olena@example.org",
        "organisation_name": "Kyiv peers",
        "gender": "woman",
        **extra,
    }


# --- register, confirm, seat --------------------------------------------------------------


def test_a_guest_registers_by_the_form_and_holds_a_seat_only_after_the_link(client):
    # given: a public webinar with two seats and a required question
    event = EventFactory.create(capacity=2)
    question = RegistrationQuestionFactory.create(event=event, required=True)

    # when: an anonymous visitor opens the register page
    page = client.get(f"/en/events/{event.pk}/register/")

    # then: a guest form, not a sign-in redirect
    assert page.status_code == 200
    assert 'name="guest_email"' in page.content.decode()

    # when: they register
    response = client.post(
        f"/en/events/{event.pk}/register/", _form(**{f"question_{question.pk}": "Peer worker"})
    )

    # then: they are told to check their email; the registration holds no seat yet
    assert response.status_code == 302
    assert "Check your email" in client.get(response["Location"]).content.decode()
    registration = Registration.objects.get(guest_email="olena@example.org")
    assert registration.user is None
    assert registration.status == Status.UNVERIFIED
    assert registration.answers == {str(question.pk): "Peer worker"}
    assert seats_free(event) == 2
    message = mail.outbox[-1]
    assert message.to == ["olena@example.org"]
    assert "Please confirm" in message.subject

    # when: they open the link (a GET changes nothing) and press the button
    confirm = _path(_link(message, "confirm"))
    assert "Confirm my registration" in client.get(confirm).content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Status.UNVERIFIED
    done = client.post(confirm).content.decode()

    # then: confirmed, with a seat, the confirmation email and its .ics and cancel link
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.email_confirmed_at is not None
    assert seats_free(event) == 1
    assert "You are registered" in done
    confirmation = mail.outbox[-1]
    assert confirmation.attachments
    assert "/cancel/" in confirmation.body
    # a second press changes nothing
    client.post(confirm)
    assert Registration.objects.filter(event=event).count() == 1


def test_the_required_question_is_asked_of_guests_too(client):
    event = EventFactory.create()
    RegistrationQuestionFactory.create(event=event, required=True)
    response = client.post(f"/en/events/{event.pk}/register/", _form())
    assert response.status_code == 200
    assert "Please answer" in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_again_sends_the_link_again_and_reveals_nothing():
    event = EventFactory.create()
    first = _guest(event)
    again = _guest(event, email="OLENA@example.org")
    assert again.pk == first.pk
    assert len([m for m in mail.outbox if "Please confirm" in m.subject]) == 2
    guest_registration_confirm(registration=first)
    _guest(event)
    assert "already registered" in mail.outbox[-1].subject
    assert Registration.objects.filter(event=event).count() == 1


# --- the waiting list and offers by link --------------------------------------------------


def test_a_guest_on_the_waiting_list_gets_the_offer_and_accepts_by_the_link(client):
    # given: a full webinar (one seat, taken) and a guest who confirmed
    event = EventFactory.create(capacity=1)
    owner = UserFactory.create()
    holder = RegistrationFactory.create(event=event, user=owner)
    guest = _guest(event)
    guest = guest_registration_confirm(registration=guest)
    assert guest.status == Status.WAITING
    assert "waiting list" in mail.outbox[-1].body

    # when: the seat holder cancels
    registration_cancel(registration=holder, actor=owner)

    # then: the guest gets the offer with a signed link, no account needed
    offer = mail.outbox[-1]
    assert offer.to == ["olena@example.org"]
    url = _path(_link(offer, "offer"))
    assert "Accept the seat" in client.get(url).content.decode()

    # when: they accept
    page = client.post(url, {"action": "accept"}).content.decode()

    # then: confirmed
    guest.refresh_from_db()
    assert guest.status == Status.CONFIRMED
    assert "The seat is yours" in page
    assert "meet.example.org" in page  # the online link, now that they hold a seat


def test_an_unconfirmed_guest_is_not_offered_a_seat():
    event = EventFactory.create(capacity=1)
    owner = UserFactory.create()
    holder = RegistrationFactory.create(event=event, user=owner)
    unconfirmed = _guest(event)
    registration_cancel(registration=holder, actor=owner)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == Status.UNVERIFIED
    assert seats_free(event) == 1


def test_a_full_event_without_waiting_list_refuses_the_confirmation():
    event = EventFactory.create(capacity=1, waiting_list=False)
    guest = _guest(event)
    RegistrationFactory.create(event=event)
    with pytest.raises(ValidationError, match="full"):
        guest_registration_confirm(registration=guest)
    guest.refresh_from_db()
    assert guest.status == Status.UNVERIFIED


# --- cancel and .ics by link; tampered links ------------------------------------------------


def test_a_guest_cancels_by_the_link_and_the_seat_goes_to_the_next(client):
    event = EventFactory.create(capacity=1)
    guest = guest_registration_confirm(registration=_guest(event))
    waiting = RegistrationFactory.create(event=event, status=Status.WAITING)
    url = f"/en/events/guest/{guest_token(guest, 'cancel')}/cancel/"
    assert "Cancel my registration" in client.get(url).content.decode()
    page = client.post(url).content.decode()
    guest.refresh_from_db()
    waiting.refresh_from_db()
    assert guest.status == Status.CANCELLED
    assert waiting.status == Status.OFFERED
    assert "is cancelled" in page


def test_the_ics_link_downloads_the_event_with_the_online_link(client):
    event = EventFactory.create()
    guest = guest_registration_confirm(registration=_guest(event))
    response = client.get(f"/en/events/guest/{guest_token(guest, 'ics')}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"meet.example.org" in response.content


def test_tampered_links_and_links_of_another_purpose_are_refused(client):
    event = EventFactory.create()
    guest = _guest(event)
    token = guest_token(guest, "confirm")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(f"/en/events/guest/{tampered}/confirm/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    # a cancel link does not confirm, and an offer link does not cancel
    cancel = guest_token(guest, "cancel")
    assert client.post(f"/en/events/guest/{cancel}/confirm/").status_code == 400
    with pytest.raises(GuestLinkInvalid):
        guest_registration(guest_token(guest, "offer"), "cancel")
    guest.refresh_from_db()
    assert guest.status == Status.UNVERIFIED


def test_a_signed_in_persons_registration_has_no_guest_links(client):
    registration = RegistrationFactory.create()
    token = guest_token(registration, "cancel")
    assert client.post(f"/en/events/guest/{token}/cancel/").status_code == 400
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


# --- throttle, honeypot, members-only -------------------------------------------------------


def test_guest_registrations_are_throttled_per_email_address(settings):
    settings.HRNET_EVENT_GUEST_REGISTRATIONS_PER_EMAIL = 2
    events = EventFactory.create_batch(3)
    _guest(events[0])
    _guest(events[1])
    with pytest.raises(ValidationError, match="Too many"):
        _guest(events[2])
    assert not Registration.objects.filter(event=events[2]).exists()
    _guest(events[2], email="someone.else@example.org")  # another address is not held back


def test_guest_registrations_are_throttled_per_network_address(client, settings):
    settings.HRNET_EVENT_GUEST_REGISTRATIONS_PER_HOUR = 1
    event = EventFactory.create()
    client.post(f"/en/events/{event.pk}/register/", _form())
    response = client.post(
        f"/en/events/{event.pk}/register/", _form(guest_email="second@example.org")
    )
    assert "Too many" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client):
    event = EventFactory.create()
    response = client.post(f"/en/events/{event.pk}/register/", _form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_members_only_events_refuse_guests_and_ask_them_to_sign_in(client):
    event = EventFactory.create(members_only=True)
    detail = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "open to network members only" in detail
    assert "Sign in to register" in detail
    page = client.get(f"/en/events/{event.pk}/register/").content.decode()
    assert "Sign in to register" in page
    assert 'name="guest_email"' not in page
    assert client.post(f"/en/events/{event.pk}/register/", _form()).status_code == 409
    with pytest.raises(ValidationError, match="members only"):
        _guest(event)
    assert not Registration.objects.exists()


def test_a_public_event_tells_visitors_they_need_no_account(client):
    event = EventFactory.create()
    detail = client.get(f"/en/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/register/" in detail
    assert "No account needed" in detail


def test_members_visibility_hides_the_event_and_its_form_from_visitors(client):
    event = EventFactory.create(visibility="members")
    response = client.get(f"/en/events/{event.pk}/register/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the organisers' lists --------------------------------------------------------------------


def test_organisers_see_guests_by_name_in_lists_and_exports(client, secretariat):
    event = EventFactory.create()
    guest_registration_confirm(registration=_guest(event, name="Aigerim Nurlanovna"))
    RegistrationFactory.create(event=event)
    client.force_login(secretariat)
    registrations = client.get(f"/en/events/{event.pk}/registrations/").content.decode()
    assert "Aigerim Nurlanovna" in registrations
    assert "Guest" in registrations
    check_in = client.get(f"/en/events/{event.pk}/check-in/")
    assert "Aigerim Nurlanovna" in check_in.content.decode()
    export = client.get(f"/en/events/{event.pk}/participants/export/?format=csv")
    assert export.status_code == 200
    assert "Aigerim Nurlanovna" in export.content.decode()
    assert "olena@example.org" in export.content.decode()


# --- personal data ------------------------------------------------------------------------------


@pytest.mark.usefixtures("geography")
def test_erasure_of_an_account_reaches_its_guest_registrations(secretariat, make_user):
    user = make_user(Role.MEMBER, email="olena@example.org", full_name="Olena Kovalenko")
    person = PersonFactory.create(user=user, full_name="Olena Kovalenko")
    event = EventFactory.create()
    guest = guest_registration_confirm(
        registration=_guest(event, organisation_name="Kyiv peers", gender="woman")
    )

    exported = person_data_export(person=person, actor=secretariat)
    person_erase(person=person, actor=secretariat, reason="Asked by email")

    [row] = exported["event_registrations"]
    assert row["as_guest"] is True
    assert row["email"] == "olena@example.org"
    guest.refresh_from_db()
    assert "Olena" not in guest.guest_name
    assert "olena" not in guest.guest_email
    assert guest.organisation_name == ""
    assert guest.status == Status.CONFIRMED  # the seat count stays


def test_a_guest_without_account_is_exported_and_erased_by_email(capsys):
    event = EventFactory.create(capacity=1)
    guest = guest_registration_confirm(registration=_guest(event))
    cancel = guest_token(guest, "cancel")

    call_command("events_guest_data", "Olena@Example.org")
    assert '"olena@example.org"' in capsys.readouterr().out
    assert guest_event_data("olena@example.org")["event_registrations"][0]["name"] == (
        "Olena Kovalenko"
    )
    call_command("events_guest_data", "olena@example.org", "--erase", "--reason", "Asked")

    guest.refresh_from_db()
    assert guest.guest_name == "Erased guest"
    assert guest_event_data("olena@example.org") == {"event_registrations": []}
    with pytest.raises(GuestLinkInvalid):  # old links name nobody any more
        guest_registration(cancel, "cancel")
    assert seats_free(event) == 0


def test_the_confirm_link_expires(client, monkeypatch):
    event = EventFactory.create()
    guest = _guest(event)
    now = time.time()
    with monkeypatch.context() as moved:  # the link was sent eight days ago
        moved.setattr("django.core.signing.time.time", lambda: now - 8 * 24 * 3600)
        token = guest_token(guest, "confirm")
    response = client.post(f"/en/events/guest/{token}/confirm/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    guest.refresh_from_db()
    assert guest.status == Status.UNVERIFIED


def test_registrations_never_confirmed_are_forgotten_after_a_week():
    event = EventFactory.create()
    guest = _guest(event)
    assert events_tick(now=timezone.now() + timedelta(days=6)).unverified_deleted == 0
    assert events_tick(now=timezone.now() + timedelta(days=8)).unverified_deleted == 1
    assert not Registration.objects.filter(pk=guest.pk).exists()


def test_the_guest_pages_speak_russian(client):
    event = EventFactory.create()
    page = client.get(f"/ru/events/{event.pk}/register/").content.decode()
    assert "Зарегистрироваться можно без учётной записи" in page
    client.post(f"/ru/events/{event.pk}/register/", _form())
    message = mail.outbox[-1]
    assert "Подтвердите регистрацию" in message.subject
    confirm = _path(_link(message, "confirm"))
    assert "Подтвердить регистрацию" in client.get(confirm).content.decode()
