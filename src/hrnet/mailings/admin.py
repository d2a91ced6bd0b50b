from django.contrib import admin

from hrnet.core.policies import PolicyAdminMixin
from hrnet.mailings.models import Mailing, Recipient, Segment
from hrnet.mailings.policies import mailing_policy, recipient_policy, segment_policy


@admin.register(Segment)
class SegmentAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy = segment_policy
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(Mailing)
class MailingAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy = mailing_policy
    list_display = ("__str__", "segment", "status", "created_at")
    list_filter = ("status", "category")
    readonly_fields = ("status", "job", "queued_at", "finished_at", "error")


@admin.register(Recipient)
class RecipientAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy = recipient_policy
    list_display = ("email", "mailing", "state", "sent_at")
    list_filter = ("state",)
    search_fields = ("email",)
    readonly_fields = ("mailing", "email", "name", "language", "person_id", "state", "sent_at")
