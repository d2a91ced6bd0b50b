"""Writes of mailings: drafts, and queueing one to send (now or at a time). The sending
itself is `services.delivery`, run by the `deliver_mailing` task."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.models import TaskProgress
from hrnet.core.progress import job_start
from hrnet.core.types import Actor
from hrnet.mailings.audit import Action
from hrnet.mailings.models import Category, Mailing, Recipient, Segment
from hrnet.mailings.policies import mailing_policy
from hrnet.mailings.selectors import LANGUAGE_CODES, SegmentFilters, segment_recipients
from hrnet.mailings.tasks import deliver_mailing

JOB_NAME = gettext_noop("Sending a mailing")


# --- mailings ---------------------------------------------------------------------------


def _texts_check(subjects: dict[str, str], bodies: dict[str, str]) -> tuple[dict, dict]:
    subjects = {c: " ".join((subjects or {}).get(c, "").split()) for c in LANGUAGE_CODES}
    bodies = {c: ((bodies or {}).get(c) or "").strip() for c in LANGUAGE_CODES}
    problems: dict[str, str] = {}
    for code in LANGUAGE_CODES:
        if subjects[code] and not bodies[code]:
            problems[f"body_{code}"] = _("Write the message that goes with this subject.")
        if bodies[code] and not subjects[code]:
            problems[f"subject_{code}"] = _("Write a subject for this message.")
    if not any(subjects.values()) and not problems:
        problems["subject_en"] = _("Write the mailing in at least one language.")
    if problems:
        raise ValidationError(problems)
    return (
        {c: v for c, v in subjects.items() if v},
        {c: v for c, v in bodies.items() if v},
    )


@transaction.atomic
def mailing_create(
    *,
    actor: Actor,
    segment: Segment,
    subjects: dict[str, str],
    bodies: dict[str, str],
    category: str = Category.ANNOUNCEMENTS,
    request: HttpRequest | None = None,
) -> Mailing:
    """A draft mailing to `segment`; nothing is sent until `mailing_send`."""
    mailing_policy.require(actor, "add")
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    subjects, bodies = _texts_check(subjects, bodies)
    mailing = Mailing.objects.create(
        segment=segment,
        category=category,
        subjects=subjects,
        bodies=bodies,
        created_by=actor if isinstance(actor, User) else None,
    )
    log_action(actor=actor, action=Action.MAILING_CREATE, obj=mailing, request=request)
    return mailing


@transaction.atomic
def mailing_update(
    *,
    actor: Actor,
    mailing: Mailing,
    segment: Segment,
    subjects: dict[str, str],
    bodies: dict[str, str],
    category: str,
    request: HttpRequest | None = None,
) -> Mailing:
    """Change a draft (a queued or sent mailing is kept as it went out)."""
    mailing_policy.require(actor, "change", mailing)
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != Mailing.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    mailing.subjects, mailing.bodies = _texts_check(subjects, bodies)
    mailing.segment, mailing.category = segment, category
    mailing.save(update_fields=["subjects", "bodies", "segment", "category", "updated_at"])
    return mailing


def _enqueue(mailing: Mailing) -> None:
    run_after = mailing.send_at if mailing.send_at and mailing.send_at > timezone.now() else None
    task = deliver_mailing
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # This backend cannot wait; `hrnet mailings_send` sends it when it is due.
            return
        task = task.using(run_after=run_after)
    task.enqueue(mailing_id=mailing.pk)


@transaction.atomic
def mailing_send(
    *,
    actor: Actor,
    mailing: Mailing,
    send_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> tuple[Mailing, bool]:
    """Queue a draft (now, or at `send_at`): its recipients are fixed at this moment. A
    failed mailing is queued again and sends only to those not sent yet. Anything else is
    left as it is. Returns the mailing and whether it was queued by this call."""
    mailing_policy.require(actor, "send", mailing)
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status not in (Mailing.Status.DRAFT, Mailing.Status.FAILED):
        return mailing, False
    if mailing.status == Mailing.Status.DRAFT:
        recipients = segment_recipients(
            filters=SegmentFilters.from_dict(mailing.segment.filters), category=mailing.category
        )
        Recipient.objects.bulk_create(
            Recipient(
                mailing=mailing,
                email=r.email,
                name=r.name[:300],
                language=r.language,
                person_id=r.person_id,
            )
            for r in recipients
        )
        mailing.job = job_start(name=JOB_NAME, owner=actor, total=len(recipients))
        mailing.send_at = send_at
    elif mailing.job is not None:
        TaskProgress.objects.filter(pk=mailing.job.pk).update(
            status=TaskProgress.Status.QUEUED, message=""
        )
    mailing.status = Mailing.Status.QUEUED
    mailing.queued_at = timezone.now()
    mailing.error = ""
    mailing.save(update_fields=["status", "queued_at", "send_at", "job", "error", "updated_at"])
    log_action(
        actor=actor,
        action=Action.MAILING_SEND,
        obj=mailing,
        changes={"send_at": send_at.isoformat() if send_at else None},
        request=request,
    )
    transaction.on_commit(lambda: _enqueue(mailing))
    return mailing, True
