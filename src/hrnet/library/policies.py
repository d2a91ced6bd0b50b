"""Who may do what with library resources. Views, API, sitemap, digest and admin all ask
these.

Actions: "list" and "view" (read, which includes downloading the files), "add" (submit a
resource: network members; the secretariat's additions are published at once), "change",
"moderate" (publish or reject a submission) and "delete" (to the trash): the secretariat.

A resource is seen by: anyone when published and public; network members when published
and members-only; its submitter, whatever its status; the secretariat, always.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hrnet.core.policies import ModelPolicy
from hrnet.core.types import Actor
from hrnet.library.models import Resource, ResourceFile
from hrnet.members.policies import is_network_member, is_secretariat

READ_ACTIONS = ("list", "view")


def visible_q(user: Actor) -> Q:
    """The condition on resources for what `user` may read."""
    published = Q(status=Resource.Status.PUBLISHED)
    if is_network_member(user):
        readable = published
    else:
        readable = published & Q(visibility=Resource.Visibility.PUBLIC)
    if getattr(user, "is_authenticated", False):
        readable |= Q(submitted_by=user)
    return readable


class ResourcePolicy(ModelPolicy):
    model = Resource

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in READ_ACTIONS:
            return True  # narrowed per record
        if action == "add":
            return is_network_member(user)
        return is_secretariat(user)  # change, moderate, delete

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if instance.in_trash:
            return False  # the trash page restores it first
        if is_secretariat(user):
            return True
        if action in READ_ACTIONS:
            own = instance.submitted_by_id is not None and instance.submitted_by_id == getattr(
                user, "pk", None
            )
            if own:
                return True
            if instance.status != Resource.Status.PUBLISHED:
                return False
            return instance.visibility == Resource.Visibility.PUBLIC or is_network_member(user)
        return False

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        resources = Resource.objects.all()
        if is_secretariat(user):
            return resources
        if action in READ_ACTIONS:
            return resources.filter(visible_q(user))
        return resources.none()


class ResourceFilePolicy(ModelPolicy):
    """A file is read with its resource, and managed by whoever may change the resource."""

    model = ResourceFile

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return resource_policy.user_has_permission(user, action)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        return resource_policy.user_has_permission_for_instance(user, action, instance.resource)

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        resources = resource_policy.instances_user_has_permission_for(user, action)
        return ResourceFile.objects.filter(resource__in=resources)


resource_policy = ResourcePolicy()
resource_file_policy = ResourceFilePolicy()
