"""Setting up a second factor starts with a one-time link emailed to the account's address:
whoever knows only the password cannot enrol their own phone (issue 21)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrnet.accounts import services
from hrnet.accounts.models import TwoFactorEnrolment
from hrnet.accounts.roles import Role
from hrnet.accounts.tests.conftest import found, totp_code
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.models import AuditEntry

LOGIN = "/en/accounts/login/"
SETUP = "/en/accounts/two-factor/"
PROFILE = "/en/accounts/profile/"


@pytest.fixture(autouse=True)
def _no_otp_backoff(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _emailed_link() -> str:
    return found(r"https?://[^/\s]+(/\S+/two-factor/link/\S+/)", str(mail.outbox[-1].body))


def _ask_for_link(client) -> str:
    client.post(SETUP, {"action": "send_link"})
    return _emailed_link()


def test_the_password_alone_shows_no_key_and_cannot_turn_two_factor_on(client, member):
    # given: someone who signed in with the password only
    client.post(LOGIN, {"email": member.email, "password": PASSWORD})

    # when
    page = client.get(SETUP).content.decode()
    refused = client.post(SETUP, {"action": "enable", "code": "123456"}, follow=True)

    # then
    assert "totp-secret" not in page
    assert "<svg" not in page.split("<main", 1)[1]
    assert "Email me the setup link" in page
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert "Open the setup link we emailed you first" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=member, confirmed=True).exists()


def test_the_link_goes_to_the_accounts_own_address_in_its_language(client, make_user, settings):
    settings.HRNET_SITE_URL = "https://hrnet.example.org"
    user = make_user(preferred_language="ru")
    client.force_login(user)

    client.post(SETUP, {"action": "send_link"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.extra_headers["Content-Language"] == "ru"
    assert "https://hrnet.example.org/ru/accounts/two-factor/link/" in message.body
    assert AuditEntry.objects.filter(actor=user, action="accounts.two_factor.link_send").exists()
    page = client.get(SETUP).content.decode()
    assert "We emailed you a link" in page


def test_opening_the_link_lets_this_browser_set_up_and_confirm(client, member):
    client.force_login(member)
    link = _ask_for_link(client)

    # A mail scanner following the link changes nothing: the button does.
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Continue to the setup" in confirm_page.content.decode()
    assert TwoFactorEnrolment.objects.get().used_at is None

    assert client.post(link)["Location"] == SETUP
    page = client.get(SETUP).content.decode()
    assert 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    response = client.post(SETUP, {"action": "enable", "code": totp_code(device)})

    assert "Two-factor authentication is on." in response.content.decode()
    assert TOTPDevice.objects.get(user=member).confirmed
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "accounts.two_factor.link_send",
        "accounts.two_factor.link_open",
        "accounts.two_factor.enable",
    ]


def test_the_link_works_once(client, member):
    client.force_login(member)
    link = _ask_for_link(client)
    client.post(link)

    again = client.post(link)

    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_link_is_refused_in_words(client, member, rf):
    client.force_login(member)
    request = rf.get("/")
    request.session = client.session
    services.two_factor_link_send(
        request=request, user=member, now=timezone.now() - timedelta(minutes=31)
    )

    response = client.post(_emailed_link())

    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert 'id="totp-secret"' not in client.get(SETUP).content.decode()


def test_a_link_for_another_account_or_a_forged_one_opens_nothing(client, make_user):
    owner, intruder = make_user(), make_user()
    client.force_login(owner)
    link = _ask_for_link(client)
    client.force_login(intruder)

    other = client.post(link)
    forged = client.post(link.replace("/link/", "/link/x"))

    assert other.status_code == 404
    assert "sent to another account" in other.content.decode()
    assert forged.status_code == 404
    assert "not a valid two-factor setup link" in forged.content.decode()
    assert TwoFactorEnrolment.objects.get().used_at is None
    assert 'id="totp-secret"' not in client.get(SETUP).content.decode()


def test_opening_the_link_in_one_browser_does_not_open_the_setup_in_another(
    client, member, django_user_model
):
    from django.test import Client

    other_browser = Client()
    other_browser.post(LOGIN, {"email": member.email, "password": PASSWORD})
    client.force_login(member)
    client.post(_ask_for_link(client))

    assert 'id="totp-secret"' not in other_browser.get(SETUP).content.decode()
    assert 'id="totp-secret"' in client.get(SETUP).content.decode()


def test_the_link_without_a_session_asks_to_sign_in_first(client, member):
    client.force_login(member)
    link = _ask_for_link(client)
    client.logout()

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_setup_links_to_one_person_are_capped_per_hour(client, member):
    client.force_login(member)
    for _attempt in range(services.TWO_FACTOR_LINK_EMAILS_PER_HOUR + 2):
        response = client.post(SETUP, {"action": "send_link"}, follow=True)

    assert len(mail.outbox) == services.TWO_FACTOR_LINK_EMAILS_PER_HOUR
    assert "already sent several setup links" in response.content.decode()


def test_a_role_that_must_use_two_factor_is_emailed_the_link_instead_of_the_key(
    client, make_user, settings
):
    # given: a secretariat person signs in with the password only
    settings.HRNET_2FA_REQUIRED = True
    user = make_user(Role.SECRETARIAT)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    # when
    response = client.get(PROFILE, follow=True)
    client.get(SETUP)  # reloading does not send another

    # then
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == SETUP
    assert "We emailed you a link" in page
    assert 'id="totp-secret"' not in page
    assert len(mail.outbox) == 1
    # The link is reachable although every other page sends them to the setup page.
    link = _emailed_link()
    assert client.get(link).status_code == 200
    client.post(link)
    assert 'id="totp-secret"' in client.get(SETUP).content.decode()
    assert client.get(PROFILE).status_code == 302
