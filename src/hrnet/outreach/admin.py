"""Admin for sites and their staff; writes go through the policy and the audit log."""

from django.contrib import admin

from hrnet.core.admin import AuditedAdmin
from hrnet.outreach.models import Site, SiteStaff
from hrnet.outreach.policies import site_policy


class SiteStaffInline(admin.TabularInline):
    model = SiteStaff
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    policy = site_policy
    list_display = ("name", "organisation", "country", "city", "kind", "is_active")
    list_filter = ("kind", "is_active", "country")
    search_fields = ("name", "city", "organisation__name")
    raw_id_fields = ("organisation",)
    inlines = (SiteStaffInline,)
