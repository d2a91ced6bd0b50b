"""Admin of the member register; every class asks the members policies and audits."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from hrnet.core.admin import AuditedAdmin
from hrnet.core.policies import SecretariatOnlyPolicy
from hrnet.members.models import (
    Affiliation,
    Application,
    Membership,
    MembershipType,
    Organisation,
    Person,
    PrinciplesVersion,
    Vote,
)
from hrnet.members.policies import (
    application_policy,
    is_secretariat,
    membership_policy,
    organisation_policy,
    person_policy,
)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "role", "is_admin", "start_date", "end_date")


class RegisterAdmin(AuditedAdmin):
    """The register in the admin is the secretariat's tool, even for someone else given
    admin site access: org admins edit their own records on the site's pages, where every
    field is scoped and audited."""

    def has_module_permission(self, request: Any) -> bool:
        return is_secretariat(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return is_secretariat(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return is_secretariat(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return is_secretariat(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return is_secretariat(request.user) and super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(RegisterAdmin):
    policy = organisation_policy
    list_display = ("__str__", "kind", "country", "is_community_led", "is_public")
    list_filter = ("kind", "is_community_led", "is_public", "country__subregion")
    search_fields = ("name_key", "name_original", "email")
    filter_horizontal = ("issue_areas",)
    inlines = (AffiliationInline,)


@admin.register(Person)
class PersonAdmin(RegisterAdmin):
    policy = person_policy
    list_display = ("full_name", "email", "country", "is_public")
    list_filter = ("is_public", "country__subregion")
    search_fields = ("full_name", "email")
    filter_horizontal = ("issue_areas",)
    raw_id_fields = ("user",)


class _SecretariatPolicy(SecretariatOnlyPolicy):
    def __init__(self, model: Any) -> None:
        self.model = model


@admin.register(PrinciplesVersion)
class PrinciplesVersionAdmin(AuditedAdmin):
    policy = _SecretariatPolicy(PrinciplesVersion)
    list_display = ("number", "published_at", "created_by")
    readonly_fields = ("created_by",)


@admin.register(MembershipType)
class MembershipTypeAdmin(AuditedAdmin):
    policy = _SecretariatPolicy(MembershipType)
    list_display = ("code", "__str__", "kind", "fee", "currency", "term", "term_months")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    """Read-mostly: statuses change through the membership page, which records why."""

    policy = membership_policy
    list_display = ("__str__", "type", "status", "start_date", "end_date", "inherited_from")
    list_filter = ("status", "type")
    search_fields = ("organisation__name_key", "person__full_name")
    readonly_fields = (
        "organisation",
        "person",
        "inherited_from",
        "status",
        "status_override",
        "override_reason",
        "override_by",
        "override_at",
    )


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    can_delete = False
    readonly_fields = ("reviewer", "choice", "comment", "created_at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    """Read-only: decisions are taken in the review queue, which emails the applicant."""

    policy = application_policy
    list_display = ("__str__", "kind", "status", "language", "created_at")
    list_filter = ("status", "kind", "language")
    search_fields = ("contact_name", "contact_email")
    inlines = (VoteInline,)
    exclude = ("access_token",)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False
