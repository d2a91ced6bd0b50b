"""Reads of the member directory: the filtered listing of current members, profiles, staff
links and the map's member counts per country, each narrowed to what the viewer may see.

Visibility comes from the policies (`organisation_policy`, `person_policy`); which members are
current is defined once in `selectors.counts` (the directory lists members, not applicants);
this module applies the viewer's filters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache as memoize
from pathlib import Path
from typing import Any, TypeVar, overload

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import CharField, Count, Model, Q, QuerySet, Value
from django.db.models.query import EmptyQuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.geo.models import Country, normalize_name
from hrnet.members.models import Affiliation, Organisation, Person
from hrnet.members.policies import (
    administered_organisation_ids,
    is_network_member,
    is_secretariat,
    organisation_policy,
    person_policy,
)
from hrnet.members.selectors.counts import (
    current_individual_members,
    current_member_organisations,
)

INDIVIDUAL = "individual"  # the directory's "type" for individual members
ORGANISATION = "organisation"
PAGE_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)


@dataclass(frozen=True)
class DirectoryFilters:
    """What the viewer asked for; empty values filter nothing."""

    subregion: str = ""  # SubRegion.code
    country: str = ""  # Country.iso2
    type: str = ""  # an Organisation.Kind value, or "individual"
    issue_area: str = ""  # IssueArea.code
    community_led: bool = False
    q: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (only those set), for links that keep them."""
        values = {
            "subregion": self.subregion,
            "country": self.country,
            "type": self.type,
            "issue_area": self.issue_area,
            "community_led": "1" if self.community_led else "",
            "q": self.q,
        }
        return {key: value for key, value in values.items() if value}

    @property
    def is_empty(self) -> bool:
        return not self.as_query()


def type_choices() -> list[tuple[str, Any]]:
    return [*Organisation.Kind.choices, (INDIVIDUAL, gettext_lazy("Individual member"))]


def organisation_name_q(q: str) -> Q:
    # search_key holds every name of the organisation, normalised: case, accents and
    # punctuation are ignored in any script, on any database, in one condition.
    return Q(search_key__contains=normalize_name(q))


def person_name_q(q: str) -> Q:
    # name_key is the normalised full name: case, accents and punctuation ignored in any
    # script, on any database.
    key = normalize_name(q)
    condition = Q(full_name__icontains=q)
    if key:
        condition |= Q(name_key__contains=key)
    return condition


M = TypeVar("M", Organisation, Person)


def _place_issue_filter(
    members: QuerySet[M], *, filters: DirectoryFilters, links: type[Model], column: str
) -> QuerySet[M]:
    """`members` (organisations or people) narrowed to `filters`' sub-region, country and
    issue area; `links` is their issue-areas link table, `column` its member column."""
    if filters.subregion:
        members = members.filter(country__subregion__code=filters.subregion)
    if filters.country:
        members = members.filter(country__iso2=filters.country.upper())
    if filters.issue_area:
        members = members.filter(
            pk__in=links._default_manager.filter(issuearea__code=filters.issue_area).values(column)
        )
    return members


def directory_organisations(*, user: Actor, filters: DirectoryFilters) -> QuerySet[Organisation]:
    """Current member organisations `user` may see, filtered."""
    if filters.type == INDIVIDUAL:
        return Organisation.objects.none()
    organisations = current_member_organisations(user=user)
    if filters.type:
        organisations = organisations.filter(kind=filters.type)
    if filters.community_led:
        organisations = organisations.filter(is_community_led=True)
    organisations = _place_issue_filter(
        organisations,
        filters=filters,
        links=Organisation.issue_areas.through,
        column="organisation_id",
    )
    if filters.q.strip():
        organisations = organisations.filter(organisation_name_q(filters.q.strip()))
    return organisations


def directory_people(*, user: Actor, filters: DirectoryFilters) -> QuerySet[Person]:
    """Current individual members `user` may see, filtered. Staff who are members through
    their organisation are not individual members and are not listed here."""
    if (filters.type and filters.type != INDIVIDUAL) or filters.community_led:
        # Community-led describes organisations.
        return Person.objects.none()
    people = _place_issue_filter(
        current_individual_members(user=user),
        filters=filters,
        links=Person.issue_areas.through,
        column="person_id",
    )
    if filters.q.strip():
        people = people.filter(person_name_q(filters.q.strip()))
    return people


ROW_ORDER = ("name_key", "entry_kind", "pk")
Row = tuple[str, int, str]  # (kind, pk, name_key)


class DirectoryRows:
    """Organisations and individuals in one list sorted by name, as (kind, pk, name_key)
    rows, which a paginator counts and slices: two queries whatever the page size.

    Sorting the UNION of both tables reads every visible member for each page. Where the
    database allows LIMIT inside a UNION (PostgreSQL), a page is instead the first
    `offset + size` rows of each table in name order (each an index scan that stops early)
    merged and sliced by the database, so early pages cost a few rows, not all of them.
    """

    def __init__(self, organisations: QuerySet, people: QuerySet) -> None:
        self.organisations = organisations
        self.people = people

    def _union(self) -> QuerySet:
        return self.organisations.union(self.people, all=True).order_by(*ROW_ORDER)

    def count(self) -> int:
        return self._union().count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Row]:
        return iter(self._union())

    @overload
    def __getitem__(self, key: int) -> Row: ...

    @overload
    def __getitem__(self, key: slice) -> list[Row]: ...

    def __getitem__(self, key: int | slice) -> Row | list[Row]:
        if isinstance(key, int):
            rows = self[key : key + 1]
            if not rows:
                raise IndexError(key)
            return rows[0]
        if key.step is not None:
            raise TypeError("DirectoryRows takes a slice without a step.")
        start, stop = key.start or 0, key.stop
        if stop is not None and stop <= start:
            return []
        for only, empty in ((self.organisations, self.people), (self.people, self.organisations)):
            if isinstance(empty, EmptyQuerySet):  # a type filter: one table, its own index
                return list(only.order_by("name_key", "pk")[start:stop])
        features = connections[self.organisations.db].features
        if stop is None or not features.supports_slicing_ordering_in_compound:
            return list(self._union()[start:stop])
        organisations = self.organisations.order_by("name_key", "pk")[:stop]
        people = self.people.order_by("name_key", "pk")[:stop]
        return list(organisations.union(people, all=True).order_by(*ROW_ORDER)[start:stop])


def directory_rows(*, user: Actor, filters: DirectoryFilters) -> DirectoryRows:
    """The members `user` may see with `filters`, for a paginator (see DirectoryRows);
    `directory_entries` turns a page of rows into displayable entries."""
    return DirectoryRows(
        directory_organisations(user=user, filters=filters)
        .order_by()
        .annotate(entry_kind=Value(ORGANISATION, output_field=CharField()))
        .values_list("entry_kind", "pk", "name_key"),
        directory_people(user=user, filters=filters)
        .order_by()
        .annotate(entry_kind=Value(INDIVIDUAL, output_field=CharField()))
        .values_list("entry_kind", "pk", "name_key"),
    )


@dataclass
class DirectoryEntry:
    """One member as the directory, the profile pages and the API show it."""

    kind: str  # "organisation" or "individual"
    obj: Organisation | Person
    name: str
    type: str
    type_label: str
    country: Country
    city: str
    issue_areas: list[IssueArea]
    description: str = ""
    website: str = ""
    email: str = ""  # organisations, shown to network members only
    logo_url: str = ""
    url: str = ""

    @property
    def pk(self) -> int:
        return self.obj.pk


def _organisation_entry(organisation: Organisation, *, show_email: bool) -> DirectoryEntry:
    return DirectoryEntry(
        kind=ORGANISATION,
        obj=organisation,
        name=organisation.name,
        type=organisation.kind,
        type_label=organisation.get_kind_display(),
        country=organisation.country,
        city=organisation.city,
        issue_areas=list(organisation.issue_areas.all()),
        description=organisation.description,
        website=organisation.website,
        email=organisation.email if show_email else "",
        logo_url=organisation.logo.url if organisation.logo else "",
        url=reverse("members:organisation_detail", args=[organisation.pk]),
    )


def _person_entry(person: Person) -> DirectoryEntry:
    return DirectoryEntry(
        kind=INDIVIDUAL,
        obj=person,
        name=person.full_name,
        type=INDIVIDUAL,
        type_label=str(gettext_lazy("Individual member")),
        country=person.country,
        city=person.city,
        issue_areas=list(person.issue_areas.all()),
        description=person.expertise,
        url=reverse("members:person_detail", args=[person.pk]),
    )


def directory_entries(*, user: Actor, rows: Iterable[Sequence[Any]]) -> list[DirectoryEntry]:
    """A page of `directory_rows` as entries, in the same order: at most two queries per
    kind (the records with country and sub-region, then their issue areas)."""
    rows = list(rows)
    org_ids = [pk for kind, pk, *_rest in rows if kind == ORGANISATION]
    person_ids = [pk for kind, pk, *_rest in rows if kind == INDIVIDUAL]
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=org_ids)
        .select_related("country__subregion")
        .prefetch_related("issue_areas")
    }
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=person_ids)
        .select_related("country__subregion")
        .prefetch_related("issue_areas")
    }
    show_email = is_network_member(user)
    entries = []
    for kind, pk, *_rest in rows:
        if kind == ORGANISATION and pk in organisations:
            entries.append(_organisation_entry(organisations[pk], show_email=show_email))
        elif kind == INDIVIDUAL and pk in people:
            entries.append(_person_entry(people[pk]))
    return entries


# --- profiles --------------------------------------------------------------------------


def organisation_profile_get(*, user: Actor, pk: int) -> Organisation:
    """The organisation if `user` may see its profile; Organisation.DoesNotExist otherwise."""
    return (
        organisation_policy.instances_user_has_permission_for(user, "view")
        .select_related("country__subregion")
        .prefetch_related("issue_areas")
        .get(pk=pk)
    )


def organisation_entry(*, user: Actor, organisation: Organisation) -> DirectoryEntry:
    return _organisation_entry(organisation, show_email=is_network_member(user))


def person_profile_get(*, user: Actor, pk: int) -> Person:
    """The person if `user` may see their profile (an individual member visible to them, or
    themselves); Person.DoesNotExist otherwise."""
    person = (
        Person.objects.select_related("country__subregion")
        .prefetch_related("issue_areas")
        .get(pk=pk)
    )
    if not person_policy.user_has_permission_for_instance(user, "view", person):
        raise Person.DoesNotExist
    return person


def person_entry(*, person: Person) -> DirectoryEntry:
    return _person_entry(person)


def _current_links(today: date | None = None) -> QuerySet[Affiliation]:
    today = today or timezone.localdate()
    return (
        Affiliation.objects.filter(
            person__deleted_at__isnull=True,
            person__erased_at__isnull=True,
        )
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    )


@dataclass
class StaffLink:
    affiliation: Affiliation
    person_url: str = ""  # set when the viewer may open the person's profile


def organisation_staff_visible(*, user: Actor, organisation: Organisation) -> list[StaffLink]:
    """Current staff links shown on an organisation's profile: all of them to network
    members and the organisation's admins, only people who opted in to public listing to
    everyone else (people who use drugs are criminalised in much of the region)."""
    links = (
        _current_links()
        .filter(organisation=organisation)
        .select_related("person")
        .order_by("person__name_key", "pk")
    )
    may_see_all = is_network_member(user) or organisation.pk in administered_organisation_ids(user)
    if not may_see_all:
        links = links.filter(person__is_public=True)
    links_list = list(links)
    visible_people = set(
        person_policy.instances_user_has_permission_for(user, "view")
        .filter(pk__in=[link.person_id for link in links_list])
        .values_list("pk", flat=True)
    )
    return [
        StaffLink(
            affiliation=link,
            person_url=reverse("members:person_detail", args=[link.person_id])
            if link.person_id in visible_people
            else "",
        )
        for link in links_list
    ]


def person_links_visible(*, user: Actor, person: Person) -> list[Affiliation]:
    """A person's current links to organisations whose profile `user` may see."""
    visible = organisation_policy.instances_user_has_permission_for(user, "view")
    return list(
        _current_links()
        .filter(person=person, organisation__in=visible.values("pk"))
        .select_related("organisation")
        .order_by("organisation__name_key")
    )


def organisation_staff_all(*, organisation: Organisation) -> list[Affiliation]:
    """Every staff link, current and past, for the organisation's admins' staff page."""
    return list(
        Affiliation.objects.filter(organisation=organisation)
        .select_related("person")
        .order_by("end_date", "person__name_key", "pk")
    )


def person_email_visible(*, user: Actor, person: Person) -> bool:
    """A person's email is need-to-know: themselves and the secretariat."""
    if not getattr(user, "is_authenticated", False):
        return False
    return person.user_id == user.pk or is_secretariat(user)


def may_manage_organisation(*, user: Actor, organisation: Organisation) -> bool:
    return organisation_policy.user_has_permission_for_instance(user, "change", organisation)


# --- the map ---------------------------------------------------------------------------

SHAPES_FILE = Path(__file__).resolve().parent.parent / "static/members/map/ceeca-shapes.json"
# Lower bounds of the count bands, and their fills (light to dark; the first is "none").
BANDS = (0, 1, 5, 15, 30, 60)
BAND_FILLS = ("#eef2f6", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@memoize
def map_shapes() -> dict[str, Any]:
    """The vendored country shapes (tools/build_map_shapes.py); read once per process."""
    shapes: dict[str, Any] = json.loads(SHAPES_FILE.read_text(encoding="utf-8"))
    return shapes


def band_of(count: int) -> int:
    return max(i for i, lower in enumerate(BANDS) if count >= lower)


def band_label(band: int) -> str:
    lower = BANDS[band]
    if band == len(BANDS) - 1:
        return f"{lower}+"
    upper = BANDS[band + 1] - 1
    return str(lower) if upper == lower else f"{lower}–{upper}"


@dataclass
class CountryCount:
    country: Country
    organisations: int = 0
    individuals: int = 0
    url: str = ""

    @property
    def total(self) -> int:
        return self.organisations + self.individuals

    @property
    def band(self) -> int:
        return band_of(self.total)

    @property
    def fill(self) -> str:
        return BAND_FILLS[self.band]

    @property
    def title(self) -> str:
        return _("%(country)s: %(count)s members") % {
            "country": self.country.name,
            "count": self.total,
        }


def map_cache_seconds() -> int:
    """How long the map's counts may be reused (HRNET_MEMBER_MAP_CACHE_SECONDS, default 0:
    counted on every page). Counting scans every visible member; a short cache spares
    large registers that, at the price of counts up to that many seconds old."""
    return settings.HRNET_MEMBER_MAP_CACHE_SECONDS


def _counts_by_country(queryset: QuerySet) -> dict[int, int]:
    grouped = (
        queryset.order_by()
        .values("country_id")
        # Each member has one membership and issue areas filter by subquery, so rows are
        # not repeated; the list counts the same way.
        .annotate(n=Count("pk"))
        .values_list("country_id", "n")
    )
    seconds = map_cache_seconds()
    if not seconds:
        return dict(grouped)
    # The key is the query itself, so viewers share counts only if they see the same rows.
    sql, params = grouped.query.sql_with_params()
    key = "members:map:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    counts: dict[int, int] | None = cache.get(key)
    if counts is None:
        counts = dict(grouped)
        cache.set(key, counts, seconds)
    return counts


def member_counts_by_country(user: Actor) -> list[CountryCount]:
    """Every country of the network with the current members in it that `user` may see
    (organisations and individuals), in the network's country order. Three queries."""
    no_filters = DirectoryFilters()
    by_country = _counts_by_country

    organisations = by_country(directory_organisations(user=user, filters=no_filters))
    people = by_country(directory_people(user=user, filters=no_filters))
    directory_url = reverse("members:directory")
    return [
        CountryCount(
            country=country,
            organisations=organisations.get(country.pk, 0),
            individuals=people.get(country.pk, 0),
            url=f"{directory_url}?{urlencode({'country': country.iso2})}",
        )
        for country in Country.objects.select_related("subregion")
    ]


@dataclass
class MapCountry:
    count: CountryCount
    d: str
    highlighted: bool = False


@dataclass
class LegendBand:
    label: str
    fill: str


@dataclass
class MemberMap:
    view_box: str
    context: str
    countries: list[MapCountry]
    counts: list[CountryCount]
    legend: list[LegendBand] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count.total for count in self.counts)


def member_map(user: Actor, *, highlight: str = "") -> MemberMap:
    """The choropleth of member counts: shapes, fills, legend and the table behind it.
    Countries the network adds without a shape appear in the table only."""
    shapes = map_shapes()
    counts = member_counts_by_country(user)
    countries = [
        MapCountry(
            count=count,
            d=shapes["countries"][count.country.iso2]["d"],
            highlighted=count.country.iso2 == highlight.upper(),
        )
        for count in counts
        if count.country.iso2 in shapes["countries"]
    ]
    # Highlighted last, so its outline is drawn above its neighbours'.
    countries.sort(key=lambda c: c.highlighted)
    return MemberMap(
        view_box=" ".join(str(v) for v in shapes["view_box"]),
        context=shapes["context"],
        countries=countries,
        counts=counts,
        legend=[
            LegendBand(label=band_label(band), fill=fill) for band, fill in enumerate(BAND_FILLS)
        ],
    )
