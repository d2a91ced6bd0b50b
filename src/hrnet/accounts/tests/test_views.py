import pytest
from django.core import mail

from hrnet.accounts.models import ApiToken, LoginFailure
from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.accounts.tests.conftest import found
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.models import AuditEntry

LOGIN = "/en/accounts/login/"
PROFILE = "/en/accounts/profile/"

# --- signing in and out ---------------------------------------------------------------


def test_login_page_has_labelled_fields_and_a_reset_link(client, db):
    response = client.get(LOGIN)

    content = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_email">Email address' in content
    assert '<label for="id_password">Password' in content
    assert 'href="/en/accounts/password/reset/"' in content


def test_signing_in_lands_on_the_start_page_in_the_persons_language(client, make_user):
    make_user(email="olga@example.org", preferred_language="ru")

    response = client.post(LOGIN, {"email": "OLGA@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/ru/me/"
    assert client.get("/ru/me/").status_code == 200


def test_signing_in_follows_next_on_this_site_only(client, make_user):
    user = make_user()

    response = client.post(
        LOGIN + "?next=/en/countries/", {"email": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/en/countries/"

    client.logout()
    response = client.post(
        LOGIN, {"email": user.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/en/me/"


def test_wrong_password_shows_an_error_and_keeps_the_email(client, make_user):
    user = make_user()

    response = client.post(LOGIN, {"email": user.email, "password": "nope"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "The email address or the password is not correct." in content
    assert f'value="{user.email}"' in content
    assert "nope" not in content
    assert LoginFailure.objects.count() == 1
    assert client.get(PROFILE).status_code == 302


def test_after_too_many_failures_the_right_password_is_refused_with_a_wait(
    client, make_user, settings
):
    settings.HRNET_LOGIN_MAX_FAILURES = 5
    settings.HRNET_LOGIN_FAILURE_WINDOW_MINUTES = 15
    user = make_user()
    for _attempt in range(5):
        client.post(LOGIN, {"email": user.email, "password": "nope"})

    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 429
    assert "Please wait 15 minutes and try again." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.account.login_throttled").exists()
    assert not AuditEntry.objects.filter(action="accounts.account.login").exists()


def test_a_successful_sign_in_clears_earlier_failures(client, make_user):
    user = make_user()
    for _attempt in range(3):
        client.post(LOGIN, {"email": user.email, "password": "nope"})

    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert LoginFailure.objects.count() == 0
    assert AuditEntry.objects.filter(action="accounts.account.login", actor=user).count() == 1


def test_logout_needs_a_post(client, member):
    client.force_login(member)

    assert client.get("/en/accounts/logout/").status_code == 405
    response = client.post("/en/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache"'

    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 302
    assert AuditEntry.objects.filter(action="accounts.account.logout", actor=member).exists()


# --- profile --------------------------------------------------------------------------


def test_anonymous_profile_goes_to_login(client, db):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={PROFILE}"


def test_profile_shows_roles_and_two_factor_status(client, make_user):
    user = make_user(Role.EXPERT, Role.MEMBER)
    client.force_login(user)

    content = client.get(PROFILE).content.decode()

    assert "Technical-assistance expert" in content
    assert "Member" in content
    assert "Set up two-factor authentication" in content
    assert 'href="/en/accounts/two-factor/"' in content


def test_saving_the_profile_switches_to_the_new_language(client, member):
    client.force_login(member)

    response = client.post(
        PROFILE,
        {"full_name": "Olga K.", "preferred_language": "ru", "time_zone": "Asia/Almaty"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/profile/"
    member.refresh_from_db()
    assert (member.full_name, member.preferred_language, member.time_zone) == (
        "Olga K.",
        "ru",
        "Asia/Almaty",
    )
    assert AuditEntry.objects.filter(action="accounts.profile.change", actor=member).exists()


def test_profile_rejects_an_unknown_time_zone(client, member):
    client.force_login(member)

    response = client.post(
        PROFILE, {"full_name": "X", "preferred_language": "en", "time_zone": "Mars/Base"}
    )

    assert response.status_code == 200
    assert "Select a valid choice. Mars/Base is not one of the available choices." in (
        response.content.decode()
    )


# --- passwords ------------------------------------------------------------------------


def test_password_change_needs_the_old_password(client, member):
    client.force_login(member)

    response = client.post(
        "/en/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "n3w-pass-phrase",
            "new_password2": "n3w-pass-phrase",
        },
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_change_keeps_this_session_signed_in(client, member):
    client.force_login(member)

    response = client.post(
        "/en/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "n3w-pass-phrase",
            "new_password2": "n3w-pass-phrase",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("n3w-pass-phrase")
    assert client.get(PROFILE).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.password.change", actor=member).exists()


def test_password_reset_by_email_from_start_to_end(client, make_user):
    user = make_user(email="ana@example.org")

    response = client.post("/en/accounts/password/reset/", {"email": "ana@example.org"})
    assert response["Location"] == "/en/accounts/password/reset/sent/"
    assert client.get(response["Location"]).status_code == 200

    [message] = mail.outbox
    assert "Reset your password" in message.subject
    path = found(r"https?://[^/]+(/en/accounts/password/reset/\S+/)", str(message.body))
    response = client.get(path)  # Django moves the token into the session, then redirects
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()

    response = client.post(
        response.wsgi_request.path,
        {"new_password1": "n3w-pass-phrase", "new_password2": "n3w-pass-phrase"},
    )
    assert response["Location"] == "/en/accounts/password/reset/complete/"
    assert client.get(response["Location"]).status_code == 200
    user.refresh_from_db()
    assert user.check_password("n3w-pass-phrase")
    assert AuditEntry.objects.filter(action="accounts.password.reset").exists()

    # The link works once.
    response = client.get(path)
    assert "has already been used or has expired" in response.content.decode()


def test_password_reset_for_an_unknown_address_looks_the_same(client, db):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/en/accounts/password/reset/sent/"
    assert mail.outbox == []


# --- API tokens -----------------------------------------------------------------------


def test_a_new_token_is_shown_once(client, member):
    client.force_login(member)

    response = client.post("/en/accounts/tokens/new/", {"name": "monthly report"})

    content = response.content.decode()
    key = found(r'<p class="token" id="new-token">([^<]+)</p>', content)
    assert 'data-copy="new-token"' in content
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=member)
    assert token.name == "monthly report"
    assert AuditEntry.objects.filter(action="accounts.api_token.create", actor=member).exists()

    profile = client.get(PROFILE).content.decode()
    assert "monthly report" in profile
    assert f"{token.prefix}…" in profile
    assert key not in profile


def test_a_token_needs_a_name(client, member):
    client.force_login(member)

    response = client.post("/en/accounts/tokens/new/", {"name": ""})

    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(client, member):
    token, key = api_token_create(user=member, name="old")
    client.force_login(member)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200

    response = client.post(f"/en/accounts/tokens/{token.pk}/revoke/")

    assert response["Location"] == PROFILE
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert AuditEntry.objects.filter(action="accounts.api_token.revoke", actor=member).exists()


def test_revoking_with_htmx_returns_the_updated_row(client, member):
    token, _key = api_token_create(user=member, name="old")
    client.force_login(member)

    response = client.post(f"/en/accounts/tokens/{token.pk}/revoke/", HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.startswith(f'<tr id="api-token-{token.pk}">')
    assert "Revoked" in content
    assert "<html" not in content


def test_nobody_can_revoke_someone_elses_token(client, make_user):
    owner, other = make_user(), make_user(Role.SECRETARIAT)
    token, _key = api_token_create(user=owner, name="mine")
    client.force_login(other)

    response = client.post(f"/en/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


@pytest.mark.parametrize("url", ["/en/accounts/tokens/new/", "/en/accounts/two-factor/"])
def test_account_pages_need_a_signed_in_person(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
