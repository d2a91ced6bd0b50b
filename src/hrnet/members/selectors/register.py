"""Reads of the register for the secretariat's tools: records that duplicate a given one,
possible duplicate pairs, what a merge would move, and the rows an export may contain."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.geo.models import Country, normalize_name
from hrnet.members.models import (
    Affiliation,
    Application,
    DuplicateDismissal,
    Membership,
    Organisation,
    Person,
)
from hrnet.members.policies import organisation_policy, person_policy

# The directory's own name search, so an export finds what the directory finds.
from hrnet.members.selectors.directory import (
    INDIVIDUAL,
    DirectoryFilters,
    organisation_name_q,
    person_name_q,
)
from hrnet.members.similarity import alike, match_key, similarity, trigram_available

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
    same email address (whatever its case), or a name in the same country alike enough
    (HRNET_DUPLICATE_SIMILARITY, Cyrillic and Latin compared after one transliteration).
    Records in the trash and erased people are not looked at; the exact matches first."""
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
    live = model.objects.select_related("country")
    if model is Person:
        live = live.filter(erased_at__isnull=True)
    if exclude_pk is not None:
        live = live.exclude(pk=exclude_pk)
    found = list(live.filter(condition))
    if key and country is not None:
        wanted = match_key(key)
        seen = {record.pk for record in found}
        candidates = _similar_candidates(live.filter(country=country), wanted)
        alike_ones = [
            (similarity(wanted, record.match_key), record)
            for record in candidates
            if record.pk not in seen and alike(wanted, record.match_key)
        ]
        found += [record for _score, record in sorted(alike_ones, key=lambda p: -p[0])]
    return found


def _similar_candidates(records: QuerySet, wanted: str) -> QuerySet:
    """Records whose name may be alike: by trigram on PostgreSQL (index), else all."""
    if trigram_available():
        return records.extra(where=["match_key %% %s"], params=[wanted])
    return records


@dataclass(frozen=True)
class DuplicatePair:
    """Two records that are probably the same member, and why we think so."""

    first: Any
    second: Any
    same_email: bool
    same_name: bool
    similar_name: bool = False

    @property
    def kind(self) -> str:
        return "organisation" if isinstance(self.first, Organisation) else "person"


def _dismissed(kind: str) -> set[tuple[int, int]]:
    return set(DuplicateDismissal.objects.filter(kind=kind).values_list("first_id", "second_id"))


def _similar_pairs(model: Any, rows: list[tuple[int, str, int]]) -> set[tuple[int, int]]:
    """Pairs in one country whose names are alike, from (pk, match key, country) rows.
    PostgreSQL pairs them by trigram (the index) and Python scores them; elsewhere every
    pair within a country whose lengths allow it is scored."""
    pairs: set[tuple[int, int]] = set()
    if not rows:
        return pairs
    if trigram_available():
        table = model._meta.db_table
        ids = [pk for pk, _key, _country in rows]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.id, b.id, a.match_key, b.match_key FROM {table} a "  # noqa: S608
                f"JOIN {table} b ON a.country_id = b.country_id AND a.id < b.id "
                "AND a.match_key %% b.match_key "
                "WHERE a.id = ANY(%s) AND b.id = ANY(%s)",
                [ids, ids],
            )
            for first, second, key_a, key_b in cursor.fetchall():
                if alike(key_a, key_b):
                    pairs.add((first, second))
        return pairs
    by_country: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, key, country_id in rows:
        if key:
            by_country[country_id].append((pk, key))
    for group in by_country.values():
        for (a, key_a), (b, key_b) in combinations(sorted(group), 2):
            if alike(key_a, key_b):
                pairs.add((a, b))
    return pairs


def duplicate_pairs(*, kind: str) -> list[DuplicatePair]:
    """Every pair of live records of this kind with the same email address, or alike names
    in the same country, except pairs the secretariat marked "not a duplicate"."""
    model: Any = Organisation if kind == "organisation" else Person
    records = model.objects.all()
    if model is Person:
        records = records.filter(erased_at__isnull=True)
    by_email: dict[str, list[int]] = defaultdict(list)
    by_name: dict[tuple[str, int], list[int]] = defaultdict(list)
    rows: list[tuple[int, str, int]] = []
    for pk, email, key, country_id, match in records.values_list(
        "pk", "email", "name_key", "country_id", "match_key"
    ):
        if email:
            by_email[email.strip().lower()].append(pk)
        if key:
            by_name[(key, country_id)].append(pk)
        rows.append((pk, match, country_id))
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    for groups, reason in ((by_email, "email"), (by_name, "name")):
        for group in groups.values():
            for pair in combinations(sorted(group), 2):
                reasons[pair].add(reason)
    for pair in _similar_pairs(model, rows):
        if "name" not in reasons.get(pair, set()):
            reasons[pair].add("similar")
    for pair in _dismissed(kind):
        reasons.pop(pair, None)
    if not reasons:
        return []
    ids = {pk for pair in reasons for pk in pair}
    found = model.objects.select_related("country").in_bulk(ids)
    return [
        DuplicatePair(
            first=found[a],
            second=found[b],
            same_email="email" in why,
            same_name="name" in why,
            similar_name="similar" in why,
        )
        for (a, b), why in sorted(reasons.items())
        if a in found and b in found
    ]


# --- merging ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OtherLink:
    """Records of another model that point at the merged record and will move."""

    model: Any
    field_name: str
    pks: list[Any]
    many_to_many: bool = False

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def count(self) -> int:
        return len(self.pks)


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
    # The other record's membership: kept as an earlier period of the one kept.
    membership_fold: Membership | None = None
    membership_moves: bool = False
    # The earliest "member since" of the two, which the membership kept takes.
    membership_since: date | None = None
    applications_move: list[Application] = field(default_factory=list)
    # Everything else that points at the merged record (requests, signatures, events...).
    other_links: list[OtherLink] = field(default_factory=list)
    issue_areas_add: list[IssueArea] = field(default_factory=list)
    fields_fill: dict[str, Any] = field(default_factory=dict)
    user_moves: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.link_field

    @staticmethod
    def affiliations_overlap(one: Affiliation, other: Affiliation) -> bool:
        """Whether two copies of one link cover touching dates (then they are one link;
        otherwise both periods are kept as separate links)."""
        starts_before_other_ends = (
            one.start_date is None or other.end_date is None or one.start_date <= other.end_date
        )
        other_starts_before_one_ends = (
            other.start_date is None or one.end_date is None or other.start_date <= one.end_date
        )
        return starts_before_other_ends and other_starts_before_one_ends

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
        if twin is None or not plan.affiliations_overlap(twin, link):
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
        plan.membership_fold = kept if better_is_merged else merged
        plan.membership_moves = better_is_merged
        starts = [m.start_date for m in (kept, merged) if m.start_date]
        plan.membership_since = min(starts) if starts else None
    elif merged:
        plan.membership_keep, plan.membership_moves = merged, True
    else:
        plan.membership_keep = kept

    plan.applications_move = list(
        Application.objects.filter(**{link_field: merge}).order_by("created_at")
    )
    plan.other_links = other_links_find(merge)
    kept_areas = set(keep.issue_areas.values_list("pk", flat=True))
    plan.issue_areas_add = [a for a in merge.issue_areas.all() if a.pk not in kept_areas]
    plan.fields_fill = _fields_to_fill(keep, merge)
    plan.user_moves = not is_organisation and bool(merge.user_id) and not keep.user_id  # type: ignore[union-attr]
    return plan


# Links the merge handles itself; any other link to the record (from any module, found
# through the model's relations) is pointed at the record kept.
HANDLED_LINKS = (Affiliation, Membership, Application)


def other_links_find(merge: Organisation | Person) -> list[OtherLink]:
    """Every record of another model that points at `merge`: found through the relations,
    so modules added later (requests, signatures, registrations...) are listed too."""
    found: list[OtherLink] = []
    for relation in type(merge)._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue  # not a link from another model
        related_model: Any = relation.related_model
        if relation.many_to_many:
            m2m: Any = relation.field  # type: ignore[union-attr]
            through = m2m.remote_field.through
            ours = m2m.m2m_reverse_field_name()
            pks = list(through.objects.filter(**{ours: merge}).values_list("pk", flat=True))
            if pks:
                found.append(OtherLink(related_model, ours, pks, many_to_many=True))
            continue
        if not relation.one_to_many:
            continue
        # Many-to-many tables of the record's own fields (issue areas) are merged apart.
        if related_model in HANDLED_LINKS or related_model._meta.auto_created:
            continue
        name = relation.field.name  # type: ignore[union-attr]
        pks = list(related_model._base_manager.filter(**{name: merge}).values_list("pk", flat=True))
        if pks:
            found.append(OtherLink(related_model, name, pks))
    return sorted(found, key=lambda link: link.label)


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
