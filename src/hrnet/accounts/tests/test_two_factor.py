"""Two-factor authentication end to end, with real TOTP codes."""

import re

import pytest
from django.core import mail
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.conftest import BACKUP_CODES, found, totp_code
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.models import AuditEntry

LOGIN = "/en/accounts/login/"
VERIFY = "/en/accounts/login/code/"
SETUP = "/en/accounts/two-factor/"
PROFILE = "/en/accounts/profile/"


@pytest.fixture(autouse=True)
def _no_otp_backoff(settings):
    # django-otp makes a device wait 1, 2, 4… seconds after a wrong code; tests do not wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _open_emailed_link(client):
    """Ask for the setup link (unless the page sent it already), open it, use it."""
    sent = len(mail.outbox)
    content = client.get(SETUP).content.decode()
    if len(mail.outbox) == sent:
        client.post(SETUP, {"action": "send_link"})
    link = found(r"https?://[^/\s]+(/\S+/two-factor/link/\S+/)", str(mail.outbox[-1].body))
    response = client.post(link)
    assert response["Location"] == SETUP
    return content


def _setup_and_confirm(client):
    """Open the emailed link, read the key shown, and confirm with the app's code; returns
    the setup page as it was before the link, the device and the answer to the code."""
    before = _open_emailed_link(client)
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"action": "enable", "code": totp_code(device)})
    return before, device, response


# --- setting up -----------------------------------------------------------------------


def test_setup_shows_a_qr_code_and_the_key_for_typing(client, member):
    client.force_login(member)
    _open_emailed_link(client)

    response = client.get(SETUP)

    content = response.content.decode()
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    assert '<div class="qr" role="img"' in content
    assert "<svg" in content
    assert "<script" not in content.split("<main", 1)[1]
    key = found(r'<p class="token" id="totp-secret">([A-Z2-7 ]+)</p>', content)
    import base64

    assert base64.b32decode(key.replace(" ", "")) == device.bin_key
    assert "no-store" in response["Cache-Control"]
    # Reloading shows the same key rather than piling up devices.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_a_wrong_code_does_not_turn_two_factor_on(client, member):
    client.force_login(member)
    _open_emailed_link(client)
    client.get(SETUP)

    response = client.post(SETUP, {"action": "enable", "code": "000000"})

    assert "That code is not correct." in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_confirming_turns_it_on_and_shows_ten_backup_codes_once(client, member):
    client.force_login(member)

    _content, device, response = _setup_and_confirm(client)

    content = response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", content)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert "shown only this once" in content
    # This session counts as verified; the profile says 2FA is on.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    profile = client.get(PROFILE).content.decode()
    assert "10 backup codes left." in profile
    assert codes[0] not in profile
    assert AuditEntry.objects.filter(action="accounts.two_factor.enable", actor=member).exists()


# --- signing in -----------------------------------------------------------------------


def test_with_two_factor_signing_in_needs_the_code(client, make_user, with_two_factor):
    user = make_user()
    device = with_two_factor(user)

    response = client.post(
        LOGIN + "?next=/en/countries/", {"email": user.email, "password": PASSWORD}
    )

    assert response["Location"] == VERIFY + "?next=%2Fen%2Fcountries%2F"
    assert client.get(PROFILE).status_code == 302  # not signed in yet
    page = client.get(response["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in page

    response = client.post(VERIFY, {"code": "123456", "next": "/en/countries/"})
    assert "That code is not correct." in response.content.decode()
    assert client.get(PROFILE).status_code == 302

    response = client.post(VERIFY, {"code": totp_code(device), "next": "/en/countries/"})
    assert response["Location"] == "/en/countries/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(PROFILE).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.account.login")
    assert entry.changes == {"two_factor": True}


def test_a_backup_code_signs_in_once(client, make_user, with_two_factor):
    user = make_user()
    with_two_factor(user)

    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    response = client.post(VERIFY, {"code": BACKUP_CODES[0].upper()})
    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200

    client.post("/en/accounts/logout/")
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    response = client.post(VERIFY, {"code": BACKUP_CODES[0]})
    assert "That code is not correct." in response.content.decode()
    assert StaticToken.objects.count() == len(BACKUP_CODES) - 1


def test_wrong_codes_count_towards_throttling(client, make_user, with_two_factor, settings):
    settings.HRNET_LOGIN_MAX_FAILURES = 3
    user = make_user()
    device = with_two_factor(user)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    for _attempt in range(3):
        client.post(VERIFY, {"code": "000000"})

    response = client.post(VERIFY, {"code": totp_code(device)})

    assert response.status_code == 429
    assert "Please wait" in response.content.decode()
    assert client.get(PROFILE).status_code == 302


def test_the_code_page_without_a_password_step_goes_back_to_login(client, db):
    response = client.get(VERIFY)

    assert response["Location"] == LOGIN


# --- managing -------------------------------------------------------------------------


def test_turning_off_needs_a_current_code(client, make_user, with_two_factor):
    user = make_user()
    device = with_two_factor(user)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    client.post(VERIFY, {"code": totp_code(device)})

    page = client.get(SETUP).content.decode()
    assert "Turn off two-factor authentication" in page

    response = client.post(SETUP, {"action": "disable", "code": "000000"})
    assert "That code is not correct." in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()

    response = client.post(SETUP, {"action": "disable", "code": totp_code(device, steps=1)})
    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor.disable").exists()


def test_new_backup_codes_replace_the_old_ones(client, make_user, with_two_factor):
    user = make_user()
    device = with_two_factor(user)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    client.post(VERIFY, {"code": totp_code(device)})

    response = client.post(SETUP, {"action": "backup_codes", "code": totp_code(device, steps=1)})

    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)


def test_a_session_from_before_two_factor_can_verify_on_the_setup_page(
    client, make_user, with_two_factor
):
    user = make_user()
    device = with_two_factor(user)
    client.force_login(user)  # signed in before 2FA was turned on elsewhere

    page = client.get(SETUP).content.decode()
    assert "this browser has not used it yet" in page

    response = client.post(SETUP, {"action": "verify", "code": totp_code(device)})
    assert response["Location"] == PROFILE
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


# --- required for sensitive roles -----------------------------------------------------


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.SITESTAFF, Role.DOCUMENTER])
def test_required_roles_are_sent_to_setup_until_they_use_a_second_factor(
    client, make_user, settings, role
):
    settings.HRNET_2FA_REQUIRED = True
    user = make_user(role)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == SETUP

    content, _device, response = _setup_and_confirm(client)
    assert "mandatory for your account" in content
    assert "We emailed you a link" in content
    assert response.status_code == 200

    page = client.get(SETUP).content.decode()
    assert "Required for your role" in page
    assert "Turn off" not in page
    assert client.get(PROFILE).status_code == 200


def test_the_required_setup_page_still_allows_signing_out(client, make_user, settings):
    settings.HRNET_2FA_REQUIRED = True
    user = make_user(Role.SECRETARIAT)
    client.force_login(user)

    response = client.post("/en/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] != SETUP


def test_members_are_not_forced_to_use_two_factor(client, member, settings):
    settings.HRNET_2FA_REQUIRED = True
    client.force_login(member)

    assert client.get(PROFILE).status_code == 200


def test_required_two_factor_cannot_be_turned_off(client, make_user, with_two_factor, settings):
    settings.HRNET_2FA_REQUIRED = True
    user = make_user(Role.DOCUMENTER)
    device = with_two_factor(user)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    client.post(VERIFY, {"code": totp_code(device)})

    response = client.post(
        SETUP, {"action": "disable", "code": totp_code(device, steps=1)}, follow=True
    )

    assert "required for your role and cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_whoever_reads_an_organisations_client_records_needs_a_second_factor(
    client, make_user, settings
):
    from django.contrib.auth.models import Permission

    settings.HRNET_2FA_REQUIRED = True
    user = make_user(Role.ORGADMIN)
    user.user_permissions.add(Permission.objects.get(codename="view_client_records"))
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == SETUP
