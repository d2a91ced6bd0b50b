"""Writes of the register: creating organisations and people, finding duplicates, and
merging two records of the same member into one."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.models import IssueArea
from hrnet.core.trash import trash_move
from hrnet.core.types import Actor
from hrnet.geo.models import Country, normalize_name
from hrnet.members.audit import Action
from hrnet.members.models import (
    Affiliation,
    Application,
    DuplicateDismissal,
    Membership,
    MembershipPeriod,
    Organisation,
    Person,
    RegisterMerge,
)
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
    if record.name_key != normalize_name(name):
        raise ValidationError(
            {
                field: _(
                    "A record with a similar name is already in the register in "
                    "%(country)s: %(name)s. If it is the same, use it; if not, ask the "
                    "secretariat."
                )
                % {"name": str(record), "country": record.country.name}
            }
        )
    raise ValidationError(
        {
            field: _("%(name)s in %(country)s is already in the register.")
            % {"name": str(record), "country": record.country.name}
        }
    )


@transaction.atomic
def duplicate_dismiss(
    *, kind: str, first: int, second: int, actor: Actor, request: HttpRequest | None = None
) -> DuplicateDismissal:
    """Remember that two records are not the same member, so they are not suggested as
    duplicates again."""
    model: Any = Organisation if kind == DUPLICATE_ORGANISATION else Person
    records = model.objects.filter(pk__in=[first, second])
    if first == second or records.count() != 2:
        raise ValidationError(_("Choose two different records of the register."))
    low, high = sorted((first, second))
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        kind=kind, first_id=low, second_id=high, defaults={"dismissed_by": actor}
    )
    log_action(
        actor=actor,
        action=Action.DUPLICATE_DISMISS,
        obj=records.get(pk=low),
        changes={"not_a_duplicate_of": high},
        request=request,
    )
    return dismissal


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
    """Run the plan and return what changed, in the form `merge_undo` needs (ids and the
    values replaced), which is also what the audit log records."""
    if plan.problems:
        raise ValidationError(plan.problems)
    keep, merge = plan.keep, plan.merge
    field = plan.link_field  # "organisation" or "person"
    changes: dict[str, Any] = {"merged": {"id": merge.pk, "name": str(merge)}}

    # Overlapping copies of one link become one link with the widest dates.
    combined = []
    for twin, duplicate in plan.affiliations_combine:
        combined.append(
            {"twin": _affiliation_state(twin), "duplicate": _affiliation_state(duplicate)}
        )
        twin.start_date, twin.end_date, twin.is_admin = plan.combined_affiliation(twin, duplicate)
        twin.save(update_fields=["start_date", "end_date", "is_admin", "updated_at"])
        duplicate.delete()
    moved = [a.pk for a in plan.affiliations_move]
    Affiliation.objects.filter(pk__in=moved).update(**{field: keep})
    changes["affiliations_moved"] = moved
    changes["affiliations_combined"] = combined

    changes["membership"] = _memberships_merge(plan)

    applications = [a.pk for a in plan.applications_move]
    Application.objects.filter(pk__in=applications).update(**{field: keep})
    changes["applications_moved"] = applications

    if plan.issue_areas_add:
        keep.issue_areas.add(*plan.issue_areas_add)
    changes["issue_areas_added"] = [area.code for area in plan.issue_areas_add]

    changes["other_links_moved"] = _other_links_move(plan, keep)

    if plan.user_moves:
        user = merge.user
        merge.user = None
        merge.save(update_fields=["user", "updated_at"])
        keep.user = user
        changes["account_moved"] = user.pk
    changes["fields_before"] = {name: _json_value(getattr(keep, name)) for name in plan.fields_fill}
    for name, value in plan.fields_fill.items():
        setattr(keep, name, value)
    keep.refresh_name_key()
    keep.save()
    changes["fields_filled"] = sorted(plan.fields_fill)

    trash_move(obj=merge, actor=actor, request=request)
    RegisterMerge.objects.create(
        kind=plan.kind,
        keep_id=keep.pk,
        merge_id=merge.pk,
        changes=json.loads(json.dumps(changes, cls=DjangoJSONEncoder)),
    )
    return changes


def _json_value(value: Any) -> Any:
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file field
        return value.name or ""
    return value


def _affiliation_state(link: Affiliation) -> dict[str, Any]:
    return {
        "id": link.pk,
        "person": link.person_id,
        "organisation": link.organisation_id,
        "role": link.role,
        "is_admin": link.is_admin,
        "start_date": link.start_date,
        "end_date": link.end_date,
    }


def _membership_state(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "organisation": membership.organisation_id,
        "person": membership.person_id,
        "type": membership.type_id,
        "inherited_from": membership.inherited_from_id,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "status": membership.status,
        "status_override": membership.status_override,
        "override_reason": membership.override_reason,
        "override_by": membership.override_by_id,
        "override_at": membership.override_at,
        "principles_version": membership.principles_version_id,
        "created_at": membership.created_at,
    }


def _memberships_merge(plan: MergePlan) -> dict[str, Any]:
    """One membership stays (one per member); the other becomes an earlier period of it,
    and the one kept counts from the earliest "member since" of the two."""
    kept, folded = plan.membership_keep, plan.membership_fold
    done: dict[str, Any] = {"moved": None, "folded": None, "period": None}
    if kept is None:
        return done
    if folded is not None:
        done["folded"] = _membership_state(folded)
        done["kept_start_date"] = kept.start_date
        member: Any = folded.member
        period = MembershipPeriod.objects.create(
            membership=kept,
            type=folded.type,
            start_date=folded.start_date,
            end_date=folded.end_date,
            status=folded.status,
            source=f"{member} (#{member.pk})",
        )
        done["period"] = period.pk
        # Periods it kept from earlier merges stay in the history of the one kept.
        done["periods_moved"] = list(folded.periods.values_list("pk", flat=True))
        folded.periods.update(membership=kept)
        # Deleted before the other moves (one membership per member); the inherited
        # memberships of its staff are recomputed from the one kept.
        folded.delete()
    if plan.membership_moves:
        Membership.objects.filter(pk=kept.pk).update(**{plan.link_field: plan.keep})
        done["moved"] = kept.pk
    if plan.membership_since and plan.membership_since != kept.start_date:
        Membership.objects.filter(pk=kept.pk).update(start_date=plan.membership_since)
    return done


def _other_links_move(plan: MergePlan, keep: Any) -> list[dict[str, Any]]:
    """Point every other link at the record kept. A row that cannot move (the record kept
    has the same one already: a signature, a registration) stays with the merged record
    in the trash, and is named in the audit log."""
    moved: list[dict[str, Any]] = []
    for link in plan.other_links:
        model = link.model
        if link.many_to_many:
            model = next(
                f.remote_field.through
                for f in model._meta.many_to_many
                if f.remote_field.model is type(keep)
                and f.m2m_reverse_field_name() == link.field_name
            )
        done, kept_back = [], []
        for pk in link.pks:
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{link.field_name: keep})
            except IntegrityError:
                kept_back.append(pk)
            else:
                done.append(pk)
        moved.append(
            {
                "model": model._meta.label_lower,
                "field": link.field_name,
                "ids": done,
                "not_moved": kept_back,
            }
        )
    return moved


# --- undoing a merge ----------------------------------------------------------------------


@transaction.atomic
def merge_undo(*, merged: Organisation | Person) -> RegisterMerge | None:
    """Put back what the last merge of `merged` moved: its links, requests, signatures and
    its own membership, and the fields it filled in the record kept (where nobody changed
    them since). Called when the merged record is restored from the trash."""
    kind = "organisation" if isinstance(merged, Organisation) else "person"
    record = (
        RegisterMerge.objects.select_for_update()
        .filter(kind=kind, merge_id=merged.pk, undone_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if record is None:
        return None
    model: Any = type(merged)
    keep = model.all_objects.get(pk=record.keep_id)
    changes, field = record.changes, kind

    for link in reversed(changes.get("other_links_moved", [])):
        linked: Any = apps.get_model(link["model"])
        for pk in link["ids"]:
            with contextlib.suppress(IntegrityError), transaction.atomic():
                linked._base_manager.filter(pk=pk, **{link["field"]: keep}).update(
                    **{link["field"]: merged}
                )
    Application.objects.filter(pk__in=changes.get("applications_moved", [])).update(
        **{field: merged}
    )
    Affiliation.objects.filter(pk__in=changes.get("affiliations_moved", [])).update(
        **{field: merged}
    )
    for pair in changes.get("affiliations_combined", []):
        twin = pair["twin"]
        Affiliation.objects.filter(pk=twin["id"]).update(
            start_date=twin["start_date"], end_date=twin["end_date"], is_admin=twin["is_admin"]
        )
        duplicate = dict(pair["duplicate"])
        duplicate["person_id"] = duplicate.pop("person")
        duplicate["organisation_id"] = duplicate.pop("organisation")
        Affiliation.objects.create(**duplicate)

    membership = changes.get("membership") or {}
    if membership.get("folded"):
        kept_membership = (
            Membership.objects.filter(pk=membership["moved"] or 0).first()
            or Membership.objects.filter(**{field: keep}).first()
        )
        MembershipPeriod.objects.filter(pk=membership.get("period") or 0).delete()
    if membership.get("moved"):
        Membership.objects.filter(pk=membership["moved"]).update(**{field: merged})
    if membership.get("folded"):
        if kept_membership is not None:
            kept_membership.refresh_from_db()
            kept_membership.start_date = membership.get("kept_start_date")
            kept_membership.save(update_fields=["start_date", "updated_at"])
        state = dict(membership["folded"])
        for name in ("organisation", "person", "type", "inherited_from", "override_by"):
            state[f"{name}_id"] = state.pop(name)
        state["principles_version_id"] = state.pop("principles_version")
        restored = Membership.objects.create(**state)
        MembershipPeriod.objects.filter(pk__in=membership.get("periods_moved", [])).update(
            membership=restored
        )

    if changes.get("issue_areas_added"):
        keep.issue_areas.remove(*IssueArea.objects.filter(code__in=changes["issue_areas_added"]))
    if changes.get("account_moved") and keep.user_id == changes["account_moved"]:
        keep.user = None
        keep.save(update_fields=["user", "updated_at"])
        merged.user_id = changes["account_moved"]  # type: ignore[union-attr]
        merged.save(update_fields=["user", "updated_at"])
    for name, before in (changes.get("fields_before") or {}).items():
        setattr(keep, name, before)
    if changes.get("fields_before"):
        keep.refresh_name_key()
        keep.save()

    for organisation in _organisations_touched(keep, merged):
        inherited_memberships_recompute(organisation=organisation)
    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at", "updated_at"])
    log_action(
        actor=None,
        action=Action.ORGANISATION_MERGE_UNDO
        if kind == "organisation"
        else Action.PERSON_MERGE_UNDO,
        obj=keep,
        changes={"merged": {"id": merged.pk, "name": str(merged)}},
    )
    return record


def _organisations_touched(keep: Any, merged: Any) -> list[Organisation]:
    if isinstance(keep, Organisation):
        return [keep, merged]
    ids = Affiliation.objects.filter(person__in=[keep, merged]).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids))


def merge_undo_on_restore(obj: Any) -> None:
    """The trash's listener: restoring a merged record undoes its merge."""
    if isinstance(obj, Organisation | Person) and obj.deleted_at is None:
        merge_undo(merged=obj)
