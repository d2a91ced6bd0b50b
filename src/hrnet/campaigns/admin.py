"""Admin for campaigns (the secretariat's). Writes go through the model policies and the
audit log (AuditedAdmin); the pages under /campaigns/ are the everyday tools."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from hrnet.campaigns.models import (
    Campaign,
    CampaignAction,
    CampaignOutcome,
    CampaignParticipant,
    Signature,
    Target,
)
from hrnet.campaigns.policies import campaign_policy, signature_policy
from hrnet.core.admin import AuditedAdmin
from hrnet.core.trash import trash_move


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ()


class ActionInline(admin.TabularInline):
    model = CampaignAction
    extra = 0


class ParticipantInline(admin.TabularInline):
    model = CampaignParticipant
    extra = 0
    raw_id_fields = ("organisation", "joined_by")


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    policy = campaign_policy
    list_display = ("__str__", "slug", "status", "visibility", "created_at")
    list_filter = ("status", "visibility")
    search_fields = ("slug",)
    filter_horizontal = ("countries", "issue_areas")
    raw_id_fields = ("coordinators", "events", "articles")
    inlines = (TargetInline, ActionInline, ParticipantInline)

    # Everyone may read public campaigns, but the admin is the secretariat's tool.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        trash_move(obj=obj, actor=request.user, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        for obj in queryset:
            trash_move(obj=obj, actor=request.user, request=request)


@admin.register(CampaignOutcome)
class CampaignOutcomeAdmin(AuditedAdmin):
    policy = campaign_policy

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        if self.policy.user_has_permission(request.user, "change"):
            return CampaignOutcome.objects.select_related("campaign")
        return CampaignOutcome.objects.none()

    list_display = ("date", "__str__", "campaign")
    raw_id_fields = ("campaign", "resources")


@admin.register(Signature)
class SignatureAdmin(AuditedAdmin):
    policy = signature_policy
    list_display = ("organisation_name", "country", "campaign", "status", "signed_at")
    list_filter = ("status",)
    search_fields = ("organisation_name", "contact_name", "contact_email")
    raw_id_fields = ("campaign", "organisation", "signed_by", "reviewed_by")
    readonly_fields = ("name_key", "signed_at", "reviewed_by", "reviewed_at")

    # Anyone may sign on the page; the admin is the secretariat's.
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.policy.user_has_permission(request.user, "change")
