"""Who may do what with the member register. Views, API, admin and exports all ask these.

Actions: "list" and "view" (read), "add", "change", "delete", "merge", "import", "export",
"decide" and "vote" (applications), "override" and "renew" (memberships), "erase" and
"export_personal_data" (people).
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role, user_has_role
from hrnet.core.policies import ModelPolicy, PublicReadPolicy
from hrnet.core.types import Actor
from hrnet.members.models import Application, Membership, Organisation, Person, PrinciplesVersion

CURRENT = Membership.CURRENT_STATUSES
# Roles that make someone part of the network and so a reader of the members-only directory.
NETWORK_ROLES = (Role.SECRETARIAT, Role.ORGADMIN, Role.MEMBER, Role.EXPERT)


def is_secretariat(user: Actor | None) -> bool:
    return user_has_role(user, Role.SECRETARIAT)


def is_network_member(user: Actor | None) -> bool:
    return user_has_role(user, *NETWORK_ROLES)


def person_of(user: Actor | None) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def administered_organisation_ids(user: Actor | None) -> set[int]:
    """Organisations whose profile `user` manages through a current admin affiliation."""
    if not getattr(user, "is_authenticated", False):
        return set()
    today = timezone.localdate()
    return set(
        # One filter() call: all conditions must hold for the same affiliation.
        Organisation.objects.filter(
            Q(affiliations__start_date__isnull=True) | Q(affiliations__start_date__lte=today),
            Q(affiliations__end_date__isnull=True) | Q(affiliations__end_date__gte=today),
            affiliations__person__user=user,
            affiliations__is_admin=True,
        ).values_list("pk", flat=True)
    )


class OrganisationPolicy(ModelPolicy):
    model = Organisation

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("list", "view"):
            return True  # what each may see is narrowed by instances_user_has_permission_for
        if action == "export":
            return is_network_member(user)
        return is_secretariat(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if is_secretariat(user):
            return True
        if action in ("list", "view"):
            return (
                self.instances_user_has_permission_for(user, "view").filter(pk=instance.pk).exists()
            )
        if action == "change":
            return instance.pk in administered_organisation_ids(user)
        return False

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        organisations = Organisation.objects.all()
        if is_secretariat(user):
            return organisations
        if action in ("list", "view", "export"):
            current = organisations.filter(memberships__status__in=CURRENT)
            if action == "export" and not is_network_member(user):
                return organisations.none()
            if is_network_member(user):
                return current | organisations.filter(pk__in=administered_organisation_ids(user))
            return current.filter(is_public=True)
        if action == "change":
            return organisations.filter(pk__in=administered_organisation_ids(user))
        return organisations.none()


class PersonPolicy(ModelPolicy):
    model = Person

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("list", "view"):
            return True
        if action in ("change", "export_personal_data"):
            return getattr(user, "is_authenticated", False)
        if action == "export":
            return is_network_member(user)
        return is_secretariat(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if is_secretariat(user):
            return True
        is_self = instance.user_id is not None and instance.user_id == getattr(user, "pk", None)
        if action in ("change", "export_personal_data"):
            return is_self
        if action in ("list", "view"):
            return (
                is_self
                or self.instances_user_has_permission_for(user, "view")
                .filter(pk=instance.pk)
                .exists()
            )
        return False

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        people = Person.objects.filter(erased_at__isnull=True)
        if is_secretariat(user):
            return Person.objects.all()
        if action in ("list", "view", "export"):
            # Individual members only: staff inherit membership but are not listed by it.
            current = people.filter(
                memberships__status__in=CURRENT, memberships__inherited_from__isnull=True
            )
            if action == "export" and not is_network_member(user):
                return people.none()
            if is_network_member(user):
                return current
            return current.filter(is_public=True)
        if action in ("change", "export_personal_data") and getattr(
            user, "is_authenticated", False
        ):
            return people.filter(user=user)
        return people.none()


class ApplicationPolicy(ModelPolicy):
    model = Application

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action == "add":
            return True  # anyone may apply
        if action == "view":
            return getattr(user, "is_authenticated", False)
        return is_secretariat(user)  # list, decide, vote

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if is_secretariat(user):
            return True
        if action == "view":
            return instance.applicant_user_id is not None and instance.applicant_user_id == getattr(
                user, "pk", None
            )
        return False

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if is_secretariat(user):
            return Application.objects.all()
        if action == "view" and getattr(user, "is_authenticated", False):
            return Application.objects.filter(applicant_user=cast(User, user))
        return Application.objects.none()


class MembershipPolicy(ModelPolicy):
    model = Membership

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("view", "renew"):
            return getattr(user, "is_authenticated", False)
        return is_secretariat(user)  # list, change, override

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if is_secretariat(user):
            return True
        if action in ("view", "renew"):
            if instance.inherited_from_id:
                return action == "view" and instance.person.user_id == getattr(user, "pk", None)
            if instance.organisation_id:
                return instance.organisation_id in administered_organisation_ids(user)
            return instance.person.user_id == getattr(user, "pk", None)
        return False

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        memberships = Membership.objects.all()
        if is_secretariat(user):
            return memberships
        if action in ("view", "renew") and getattr(user, "is_authenticated", False):
            own = Q(person__user=user) | Q(organisation__in=administered_organisation_ids(user))
            if action == "renew":
                return memberships.filter(own, inherited_from__isnull=True)
            return memberships.filter(own)
        return memberships.none()


class PrinciplesVersionPolicy(PublicReadPolicy):
    """Anyone reads the published principles; the secretariat publishes new versions."""

    model = PrinciplesVersion


organisation_policy = OrganisationPolicy()
principles_policy = PrinciplesVersionPolicy()
person_policy = PersonPolicy()
application_policy = ApplicationPolicy()
membership_policy = MembershipPolicy()
