"""Permission policies: one object per model answers "may this user do this?".

Views (through `policy_required`), the API and the admin all ask the same policy, so they
cannot disagree. Sensitive models start from a policy that denies everything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse

from hrnet.accounts.roles import Role, user_has_role
from hrnet.core.types import Actor


class ModelPolicy:
    """Subclass per model; override the three questions. Default: deny."""

    model: type[models.Model]

    def user_has_permission(self, user: Actor, action: str) -> bool:
        """May `user` do `action` on this kind of record at all (e.g. "add", "list")?"""
        return False

    def user_has_permission_for_instance(
        self, user: Actor, action: str, instance: models.Model
    ) -> bool:
        """May `user` do `action` on this one record?"""
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> models.QuerySet:
        """The records on which `user` may do `action`."""
        if self.user_has_permission(user, action):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def require(self, user: Actor, action: str, instance: models.Model | None = None) -> None:
        """Raise PermissionDenied unless `user` may do `action` (on `instance` when given).

        The one guard services call before a write; views and the API turn the exception
        into 403 (or 404 where a record's existence is itself need-to-know).
        """
        allowed = (
            self.user_has_permission(user, action)
            if instance is None
            else self.user_has_permission_for_instance(user, action, instance)
        )
        if not allowed:
            raise PermissionDenied


class SecretariatOnlyPolicy(ModelPolicy):
    """Records only the secretariat manages (and superusers, who can do anything)."""

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return user_has_role(user, Role.SECRETARIAT)


class PublicReadPolicy(SecretariatOnlyPolicy):
    """Reference data anyone may read and the secretariat edits."""

    read_actions = frozenset({"view", "list"})

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in self.read_actions or super().user_has_permission(user, action)


def policy_required(policy: ModelPolicy, action: str) -> Callable:
    """View decorator: anonymous users go to login, others without permission get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if policy.user_has_permission(request.user, action):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped

    return decorator


class PolicyAdminMixin:
    """Makes a ModelAdmin ask the model's policy instead of Django's model permissions."""

    policy: ModelPolicy

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.policy.user_has_permission(request.user, "list")

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return self.policy.user_has_permission(request.user, "list")
        return self.policy.user_has_permission_for_instance(request.user, "view", obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.policy.user_has_permission(request.user, "add")

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return self.policy.user_has_permission(request.user, "change")
        return self.policy.user_has_permission_for_instance(request.user, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return self.policy.user_has_permission(request.user, "delete")
        return self.policy.user_has_permission_for_instance(request.user, "delete", obj)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.policy.instances_user_has_permission_for(request.user, "view")
