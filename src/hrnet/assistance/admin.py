"""The roster and requests in Django's admin, for the secretariat only (the policies)."""

from __future__ import annotations

from django.contrib import admin

from hrnet.assistance.models import AssistanceRequest, Expert, WorkLogEntry
from hrnet.assistance.policies import expert_policy, request_policy
from hrnet.core.admin import AuditedAdmin


@admin.register(Expert)
class ExpertAdmin(AuditedAdmin):
    policy = expert_policy
    list_display = ("user", "engagement", "availability", "is_active")
    list_filter = ("engagement", "availability", "is_active")
    search_fields = ("user__full_name", "user__email")
    filter_horizontal = ("issue_areas", "countries")
    autocomplete_fields = ("user",)


class WorkLogInline(admin.TabularInline):
    model = WorkLogEntry
    extra = 0


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(AuditedAdmin):
    policy = request_policy
    list_display = ("__str__", "organisation", "country", "kind", "urgency", "status", "created_at")
    list_filter = ("status", "kind", "urgency", "country")
    search_fields = ("title", "description")
    raw_id_fields = ("organisation", "filed_by")
    readonly_fields = ("status", "delivered_at", "closed_at", "rated_at")
    inlines = (WorkLogInline,)
