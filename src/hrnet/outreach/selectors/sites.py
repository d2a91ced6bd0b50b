"""Reads of sites: each takes the acting user and returns only the sites they may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from hrnet.core.types import Actor
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids, is_secretariat
from hrnet.outreach.models import Site
from hrnet.outreach.policies import site_policy


@dataclass(frozen=True)
class SiteFilters:
    country: str = ""  # ISO2
    organisation: int | None = None
    active_only: bool = True


def site_list(*, user: Actor, filters: SiteFilters) -> QuerySet[Site]:
    sites = site_policy.instances_user_has_permission_for(user, "list")
    if filters.country:
        sites = sites.filter(country__iso2__iexact=filters.country)
    if filters.organisation:
        sites = sites.filter(organisation_id=filters.organisation)
    if filters.active_only:
        sites = sites.filter(is_active=True)
    return sites.select_related("country", "organisation").order_by(
        "country__iso2", "organisation_id", "name"
    )


def site_get(*, user: Actor, pk: int) -> Site:
    """Raises Site.DoesNotExist for a site the user may not see."""
    return site_policy.instances_user_has_permission_for(user, "view").get(pk=pk)


def organisations_for_sites(*, user: Actor) -> QuerySet[Organisation]:
    """The organisations the user may add sites to."""
    if is_secretariat(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=administered_organisation_ids(user))
