"""Freezing a voter roll from the register: the current member organisations and/or the
current individual members (`members.selectors.counts`, the one definition), as they
stand when the secretariat freezes it on or after the cut-off date. A frozen roll never
changes: who may vote is what it says."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.governance.audit import Action
from hrnet.governance.models import Roll, RollEntry
from hrnet.governance.policies import roll_policy
from hrnet.members.selectors.counts import current_individual_members, current_member_organisations


@transaction.atomic
def roll_freeze(*, actor: User, roll: Roll, request: HttpRequest | None = None) -> int:
    roll_policy.require(actor, "freeze", roll)
    roll = Roll.objects.select_for_update().get(pk=roll.pk)
    if roll.frozen_at is not None:
        raise ValidationError(_("The voter roll is already frozen."))
    if timezone.localdate() < roll.cutoff:
        raise ValidationError(
            _("The roll can be frozen from its cut-off date, %(date)s.") % {"date": roll.cutoff}
        )
    entries: list[RollEntry] = []
    if roll.voters in (Roll.Voters.ORGANISATIONS, Roll.Voters.BOTH):
        organisations = (
            current_member_organisations(user=actor).select_related("country").distinct()
        )
        entries += [
            RollEntry(roll=roll, organisation=o, subregion_id=o.country.subregion_id, name=o.name)
            for o in organisations
        ]
    if roll.voters in (Roll.Voters.INDIVIDUALS, Roll.Voters.BOTH):
        people = current_individual_members(user=actor).select_related("country").distinct()
        entries += [
            RollEntry(roll=roll, person=p, subregion_id=p.country.subregion_id, name=p.full_name)
            for p in people
        ]
    RollEntry.objects.bulk_create(entries)
    roll.frozen_at = timezone.now()
    roll.save(update_fields=["frozen_at"])
    log_action(
        actor=actor,
        action=Action.ROLL_FREEZE,
        obj=roll,
        changes={"voters": len(entries)},
        request=request,
    )
    return len(entries)
