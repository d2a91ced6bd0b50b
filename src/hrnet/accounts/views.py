"""Pages of accounts: sign-in (with a second factor), passwords, the profile with API
tokens, two-factor setup, and the secretariat's invitations."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from hrnet.accounts import selectors, services
from hrnet.accounts.forms import (
    ApiTokenCreateForm,
    CodeForm,
    InvitationAcceptForm,
    InvitationCreateForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
)
from hrnet.accounts.middleware import two_factor_required, user_is_verified
from hrnet.accounts.models import ApiToken, Invitation, User
from hrnet.accounts.policies import invitation_policy
from hrnet.accounts.roles import Role
from hrnet.core.policies import policy_required


def _add_error(form: Form, error: ValidationError, field: str | None = None) -> None:
    """Attach a service's error to the field it names (or `field`, or the whole form)."""
    form.add_error(None if hasattr(error, "error_dict") else field, error)


def _safe_next(request: HttpRequest) -> str:
    """The `next` address if it stays on this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _home(user: User) -> str:
    """Where a person lands after signing in: their start page (LOGIN_REDIRECT_URL), in
    their own language."""
    with translation.override(user.preferred_language):
        return resolve_url(settings.LOGIN_REDIRECT_URL)


def _current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - only after login_required
    return user


# --- signing in and out ---------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.login_start(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except services.LoginThrottled as error:
            form.add_error(None, error)
            status = 429
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.needs_second_factor:
                verify_url = reverse("accounts:login_verify")
                if next_url:
                    verify_url += "?" + urlencode({"next": next_url})
                return redirect(verify_url)
            return redirect(next_url or _home(result.user))
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a backup code."""
    user = services.login_pending_user(request=request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    next_url = _safe_next(request)
    form = CodeForm(
        request.POST or None,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.login_finish(request=request, user=user, code=form.cleaned_data["code"])
        except services.LoginThrottled as error:
            _add_error(form, error, "code")
            status = 429
        except ValidationError as error:
            _add_error(form, error, "code")
        else:
            return redirect(next_url or _home(user))
    return render(
        request, "accounts/login_verify.html", {"form": form, "next": next_url}, status=status
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.user_logout(request=request)
    response = redirect(settings.LOGOUT_REDIRECT_URL)
    # Pages kept for offline use (the contact entry page) go with the session. Not
    # "storage": contacts recorded offline and not yet sent wait there.
    response["Clear-Site-Data"] = '"cache"'
    return response


# --- passwords ------------------------------------------------------------------------


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_change(
            request=request, user=user, password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("Your password was changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_email_send(email=form.cleaned_data["email"], request=request)
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's checks of the link; the new password is set by our service (audited)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        services.user_password_reset(
            user=form.user, password=form.cleaned_data["new_password1"], request=self.request
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")


# --- profile and API tokens -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(user=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, _("Your profile was saved."))
                return redirect(reverse("accounts:profile"))
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "roles": selectors.user_role_labels(user=user),
            "two_factor_device": selectors.totp_device_get(user=user),
            "two_factor_required": two_factor_required(user),
            "backup_code_count": selectors.backup_code_count(user=user),
            "tokens": selectors.api_token_list(user=user),
            "token_days": settings.HRNET_API_TOKEN_DAYS,
            "token_form": ApiTokenCreateForm(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show it once; only its hash is kept."""
    user = _current_user(request)
    form = ApiTokenCreateForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        token, key = services.api_token_create(
            user=user, name=form.cleaned_data["name"], request=request
        )
        context = {"form": ApiTokenCreateForm(), "token": token, "key": key}
    return render(request, "accounts/api_token_create.html", context)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _current_user(request)
    try:
        token = selectors.api_token_get(user=user, token_id=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    services.api_token_revoke(token=token, actor=user, request=request)
    if request.headers.get("HX-Request"):
        return render(request, "accounts/partials/api_token_row.html", {"token": token})
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:profile")


# --- two-factor authentication --------------------------------------------------------


def _qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(device.config_url, image_factory=SvgPathImage)
    # Markup we generate from the device's own URL: paths only, no text from users.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


def _secret_for_typing(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


TWO_FACTOR_ACTIONS = ("enable", "verify", "backup_codes", "disable")


def _two_factor_link_send(request: HttpRequest, user: User) -> None:
    if services.two_factor_link_send(request=request, user=user):
        messages.success(
            request,
            _("We emailed a setup link to %(email)s. Open it to continue.") % {"email": user.email},
        )
    else:
        messages.error(
            request,
            _(
                "We have already sent several setup links in the last hour. Use the newest "
                "one, or try again later."
            ),
        )


def _code_form(action: str, data: Any = None) -> CodeForm:
    # Several code forms share the page; distinct ids keep each label tied to its input.
    return CodeForm(data, auto_id=f"id_{action}_%s")


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up, confirm, or turn off the authenticator app, and renew backup codes.

    The posted `action` says which: "enable", "verify", "backup_codes" or "disable".
    """
    user = _current_user(request)
    forms = {action: _code_form(action) for action in TWO_FACTOR_ACTIONS}
    backup_codes: list[str] = []
    action = request.POST.get("action", "")
    device = selectors.totp_device_get(user=user)
    if request.method == "POST" and action == "send_link" and device is None:
        _two_factor_link_send(request, user)
        return redirect("accounts:two_factor_setup")
    setup_allowed = device is None and services.two_factor_setup_allowed(request=request, user=user)
    required = two_factor_required(user)
    if (
        request.method == "GET"
        and device is None
        and required
        and not setup_allowed
        and not services.two_factor_link_sent(request=request)
    ):
        # Sent here by RequireTwoFactorMiddleware: the link goes out at once, once a session.
        _two_factor_link_send(request, user)
    if request.method == "POST" and action in TWO_FACTOR_ACTIONS:
        form = forms[action] = _code_form(action, request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                if action == "enable":
                    backup_codes = services.two_factor_enable(request=request, user=user, code=code)
                    messages.success(request, _("Two-factor authentication is on."))
                elif action == "verify":
                    services.two_factor_session_verify(request=request, user=user, code=code)
                    return redirect(_safe_next(request) or "accounts:profile")
                elif action == "backup_codes":
                    backup_codes = services.two_factor_backup_codes_regenerate(
                        request=request, user=user, code=code
                    )
                else:
                    services.two_factor_disable(request=request, user=user, code=code)
                    messages.success(request, _("Two-factor authentication is off."))
                    return redirect("accounts:two_factor_setup")
            except ValidationError as error:
                if getattr(error, "code", None) in {"two_factor_required", "link_required"}:
                    # The page has no form to turn it off, so say it above the page.
                    messages.error(request, " ".join(error.messages))
                    return redirect("accounts:two_factor_setup")
                _add_error(form, error, "code")
            else:
                forms[action] = _code_form(action)
    device = selectors.totp_device_get(user=user)
    setup_allowed = device is None and services.two_factor_setup_allowed(request=request, user=user)
    context: dict[str, Any] = {
        "forms": forms,
        "device": device,
        "required": required,
        "verified": user_is_verified(user),
        "backup_codes": backup_codes,
        "backup_code_count": selectors.backup_code_count(user=user),
        "next": _safe_next(request),
        "setup_allowed": setup_allowed,
        "link_sent": services.two_factor_link_sent(request=request),
        "link_minutes": services.TWO_FACTOR_LINK_MINUTES,
    }
    if setup_allowed:
        pending = services.two_factor_device_prepare(request=request, user=user)
        context.update(qr_svg=_qr_svg(pending), secret=_secret_for_typing(pending))
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the emailed setup link. Opening it (GET) changes nothing, so a mail
    scanner that follows links cannot use it up; the button (POST) uses it."""
    user = _current_user(request)
    try:
        if request.method == "POST":
            services.two_factor_link_open(request=request, user=user, token=token)
            return redirect("accounts:two_factor_setup")
        services.two_factor_link_check(user=user, token=token)
    except ValidationError as error:
        return render(
            request,
            "accounts/two_factor_link.html",
            {"error": " ".join(error.messages)},
            status=410 if error.code in {"expired", "used"} else 404,
        )
    return render(request, "accounts/two_factor_link.html", {"token": token})


# --- invitations ----------------------------------------------------------------------


@policy_required(invitation_policy, "list")
def invitation_list(request: HttpRequest) -> HttpResponse:
    invitations = selectors.invitation_list(user=request.user)
    return render(request, "accounts/invitation_list.html", {"invitations": invitations})


@policy_required(invitation_policy, "add")
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = InvitationCreateForm(
        request.POST or None,
        initial={"role": Role.MEMBER, "language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                invited_by=user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitation_list")
    return render(
        request,
        "accounts/invitation_create.html",
        {"form": form, "invitation_days": settings.HRNET_INVITATION_DAYS},
    )


def _invitation_or_404(request: HttpRequest, invitation_id: int) -> Invitation:
    try:
        return selectors.invitation_get(user=request.user, invitation_id=invitation_id)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


@policy_required(invitation_policy, "change")
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_or_404(request, invitation_id)
    try:
        services.invitation_resend(
            invitation=invitation, actor=_current_user(request), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation was sent again to %(email)s with a new link.")
            % {"email": invitation.email},
        )
    return redirect("accounts:invitation_list")


@policy_required(invitation_policy, "delete")
@require_POST
def invitation_delete(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_or_404(request, invitation_id)
    services.invitation_delete(invitation=invitation, actor=_current_user(request), request=request)
    messages.success(
        request,
        _("The invitation for %(email)s was withdrawn and moved to the trash.")
        % {"email": invitation.email},
    )
    return redirect("accounts:invitation_list")


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The public page behind the link in an invitation email."""
    try:
        invitation = selectors.invitation_get_by_token(token=token)
    except Invitation.DoesNotExist:
        return render(request, "accounts/invitation_accept_closed.html", {}, status=404)
    if not invitation.is_open:
        return render(
            request,
            "accounts/invitation_accept_closed.html",
            {"invitation": invitation, "status": invitation.status},
            status=410,
        )
    form = InvitationAcceptForm(
        request.POST or None, invitation=invitation, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                request=request,
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, _("Welcome! Your account is ready."))
            return redirect(_home(user))
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
