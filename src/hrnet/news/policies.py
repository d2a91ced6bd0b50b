"""Who may do what with news. Views, feeds, the sitemap, the API and the admin all ask these.

Articles: "list" and "view" for everyone (published ones; the secretariat also sees drafts
and scheduled ones), "add", "change", "publish", "unpublish" and "delete" (to the trash) for
the secretariat. Digest subscriptions: "subscribe" for network members; "list", "view" and
"delete" for the secretariat (in the admin).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hrnet.accounts.roles import Role, user_has_role
from hrnet.core.policies import ModelPolicy, SecretariatOnlyPolicy
from hrnet.core.types import Actor
from hrnet.news.models import Article, DigestSending, DigestSubscription

READ_ACTIONS = frozenset({"list", "view"})
# Roles that make someone part of the network, and so a possible digest reader.
NETWORK_ROLES = (Role.SECRETARIAT, Role.ORGADMIN, Role.MEMBER, Role.EXPERT)


def is_secretariat(user: Actor) -> bool:
    return user_has_role(user, Role.SECRETARIAT)


def is_network_member(user: Actor) -> bool:
    return user_has_role(user, *NETWORK_ROLES)


def published(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What the public sees: articles whose publication time has come (not in the trash,
    which `Article.objects` already hides)."""
    return articles.filter(published_at__isnull=False, published_at__lte=timezone.now())


class ArticlePolicy(ModelPolicy):
    model = Article

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in READ_ACTIONS or is_secretariat(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if instance.deleted_at is not None:
            return False  # the trash page restores it; nothing else touches it there
        if is_secretariat(user):
            return True
        return action in READ_ACTIONS and instance.is_published

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet[Article]:
        articles = Article.objects.all()
        if is_secretariat(user):
            return articles
        if action in READ_ACTIONS:
            return published(articles)
        return articles.none()


class DigestSubscriptionPolicy(ModelPolicy):
    model = DigestSubscription

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action == "subscribe":
            return is_network_member(user)
        # Subscribing is the member's own choice: the secretariat may look and remove (on
        # request), never subscribe someone.
        return action in ("list", "view", "delete") and is_secretariat(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if action in ("view", "delete") and instance.user_id == getattr(user, "pk", None):
            return True
        return is_secretariat(user) and action in ("list", "view", "delete")

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if is_secretariat(user):
            return DigestSubscription.objects.all()
        return DigestSubscription.objects.none()


class DigestSendingPolicy(SecretariatOnlyPolicy):
    """A record of what was sent: read-only, for the secretariat."""

    model = DigestSending

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in READ_ACTIONS and super().user_has_permission(user, action)


article_policy = ArticlePolicy()
digest_subscription_policy = DigestSubscriptionPolicy()
digest_sending_policy = DigestSendingPolicy()
