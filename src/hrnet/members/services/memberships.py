"""Writes of memberships: starting one, its status from the dates (a daily task), the
secretariat's manual override, renewal with re-acceptance of changed principles, renewal
reminders, and the memberships staff inherit from their organisation."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.links import site_url
from hrnet.core.selectors import network_get
from hrnet.core.types import Actor
from hrnet.members.audit import Action
from hrnet.members.models import (
    Affiliation,
    Membership,
    MembershipType,
    Organisation,
    Person,
    PrinciplesVersion,
    RenewalReminder,
)
from hrnet.members.policies import membership_policy
from hrnet.members.selectors.principles import renewal_needs_principles

Status = Membership.Status


# --- terms and statuses ---------------------------------------------------------------


def membership_type_default(kind: str) -> MembershipType:
    """The membership type new members of this kind get (created on first use)."""
    existing = MembershipType.objects.filter(kind=kind).order_by("pk").first()
    if existing is not None:
        return existing
    names = {
        MembershipType.Kind.ORGANISATIONAL: {"en": "Organisational", "ru": "Организационное"},
        MembershipType.Kind.INDIVIDUAL: {"en": "Individual", "ru": "Индивидуальное"},
    }[MembershipType.Kind(kind)]
    return MembershipType.objects.create(code=kind, kind=kind, names=names)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(membership_type: MembershipType, start: date) -> date:
    """The last day of a term that starts on `start`."""
    if membership_type.term == MembershipType.Term.FIXED:
        return date(start.year, 12, 31)
    return _add_months(start, membership_type.term_months) - timedelta(days=1)


def status_from_dates(membership: Membership, today: date) -> str:
    """The status the dates give, ignoring any override."""
    if membership.start_date is None or membership.start_date > today:
        return Status.PENDING
    if membership.end_date is None or today <= membership.end_date:
        return Status.ACTIVE
    if today <= membership.end_date + timedelta(days=membership.type.grace_days):
        return Status.GRACE
    return Status.LAPSED


def status_computed(membership: Membership, today: date | None = None) -> str:
    if membership.status_override:
        return membership.status_override
    if membership.inherited_from_id:
        return membership.inherited_from.status  # type: ignore[union-attr]
    return status_from_dates(membership, today or timezone.localdate())


def _member_kind(member: Organisation | Person) -> str:
    if isinstance(member, Organisation):
        return MembershipType.Kind.ORGANISATIONAL
    return MembershipType.Kind.INDIVIDUAL


@transaction.atomic
def membership_start(
    *,
    member: Organisation | Person,
    principles_version: PrinciplesVersion,
    actor: Actor | None,
    start: date | None = None,
    membership_type: MembershipType | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    """Make `member` a member from `start` (today) for one term; an inherited membership
    a person had is replaced by their own."""
    start = start or timezone.localdate()
    membership_type = membership_type or membership_type_default(_member_kind(member))
    field = "organisation" if isinstance(member, Organisation) else "person"
    membership = Membership.objects.filter(**{field: member}).first() or Membership(
        **{field: member}
    )
    membership.type = membership_type
    membership.inherited_from = None
    membership.start_date = start
    membership.end_date = term_end(membership_type, start)
    membership.principles_version = principles_version
    membership.status_override = ""
    membership.status = status_from_dates(membership, timezone.localdate())
    membership.save()
    log_action(
        actor=actor,
        action=Action.MEMBERSHIP_START,
        obj=membership,
        changes={"status": membership.status, "end_date": membership.end_date},
        request=request,
    )
    if isinstance(member, Organisation):
        inherited_memberships_recompute(organisation=member)
    return membership


@transaction.atomic
def membership_status_refresh(*, today: date | None = None) -> int:
    """The daily task: bring every status in line with the dates; returns how many changed."""
    today = today or timezone.localdate()
    changed: list[Membership] = []
    own = Membership.objects.filter(inherited_from__isnull=True).select_related("type")
    for membership in own.iterator(chunk_size=1000):
        status = status_computed(membership, today)
        if status != membership.status:
            log_action(
                actor=None,
                action=Action.MEMBERSHIP_CHANGE_STATUS,
                obj=membership,
                changes={"status": {"old": membership.status, "new": status}},
            )
            membership.status = status
            changed.append(membership)
    Membership.objects.bulk_update(changed, ["status", "updated_at"], batch_size=500)
    organisations = Organisation.objects.filter(memberships__isnull=False)
    for organisation in organisations.iterator(chunk_size=500):
        inherited_memberships_recompute(organisation=organisation, today=today)
    return len(changed)


@transaction.atomic
def membership_override(
    *,
    membership: Membership,
    status: str,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Membership:
    """Set the status by hand (suspend, mark as left...) or, with status "", go back to the
    dates. The reason is required and kept."""
    if status and status not in Status.values:
        raise ValidationError({"status": _("“%(value)s” is not a status.") % {"value": status}})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the status is set by hand.")})
    if membership.inherited_from_id:
        raise ValidationError(
            _("This membership comes from the person's organisation; change that one instead.")
        )
    old = membership.status
    membership.status_override = status
    membership.override_reason = reason.strip()
    membership.override_by = actor
    membership.override_at = timezone.now()
    membership.status = status_computed(membership)
    membership.save()
    log_action(
        actor=actor,
        action=Action.MEMBERSHIP_OVERRIDE if status else Action.MEMBERSHIP_CLEAR_OVERRIDE,
        obj=membership,
        changes={"status": {"old": old, "new": membership.status}, "reason": reason.strip()},
        request=request,
    )
    if membership.organisation_id:
        inherited_memberships_recompute(organisation=membership.organisation)  # type: ignore[arg-type]
    return membership


@transaction.atomic
def membership_renew(
    *,
    membership: Membership,
    actor: Actor,
    accepted_principles: PrinciplesVersion | None = None,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    """One more term. When the principles changed since the member accepted them, the
    renewal must accept the current version."""
    today = today or timezone.localdate()
    if membership.inherited_from_id:
        raise ValidationError(_("This membership comes from an organisation and renews with it."))
    if membership.status in (Status.SUSPENDED, Status.LEFT) or membership.status_override:
        raise ValidationError(
            _("This membership is %(status)s; the secretariat can help you renew it.")
            % {"status": membership.get_status_display().lower()}
        )
    required = renewal_needs_principles(membership)
    if required is not None and accepted_principles != required:
        raise ValidationError(
            {
                "accept_principles": _(
                    "The principles changed (version %(number)s). Read and accept them to renew."
                )
                % {"number": required.number}
            }
        )
    if membership.end_date and membership.end_date >= today - timedelta(
        days=membership.type.grace_days
    ):
        new_start = membership.end_date + timedelta(days=1)
    else:
        new_start = today  # lapsed: a new term from today
    old_end = membership.end_date
    membership.end_date = term_end(membership.type, new_start)
    if membership.start_date is None:
        membership.start_date = new_start
    if required is not None:
        membership.principles_version = required
    membership.status = status_computed(membership, today)
    membership.save()
    log_action(
        actor=actor,
        action=Action.MEMBERSHIP_RENEW,
        obj=membership,
        changes={
            "end_date": {"old": old_end, "new": membership.end_date},
            "principles_version": membership.principles_version_id,
        },
        request=request,
    )
    if membership.organisation_id:
        inherited_memberships_recompute(organisation=membership.organisation)  # type: ignore[arg-type]
    return membership


# --- reminders ------------------------------------------------------------------------


def _recipients(membership: Membership) -> list[tuple[str, str]]:
    """(email, language) of the people who renew this membership."""
    default = settings.LANGUAGE_CODE
    if membership.person_id:
        person = membership.person
        assert person is not None  # noqa: S101 - exactly one member (a check constraint)
        language = getattr(person.user, "preferred_language", default) if person.user else default
        return [(person.email, language)] if person.email else []
    organisation = membership.organisation
    assert organisation is not None  # noqa: S101
    today = timezone.localdate()
    admins = (
        Affiliation.objects.filter(organisation=organisation, is_admin=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person__user")
    )
    recipients = {
        a.person.email: getattr(a.person.user, "preferred_language", default)
        for a in admins
        if a.person.email
    }
    if organisation.email and organisation.email not in recipients:
        recipients[organisation.email] = next(iter(recipients.values()), default)
    return list(recipients.items())


def _reminder_step(days_left: int, steps: list[int]) -> int:
    """The most urgent reminder step due `days_left` days before the term ends (a
    reminder sent by hand earlier than every step counts as the least urgent one)."""
    return next((days for days in steps if days_left <= days), max(steps, default=days_left))


def _reminded_already(membership: Membership, step: int, steps: list[int]) -> bool:
    # A later, less urgent step is pointless once a more urgent one went out.
    already = {(r.term_end, r.days_before) for r in membership.reminders.all()}
    return any((membership.end_date, d) in already for d in {*steps, step} if d <= step)


def _reminder_email(
    membership: Membership,
    *,
    days_left: int,
    step: int,
    actor: Actor | None,
    request: HttpRequest | None = None,
) -> int:
    assert membership.end_date is not None  # noqa: S101 - callers check
    network = network_get()
    sent = 0
    for email, language in _recipients(membership):
        with translation.override(language):
            context = {
                "membership": membership,
                "member": membership.member,
                "days_left": days_left,
                "network": network,
                "renew_url": site_url(_renew_path(membership)),
            }
            subject = render_to_string("members/email/renewal_reminder_subject.txt", context)
            body = render_to_string("members/email/renewal_reminder_body.txt", context)
        EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            to=[email],
            headers={"Content-Language": language},
        ).send()
        sent += 1
    RenewalReminder.objects.create(
        membership=membership, term_end=membership.end_date, days_before=step
    )
    log_action(
        actor=actor,
        action=Action.MEMBERSHIP_REMIND_RENEWAL,
        obj=membership,
        changes={"days_before": step, "emails": sent},
        request=request,
    )
    return sent


def renewal_reminders_send(*, today: date | None = None) -> int:
    """Email members whose term ends within one of HRNET_RENEWAL_REMINDER_DAYS; each
    step once per term, only the most urgent step due. Returns emails sent."""
    today = today or timezone.localdate()
    steps = sorted(settings.HRNET_RENEWAL_REMINDER_DAYS)
    if not steps:
        return 0
    due = (
        Membership.objects.filter(
            inherited_from__isnull=True,
            status=Status.ACTIVE,
            status_override="",
            end_date__gte=today,
            end_date__lte=today + timedelta(days=max(steps)),
        )
        .select_related("organisation", "person__user", "type")
        .prefetch_related("reminders")
    )
    sent = 0
    for membership in due:
        assert membership.end_date is not None  # noqa: S101 - filtered above
        days_left = (membership.end_date - today).days
        step = _reminder_step(days_left, steps)
        if _reminded_already(membership, step, steps):
            continue
        sent += _reminder_email(membership, days_left=days_left, step=step, actor=None)
    return sent


@transaction.atomic
def renewal_reminder_send(
    *,
    membership: Membership,
    actor: User,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> int:
    """The secretariat sends the renewal reminder to one member now (a bulk action on the
    renewals queue). It counts as the step it falls in, so neither the secretariat nor the
    daily task sends the same reminder twice in one term. Returns emails sent."""
    membership_policy.require(actor, "change", membership)
    today = today or timezone.localdate()
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "person__user", "type")
        .get(pk=membership.pk)
    )
    if (
        membership.inherited_from_id
        or membership.status not in Membership.CURRENT_STATUSES
        or membership.end_date is None
        or membership.end_date < today
    ):
        raise ValidationError(
            _("Only a current membership whose term has not ended yet gets a renewal reminder.")
        )
    steps = sorted(settings.HRNET_RENEWAL_REMINDER_DAYS)
    days_left = (membership.end_date - today).days
    step = _reminder_step(days_left, steps)
    if _reminded_already(membership, step, steps):
        raise ValidationError(_("A reminder for this term was already sent."))
    if not _recipients(membership):
        raise ValidationError(_("Nobody to write to: the member has no email address."))
    return _reminder_email(membership, days_left=days_left, step=step, actor=actor, request=request)


def _renew_path(membership: Membership) -> str:
    from django.urls import reverse

    return reverse("members:membership_detail", args=[membership.pk])


# --- inherited memberships ------------------------------------------------------------


@transaction.atomic
def inherited_memberships_recompute(
    *, organisation: Organisation, today: date | None = None
) -> None:
    """Give the organisation's current staff the organisation's membership, up to
    HRNET_INHERITED_MEMBERSHIP_CAP of them (admins first, then the longest-standing), and
    take it from those no longer eligible. Called whenever links or memberships change."""
    today = today or timezone.localdate()
    source = (
        Membership.objects.filter(organisation=organisation, inherited_from__isnull=True)
        .select_related("type")
        .first()
    )
    inherited = Membership.objects.filter(inherited_from__organisation=organisation)
    if source is None or not source.is_current:
        inherited.delete()
        return
    current_links = (
        Affiliation.objects.filter(organisation=organisation, person__deleted_at__isnull=True)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-is_admin", "start_date", "pk")
    )
    # People with a membership of their own, or one through another organisation, keep it.
    taken = set(
        Membership.objects.filter(person__isnull=False)
        .exclude(inherited_from=source)
        .values_list("person_id", flat=True)
    )
    eligible: list[int] = []
    for person_id in current_links.values_list("person_id", flat=True):
        if person_id not in taken and person_id not in eligible:
            eligible.append(person_id)
        if len(eligible) >= settings.HRNET_INHERITED_MEMBERSHIP_CAP:
            break
    inherited.exclude(person_id__in=eligible).delete()
    existing = {m.person_id: m for m in inherited.filter(person_id__in=eligible)}
    for person_id in eligible:
        membership = existing.get(person_id) or Membership(
            person_id=person_id, inherited_from=source
        )
        membership.type = source.type
        membership.start_date = source.start_date
        membership.end_date = source.end_date
        membership.status = source.status
        membership.principles_version = source.principles_version
        membership.save()
