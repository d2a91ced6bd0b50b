"""Admin of the violation vocabulary only. Cases, responses, files, shares and break-glass
records are deliberately not here: the admin would bypass need-to-know and the audit of
every read (`rights.policies`, `rights.cases`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from hrnet.core.admin import AuditedAdmin
from hrnet.core.policies import SecretariatOnlyPolicy
from hrnet.rights.models import ViolationType


class ViolationTypePolicy(SecretariatOnlyPolicy):
    """The secretariat edits the vocabulary; a type in use is retired (not active), never
    deleted, so recorded cases keep their classification."""

    model = ViolationType

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action != "delete" and super().user_has_permission(user, action)


@admin.register(ViolationType)
class ViolationTypeAdmin(AuditedAdmin):
    policy = ViolationTypePolicy()
    list_display = ("code", "__str__", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code",)
