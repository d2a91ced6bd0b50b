"""Member counts and short lists for other pages (home, country pages)."""

from __future__ import annotations

from django.db.models import QuerySet

from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.models import Organisation, Person
from hrnet.members.policies import organisation_policy, person_policy


def member_totals(*, user: Actor) -> dict[str, int]:
    """Current members the viewer may see: organisations and individual members."""
    return {
        "organisations": organisation_policy.instances_user_has_permission_for(
            user, "list"
        ).count(),
        "individuals": person_policy.instances_user_has_permission_for(user, "list").count(),
    }


def country_organisations(*, user: Actor, country: Country) -> QuerySet[Organisation]:
    return organisation_policy.instances_user_has_permission_for(user, "list").filter(
        country=country
    )


def country_individuals(*, user: Actor, country: Country) -> QuerySet[Person]:
    return person_policy.instances_user_has_permission_for(user, "list").filter(country=country)
