"""Admin for events: the secretariat's tool for fixing things (the pages under /events/
are the everyday tools). Writes go through the policies and the audit log (AuditedAdmin);
"delete" moves an event to the trash like everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from hrnet.core.admin import AuditedAdmin
from hrnet.core.trash import trash_move
from hrnet.events.models import Event, Registration, RegistrationQuestion, Session
from hrnet.events.policies import event_policy, is_secretariat, registration_policy


class SecretariatOnly:
    """Everyone may read published events and their own registrations, but the admin is
    the secretariat's only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_secretariat(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_secretariat(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)


class SessionInline(SecretariatOnly, admin.TabularInline):
    model = Session
    extra = 0
    fields = ("starts_at", "ends_at", "titles")


class QuestionInline(SecretariatOnly, admin.TabularInline):
    model = RegistrationQuestion
    extra = 0
    fields = ("position", "labels", "kind", "choices", "required")


@admin.register(Event)
class EventAdmin(SecretariatOnly, AuditedAdmin):
    policy = event_policy
    list_display = (
        "__str__",
        "kind",
        "status",
        "starts_at",
        "capacity",
        "visibility",
        "members_only",
    )
    list_filter = ("kind", "status", "visibility", "members_only", "issue_areas")
    date_hierarchy = "starts_at"
    filter_horizontal = ("organisers", "issue_areas", "materials")
    readonly_fields = ("uid", "sequence", "starts_at", "ends_at", "created_by", "created_at")
    inlines = (SessionInline, QuestionInline)
    search_fields = ("titles", "venue", "city")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).select_related("country")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        event = form.instance
        times = list(event.sessions.values_list("starts_at", "ends_at"))
        if times:  # keep the cached first start and last end true to the sessions
            event.starts_at = min(t[0] for t in times)
            event.ends_at = max(t[1] for t in times)
            if change:
                event.sequence += 1
            event.save(update_fields=["starts_at", "ends_at", "sequence"])

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        if obj.starts_at is None or obj.ends_at is None:
            # A new event saved before its sessions: save_related sets the real times.
            obj.starts_at = obj.starts_at or timezone.now()
            obj.ends_at = obj.ends_at or obj.starts_at
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        trash_move(obj=obj, actor=request.user, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for obj in queryset:
            trash_move(obj=obj, actor=request.user, request=request)


@admin.register(Registration)
class RegistrationAdmin(SecretariatOnly, AuditedAdmin):
    """Read and correct registrations; seats are taken and freed through the pages (the
    services lock the event and move the waiting list), so statuses are read-only here."""

    policy = registration_policy
    list_display = ("__str__", "event", "status", "created_at", "offer_expires_at")
    list_filter = ("status",)
    search_fields = (
        "user__email",
        "user__full_name",
        "guest_email",
        "guest_name",
        "organisation_name",
    )
    readonly_fields = (
        "event",
        "user",
        "guest_email",
        "email_confirmed_at",
        "status",
        "waiting_since",
        "offer_expires_at",
        "confirmed_at",
        "cancelled_at",
        "reminded_24h_at",
        "reminded_1h_at",
        "feedback_requested_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return super().get_queryset(request).select_related("user", "event")
