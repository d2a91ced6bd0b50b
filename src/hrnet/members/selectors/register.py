"""Reads of the register for the secretariat's tools: records that duplicate a given one,
possible duplicate pairs, what a merge would move, and the rows an export may contain."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.geo.models import Country, normalize_name
from hrnet.members.models import Affiliation, Application, Membership, Organisation, Person
from hrnet.members.policies import organisation_policy, person_policy

# The directory's own name search, so an export finds what the directory finds.
from hrnet.members.selectors.directory import (
    INDIVIDUAL,
    DirectoryFilters,
    organisation_name_q,
    person_name_q,
)

# --- duplicates -------------------------------------------------------------------------


DUPLICATE_ORGANISATION = "organisation"  # the `kind` of duplicates_find
DUPLICATE_PERSON = "person"


def _register_model(kind: str) -> type[Organisation] | type[Person]:
    if kind == DUPLICATE_ORGANISATION:
        return Organisation
    if kind in (DUPLICATE_PERSON, "individual"):
        return Person
    raise ValueError(kind)


def duplicates_find(
    *,
    kind: str,
    email: str = "",
    name: str = "",
    country: Country | None = None,
    exclude_pk: int | None = None,
) -> list[Any]:
    """Records of this kind ("organisation" or "person") that are probably the same: the
    same email address (whatever its case), or the same normalised name in the same
    country. Records in the trash and erased people are not looked at."""
    condition = Q()
    email = email.strip()
    if email:
        condition |= Q(email__iexact=email)
    key = normalize_name(name or "")
    if key and country is not None:
        condition |= Q(name_key=key, country=country)
    if not condition:
        return []
    model = _register_model(kind)
    found = model.objects.filter(condition).select_related("country")
    if model is Person:
        found = found.filter(erased_at__isnull=True)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return list(found)


@dataclass(frozen=True)
class DuplicatePair:
    """Two records that are probably the same member, and why we think so."""

    first: Any
    second: Any
    same_email: bool
    same_name: bool

    @property
    def kind(self) -> str:
        return "organisation" if isinstance(self.first, Organisation) else "person"


def duplicate_pairs(*, kind: str) -> list[DuplicatePair]:
    """Every pair of live records of this kind with the same email address, or the same
    normalised name in the same country. Two queries whatever the size of the register."""
    model: Any = Organisation if kind == "organisation" else Person
    records = model.objects.all()
    if model is Person:
        records = records.filter(erased_at__isnull=True)
    by_email: dict[str, list[int]] = defaultdict(list)
    by_name: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pk, email, key, country_id in records.values_list("pk", "email", "name_key", "country_id"):
        if email:
            by_email[email.strip().lower()].append(pk)
        if key:
            by_name[(key, country_id)].append(pk)
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    for groups, reason in ((by_email, "email"), (by_name, "name")):
        for group in groups.values():
            for pair in combinations(sorted(group), 2):
                reasons[pair].add(reason)
    if not reasons:
        return []
    ids = {pk for pair in reasons for pk in pair}
    found = model.objects.select_related("country").in_bulk(ids)
    return [
        DuplicatePair(
            first=found[a], second=found[b], same_email="email" in why, same_name="name" in why
        )
        for (a, b), why in sorted(reasons.items())
        if a in found and b in found
    ]


# --- merging ----------------------------------------------------------------------------


@dataclass
class MergePlan:
    """What merging `merge` into `keep` does; the preview shows it, the service runs it."""

    keep: Any
    merge: Any
    link_field: str  # the field of Affiliation/Membership/Application pointing at the record
    affiliations_move: list[Affiliation] = field(default_factory=list)
    # (link of the record kept, the same link of the merged record, which is dropped)
    affiliations_combine: list[tuple[Affiliation, Affiliation]] = field(default_factory=list)
    membership_keep: Membership | None = None
    membership_drop: Membership | None = None
    membership_moves: bool = False
    applications_move: list[Application] = field(default_factory=list)
    issue_areas_add: list[IssueArea] = field(default_factory=list)
    fields_fill: dict[str, Any] = field(default_factory=dict)
    user_moves: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.link_field

    @staticmethod
    def combined_affiliation(
        twin: Affiliation, duplicate: Affiliation
    ) -> tuple[date | None, date | None, bool]:
        """The widest dates of two copies of one link, and admin if either was."""
        starts = [d for d in (twin.start_date, duplicate.start_date) if d]
        start = min(starts) if starts else None
        # No end date means the link is current; that wins over an end.
        ends = [twin.end_date, duplicate.end_date]
        end = None if None in ends else max(d for d in ends if d)
        return start, end, twin.is_admin or duplicate.is_admin

    @property
    def fields_fill_display(self) -> list[tuple[str, str]]:
        model = type(self.keep)
        shown = []
        for name, value in self.fields_fill.items():
            label = str(model._meta.get_field(name).verbose_name)
            if isinstance(value, dict):
                added = [text for code, text in value.items() if not _get(self.keep, name, code)]
                text = "; ".join(added)
            elif isinstance(value, list):
                text = ", ".join(value)
            elif isinstance(value, bool):
                text = _("yes") if value else _("no")
            else:
                text = str(value)
            shown.append((label, text))
        return shown


def _get(record: Any, name: str, code: str) -> str:
    return (getattr(record, name) or {}).get(code, "")


def _membership_rank(membership: Membership) -> tuple[bool, bool, date]:
    # Current beats not current; one's own beats one inherited; then the later term end.
    return (
        membership.is_current,
        membership.inherited_from_id is None,
        membership.end_date or date.min,
    )


def merge_plan(*, keep: Organisation | Person, merge: Organisation | Person) -> MergePlan:
    """What a merge of `merge` into `keep` moves, combines, deletes and fills in."""
    if type(keep) is not type(merge):
        raise TypeError("Only two records of the same kind can be merged.")
    is_organisation = isinstance(keep, Organisation)
    link_field = "organisation" if is_organisation else "person"
    other_field = "person" if is_organisation else "organisation"
    plan = MergePlan(keep=keep, merge=merge, link_field=link_field)

    if keep.pk == merge.pk:
        plan.problems.append(_("Choose two different records."))
        return plan
    for record in (keep, merge):
        if record.deleted_at is not None:
            plan.problems.append(_("%(name)s is in the trash.") % {"name": str(record)})
        if not is_organisation and record.erased_at is not None:  # type: ignore[union-attr]
            plan.problems.append(
                _("The personal data of %(name)s was erased; it cannot be merged.")
                % {"name": str(record)}
            )
    if not is_organisation and keep.user_id and merge.user_id:  # type: ignore[union-attr]
        plan.problems.append(
            _(
                "Both people have an account. Deactivate one of the two accounts and unlink "
                "it from its person first."
            )
        )

    # Affiliations: the same link on both sides (same other end, same role) becomes one.
    links = Affiliation.objects.filter(**{f"{link_field}__in": [keep.pk, merge.pk]})
    links = links.select_related(other_field).order_by("pk")
    kept_links: dict[tuple[int, str], Affiliation] = {}
    merged_links: list[Affiliation] = []
    for link in links:
        if getattr(link, f"{link_field}_id") == keep.pk:
            kept_links[(getattr(link, f"{other_field}_id"), link.role)] = link
        else:
            merged_links.append(link)
    for link in merged_links:
        twin = kept_links.get((getattr(link, f"{other_field}_id"), link.role))
        if twin is None:
            plan.affiliations_move.append(link)
        else:
            plan.affiliations_combine.append((twin, link))

    # Memberships: one per member, so the better one stays and the other goes.
    memberships = {
        getattr(m, f"{link_field}_id"): m
        for m in Membership.objects.filter(
            **{f"{link_field}__in": [keep.pk, merge.pk]}
        ).select_related("type", "inherited_from__organisation")
    }
    kept, merged = memberships.get(keep.pk), memberships.get(merge.pk)
    if kept and merged:
        better_is_merged = _membership_rank(merged) > _membership_rank(kept)
        plan.membership_keep = merged if better_is_merged else kept
        plan.membership_drop = kept if better_is_merged else merged
        plan.membership_moves = better_is_merged
    elif merged:
        plan.membership_keep, plan.membership_moves = merged, True
    else:
        plan.membership_keep = kept

    plan.applications_move = list(
        Application.objects.filter(**{link_field: merge}).order_by("created_at")
    )
    kept_areas = set(keep.issue_areas.values_list("pk", flat=True))
    plan.issue_areas_add = [a for a in merge.issue_areas.all() if a.pk not in kept_areas]
    plan.fields_fill = _fields_to_fill(keep, merge)
    plan.user_moves = not is_organisation and bool(merge.user_id) and not keep.user_id  # type: ignore[union-attr]
    return plan


def _fields_to_fill(keep: Any, merge: Any) -> dict[str, Any]:
    fill: dict[str, Any] = {}
    if isinstance(keep, Organisation):
        for name in ("names", "descriptions"):
            ours, theirs = getattr(keep, name) or {}, getattr(merge, name) or {}
            combined = {**ours}
            for code, text in theirs.items():
                if text and not combined.get(code):
                    combined[code] = text
            if combined != ours:
                fill[name] = combined
        texts: tuple[str, ...] = ("name_original", "city", "website", "email")
        if not keep.logo and merge.logo:
            fill["logo"] = merge.logo
        if merge.is_community_led and not keep.is_community_led:
            fill["is_community_led"] = True
    else:
        texts = ("email", "city", "expertise")
        languages = [*keep.languages, *(c for c in merge.languages if c not in keep.languages)]
        if languages != list(keep.languages):
            fill["languages"] = languages
    for name in texts:
        if not getattr(keep, name) and getattr(merge, name):
            fill[name] = getattr(merge, name)
    return fill


# --- rows for exports -------------------------------------------------------------------


def register_filter(queryset: QuerySet, filters: DirectoryFilters, *, kind: str) -> QuerySet:
    """Narrow organisations (kind "organisation") or people by the member directory's
    filters, with the directory's meaning: type "individual" lists people only, any other
    type or community-led lists organisations only."""
    is_organisation = kind == "organisation"
    if is_organisation and filters.type == INDIVIDUAL:
        return queryset.none()
    if not is_organisation and (
        (filters.type and filters.type != INDIVIDUAL) or filters.community_led
    ):
        return queryset.none()
    if filters.subregion:
        queryset = queryset.filter(country__subregion__code=filters.subregion)
    if filters.country:
        queryset = queryset.filter(country__iso2__iexact=filters.country)
    if filters.issue_area:
        model: Any = Organisation if is_organisation else Person
        through = model.issue_areas.through.objects.filter(issuearea__code=filters.issue_area)
        queryset = queryset.filter(pk__in=through.values(f"{kind}_id"))
    if is_organisation:
        if filters.type:
            queryset = queryset.filter(kind=filters.type)
        if filters.community_led:
            queryset = queryset.filter(is_community_led=True)
    if q := filters.q.strip():
        queryset = queryset.filter(organisation_name_q(q) if is_organisation else person_name_q(q))
    return queryset


def organisations_for_export(*, user: Actor, filters: DirectoryFilters) -> QuerySet:
    """The organisations `user` may export, filtered, with what the rows show prefetched."""
    allowed = organisation_policy.instances_user_has_permission_for(user, "export")
    organisations = register_filter(
        Organisation.objects.filter(pk__in=allowed.values("pk")), filters, kind="organisation"
    )
    return organisations.select_related("country__subregion").prefetch_related(
        "issue_areas",
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(inherited_from__isnull=True),
            to_attr="own_memberships",
        ),
    )


def people_for_export(*, user: Actor, filters: DirectoryFilters) -> QuerySet:
    """The people `user` may export, filtered, with what the rows show prefetched."""
    allowed = person_policy.instances_user_has_permission_for(user, "export")
    people = register_filter(
        Person.objects.filter(pk__in=allowed.values("pk")), filters, kind="person"
    )
    # The "organisation" column names only organisations the exporter may see (not, say,
    # an applicant organisation to a member), as the person's profile page does.
    visible = organisation_policy.instances_user_has_permission_for(user, "view")
    return people.select_related("country__subregion").prefetch_related(
        "issue_areas",
        Prefetch("memberships", queryset=Membership.objects.select_related("inherited_from")),
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(
                organisation__deleted_at__isnull=True, organisation__in=visible.values("pk")
            ).select_related("organisation"),
        ),
    )
