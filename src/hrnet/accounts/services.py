"""Writes of accounts: signing in (with throttling and a second factor), passwords,
profiles, API tokens and invitations. Every change is written to the audit log."""

from __future__ import annotations

import secrets
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar, cast

import django_otp
from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrnet.accounts import selectors
from hrnet.accounts.audit import Action
from hrnet.accounts.hooks import account_created
from hrnet.accounts.middleware import two_factor_required
from hrnet.accounts.models import ApiToken, Invitation, LoginFailure, TwoFactorEnrolment, User
from hrnet.accounts.roles import SUPERUSER_NAMED_ROLES, Role
from hrnet.core.audit import changed_fields, client_ip, log_action
from hrnet.core.links import site_url
from hrnet.core.selectors import network_get
from hrnet.core.throttle import throttle_hit, throttle_serial
from hrnet.core.trash import trash_move
from hrnet.core.types import Actor

T = TypeVar("T")

BACKUP_CODE_COUNT = 10
PASSWORD_RESET_EMAILS_PER_HOUR = 3
# How long the password step stays valid while the person looks for their code.
PENDING_LOGIN_SECONDS = 10 * 60
PENDING_LOGIN_SESSION_KEY = "accounts_pending_login"
# Failed sign-ins hold addresses of people who may be at risk: keep them only long enough
# to look into an attack, well past any throttling window.
LOGIN_FAILURE_RETENTION = timedelta(days=30)


class LoginThrottled(ValidationError):
    """Too many recent failures for this email or address; `minutes` until a new try."""

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(
            ngettext(
                "Too many failed sign-in attempts. Please wait %(minutes)s minute and try again.",
                "Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again.",
                minutes,
            )
            % {"minutes": minutes},
            code="throttled",
        )


@dataclass(frozen=True)
class LoginResult:
    user: User
    needs_second_factor: bool


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _send_email(*, to: str, language: str, subject: str, body: str) -> None:
    message = EmailMessage(
        subject=" ".join(subject.split()),  # a header must be one line
        body=body,
        to=[to],
        headers={"Content-Language": language},
    )
    message.send()


# --- signing in -----------------------------------------------------------------------


def _throttled(*, email: str, request: HttpRequest | None, minutes: int) -> LoginThrottled:
    log_action(
        actor=None,
        action=Action.ACCOUNT_LOGIN_THROTTLED,
        changes={"email": email, "minutes": minutes},
        request=request,
    )
    return LoginThrottled(minutes)


def _login_failure_record(*, email: str, request: HttpRequest | None, now: datetime | None) -> None:
    LoginFailure.objects.create(
        email=email, ip_address=client_ip(request), created_at=now or timezone.now()
    )


def _throttled_attempt(
    *,
    email: str,
    request: HttpRequest | None,
    now: datetime | None,
    attempt: Callable[[], T | None],
    wrong: ValidationError,
) -> T:
    """One sign-in step (`attempt` answers None when the password or code is wrong) under
    the failure throttle: refused with `LoginThrottled` while `login_wait_minutes` says to
    wait, a wrong answer is recorded as a failure and raises `wrong` (or `LoginThrottled`
    at once when it was the last allowed try). The check, the attempt and the record run
    one request at a time per email and per address, so parallel tries cannot overshoot.
    """
    ip_address = client_ip(request)
    with throttle_serial(scope="accounts.login", keys=[email, ip_address]):
        minutes = selectors.login_wait_minutes(email=email, ip_address=ip_address, now=now)
        result = None if minutes else attempt()
        if not minutes and result is None:
            _login_failure_record(email=email, request=request, now=now)
            # Say so at once when this was the last allowed try.
            minutes = selectors.login_wait_minutes(email=email, ip_address=ip_address, now=now)
    if minutes:
        raise _throttled(email=email, request=request, minutes=minutes)
    if result is None:
        raise wrong
    return result


def user_authenticate(
    *, request: HttpRequest, email: str, password: str, now: datetime | None = None
) -> User:
    """The person with this email and password, unless sign-ins are throttled.

    Raises `LoginThrottled` (even for the right password) or `ValidationError`.
    """
    email = _normalise_email(email)
    user = _throttled_attempt(
        email=email,
        request=request,
        now=now,
        attempt=lambda: authenticate(request, username=email, password=password),
        wrong=ValidationError(
            _("The email address or the password is not correct."), code="invalid_login"
        ),
    )
    return cast(User, user)


def login_failure_purge(*, now: datetime | None = None) -> int:
    """Forget failed sign-ins (emails and IP addresses) older than LOGIN_FAILURE_RETENTION."""
    cutoff = (now or timezone.now()) - LOGIN_FAILURE_RETENTION
    deleted, _by_model = LoginFailure.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def user_login(*, request: HttpRequest, user: User, device: Device | None = None) -> None:
    """Start the session; `device` is the second factor that was used, if any."""
    request.session.pop(PENDING_LOGIN_SESSION_KEY, None)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    if device is not None:
        django_otp.login(request, device)
    LoginFailure.objects.filter(email=_normalise_email(user.email)).delete()
    log_action(
        actor=user,
        action=Action.ACCOUNT_LOGIN,
        obj=user,
        changes={"two_factor": device is not None},
        request=request,
    )


def login_start(
    *, request: HttpRequest, email: str, password: str, now: datetime | None = None
) -> LoginResult:
    """The password step: signs in, or remembers the person until they give their code."""
    user = user_authenticate(request=request, email=email, password=password, now=now)
    if selectors.totp_device_get(user=user) is not None:
        request.session[PENDING_LOGIN_SESSION_KEY] = {
            "user_id": user.pk,
            "at": (now or timezone.now()).timestamp(),
        }
        return LoginResult(user=user, needs_second_factor=True)
    user_login(request=request, user=user)
    return LoginResult(user=user, needs_second_factor=False)


def login_pending_user(*, request: HttpRequest, now: datetime | None = None) -> User | None:
    """Who gave the right password in this session and still owes a code (if recently)."""
    pending = request.session.get(PENDING_LOGIN_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    started = pending.get("at")
    current = (now or timezone.now()).timestamp()
    if not isinstance(started, int | float) or current - started > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_SESSION_KEY, None)
        return None
    return selectors.user_pending_get(user_id=pending.get("user_id"))


def _device_matching(*, user: User, code: str) -> Device | None:
    """The confirmed device (authenticator, then backup codes) that accepts `code`."""
    code = "".join(code.split())
    if not code:
        return None
    totp = selectors.totp_device_get(user=user)
    if totp is not None and code.isdigit():
        verified = django_otp.verify_token(user, totp.persistent_id, code)
        if verified is not None:
            return verified
    static = selectors.static_device_get(user=user)
    if static is not None:
        return django_otp.verify_token(user, static.persistent_id, code.lower())
    return None


def login_finish(
    *, request: HttpRequest, user: User, code: str, now: datetime | None = None
) -> Device:
    """The second step: a code from the authenticator app or a backup code, then sign in."""
    device = _throttled_attempt(
        email=_normalise_email(user.email),
        request=request,
        now=now,
        attempt=lambda: _device_matching(user=user, code=code),
        wrong=ValidationError(
            _("That code is not correct. Enter the current code from your app, or a backup code."),
            code="invalid_code",
        ),
    )
    user_login(request=request, user=user, device=device)
    return device


def user_logout(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        log_action(actor=user, action=Action.ACCOUNT_LOGOUT, obj=user, request=request)
    logout(request)


# --- two-factor authentication --------------------------------------------------------


# Setting up a second factor starts with a link emailed to the account's own address:
# whoever learnt only the password cannot enrol their phone on an account that has none
# (and so keep it after the password is changed).
TWO_FACTOR_LINK_MINUTES = 30
TWO_FACTOR_LINK_EMAILS_PER_HOUR = 5
# How long after opening the link this browser may scan the code and confirm it.
TWO_FACTOR_SETUP_MINUTES = 30
TWO_FACTOR_SETUP_SESSION_KEY = "accounts_two_factor_setup"
TWO_FACTOR_LINK_SENT_SESSION_KEY = "accounts_two_factor_link_sent"
_TWO_FACTOR_LINK_SALT = "hrnet.accounts.two_factor_link"


def _two_factor_link_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_TWO_FACTOR_LINK_SALT)


def two_factor_link_send(*, request: HttpRequest, user: User, now: datetime | None = None) -> bool:
    """Email the person a one-time link that opens the setup of an authenticator app.

    False (nothing sent) when TWO_FACTOR_LINK_EMAILS_PER_HOUR links went out in the last
    hour, so nobody can flood the person's mailbox with the password alone.
    """
    if selectors.totp_device_get(user=user) is not None:
        raise ValidationError(_("Two-factor authentication is already on."))
    now = now or timezone.now()
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        if not throttle_hit(
            scope="accounts.two_factor_link",
            key=str(user.pk),
            limit=TWO_FACTOR_LINK_EMAILS_PER_HOUR,
            window=timedelta(hours=1),
            now=now,
        ):
            return False
        TwoFactorEnrolment.objects.filter(
            user=user, expires_at__lt=now - timedelta(days=1)
        ).delete()
        TwoFactorEnrolment.objects.create(
            user=user,
            key_hash=ApiToken.hash_key(key),
            created_at=now,
            expires_at=now + timedelta(minutes=TWO_FACTOR_LINK_MINUTES),
        )
        log_action(actor=user, action=Action.TWO_FACTOR_LINK_SEND, obj=user, request=request)
        with translation.override(user.preferred_language):
            path = reverse(
                "accounts:two_factor_link",
                kwargs={"token": _two_factor_link_signer().sign(key)},
            )
            context = {
                "user": user,
                "setup_url": site_url(path),
                "minutes": TWO_FACTOR_LINK_MINUTES,
                "network": network_get(),
            }
            subject = render_to_string("accounts/email/two_factor_link_subject.txt", context)
            body = render_to_string("accounts/email/two_factor_link_body.txt", context)
        # Inside the transaction: a link that could not be sent is not left behind.
        _send_email(to=user.email, language=user.preferred_language, subject=subject, body=body)
    request.session[TWO_FACTOR_LINK_SENT_SESSION_KEY] = now.timestamp()
    return True


def two_factor_link_sent(*, request: HttpRequest) -> bool:
    """Has this session already emailed a setup link?"""
    return TWO_FACTOR_LINK_SENT_SESSION_KEY in request.session


def _two_factor_link_error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def two_factor_link_check(
    *, user: User, token: str, now: datetime | None = None
) -> TwoFactorEnrolment:
    """The unused, unexpired setup link of `user` that `token` names, else ValidationError
    saying why (expired, used, another account's, or not a link of ours)."""
    now = now or timezone.now()
    try:
        key = _two_factor_link_signer().unsign(
            token, max_age=timedelta(minutes=TWO_FACTOR_LINK_MINUTES)
        )
    except signing.SignatureExpired as exc:
        raise _two_factor_link_error(_expired_link_message(), "expired") from exc
    except signing.BadSignature as exc:
        raise _two_factor_link_error(
            _("This link is not a valid two-factor setup link. Check that it was copied whole."),
            "invalid",
        ) from exc
    link = TwoFactorEnrolment.objects.filter(key_hash=ApiToken.hash_key(key)).first()
    if link is None:
        # Signed by us but gone: a newer link was opened, or it was cleaned up.
        raise _two_factor_link_error(_used_link_message(), "used")
    if link.user_id != user.pk:
        raise _two_factor_link_error(
            _(
                "This link was sent to another account. Sign out, then sign in as the person "
                "it was sent to."
            ),
            "other_account",
        )
    if link.used_at is not None:
        raise _two_factor_link_error(_used_link_message(), "used")
    if link.expires_at <= now:
        raise _two_factor_link_error(_expired_link_message(), "expired")
    return link


def _expired_link_message() -> str:
    return _("This two-factor setup link has expired. Ask for a new one on the setup page.")


def _used_link_message() -> str:
    return _(
        "This two-factor setup link has already been used. Ask for a new one on the setup page."
    )


def two_factor_link_open(
    *, request: HttpRequest, user: User, token: str, now: datetime | None = None
) -> None:
    """Use the emailed link (once): this browser may now set up an authenticator app for
    TWO_FACTOR_SETUP_MINUTES. Other links sent before stop working."""
    now = now or timezone.now()
    with transaction.atomic():
        link = two_factor_link_check(user=user, token=token, now=now)
        # One request wins when the link is opened twice at once.
        used = TwoFactorEnrolment.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=now
        )
        if not used:
            raise _two_factor_link_error(_used_link_message(), "used")
        TwoFactorEnrolment.objects.filter(user=user, used_at__isnull=True).delete()
        # A key shown before (to anyone) is void: the setup starts with a new one.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        log_action(actor=user, action=Action.TWO_FACTOR_LINK_OPEN, obj=user, request=request)
    request.session[TWO_FACTOR_SETUP_SESSION_KEY] = {"user_id": user.pk, "at": now.timestamp()}
    request.session.pop(TWO_FACTOR_LINK_SENT_SESSION_KEY, None)


def two_factor_setup_allowed(
    *, request: HttpRequest, user: User, now: datetime | None = None
) -> bool:
    """Has this browser opened an emailed setup link of `user` recently enough?"""
    grant = request.session.get(TWO_FACTOR_SETUP_SESSION_KEY)
    if not isinstance(grant, dict) or grant.get("user_id") != user.pk:
        return False
    opened = grant.get("at")
    current = (now or timezone.now()).timestamp()
    return isinstance(opened, int | float) and current - opened <= TWO_FACTOR_SETUP_MINUTES * 60


def _setup_not_allowed() -> ValidationError:
    return ValidationError(
        _("Open the setup link we emailed you first; then scan the code and confirm it."),
        code="link_required",
    )


def two_factor_device_prepare(*, request: HttpRequest, user: User) -> TOTPDevice:
    """The authenticator being set up; one per person, so reloading shows the same QR code.

    Only in a browser that opened an emailed setup link (`two_factor_link_open`).
    """
    if not two_factor_setup_allowed(request=request, user=user):
        raise _setup_not_allowed()
    device = selectors.totp_device_pending_get(user=user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def _backup_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _index in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _code_error() -> ValidationError:
    return ValidationError(
        {"code": _("That code is not correct. Enter the current 6-digit code from your app.")}
    )


def two_factor_enable(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the authenticator being set up with a code from it; returns backup codes.

    The session counts as verified from now on, so the person is not asked again.
    """
    if not two_factor_setup_allowed(request=request, user=user):
        raise _setup_not_allowed()
    with transaction.atomic():
        device = selectors.totp_device_pending_get(user=user)
        code = "".join(code.split())
        if device is None or not code.isdigit() or not device.verify_token(code):
            raise _code_error()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _backup_codes_replace(user=user)
        log_action(actor=user, action=Action.TWO_FACTOR_ENABLE, obj=user, request=request)
    django_otp.login(request, device)
    request.session.pop(TWO_FACTOR_SETUP_SESSION_KEY, None)
    return codes


def two_factor_session_verify(*, request: HttpRequest, user: User, code: str) -> Device:
    """Mark a session that began before 2FA was turned on as verified."""
    device = _device_matching(user=user, code=code)
    if device is None:
        raise _code_error()
    django_otp.login(request, device)
    log_action(actor=user, action=Action.TWO_FACTOR_VERIFY, obj=user, request=request)
    return device


def two_factor_disable(*, request: HttpRequest, user: User, code: str) -> None:
    """Turn 2FA off with a current code; refused where the person's role requires it."""
    if two_factor_required(user):
        raise ValidationError(
            _("Two-factor authentication is required for your role and cannot be turned off."),
            code="two_factor_required",
        )
    if _device_matching(user=user, code=code) is None:
        raise _code_error()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        log_action(actor=user, action=Action.TWO_FACTOR_DISABLE, obj=user, request=request)


def two_factor_backup_codes_regenerate(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """New backup codes (the old ones stop working), with a current code as proof."""
    if selectors.totp_device_get(user=user) is None:
        raise ValidationError(_("Two-factor authentication is not turned on."))
    if _device_matching(user=user, code=code) is None:
        raise _code_error()
    with transaction.atomic():
        codes = _backup_codes_replace(user=user)
        log_action(
            actor=user, action=Action.TWO_FACTOR_BACKUP_CODES_REGENERATE, obj=user, request=request
        )
    return codes


# --- passwords ------------------------------------------------------------------------


def user_password_change(*, request: HttpRequest, user: User, password: str) -> None:
    """A new password for the signed-in person; their other sessions are signed out."""
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    log_action(actor=user, action=Action.PASSWORD_CHANGE, obj=user, request=request)


def user_password_reset(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """Set the password from a reset link; every session of the person is signed out."""
    user.set_password(password)
    user.save(update_fields=["password"])
    LoginFailure.objects.filter(email=_normalise_email(user.email)).delete()
    log_action(actor=user, action=Action.PASSWORD_RESET, obj=user, request=request)


def password_reset_email_send(*, email: str, request: HttpRequest | None = None) -> int:
    """Email a reset link, in their own language, to the active person with this address.

    Says nothing to the caller about whether the address has an account.
    """
    sent = 0
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if not user.has_usable_password():
            continue
        # Someone who keeps asking for resets of another person's account must not be able
        # to flood that person's mailbox; the answer on the page stays the same.
        if not throttle_hit(
            scope="accounts.password_reset",
            key=str(user.pk),
            limit=PASSWORD_RESET_EMAILS_PER_HOUR,
            window=timedelta(hours=1),
        ):
            continue
        with translation.override(user.preferred_language):
            path = reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            context = {"user": user, "reset_url": site_url(path), "network": network_get()}
            subject = render_to_string("accounts/email/password_reset_subject.txt", context)
            body = render_to_string("accounts/email/password_reset_body.txt", context)
        _send_email(to=user.email, language=user.preferred_language, subject=subject, body=body)
        log_action(actor=None, action=Action.PASSWORD_RESET_REQUEST, obj=user, request=request)
        sent += 1
    return sent


# --- profile --------------------------------------------------------------------------


def user_profile_update(
    *,
    user: User,
    full_name: str,
    preferred_language: str,
    time_zone: str,
    request: HttpRequest | None = None,
) -> User:
    if preferred_language not in _language_codes():
        raise ValidationError(
            {
                "preferred_language": _("“%(value)s” is not a language of this site.")
                % {"value": preferred_language}
            }
        )
    if time_zone not in zoneinfo.available_timezones():
        raise ValidationError(
            {"time_zone": _("“%(value)s” is not a known time zone.") % {"value": time_zone}}
        )
    before = {
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
    }
    after = {
        "full_name": full_name.strip(),
        "preferred_language": preferred_language,
        "time_zone": time_zone,
    }
    changes = changed_fields(before, after)
    if not changes:
        return user
    for field, value in after.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))
    log_action(actor=user, action=Action.PROFILE_CHANGE, obj=user, changes=changes, request=request)
    return user


# --- API tokens -----------------------------------------------------------------------


# The longest a token may be made for, so "never expires" cannot be had by asking.
API_TOKEN_MAX_DAYS = 5 * 365


class ApiTokenExpired(Exception):
    """The token was right but its term is over; `expires_at` says since when."""

    def __init__(self, expires_at: datetime) -> None:
        self.expires_at = expires_at
        super().__init__(expires_at)


def api_token_create(
    *,
    user: User,
    name: str,
    days: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user` that works for `days` (HRNET_API_TOKEN_DAYS unless given);
    returns the record and the token, which is shown only once."""
    days = settings.HRNET_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days": _("A token works for 1 to %(max)s days, not %(days)s.")
                % {"max": API_TOKEN_MAX_DAYS, "days": days}
            }
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        expires_at=(now or timezone.now()) + timedelta(days=days),
    )
    log_action(
        actor=user,
        action=Action.API_TOKEN_CREATE,
        obj=token,
        changes={"expires_at": token.expires_at.isoformat()},
        request=request,
    )
    return token, key


def api_token_revoke(
    *, token: ApiToken, actor: Actor, request: HttpRequest | None = None
) -> ApiToken:
    """Stop the token working at once; the record stays, for the audit trail."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    log_action(actor=actor, action=Action.API_TOKEN_REVOKE, obj=token, request=request)
    return token


def api_token_authenticate(*, key: str, now: datetime | None = None) -> User | None:
    """The active person this token belongs to; None for an unknown or revoked token.

    Raises `ApiTokenExpired` for a right token past its term, so the caller can say so
    rather than a bare "Unauthorized".
    """
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = now or timezone.now()
    if token.expires_at <= now:
        raise ApiTokenExpired(token.expires_at)
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- invitations ----------------------------------------------------------------------


def _invitation_email_send(*, invitation: Invitation) -> None:
    with translation.override(invitation.language):
        path = reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
        context = {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "accept_url": site_url(path),
            "network": network_get(),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    _send_email(to=invitation.email, language=invitation.language, subject=subject, body=body)


def invitation_create(
    *,
    email: str,
    role: str,
    invited_by: User,
    full_name: str = "",
    language: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Invite a person by email to take `role`; the link works for HRNET_INVITATION_DAYS."""
    email = _normalise_email(email)
    language = language or settings.LANGUAGE_CODE
    now = now or timezone.now()
    if selectors.user_get_by_email(email=email) is not None:
        raise ValidationError({"email": _("%(email)s already has an account.") % {"email": email}})
    if selectors.invitation_open_exists(email=email, now=now):
        raise ValidationError(
            {
                "email": _("%(email)s already has an open invitation; send that one again instead.")
                % {"email": email}
            }
        )
    if role not in Role.values:
        raise ValidationError({"role": _("“%(value)s” is not a role.") % {"value": role}})
    if role in SUPERUSER_NAMED_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "This role is given by an administrator on its own page, not by invitation."
                )
            }
        )
    if language not in _language_codes():
        raise ValidationError(
            {"language": _("“%(value)s” is not a language of this site.") % {"value": language}}
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
            role=role,
            language=language,
            token=Invitation.new_token(),
            invited_by=invited_by,
            expires_at=now + timedelta(days=settings.HRNET_INVITATION_DAYS),
            created_at=now,
        )
        log_action(
            actor=invited_by,
            action=Action.INVITATION_CREATE,
            obj=invitation,
            changes={"email": email, "role": role, "language": language},
            request=request,
        )
        # Inside the transaction: if the mail cannot be sent, no invitation is left behind.
        _invitation_email_send(invitation=invitation)
    return invitation


def invitation_resend(
    *,
    invitation: Invitation,
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Send the invitation again with a new link (the old one stops working) and a new term."""
    if invitation.accepted_at is not None or invitation.deleted_at is not None:
        raise ValidationError(_("This invitation has already been used or withdrawn."))
    now = now or timezone.now()
    with transaction.atomic():
        invitation.token = Invitation.new_token()
        invitation.expires_at = now + timedelta(days=settings.HRNET_INVITATION_DAYS)
        invitation.save(update_fields=["token", "expires_at", "updated_at"])
        log_action(actor=actor, action=Action.INVITATION_RESEND, obj=invitation, request=request)
        _invitation_email_send(invitation=invitation)
    return invitation


def invitation_delete(
    *, invitation: Invitation, actor: User, request: HttpRequest | None = None
) -> None:
    """Withdraw the invitation: its link stops working; it can be restored from the trash."""
    with transaction.atomic():
        log_action(actor=actor, action=Action.INVITATION_DELETE, obj=invitation, request=request)
        trash_move(obj=invitation, actor=actor, request=request)


def invitation_accept(
    *,
    request: HttpRequest,
    invitation: Invitation,
    full_name: str,
    password: str,
    now: datetime | None = None,
) -> User:
    """Create the invited person's account in the invited role and sign them in."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Invitation.all_objects.select_for_update().get(pk=invitation.pk)
        if (
            locked.accepted_at is not None
            or locked.deleted_at is not None
            or locked.expires_at <= now
        ):
            raise ValidationError(_("This invitation can no longer be used."))
        if selectors.user_get_by_email(email=locked.email) is not None:
            raise ValidationError(
                _("%(email)s already has an account. Sign in instead.") % {"email": locked.email}
            )
        user = User.objects.create_user(
            email=locked.email,
            password=password,
            full_name=full_name.strip(),
            preferred_language=locked.language,
        )
        user.groups.add(Group.objects.get_or_create(name=locked.role)[0])
        locked.accepted_at = now
        locked.accepted_user = user
        locked.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
        log_action(
            actor=user,
            action=Action.INVITATION_ACCEPT,
            obj=locked,
            changes={"role": locked.role},
            request=request,
        )
        # The register may already know this person (an approved applicant): members
        # links them through its hook.
        account_created(user=user)
    user_login(request=request, user=user)
    return user
