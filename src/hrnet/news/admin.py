"""Admin for news. Writes go through the model policies and the audit log (AuditedAdmin),
and every saved article is re-indexed for the search; the pages under /news/ are the
secretariat's everyday tools, the admin is for fixing things."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from hrnet.core.admin import AuditedAdmin
from hrnet.core.trash import trash_move
from hrnet.news.models import Article, DigestSending, DigestSubscription
from hrnet.news.policies import article_policy, digest_sending_policy, digest_subscription_policy
from hrnet.search.services import index_update


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    policy = article_policy
    list_display = ("title", "kind", "language", "published_at", "author")
    list_filter = ("kind", "language", "issue_areas")
    search_fields = ("title", "lead")
    filter_horizontal = ("issue_areas", "countries")
    readonly_fields = ("translation_key", "author", "created_at", "updated_at")
    date_hierarchy = "published_at"

    # Everyone may read published articles, but the admin is a tool of those who edit them.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).select_related("author")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index_update(form.instance)  # after the issue areas and countries are saved

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # "Delete" in the admin moves to the trash, like everywhere else; it is restored
        # from the trash page and purged after the retention period.
        trash_move(obj=obj, actor=request.user, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for obj in queryset:
            trash_move(obj=obj, actor=request.user, request=request)


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(AuditedAdmin):
    policy = digest_subscription_policy
    list_display = ("user", "created_at")
    search_fields = ("user__email",)
    readonly_fields = ("user", "created_at")


@admin.register(DigestSending)
class DigestSendingAdmin(AuditedAdmin):
    policy = digest_sending_policy
    list_display = ("user", "week", "item_count", "created_at")
    list_filter = ("week",)
    search_fields = ("user__email",)
    readonly_fields = [f.name for f in DigestSending._meta.fields]
