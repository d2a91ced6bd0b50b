"""Who may do what with the network's pages, projects, team and contact messages. Views,
the API and the admin all ask these.

Pages: "list" and "view" for everyone, narrowed to pages with at least one published
revision (the secretariat sees every page, drafts included); "add", "change", "publish",
"history", "restore", "delete" for the secretariat. Drafts and revisions are read through
their page: the models' own policies are the secretariat's (admin, history).
Partners: public read, secretariat edits. Projects, their commitments and outputs: public
read of published projects, secretariat edits. Team members: public read of published
members, secretariat edits. Contact topics and messages: the secretariat's; "add" on a
contact message is anyone's (the contact form), throttled by its service.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hrnet.core.policies import ModelPolicy, PublicReadPolicy, SecretariatOnlyPolicy
from hrnet.core.types import Actor
from hrnet.members.policies import is_secretariat
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

READ_ACTIONS = frozenset({"list", "view"})


class _PublishedReadPolicy(ModelPolicy):
    """Anyone reads the published records (`published_filter`); the secretariat does
    everything."""

    published_filter: dict[str, Any]

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in READ_ACTIONS or is_secretariat(user)

    def is_published(self, instance: Any) -> bool:
        return self.model._default_manager.filter(pk=instance.pk, **self.published_filter).exists()

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if is_secretariat(user):
            return True
        return action in READ_ACTIONS and self.is_published(instance)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        records = self.model._default_manager.all()
        if is_secretariat(user):
            return records
        if action in READ_ACTIONS:
            return records.filter(**self.published_filter).distinct()
        return records.none()


class PagePolicy(_PublishedReadPolicy):
    model = Page
    published_filter = {"revisions__isnull": False}

    def is_published(self, instance: Any) -> bool:
        return PageRevision.objects.filter(page_id=instance.pk).exists()


class PageDraftPolicy(SecretariatOnlyPolicy):
    model = PageDraft


class PageRevisionPolicy(SecretariatOnlyPolicy):
    """The history of a page; visitors read the latest revision through the page."""

    model = PageRevision


class PartnerPolicy(PublicReadPolicy):
    model = Partner


class ProjectPolicy(_PublishedReadPolicy):
    model = Project
    published_filter = {"is_published": True}

    def is_published(self, instance: Any) -> bool:
        return bool(instance.is_published)


class CommitmentPolicy(_PublishedReadPolicy):
    model = Commitment
    published_filter = {"project__is_published": True}


class CommitmentOutputPolicy(_PublishedReadPolicy):
    model = CommitmentOutput
    published_filter = {"commitment__project__is_published": True}


class TeamMemberPolicy(_PublishedReadPolicy):
    model = TeamMember
    published_filter = {"is_published": True}

    def is_published(self, instance: Any) -> bool:
        return bool(instance.is_published)


class ContactTopicPolicy(SecretariatOnlyPolicy):
    model = ContactTopic


class ContactMessagePolicy(SecretariatOnlyPolicy):
    """Anyone may send a message (the contact form); only the secretariat reads them."""

    model = ContactMessage

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action == "add" or super().user_has_permission(user, action)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if is_secretariat(user):
            return ContactMessage.objects.all()
        return ContactMessage.objects.none()


page_policy = PagePolicy()
page_draft_policy = PageDraftPolicy()
page_revision_policy = PageRevisionPolicy()
partner_policy = PartnerPolicy()
project_policy = ProjectPolicy()
commitment_policy = CommitmentPolicy()
commitment_output_policy = CommitmentOutputPolicy()
team_member_policy = TeamMemberPolicy()
contact_topic_policy = ContactTopicPolicy()
contact_message_policy = ContactMessagePolicy()
