"""Who may do what with events. Views, API, admin, exports and reports all ask these.

Event actions: "list" and "view" (read), "add", "change", "delete" (the secretariat),
"register" (signed-in people; members-only events: network members), "register_guest"
(anyone without an account, for a published public event not marked members-only), "manage" (see the
participants and their answers, approve, check in, import attendance, send feedback
surveys, issue certificates, read reports: the secretariat and the event's organisers).

Registration actions: those of the registrant ("view", "cancel", ...) and "list_staff": the
registrations of an organisation's current staff, for the admins of that organisation
(names and events only) and the secretariat.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.core.policies import ModelPolicy
from hrnet.core.types import Actor
from hrnet.events.models import Event, Registration
from hrnet.members.models import Affiliation
from hrnet.members.policies import (
    administered_organisation_ids,
    is_network_member,
    is_secretariat,
)

READ_ACTIONS = ("list", "view")


def is_organiser(user: Actor, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return event.organisers.filter(pk=user.pk).exists()


def visible_q(user: Actor) -> Q:
    """The condition on events for what `user` may read."""
    published = Q(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
    if not is_network_member(user):
        published &= Q(visibility=Event.Visibility.PUBLIC)
    if getattr(user, "is_authenticated", False):
        published |= Q(organisers=user)
    return published


class EventPolicy(ModelPolicy):
    model = Event

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in READ_ACTIONS:
            return True  # narrowed per record
        if action == "register":
            return bool(getattr(user, "is_authenticated", False) and user.is_active)
        if action == "register_guest":
            return True  # narrowed per record
        if action == "manage":
            return bool(getattr(user, "is_authenticated", False))  # narrowed per record
        return is_secretariat(user)  # add, change, delete

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        event: Event = instance
        if event.deleted_at is not None:
            return False
        if is_secretariat(user):
            return True
        if action == "manage":
            return is_organiser(user, event)
        if action in READ_ACTIONS:
            if is_organiser(user, event):
                return True
            if event.status == Event.Status.DRAFT:
                return False
            return event.visibility == Event.Visibility.PUBLIC or is_network_member(user)
        if action == "register":
            return (
                self.user_has_permission(user, "register")
                and event.takes_registrations
                and event.status == Event.Status.PUBLISHED
                and (event.visibility == Event.Visibility.PUBLIC or is_network_member(user))
            )
        if action == "register_guest":
            return (
                event.takes_registrations
                and event.status == Event.Status.PUBLISHED
                and event.visibility == Event.Visibility.PUBLIC
                and not event.members_only
            )
        return False

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        events = Event.objects.all()
        if is_secretariat(user):
            return events
        if action in READ_ACTIONS:
            return events.filter(visible_q(user)).distinct()
        if action == "manage" and getattr(user, "is_authenticated", False):
            return events.filter(organisers=user)
        return events.none()


def staff_affiliations(user: Actor) -> QuerySet[Affiliation]:
    """The current staff links of the organisations `user` administers (of every
    organisation, for the secretariat)."""
    today = timezone.localdate()
    current = Affiliation.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
    )
    if is_secretariat(user):
        return current
    return current.filter(organisation__in=administered_organisation_ids(user))


class RegistrationPolicy(ModelPolicy):
    """A registration is read by its registrant and by those who manage the event."""

    model = Registration

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action == "list_staff":
            return is_secretariat(user) or bool(administered_organisation_ids(user))
        return bool(getattr(user, "is_authenticated", False))  # narrowed per record

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        registration: Registration = instance
        if action == "list_staff":
            return self.instances_user_has_permission_for(user, action).contains(registration)
        if event_policy.user_has_permission_for_instance(user, "manage", registration.event):
            return True
        # A guest's registration (no user) is nobody's here: guests act by signed links.
        own = registration.user_id is not None and registration.user_id == getattr(user, "pk", None)
        return own and action in ("view", "cancel", "accept_offer", "feedback", "certificate")

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        registrations = Registration.objects.all()
        if action == "list_staff":
            return registrations.filter(
                user__person__affiliations__in=staff_affiliations(user)
            ).distinct()
        if is_secretariat(user):
            return registrations
        if not getattr(user, "is_authenticated", False):
            return registrations.none()
        return registrations.filter(Q(user=user) | Q(event__organisers=user)).distinct()


event_policy = EventPolicy()
registration_policy = RegistrationPolicy()
