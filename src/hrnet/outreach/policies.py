"""Who may see and manage sites, and who may see client-level records.

Sites: a site is seen by its own staff, its organisation's admins and the secretariat; the
secretariat and the organisation's admins manage it.

Client-level records (clients, their contacts, client-level exports) are need-to-know, and
default deny: a client is seen by the staff of the sites where the client was registered
or served, and by managers: a site's manager for that site, and an organisation's admin
for all its sites only when given the permission "outreach.view_client_records". The
secretariat sees aggregates (cascades, evidence), never a client; a superuser is no
exception. Views and the API log every read (`log_action`).
"""

from __future__ import annotations

import datetime
from typing import Any, TypeGuard

from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.core.policies import ModelPolicy
from hrnet.core.types import Actor
from hrnet.members.policies import administered_organisation_ids, is_secretariat
from hrnet.outreach.models import Client, Contact, Site, SiteStaff

READ_ACTIONS = frozenset({"list", "view"})
# Recording a contact or registering a client at one of one's sites.
WRITE_ACTIONS = frozenset({"add", "change"})
# Client-level exports and merging duplicates: managers only.
MANAGER_ACTIONS = frozenset({"export", "merge"})
RECORDS_PERMISSION = "outreach.view_client_records"


def staffed_site_ids(user: Actor | None, *, roles: tuple[str, ...] = ()) -> set[int]:
    """The sites `user` is assigned to (with one of `roles`, when given)."""
    if not isinstance(user, User):
        return set()
    assignments = SiteStaff.objects.filter(user=user, site__is_active=True)
    if roles:
        assignments = assignments.filter(role__in=roles)
    return set(assignments.values_list("site_id", flat=True))


class SitePolicy(ModelPolicy):
    model = Site

    def user_has_permission(self, user: Actor | None, action: str) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if is_secretariat(user):
            return True
        if action in READ_ACTIONS:
            return bool(staffed_site_ids(user) or administered_organisation_ids(user))
        if action in {"add", "change"}:
            return bool(administered_organisation_ids(user))
        return False

    def user_has_permission_for_instance(
        self, user: Actor | None, action: str, instance: Any
    ) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if is_secretariat(user):
            return True
        if instance.organisation_id in administered_organisation_ids(user):
            return action in READ_ACTIONS | {"change", "report"}
        if instance.pk in staffed_site_ids(user):
            return action in READ_ACTIONS | {"report"}
        return False

    def instances_user_has_permission_for(self, user: Actor | None, action: str) -> QuerySet:
        sites = Site.objects.all()
        if not getattr(user, "is_authenticated", False):
            return sites.none()
        if is_secretariat(user):
            return sites
        administered = Q(organisation_id__in=administered_organisation_ids(user))
        if action in READ_ACTIONS or action == "report":
            return sites.filter(administered | Q(pk__in=staffed_site_ids(user)))
        if action == "change":
            return sites.filter(administered)
        return sites.none()


site_policy = SitePolicy()


def _authenticated(user: Actor | None) -> TypeGuard[User]:
    """A signed-in, active user (an anonymous visitor is not)."""
    return isinstance(user, User) and user.is_active


def staff_site_ids(user: Actor | None) -> set[int]:
    """Active sites where `user` works (as a worker or a site manager)."""
    if not _authenticated(user):
        return set()
    return set(
        SiteStaff.objects.filter(user=user, site__is_active=True).values_list("site_id", flat=True)
    )


def manager_site_ids(user: Actor | None) -> set[int]:
    """Sites whose client records `user` manages: those they manage as site manager, and
    every site of the organisations they administer if they hold the permission."""
    if not _authenticated(user):
        return set()
    sites = set(
        SiteStaff.objects.filter(
            user=user, role=SiteStaff.Role.MANAGER, site__is_active=True
        ).values_list("site_id", flat=True)
    )
    # has_perm: superusers pass it, so they are checked for an admin affiliation too.
    if user.has_perm(RECORDS_PERMISSION):
        organisations = administered_organisation_ids(user)
        if organisations:
            sites |= set(
                Site.objects.filter(organisation_id__in=organisations).values_list("pk", flat=True)
            )
    return sites


def client_site_ids(user: Actor | None, action: str) -> set[int]:
    """The sites whose clients `user` may do `action` on."""
    if action in MANAGER_ACTIONS:
        return manager_site_ids(user)
    if action in READ_ACTIONS:
        return staff_site_ids(user) | manager_site_ids(user)
    if action in WRITE_ACTIONS:
        return staff_site_ids(user)
    return set()


class ClientPolicy(ModelPolicy):
    model = Client

    def user_has_permission(self, user: Actor | None, action: str) -> bool:
        return bool(client_site_ids(user, action))

    def user_has_permission_for_instance(
        self, user: Actor | None, action: str, instance: Any
    ) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user: Actor | None, action: str) -> QuerySet:
        sites = client_site_ids(user, action)
        if not sites:
            return Client.objects.none()
        served = Contact.objects.filter(site_id__in=sites).values("client_id")
        return Client.objects.filter(Q(first_site_id__in=sites) | Q(pk__in=served))


class ContactPolicy(ModelPolicy):
    """A contact is seen where the client may be seen; recorded by the site's staff."""

    model = Contact

    def user_has_permission(self, user: Actor | None, action: str) -> bool:
        return bool(client_site_ids(user, action))

    def user_has_permission_for_instance(
        self, user: Actor | None, action: str, instance: Any
    ) -> bool:
        if action in WRITE_ACTIONS:
            return instance.site_id in client_site_ids(user, action)
        return client_policy.user_has_permission_for_instance(user, action, instance.client)

    def instances_user_has_permission_for(self, user: Actor | None, action: str) -> QuerySet:
        if action in WRITE_ACTIONS:
            return Contact.objects.filter(site_id__in=client_site_ids(user, action))
        clients = client_policy.instances_user_has_permission_for(user, action)
        return Contact.objects.filter(client__in=clients)


client_policy = ClientPolicy()
contact_policy = ContactPolicy()


# A worker corrects a contact they recorded themselves, for a day after recording it (a
# mistyped quantity or a forgotten test); later corrections go through the site manager.
CORRECTION_WINDOW = datetime.timedelta(hours=24)


def correctable_contacts(user: Actor | None) -> QuerySet[Contact]:
    """The contacts `user` may still correct: recorded by them, at a site where they
    record contacts now, within the last `CORRECTION_WINDOW`."""
    if not _authenticated(user):
        return Contact.objects.none()
    return contact_policy.instances_user_has_permission_for(user, "change").filter(
        worker=user, created_at__gte=timezone.now() - CORRECTION_WINDOW
    )
