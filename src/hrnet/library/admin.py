"""Admin of the resource library; it asks the library policies and audits. Moderation
is done on the library's pages (which email the submitter); the admin keeps the search
index up to date after each save."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrnet.core.admin import AuditedAdmin
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.policies import resource_file_policy, resource_policy
from hrnet.search.services import index_update


class ResourceFileInline(admin.TabularInline):
    model = ResourceFile
    extra = 0
    can_delete = False
    fields = ("original_name", "content_type", "size", "sha256", "extraction_status")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads go through the checks of the library's pages


@admin.register(Resource)
class ResourceAdmin(AuditedAdmin):
    policy = resource_policy
    list_display = ("title", "type", "language", "visibility", "status", "published_at")
    list_filter = ("status", "type", "language", "visibility")
    search_fields = ("title", "summary", "publisher", "authors")
    filter_horizontal = ("issue_areas", "countries")
    readonly_fields = (
        "status",
        "submitted_by",
        "moderated_by",
        "moderated_at",
        "rejection_reason",
        "published_at",
    )
    inlines = (ResourceFileInline,)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # added on the library's pages, with its files and checks

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index_update(form.instance)


@admin.register(ResourceFile)
class ResourceFileAdmin(AuditedAdmin):
    policy = resource_file_policy
    list_display = ("original_name", "resource", "content_type", "size", "extraction_status")
    list_filter = ("extraction_status", "content_type")
    search_fields = ("original_name", "sha256")
    readonly_fields = (
        "resource",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "extraction_status",
        "extraction_error",
    )
    exclude = ("file",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
