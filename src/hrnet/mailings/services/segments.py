"""Writes of segments: saved register filters with a name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.types import Actor
from hrnet.mailings.audit import Action
from hrnet.mailings.models import Segment
from hrnet.mailings.policies import segment_policy
from hrnet.mailings.selectors import ANY, CURRENT, SegmentFilters
from hrnet.members.models import Membership
from hrnet.members.selectors.directory import type_choices

# --- segments ---------------------------------------------------------------------------


def _filters_check(data: dict[str, Any]) -> SegmentFilters:
    if not isinstance(data, dict):
        raise ValidationError({"filters": _("The filters must be an object.")})
    filters = SegmentFilters.from_dict(data)
    problems: dict[str, str] = {}
    kinds = {str(code) for code, _label in type_choices()}
    if filters.type and filters.type not in kinds:
        problems["type"] = _("“%(value)s” is not a type of member.") % {"value": filters.type}
    statuses = {CURRENT, ANY, *Membership.Status.values}
    if filters.membership_status not in statuses:
        problems["membership_status"] = _("“%(value)s” is not a membership status.") % {
            "value": filters.membership_status
        }
    if filters.language and not (2 <= len(filters.language) <= 3 and filters.language.isalpha()):
        problems["language"] = _("“%(value)s” is not a language code.") % {
            "value": filters.language
        }
    if filters.event and filters.event != ANY and not filters.event.isdigit():
        problems["event"] = _("“%(value)s” is not an event.") % {"value": filters.event}
    if problems:
        raise ValidationError(problems)
    return filters


def _name_check(name: str, *, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the segment a name.")})
    same = Segment.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError(
            {"name": _("A segment named “%(name)s” already exists.") % {"name": name}}
        )
    return name


@transaction.atomic
def segment_create(
    *, actor: Actor, name: str, filters: dict[str, Any], request: HttpRequest | None = None
) -> Segment:
    segment_policy.require(actor, "add")
    segment = Segment.objects.create(
        name=_name_check(name),
        filters=_filters_check(filters).as_dict(),
        created_by=actor if isinstance(actor, User) else None,
    )
    log_action(
        actor=actor,
        action=Action.SEGMENT_CREATE,
        obj=segment,
        changes={"filters": segment.filters},
        request=request,
    )
    return segment


@transaction.atomic
def segment_update(
    *,
    actor: Actor,
    segment: Segment,
    name: str,
    filters: dict[str, Any],
    request: HttpRequest | None = None,
) -> Segment:
    segment_policy.require(actor, "change", segment)
    segment.name = _name_check(name, exclude_pk=segment.pk)
    segment.filters = _filters_check(filters).as_dict()
    segment.save(update_fields=["name", "filters", "updated_at"])
    log_action(
        actor=actor,
        action=Action.SEGMENT_CHANGE,
        obj=segment,
        changes={"filters": segment.filters},
        request=request,
    )
    return segment
