"""The one definition of the network's member counts, for every page and the API.

A *current member organisation* is an organisation that is not in the trash and whose
membership is current (`Membership.CURRENT_STATUSES`: active, or in its grace period
after the term ended while the renewal is on its way). Applicants (pending), lapsed,
suspended and former (left) members are not counted.

A *current individual member* is a person not in the trash and whose personal data was
not erased, with a current membership *of their own*: staff who are members through
their organisation's membership (`inherited_from`) are not individual members.

Each count is what the reader may see (the policies decide): an anonymous visitor, or a
signed-in person outside the network, counts only the members listed in the public
directory; network members and the secretariat count every current member. The home
page, the dashboard, the directory (its list, its total and its map), the sub-region and
country pages and `/api/v1/members/counts` all count through `member_counts` or the two
querysets below, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from hrnet.core.types import Actor
from hrnet.members.models import Membership, Organisation, Person
from hrnet.members.policies import organisation_policy, person_policy

CURRENT = Membership.CURRENT_STATUSES


def current_member_organisations(*, user: Actor) -> QuerySet[Organisation]:
    """Current member organisations `user` may see (see the module's docstring)."""
    return organisation_policy.instances_user_has_permission_for(user, "list").filter(
        memberships__status__in=CURRENT
    )


def current_individual_members(*, user: Actor) -> QuerySet[Person]:
    """Current individual members `user` may see (see the module's docstring)."""
    return person_policy.instances_user_has_permission_for(user, "list").filter(
        erased_at__isnull=True,
        # One filter() call: both conditions hold for the same membership.
        memberships__status__in=CURRENT,
        memberships__inherited_from__isnull=True,
    )


@dataclass(frozen=True)
class MemberCounts:
    organisations: int
    individuals: int

    @property
    def total(self) -> int:
        return self.organisations + self.individuals


def member_counts(*, user: Actor, subregion: str = "", country: str = "") -> MemberCounts:
    """How many current member organisations and individual members `user` may see, in
    the whole network or in one sub-region (its code) or country (its ISO alpha-2 code)."""
    organisations = current_member_organisations(user=user)
    individuals = current_individual_members(user=user)
    if subregion:
        organisations = organisations.filter(country__subregion__code=subregion)
        individuals = individuals.filter(country__subregion__code=subregion)
    if country:
        organisations = organisations.filter(country__iso2=country.upper())
        individuals = individuals.filter(country__iso2=country.upper())
    # Each member has one membership, so the joins repeat no row: count() is exact.
    return MemberCounts(organisations=organisations.count(), individuals=individuals.count())
