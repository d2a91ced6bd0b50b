"""Admin for accounts. Every class asks the accounts policies; no password hash or token
secret is ever shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrnet.accounts import services
from hrnet.accounts.models import ApiToken, Invitation, LoginFailure, User
from hrnet.accounts.policies import (
    api_token_policy,
    invitation_policy,
    login_failure_policy,
    user_policy,
)
from hrnet.accounts.roles import SUPERUSER_NAMED_ROLES
from hrnet.core.admin import AuditedAdmin
from hrnet.core.policies import PolicyAdminMixin


def _to_accounts_page(url_name: str) -> Any:
    def view(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        query = request.GET.urlencode()
        return redirect(reverse(url_name) + (f"?{query}" if query else ""))

    return view


# The admin's own sign-in form would skip throttling and the second factor, and its
# password form the audit log: send both to the accounts pages instead. (admin.py modules
# are imported before the URLconf builds the admin's URLs, so this takes effect there.)
admin.site.login = _to_accounts_page("accounts:login")  # type: ignore[method-assign]
admin.site.password_change = _to_accounts_page(  # type: ignore[method-assign]
    "accounts:password_change"
)


@admin.register(User)
class UserAdmin(AuditedAdmin):
    policy = user_policy
    list_display = ("email", "full_name", "role_list", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("email", "full_name")
    # The password (hash) and per-user permissions stay out: roles are groups, and a
    # password is only ever set by its owner (change or reset by email).
    fields = (
        "email",
        "full_name",
        "preferred_language",
        "time_zone",
        "groups",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not getattr(request.user, "is_superuser", False):
            # Only a superuser may make (or unmake) another.
            readonly.append("is_superuser")
        return readonly

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not getattr(request.user, "is_superuser", False):
            # Roles only a superuser gives (the intake reviewer) are not offered to others.
            kwargs["queryset"] = Group.objects.exclude(name__in=SUPERUSER_NAMED_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        kept = []
        if change and not getattr(request.user, "is_superuser", False):
            # The form did not offer them, so saving it must not take them away.
            kept = list(form.instance.groups.filter(name__in=SUPERUSER_NAMED_ROLES))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all())) or "—"


@admin.register(Invitation)
class InvitationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Read-only: invitations are sent, resent and withdrawn on the Invitations page."""

    policy = invitation_policy
    list_display = (
        "email",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
    )
    list_filter = ("role", "language")
    search_fields = ("email", "full_name")
    fields = (
        "email",
        "full_name",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_user",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Tokens are listed and revoked here, never created (the owner must see the secret)."""

    policy = api_token_policy
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "prefix", "user__email")
    fields = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.api_token_revoke(token=token, actor=request.user, request=request)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self.policy.user_has_permission(request.user, "revoke")


@admin.register(LoginFailure)
class LoginFailureAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy = login_failure_policy
    list_display = ("created_at", "email", "ip_address")
    search_fields = ("email", "ip_address")
    date_hierarchy = "created_at"
    readonly_fields = ("email", "ip_address", "created_at")


# django-otp's own device admin would show second-factor secrets; devices are managed on
# each person's two-factor page only.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
