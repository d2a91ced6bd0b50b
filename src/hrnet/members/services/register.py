"""Writes of the register: creating organisations and people, finding duplicates, and
merging two records of the same member into one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.models import IssueArea
from hrnet.core.trash import trash_move
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.audit import Action
from hrnet.members.models import Affiliation, Application, Membership, Organisation, Person
from hrnet.members.selectors.register import (
    DUPLICATE_ORGANISATION,
    MergePlan,
    duplicates_find,
    merge_plan,
)
from hrnet.members.services.memberships import inherited_memberships_recompute


def texts_clean(texts: Mapping[str, str]) -> dict[str, str]:
    """Per-language texts stripped, without the empty ones."""
    return {code: text.strip() for code, text in texts.items() if text and text.strip()}


def organisation_fields_set(
    organisation: Organisation,
    *,
    names: Mapping[str, str],
    name_original: str,
    kind: str,
    is_community_led: bool,
    city: str,
    website: str,
    email: str,
) -> None:
    """Set an organisation's names, kind and contact fields as typed (trimmed, the email in
    lower case, community-led whenever its kind is) and its name keys."""
    organisation.names = texts_clean(names)
    organisation.name_original = name_original.strip()
    organisation.kind = kind
    organisation.is_community_led = is_community_led or kind == Organisation.Kind.COMMUNITY_LED
    organisation.city = city.strip()
    organisation.website = website.strip()
    organisation.email = email.strip().lower()
    organisation.refresh_name_key()


@transaction.atomic
def organisation_create(
    *,
    names: dict[str, str],
    kind: str,
    country: Country,
    actor: Actor | None = None,
    name_original: str = "",
    is_community_led: bool = False,
    city: str = "",
    website: str = "",
    email: str = "",
    descriptions: dict[str, str] | None = None,
    issue_areas: Iterable[IssueArea] = (),
    is_public: bool = False,
    request: HttpRequest | None = None,
) -> Organisation:
    organisation = Organisation(
        country=country, descriptions=descriptions or {}, is_public=is_public
    )
    organisation_fields_set(
        organisation,
        names=names,
        name_original=name_original,
        kind=kind,
        is_community_led=is_community_led,
        city=city,
        website=website,
        email=email,
    )
    organisation.full_clean()
    organisation.save()
    organisation.issue_areas.set(list(issue_areas))
    log_action(actor=actor, action=Action.ORGANISATION_CREATE, obj=organisation, request=request)
    return organisation


@transaction.atomic
def person_create(
    *,
    full_name: str,
    country: Country,
    actor: Actor | None = None,
    email: str = "",
    city: str = "",
    expertise: str = "",
    languages: Iterable[str] = (),
    issue_areas: Iterable[IssueArea] = (),
    is_public: bool = False,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> Person:
    person = Person(
        full_name=" ".join(full_name.split()),
        email=email.strip().lower(),
        country=country,
        city=city.strip(),
        expertise=expertise.strip(),
        languages=list(languages),
        is_public=is_public,
        user=user,
    )
    person.refresh_name_key()
    person.full_clean()
    person.save()
    person.issue_areas.set(list(issue_areas))
    log_action(actor=actor, action=Action.PERSON_CREATE, obj=person, request=request)
    return person


# --- duplicates -------------------------------------------------------------------------


def duplicates_check(
    *,
    kind: str,
    email: str = "",
    name: str = "",
    country: Country | None = None,
    exclude_pk: int | None = None,
) -> None:
    """Refuse a record that duplicates one in the register (ValidationError naming the
    field and the existing record). For forms that create records; `organisation_create`
    and `person_create` themselves never refuse."""
    existing = duplicates_find(
        kind=kind, email=email, name=name, country=country, exclude_pk=exclude_pk
    )
    if not existing:
        return
    record = existing[0]
    if email and record.email.lower() == email.strip().lower():
        raise ValidationError(
            {
                "email": _("The email address %(email)s is already in the register: %(name)s.")
                % {"email": email.strip(), "name": str(record)}
            }
        )
    field = "name" if kind == DUPLICATE_ORGANISATION else "full_name"
    raise ValidationError(
        {
            field: _("%(name)s in %(country)s is already in the register.")
            % {"name": str(record), "country": record.country.name}
        }
    )


# --- merging ----------------------------------------------------------------------------


@transaction.atomic
def organisation_merge(
    *, keep: Organisation, merge: Organisation, actor: Actor, request: HttpRequest | None = None
) -> Organisation:
    """Move every link of `merge` to `keep`, fill `keep`'s empty fields from `merge`, and
    put `merge` in the trash. See `selectors.register.merge_plan` for what moves."""
    keep, merge = _lock(Organisation, keep, merge)
    plan = merge_plan(keep=keep, merge=merge)
    changes = _merge_execute(plan, actor=actor, request=request)
    inherited_memberships_recompute(organisation=keep)
    log_action(
        actor=actor, action=Action.ORGANISATION_MERGE, obj=keep, changes=changes, request=request
    )
    return keep


@transaction.atomic
def person_merge(
    *, keep: Person, merge: Person, actor: Actor, request: HttpRequest | None = None
) -> Person:
    """Move every link of `merge` to `keep`, fill `keep`'s empty fields from `merge`, and
    put `merge` in the trash. See `selectors.register.merge_plan` for what moves."""
    keep, merge = _lock(Person, keep, merge)
    plan = merge_plan(keep=keep, merge=merge)
    organisation_ids = {a.organisation_id for a in plan.affiliations_move} | {
        twin.organisation_id for twin, _dup in plan.affiliations_combine
    }
    changes = _merge_execute(plan, actor=actor, request=request)
    # Staff links moved, so who inherits which organisation's membership may change.
    for organisation in Organisation.objects.filter(pk__in=organisation_ids):
        inherited_memberships_recompute(organisation=organisation)
    log_action(actor=actor, action=Action.PERSON_MERGE, obj=keep, changes=changes, request=request)
    return keep


def _lock(model: Any, keep: Any, merge: Any) -> tuple[Any, Any]:
    """Fresh copies of both records, locked until the merge commits (PostgreSQL)."""
    rows = {
        row.pk: row
        for row in model.all_objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])
    }
    return rows.get(keep.pk, keep), rows.get(merge.pk, merge)


def _merge_execute(plan: MergePlan, *, actor: Actor, request: HttpRequest | None) -> dict[str, Any]:
    if plan.problems:
        raise ValidationError(plan.problems)
    keep, merge = plan.keep, plan.merge
    field = plan.link_field  # "organisation" or "person"
    changes: dict[str, Any] = {"merged": {"id": merge.pk, "name": str(merge)}}

    # Links to another record of the same pair become one link.
    combined = []
    for twin, duplicate in plan.affiliations_combine:
        twin.start_date, twin.end_date, twin.is_admin = plan.combined_affiliation(twin, duplicate)
        twin.save(update_fields=["start_date", "end_date", "is_admin", "updated_at"])
        combined.append(duplicate.pk)
        duplicate.delete()
    moved = [a.pk for a in plan.affiliations_move]
    Affiliation.objects.filter(pk__in=moved).update(**{field: keep})
    changes["affiliations_moved"] = moved
    changes["affiliations_combined"] = combined

    if plan.membership_drop is not None:
        dropped = plan.membership_drop
        changes["membership_deleted"] = {
            "id": dropped.pk,
            "status": dropped.status,
            "type": dropped.type.code,
            "start_date": dropped.start_date,
            "end_date": dropped.end_date,
            "inherited_from": dropped.inherited_from_id,
        }
        dropped.delete()
    if plan.membership_keep is not None and plan.membership_moves:
        Membership.objects.filter(pk=plan.membership_keep.pk).update(**{field: keep})
        changes["membership_moved"] = plan.membership_keep.pk

    applications = [a.pk for a in plan.applications_move]
    Application.objects.filter(pk__in=applications).update(**{field: keep})
    changes["applications_moved"] = applications

    if plan.issue_areas_add:
        keep.issue_areas.add(*plan.issue_areas_add)
    changes["issue_areas_added"] = [area.code for area in plan.issue_areas_add]

    changes["other_links_moved"] = _other_links_move(keep, merge)

    if plan.user_moves:
        user = merge.user
        merge.user = None
        merge.save(update_fields=["user", "updated_at"])
        keep.user = user
        changes["account_moved"] = user.pk
    for name, value in plan.fields_fill.items():
        setattr(keep, name, value)
    keep.refresh_name_key()
    keep.save()
    changes["fields_filled"] = sorted(plan.fields_fill)

    trash_move(obj=merge, actor=actor, request=request)
    return changes


# Links the merge handles itself; any other foreign key to the record (from modules added
# later) is simply pointed at the record kept.
_HANDLED_LINKS = (Affiliation, Membership, Application)


def _other_links_move(keep: Any, merge: Any) -> dict[str, int]:
    moved: dict[str, int] = {}
    for relation in type(keep)._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue  # not a link from another model
        if relation.many_to_many:
            count = _many_to_many_move(relation.field, keep, merge)
            if count:
                moved[relation.related_model._meta.label_lower] = count
            continue
        if not relation.one_to_many:
            continue
        related_model = relation.related_model
        # Many-to-many tables of the record's own fields (issue areas) are merged above.
        if related_model in _HANDLED_LINKS or related_model._meta.auto_created:
            continue
        name = relation.field.name
        count = related_model._base_manager.filter(**{name: merge}).update(**{name: keep})
        if count:
            moved[related_model._meta.label_lower] = count
    return moved


def _many_to_many_move(m2m: Any, keep: Any, merge: Any) -> int:
    """Another model's many-to-many links to `merge` now point at `keep` (once each)."""
    through = m2m.remote_field.through
    ours, theirs = m2m.m2m_reverse_field_name(), m2m.m2m_field_name()
    already = through.objects.filter(**{ours: keep}).values(theirs)
    through.objects.filter(**{ours: merge, f"{theirs}__in": already}).delete()
    return int(through.objects.filter(**{ours: merge}).update(**{ours: keep}))
