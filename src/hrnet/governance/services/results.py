"""After voting closes: committee members confirm the count (the first confirmation
freezes it into `Election.result`; each later one checks the ballots still give the same
count), and once two different members have confirmed, the secretariat publishes the
result with its statement in each language, and the bulletin with it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.governance.audit import Action
from hrnet.governance.models import Election, ResultConfirmation
from hrnet.governance.policies import election_policy
from hrnet.governance.tally import election_count

CONFIRMATIONS_NEEDED = 2


@transaction.atomic
def result_confirm(
    *, actor: User, election: Election, request: HttpRequest | None = None
) -> Election:
    election_policy.require(actor, "confirm", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    count = election_count(election)
    if election.result and election.result != count:
        # Ballots cannot change after closing; a difference means the data was tampered
        # with, and nobody should publish before finding out.
        raise ValidationError(
            _(
                "The count differs from the one confirmed before. Do not publish; tell the "
                "secretariat."
            )
        )
    try:
        with transaction.atomic():
            ResultConfirmation.objects.create(election=election, user=actor)
    except IntegrityError:
        raise ValidationError(_("You have already confirmed this count.")) from None
    if not election.result:
        election.result = count
        election.save(update_fields=["result", "updated_at"])
    log_action(
        actor=actor,
        action=Action.RESULT_CONFIRM,
        obj=election,
        changes={"bulletin_sha256": count["bulletin_sha256"]},
        request=request,
    )
    return election


@transaction.atomic
def results_publish(
    *,
    actor: User,
    election: Election,
    summaries: dict[str, str],
    request: HttpRequest | None = None,
) -> Election:
    election_policy.require(actor, "publish", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    confirmed = election.confirmations.values("user").distinct().count()
    if confirmed < CONFIRMATIONS_NEEDED:
        raise ValidationError(
            _(
                "Two members of the election committee must confirm the count first "
                "(%(count)s so far)."
            )
            % {"count": confirmed}
        )
    summaries = {code: text.strip() for code, text in summaries.items() if text and text.strip()}
    if not summaries:
        raise ValidationError(
            {"summaries": _("Write the result statement in at least one language.")}
        )
    election.result_summaries = summaries
    election.published_at = timezone.now()
    election.save(update_fields=["result_summaries", "published_at", "updated_at"])
    log_action(actor=actor, action=Action.ELECTION_PUBLISH, obj=election, request=request)
    return election
