"""Admin for the core records. `AuditedAdmin` is the base every app's admin uses: it asks
the model's policy and writes the audit log for each change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrnet.core.audit import log_action
from hrnet.core.models import AuditEntry, IssueArea, Network, TaskProgress
from hrnet.core.policies import PolicyAdminMixin, SecretariatOnlyPolicy
from hrnet.core.types import Actor


class AuditedAdmin(PolicyAdminMixin, admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            actor=request.user,
            action=f"{obj._meta.label_lower}.{'change' if change else 'add'}",
            obj=obj,
            changes={name: form.cleaned_data.get(name) for name in form.changed_data},
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        log_action(
            actor=request.user, action=f"{obj._meta.label_lower}.delete", obj=obj, request=request
        )
        super().delete_model(request, obj)


class NetworkPolicy(SecretariatOnlyPolicy):
    model = Network


class IssueAreaPolicy(SecretariatOnlyPolicy):
    model = IssueArea


class AuditEntryPolicy(SecretariatOnlyPolicy):
    """The audit log is read-only for everyone, the secretariat included."""

    model = AuditEntry

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in {"view", "list"} and super().user_has_permission(user, action)


class TaskProgressPolicy(SecretariatOnlyPolicy):
    model = TaskProgress

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in {"view", "list"} and super().user_has_permission(user, action)


@admin.register(Network)
class NetworkAdmin(AuditedAdmin):
    policy = NetworkPolicy()


@admin.register(IssueArea)
class IssueAreaAdmin(AuditedAdmin):
    policy = IssueAreaPolicy()
    list_display = ("code", "__str__", "position")


@admin.register(AuditEntry)
class AuditEntryAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy = AuditEntryPolicy()
    list_display = ("created_at", "actor_repr", "action", "object_repr", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_repr", "action", "object_repr", "object_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(TaskProgress)
class TaskProgressAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy = TaskProgressPolicy()
    list_display = ("name", "owner", "status", "done", "total", "created_at")
    readonly_fields = [f.name for f in TaskProgress._meta.fields]
