import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from hrnet.accounts import selectors, services
from hrnet.accounts.models import ApiToken, Invitation, LoginFailure, User
from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD, InvitationFactory
from hrnet.core.models import AuditEntry
from hrnet.core.trash import trash_restore

# --- throttling -----------------------------------------------------------------------


def _fail(http_request, email, times, now=None):
    for _attempt in range(times):
        with pytest.raises(ValidationError):
            services.user_authenticate(request=http_request, email=email, password="wrong", now=now)


def test_right_password_returns_the_user_whatever_the_case_of_the_email(make_user, http_request):
    user = make_user(email="ana@example.org")

    assert (
        services.user_authenticate(
            request=http_request, email=" Ana@Example.ORG ", password=PASSWORD
        )
        == user
    )


def test_each_failure_is_recorded_with_email_and_address(make_user, http_request):
    make_user(email="ana@example.org")

    _fail(http_request, "ANA@example.org", 2)

    assert list(LoginFailure.objects.values_list("email", "ip_address")) == [
        ("ana@example.org", "127.0.0.1"),
        ("ana@example.org", "127.0.0.1"),
    ]


def test_after_max_failures_even_the_right_password_is_refused(settings, make_user, http_request):
    settings.HRNET_LOGIN_MAX_FAILURES = 3
    make_user(email="ana@example.org")
    _fail(http_request, "ana@example.org", 3)

    with pytest.raises(services.LoginThrottled) as refused:
        services.user_authenticate(request=http_request, email="ana@example.org", password=PASSWORD)

    assert refused.value.minutes == 15
    assert "Please wait 15 minutes" in refused.value.messages[0]
    assert AuditEntry.objects.filter(action="accounts.account.login_throttled").exists()


def test_the_last_allowed_failure_already_says_to_wait(settings, make_user, http_request):
    settings.HRNET_LOGIN_MAX_FAILURES = 2
    make_user(email="ana@example.org")
    _fail(http_request, "ana@example.org", 1)

    with pytest.raises(services.LoginThrottled):
        services.user_authenticate(request=http_request, email="ana@example.org", password="x")


def test_failures_from_one_address_throttle_every_email(settings, make_user, http_request):
    settings.HRNET_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    make_user(email="ana@example.org")
    for number in range(3):
        LoginFailure.objects.create(email=f"other{number}@example.org", ip_address="127.0.0.1")

    with pytest.raises(services.LoginThrottled):
        services.user_authenticate(request=http_request, email="ana@example.org", password=PASSWORD)


def test_failures_from_another_address_for_another_email_do_not_count(
    settings, make_user, http_request
):
    settings.HRNET_LOGIN_MAX_FAILURES = 3
    user = make_user(email="ana@example.org")
    for number in range(3):
        LoginFailure.objects.create(email=f"other{number}@example.org", ip_address="10.0.0.9")

    assert (
        services.user_authenticate(request=http_request, email="ana@example.org", password=PASSWORD)
        == user
    )


def test_failures_older_than_the_window_are_forgotten(settings, make_user, http_request):
    settings.HRNET_LOGIN_MAX_FAILURES = 3
    user = make_user(email="ana@example.org")
    _fail(http_request, "ana@example.org", 3)
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(minutes=16))

    assert (
        services.user_authenticate(request=http_request, email="ana@example.org", password=PASSWORD)
        == user
    )


def test_the_wait_ends_when_the_oldest_counted_failure_leaves_the_window(settings, db):
    settings.HRNET_LOGIN_MAX_FAILURES = 3
    now = timezone.now()
    for minutes_ago in (10, 3, 2, 1):
        LoginFailure.objects.create(
            email="ana@example.org",
            ip_address=None,
            created_at=now - timedelta(minutes=minutes_ago),
        )

    # The three most recent count; the oldest of them (3 minutes ago) leaves in 12 minutes.
    assert selectors.login_wait_minutes(email="ana@example.org", ip_address=None, now=now) == 12
    assert (
        selectors.login_wait_minutes(
            email="ana@example.org", ip_address=None, now=now + timedelta(minutes=12, seconds=1)
        )
        == 0
    )


def test_signing_in_clears_the_failures_of_that_email_only(make_user, http_request):
    user = make_user(email="ana@example.org")
    LoginFailure.objects.create(email="ana@example.org", ip_address="127.0.0.1")
    LoginFailure.objects.create(email="bob@example.org", ip_address="127.0.0.1")

    result = services.login_start(request=http_request, email="ana@example.org", password=PASSWORD)

    assert result.needs_second_factor is False
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["bob@example.org"]
    entry = AuditEntry.objects.get(action="accounts.account.login")
    assert entry.actor == user
    assert entry.ip_address == "127.0.0.1"


def test_with_two_factor_the_password_step_does_not_sign_in(
    make_user, with_two_factor, http_request
):
    user = make_user()
    with_two_factor(user)

    result = services.login_start(request=http_request, email=user.email, password=PASSWORD)

    assert result.needs_second_factor is True
    assert "_auth_user_id" not in http_request.session
    assert services.login_pending_user(request=http_request) == user
    later = timezone.now() + timedelta(seconds=services.PENDING_LOGIN_SECONDS + 1)
    assert services.login_pending_user(request=http_request, now=later) is None


# --- profile --------------------------------------------------------------------------


def test_profile_update_audits_only_what_changed(make_user):
    user = make_user(full_name="Ana", preferred_language="en", time_zone="UTC")

    services.user_profile_update(
        user=user, full_name="Ana Popescu", preferred_language="en", time_zone="Europe/Chisinau"
    )

    user.refresh_from_db()
    assert (user.full_name, user.time_zone) == ("Ana Popescu", "Europe/Chisinau")
    entry = AuditEntry.objects.get(action="accounts.profile.change")
    assert entry.changes == {
        "full_name": {"old": "Ana", "new": "Ana Popescu"},
        "time_zone": {"old": "UTC", "new": "Europe/Chisinau"},
    }


def test_profile_update_rejects_an_unknown_time_zone_naming_it(make_user):
    user = make_user()

    with pytest.raises(ValidationError) as error:
        services.user_profile_update(
            user=user, full_name="", preferred_language="en", time_zone="Mars/Olympus"
        )

    assert "Mars/Olympus" in error.value.message_dict["time_zone"][0]


# --- API tokens -----------------------------------------------------------------------


def test_token_is_stored_only_as_a_hash_and_works_until_revoked(make_user):
    user = make_user()
    token, key = services.api_token_create(user=user, name=" scripts ")

    assert token.name == "scripts"
    assert key not in {token.key_hash, token.prefix}
    assert key.startswith(token.prefix)
    assert services.api_token_authenticate(key=key) == user

    services.api_token_revoke(token=token, actor=user)

    assert services.api_token_authenticate(key=key) is None
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "accounts.api_token.create",
        "accounts.api_token.revoke",
    ]


# --- invitations ----------------------------------------------------------------------


def test_invitation_email_is_written_in_the_invitation_language(secretariat, settings):
    settings.HRNET_SITE_URL = "https://hrnet.example.org"

    invitation = services.invitation_create(
        email="Olga@Example.org", role=Role.EXPERT, language="ru", invited_by=secretariat
    )

    assert invitation.email == "olga@example.org"
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    [message] = mail.outbox
    assert message.to == ["olga@example.org"]
    assert message.extra_headers["Content-Language"] == "ru"
    assert f"https://hrnet.example.org/ru/accounts/invite/{invitation.token}/" in str(message.body)
    # The expiry date is written the Russian way, with a Cyrillic month name.
    assert re.search("[\\u0430-\\u044f]", str(message.body))
    entry = AuditEntry.objects.get(action="accounts.invitation.create")
    assert entry.actor == secretariat
    assert entry.changes["role"] == "expert"


def test_inviting_an_email_with_an_account_is_refused_naming_it(secretariat, make_user):
    make_user(email="ana@example.org")

    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            email="ANA@example.org", role=Role.MEMBER, invited_by=secretariat
        )

    assert "ana@example.org already has an account" in error.value.message_dict["email"][0]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_second_open_invitation_for_one_email_is_refused(secretariat):
    services.invitation_create(email="ana@example.org", role=Role.MEMBER, invited_by=secretariat)

    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            email="ana@example.org", role=Role.EXPERT, invited_by=secretariat
        )

    assert "already has an open invitation" in error.value.message_dict["email"][0]


def test_resending_gives_a_new_link_and_term(secretariat):
    invitation = InvitationFactory.create(expires_at=timezone.now() - timedelta(days=1))
    old_token = invitation.token

    services.invitation_resend(invitation=invitation, actor=secretariat)

    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert invitation.is_open
    [message] = mail.outbox
    assert invitation.token in str(message.body)
    assert old_token not in str(message.body)
    assert AuditEntry.objects.filter(action="accounts.invitation.resend").exists()


def test_an_accepted_invitation_cannot_be_resent(secretariat):
    invitation = InvitationFactory.create(accepted_at=timezone.now())

    with pytest.raises(ValidationError):
        services.invitation_resend(invitation=invitation, actor=secretariat)


def test_deleting_an_invitation_moves_it_to_the_trash(secretariat):
    invitation = InvitationFactory.create()

    services.invitation_delete(invitation=invitation, actor=secretariat)

    assert not Invitation.objects.exists()
    invitation = Invitation.all_objects.get()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert {"accounts.invitation.delete", "core.trash.move"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
    trash_restore(obj=invitation, actor=secretariat)
    assert Invitation.objects.get().is_open


def test_accepting_creates_the_person_in_the_role_and_language(db, http_request):
    invitation = InvitationFactory.create(
        email="olga@example.org", role=Role.SITESTAFF, language="ru"
    )

    user = services.invitation_accept(
        request=http_request, invitation=invitation, full_name="Olga", password="s3cret-enough!"
    )

    assert user.email == "olga@example.org"
    assert user.preferred_language == "ru"
    assert user.check_password("s3cret-enough!")
    assert list(user.groups.values_list("name", flat=True)) == ["sitestaff"]
    invitation.refresh_from_db()
    assert invitation.accepted_user == user
    assert invitation.status == Invitation.Status.ACCEPTED
    assert http_request.session["_auth_user_id"] == str(user.pk)
    assert AuditEntry.objects.get(action="accounts.invitation.accept").actor == user


def test_an_invitation_is_accepted_only_once(db, http_request):
    invitation = InvitationFactory.create()
    services.invitation_accept(
        request=http_request, invitation=invitation, full_name="A", password="s3cret-enough!"
    )
    http_request.user = AnonymousUser()

    with pytest.raises(ValidationError):
        services.invitation_accept(
            request=http_request, invitation=invitation, full_name="B", password="s3cret-enough!"
        )

    assert User.objects.filter(email=invitation.email).count() == 1


def test_accepting_an_expired_invitation_is_refused(db, http_request):
    invitation = InvitationFactory.create(expires_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(ValidationError):
        services.invitation_accept(
            request=http_request, invitation=invitation, full_name="A", password="s3cret-enough!"
        )

    assert not User.objects.filter(email=invitation.email).exists()
    assert not Group.objects.filter(user__email=invitation.email).exists()


# --- password reset -------------------------------------------------------------------


def test_password_reset_email_is_in_the_persons_language(make_user, settings):
    settings.HRNET_SITE_URL = "https://hrnet.example.org"
    user = make_user(email="olga@example.org", preferred_language="ru")

    assert services.password_reset_email_send(email="OLGA@example.org") == 1

    [message] = mail.outbox
    assert message.to == ["olga@example.org"]
    assert message.extra_headers["Content-Language"] == "ru"
    assert "https://hrnet.example.org/ru/accounts/password/reset/" in str(message.body)
    assert AuditEntry.objects.get(action="accounts.password.reset_request").object_id == str(
        user.pk
    )


def test_password_reset_sends_nothing_to_unknown_or_deactivated_addresses(make_user):
    make_user(email="gone@example.org", is_active=False)

    assert services.password_reset_email_send(email="gone@example.org") == 0
    assert services.password_reset_email_send(email="nobody@example.org") == 0
    assert mail.outbox == []


def test_password_reset_emails_to_one_person_are_capped_per_hour(make_user):
    make_user(email="olga@example.org")

    sent = [services.password_reset_email_send(email="olga@example.org") for _ in range(5)]

    assert sent == [1, 1, 1, 0, 0]
    assert len(mail.outbox) == services.PASSWORD_RESET_EMAILS_PER_HOUR


def test_password_reset_sets_the_password_and_forgets_failures(make_user):
    user = make_user(email="ana@example.org")
    LoginFailure.objects.create(email="ana@example.org")

    services.user_password_reset(user=user, password="a-new-long-password")

    user.refresh_from_db()
    assert user.check_password("a-new-long-password")
    assert not LoginFailure.objects.exists()
    assert AuditEntry.objects.filter(action="accounts.password.reset").exists()


def test_api_token_list_shows_only_ones_own(make_user):
    ana, bob = make_user(), make_user()
    services.api_token_create(user=ana, name="a")
    services.api_token_create(user=bob, name="b")

    assert [t.name for t in selectors.api_token_list(user=ana)] == ["a"]
    assert selectors.api_token_list(user=AnonymousUser()).count() == 0
    assert ApiToken.objects.count() == 2


def test_old_failed_sign_ins_are_forgotten(db):
    now = timezone.now()
    LoginFailure.objects.create(email="old@example.org", created_at=now - timedelta(days=31))
    LoginFailure.objects.create(email="new@example.org", created_at=now - timedelta(days=1))

    assert services.login_failure_purge(now=now) == 1

    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["new@example.org"]
