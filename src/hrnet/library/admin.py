"""Admin of the resource library; it asks the library policies and audits. Moderation
is done on the library's pages (which email the submitter); the admin keeps the search
index up to date after each save."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hrnet.core.admin import AuditedAdmin
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.policies import resource_file_policy, resource_policy
from hrnet.members.policies import is_secretariat
from hrnet.search.services import index_update


class LibraryAdmin(AuditedAdmin):
    """The library in the admin is the secretariat's tool: members read and submit on the
    library's pages, even if someone gave them admin site access."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: Any) -> bool:
        return is_secretariat(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return is_secretariat(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False  # added on the library's pages, with its files' checks

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return is_secretariat(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return is_secretariat(request.user) and super().has_delete_permission(request, obj)


class ResourceFileInline(admin.TabularInline):
    model = ResourceFile
    extra = 0
    can_delete = False
    fields = ("original_name", "content_type", "size", "sha256", "extraction_status")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads go through the checks of the library's pages


@admin.register(Resource)
class ResourceAdmin(LibraryAdmin):
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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index_update(form.instance)


@admin.register(ResourceFile)
class ResourceFileAdmin(LibraryAdmin):
    policy = resource_file_policy
    list_display = ("original_name", "resource", "content_type", "size", "extraction_status")
    list_filter = ("extraction_status", "content_type")
    search_fields = ("original_name", "sha256")
    readonly_fields = (
        "resource",
        "download",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "extraction_status",
        "extraction_error",
    )
    exclude = ("file", "extracted_text")

    @admin.display(description=_("file"))
    def download(self, obj: ResourceFile) -> str:
        # Through the download view and its permission check: the storage has no URL.
        url = reverse("library:file_download", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
