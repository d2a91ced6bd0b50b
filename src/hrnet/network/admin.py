"""Admin for the network's pages, projects, team and contact messages (the secretariat's).
Every admin asks the model's policy (`network.policies`) and writes the audit log
(AuditedAdmin). Records that everyone may read on the site are still admin'd by the
secretariat only. The pages under /pages/, /projects/ and /team/ are the everyday tools:
published page revisions are read-only here, as everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrnet.core.admin import AuditedAdmin
from hrnet.network.models import (
    Commitment,
    CommitmentOutput,
    ContactMessage,
    ContactTopic,
    Page,
    PageDraft,
    PageRevision,
    Partner,
    Project,
    TeamMember,
)
from hrnet.network.policies import (
    commitment_output_policy,
    commitment_policy,
    contact_message_policy,
    contact_topic_policy,
    page_draft_policy,
    page_policy,
    page_revision_policy,
    partner_policy,
    project_policy,
    team_member_policy,
)


class SecretariatAdmin(AuditedAdmin):
    """The admin of a record anyone may read: reading it here is an editor's task."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def get_queryset(self, request: HttpRequest) -> Any:
        if not self.policy.user_has_permission(request.user, "change"):
            return self.model._default_manager.none()
        return self.model._default_manager.all()


class RevisionInline(admin.TabularInline):
    model = PageRevision
    extra = 0
    can_delete = False
    fields = ("language", "number", "title", "published_at", "published_by", "restored_from")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return page_revision_policy.user_has_permission(request.user, "view")


@admin.register(Page)
class PageAdmin(SecretariatAdmin):
    policy = page_policy
    list_display = ("slug", "menu_position", "in_menu", "issue_area", "updated_at")
    list_editable = ("menu_position", "in_menu")
    list_filter = ("in_menu",)
    search_fields = ("slug", "drafts__title", "revisions__title")
    inlines = (RevisionInline,)


@admin.register(PageDraft)
class PageDraftAdmin(AuditedAdmin):
    policy = page_draft_policy
    list_display = ("page", "language", "title", "updated_by", "updated_at")
    list_filter = ("language",)
    search_fields = ("page__slug", "title")
    raw_id_fields = ("updated_by",)


@admin.register(PageRevision)
class PageRevisionAdmin(AuditedAdmin):
    """Published text is history: it is read here, never changed (restore publishes a
    copy from the page's history)."""

    policy = page_revision_policy
    list_display = ("page", "language", "number", "title", "published_at", "published_by")
    list_filter = ("language",)
    search_fields = ("page__slug", "title")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in PageRevision._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(SecretariatAdmin):
    policy = partner_policy
    list_display = ("__str__", "kind", "url", "position")
    list_filter = ("kind",)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ("kind", "descriptions", "target", "position")


@admin.register(Project)
class ProjectAdmin(SecretariatAdmin):
    policy = project_policy
    list_display = ("__str__", "slug", "start_date", "end_date", "is_published")
    list_filter = ("is_published",)
    search_fields = ("slug",)
    filter_horizontal = ("donors", "partners", "countries")
    inlines = (CommitmentInline,)


class OutputInline(admin.TabularInline):
    model = CommitmentOutput
    extra = 0
    raw_id_fields = ("event", "resource", "assistance_request")


@admin.register(Commitment)
class CommitmentAdmin(SecretariatAdmin):
    policy = commitment_policy
    list_display = ("__str__", "project", "kind", "target", "position")
    list_filter = ("kind", "project")
    inlines = (OutputInline,)


@admin.register(CommitmentOutput)
class CommitmentOutputAdmin(SecretariatAdmin):
    policy = commitment_output_policy
    list_display = ("__str__", "commitment", "event", "resource", "assistance_request")
    raw_id_fields = ("commitment", "event", "resource", "assistance_request")


@admin.register(TeamMember)
class TeamMemberAdmin(SecretariatAdmin):
    policy = team_member_policy
    list_display = ("full_name", "__str__", "position", "is_published")
    list_filter = ("is_published",)
    search_fields = ("full_name", "email")
    raw_id_fields = ("user",)


@admin.register(ContactTopic)
class ContactTopicAdmin(AuditedAdmin):
    policy = contact_topic_policy
    list_display = ("__str__", "recipient", "position", "is_active")
    list_filter = ("is_active",)


@admin.register(ContactMessage)
class ContactMessageAdmin(AuditedAdmin):
    policy = contact_message_policy
    list_display = ("created_at", "topic", "name", "email", "language")
    list_filter = ("topic",)
    search_fields = ("name", "email")
    readonly_fields = ("topic", "name", "email", "message", "language", "created_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Messages come from the contact form only.
        return False
