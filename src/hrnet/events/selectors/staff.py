"""Reads for an organisation admin: the upcoming-event registrations of their staff (the
people with a current affiliation to an organisation they administer)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hrnet.core.types import Actor
from hrnet.events.models import Registration
from hrnet.events.policies import registration_policy, staff_affiliations
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids, is_secretariat

STAFF_PAGE_SIZE = 50


def staff_organisations(*, user: Actor) -> QuerySet[Organisation]:
    """The organisations whose staff's registrations `user` may list, by name: those they
    administer (the secretariat: those with staff registered for an upcoming event)."""
    if is_secretariat(user):
        registered = staff_registrations(user=user).values("user")
        organisations = Organisation.objects.filter(
            affiliations__in=staff_affiliations(user).filter(person__user__in=registered)
        )
    else:
        organisations = Organisation.objects.filter(pk__in=administered_organisation_ids(user))
    return organisations.distinct().order_by("name_key", "pk")


def staff_registrations(*, user: Actor, organisation: int | None = None) -> QuerySet[Registration]:
    """The live registrations (pending, confirmed, waiting, offered) of `user`'s staff for
    events not over yet and not in the trash, soonest event first; `organisation` keeps
    one organisation's staff. Each has `staff_links`: the registrant's current staff links
    that `user` may see, with their organisation."""
    links = staff_affiliations(user)
    if organisation is not None:
        links = links.filter(organisation=organisation)
    ordered_links = links.select_related("organisation").order_by("organisation__name_key", "pk")
    return (
        registration_policy.instances_user_has_permission_for(user, "list_staff")
        .filter(
            user__person__affiliations__in=links,
            status__in=Registration.ACTIVE,
            event__ends_at__gte=timezone.now(),
            event__deleted_at__isnull=True,
        )
        .select_related("event", "user__person")
        .prefetch_related(
            Prefetch(
                "user__person__affiliations",
                queryset=ordered_links,
                to_attr="staff_links",
            )
        )
        .order_by("event__starts_at", "event__pk", "pk")
    )
