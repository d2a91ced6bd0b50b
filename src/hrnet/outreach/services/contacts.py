"""Recording contacts (what was given, tested and referred) and following up referrals.

`contact_record` is idempotent by the id the phone made: a contact sent twice (saved
offline, then sent again when the connection returns) is stored once. The first write
wins: a repeat with the same id returns the stored contact unchanged and writes nothing,
even when its content differs. Each write notes the site's months it touches as pending
(`models.PendingMonth`); once the transaction commits, one drain task
(`tasks.pending_months_drain`) tells `outreach.changes`' listeners (evidence recomputes
its site values), once per site and month however many contacts were saved.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.types import Actor
from hrnet.outreach.audit import Action
from hrnet.outreach.models import (
    Client,
    Commodity,
    Contact,
    ContactItem,
    PendingMonth,
    Referral,
    Site,
    Test,
)
from hrnet.outreach.policies import client_policy, client_site_ids, correctable_contacts
from hrnet.outreach.selectors.clients import client_resolve
from hrnet.outreach.tasks import pending_months_drain

EARLIEST_DATE = datetime.date(2000, 1, 1)
MAX_QUANTITY = 10_000
MAX_OVERDOSES = 100


def latest_date() -> datetime.date:
    """The latest date a contact may have: tomorrow by the server's calendar, because a
    phone east of the server (Central Asia is UTC+5/+6) is a day ahead after midnight."""
    return timezone.localdate() + datetime.timedelta(days=1)


def _check_date(value: datetime.date, field: str, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, datetime.date):
        errors.setdefault(field, []).append(_("Enter a date."))
    elif value > latest_date():
        errors.setdefault(field, []).append(
            _("The date %(date)s is in the future.") % {"date": value.isoformat()}
        )
    elif value < EARLIEST_DATE:
        errors.setdefault(field, []).append(
            _("The date %(date)s is before %(earliest)s.")
            % {"date": value.isoformat(), "earliest": EARLIEST_DATE.isoformat()}
        )


def _check_count(value: Any, field: str, top: int, errors: dict[str, list[str]]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        errors.setdefault(field, []).append(
            _("Enter a whole number from 0 to %(top)s.") % {"top": top}
        )


def _month(day: datetime.date) -> str:
    return day.strftime("%Y-%m")


def _check_content(
    errors: dict[str, list[str]],
    *,
    date: datetime.date,
    setting: str,
    items: dict[str, int],
    syringes_returned: int,
    overdoses_witnessed: int,
    overdoses_reported: int,
    tests: dict[str, str],
    referrals: list[str],
) -> dict[str, Commodity]:
    """Check what a contact records (the same rules when it is recorded and corrected);
    adds to `errors` and returns the commodities named in `items` by code."""
    _check_date(date, "date", errors)
    if setting not in Contact.Setting.values:
        errors.setdefault("setting", []).append(
            _("Choose a setting from the list: %(value)s is not one.")
            % {"value": str(setting)[:32]}
        )
    commodities = {
        commodity.code: commodity
        for commodity in Commodity.objects.filter(code__in=list(items), is_active=True)
    }
    for code, quantity in items.items():
        if code not in commodities:
            errors.setdefault("items", []).append(
                _("%(code)s is not a commodity in use.") % {"code": str(code)[:32]}
            )
        _check_count(quantity, "items", MAX_QUANTITY, errors)
    _check_count(syringes_returned, "syringes_returned", MAX_QUANTITY, errors)
    _check_count(overdoses_witnessed, "overdoses_witnessed", MAX_OVERDOSES, errors)
    _check_count(overdoses_reported, "overdoses_reported", MAX_OVERDOSES, errors)
    for kind, result in tests.items():
        if kind not in Test.Kind.values:
            errors.setdefault("tests", []).append(
                _("%(kind)s is not a test we record.") % {"kind": str(kind)[:32]}
            )
        if result not in Test.Result.values:
            errors.setdefault("tests", []).append(
                _("%(result)s is not a test result.") % {"result": str(result)[:32]}
            )
    for service in referrals:
        if service not in Referral.Service.values:
            errors.setdefault("referrals", []).append(
                _("%(service)s is not a service one is referred to.")
                % {"service": str(service)[:32]}
            )
    return commodities


def contact_record(
    *,
    actor: Actor,
    contact_id: uuid.UUID,
    site: Site,
    client: Client,
    date: datetime.date,
    setting: str,
    items: dict[str, int],
    syringes_returned: int = 0,
    counselling: bool = False,
    tests: dict[str, str] | None = None,
    referrals: list[str] | None = None,
    overdoses_witnessed: int = 0,
    overdoses_reported: int = 0,
    request: HttpRequest | None = None,
) -> tuple[Contact, bool]:
    """Record a contact at `site` (its staff only) and return (contact, created).

    A repeat of `contact_id` returns (the stored contact, False) and writes nothing.
    `items` maps commodity codes to quantities (zero quantities are not stored); `tests`
    maps test kinds to results; `referrals` lists services. A client merged into another
    is recorded on the one it was merged into. Raises ValidationError naming the fields."""
    allowed_sites = client_site_ids(actor, "add")
    if site.pk not in allowed_sites:
        raise PermissionDenied
    existing = Contact.objects.filter(pk=contact_id).first()
    if existing is not None:
        if existing.site_id not in allowed_sites:
            raise PermissionDenied
        return existing, False

    tests = tests or {}
    referrals = list(dict.fromkeys(referrals or []))
    client = client_resolve(client)
    errors: dict[str, list[str]] = {}
    if client.organisation_id != site.organisation_id:
        errors.setdefault("client", []).append(
            _("The client is not a client of this site's organisation.")
        )
    commodities = _check_content(
        errors,
        date=date,
        setting=setting,
        items=items,
        syringes_returned=syringes_returned,
        overdoses_witnessed=overdoses_witnessed,
        overdoses_reported=overdoses_reported,
        tests=tests,
        referrals=referrals,
    )
    if errors:
        raise ValidationError(errors, code="invalid")

    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                id=contact_id,
                client=client,
                site=site,
                worker=actor if isinstance(actor, User) else None,
                date=date,
                setting=setting,
                syringes_returned=syringes_returned,
                counselling=counselling,
                overdoses_witnessed=overdoses_witnessed,
                overdoses_reported=overdoses_reported,
            )
            ContactItem.objects.bulk_create(
                ContactItem(contact=contact, commodity=commodities[code], quantity=quantity)
                for code, quantity in items.items()
                if quantity
            )
            Test.objects.bulk_create(
                Test(contact=contact, kind=kind, result=result) for kind, result in tests.items()
            )
            Referral.objects.bulk_create(
                Referral(contact=contact, service=service) for service in referrals
            )
            fields = []
            if client.first_contact_on is None or date < client.first_contact_on:
                client.first_contact_on = date
                fields.append("first_contact_on")
            if client.first_site_id is None:
                client.first_site = site
                fields.append("first_site")
            if fields:
                client.save(update_fields=[*fields, "updated_at"])
            log_action(actor=actor, action=Action.CONTACT_RECORD, obj=contact, request=request)
            site_id, months = site.pk, {_month(date)}
            _months_pending(site_id, months, actor)
    except IntegrityError:
        # The same id sent twice at the same moment: the other request stored it.
        stored = Contact.objects.filter(pk=contact_id).first()
        if stored is None:
            raise
        return stored, False
    return contact, True


def _contact_state(contact: Contact) -> dict[str, Any]:
    """What a correction may change, as the audit log records it (no client data)."""
    return {
        "date": contact.date,
        "setting": contact.setting,
        "items": {item.commodity.code: item.quantity for item in contact.items.all()},
        "syringes_returned": contact.syringes_returned,
        "counselling": contact.counselling,
        "tests": {test.kind: test.result for test in contact.tests.all()},
        "referrals": sorted(referral.service for referral in contact.referrals.all()),
    }


def contact_open_audit(*, actor: Actor, contact: Contact, request: HttpRequest | None) -> None:
    """Record that `actor` opened a contact's record (to correct it): a read of a
    client-level record is audited like a change."""
    log_action(actor=actor, action=Action.CONTACT_VIEW, obj=contact, request=request)


def contact_correct(
    *,
    actor: Actor,
    contact: Contact,
    date: datetime.date,
    setting: str,
    items: dict[str, int],
    syringes_returned: int = 0,
    counselling: bool = False,
    tests: dict[str, str] | None = None,
    referrals: list[str] | None = None,
    request: HttpRequest | None = None,
) -> Contact:
    """Correct what a contact records (not whose it is), by the worker who recorded it,
    within `policies.CORRECTION_WINDOW`. The items, tests and referrals given replace the
    stored ones; a referral kept keeps its outcome. Audited with the fields that changed.
    Raises PermissionDenied for anyone else or later, ValidationError naming the fields."""
    if not correctable_contacts(actor).filter(pk=contact.pk).exists():
        raise PermissionDenied
    tests = tests or {}
    referrals = list(dict.fromkeys(referrals or []))
    errors: dict[str, list[str]] = {}
    commodities = _check_content(
        errors,
        date=date,
        setting=setting,
        items=items,
        syringes_returned=syringes_returned,
        overdoses_witnessed=contact.overdoses_witnessed,
        overdoses_reported=contact.overdoses_reported,
        tests=tests,
        referrals=referrals,
    )
    if errors:
        raise ValidationError(errors, code="invalid")

    before = _contact_state(contact)
    months = {_month(contact.date), _month(date)}
    with transaction.atomic():
        contact.date = date
        contact.setting = setting
        contact.syringes_returned = syringes_returned
        contact.counselling = counselling
        contact.save(
            update_fields=["date", "setting", "syringes_returned", "counselling", "updated_at"]
        )
        contact.items.all().delete()
        ContactItem.objects.bulk_create(
            ContactItem(contact=contact, commodity=commodities[code], quantity=quantity)
            for code, quantity in items.items()
            if quantity
        )
        contact.tests.all().delete()
        Test.objects.bulk_create(
            Test(contact=contact, kind=kind, result=result) for kind, result in tests.items()
        )
        contact.referrals.exclude(service__in=referrals).delete()
        kept = set(contact.referrals.values_list("service", flat=True))
        Referral.objects.bulk_create(
            Referral(contact=contact, service=service)
            for service in referrals
            if service not in kept
        )
        # The client's first contact may move either way with the corrected date.
        client = contact.client
        first = client.contacts.aggregate(first=Min("date"))["first"]
        if first != client.first_contact_on:
            client.first_contact_on = first
            client.save(update_fields=["first_contact_on", "updated_at"])
        after = _contact_state(contact)
        log_action(
            actor=actor,
            action=Action.CONTACT_CORRECT,
            obj=contact,
            changes={k: {"old": before[k], "new": v} for k, v in after.items() if before[k] != v},
            request=request,
        )
        site_id = contact.site_id
        _months_pending(site_id, months, actor)
    return contact


def _months_pending(site_id: int, months: set[str], actor: Actor) -> None:
    """Note the site's months as pending, in the caller's transaction, and queue one drain
    once it commits if a pair is new (run at once by the immediate backend of the demo and
    tests, by `hrnet db_worker` in production). Saves of a pair already pending queue
    nothing: the drain that is queued will see their contacts."""
    table = PendingMonth._meta.db_table
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    added = 0
    with connection.cursor() as cursor:
        for month in sorted(months):
            # Only one untaken row per site and month (a partial unique index): a pair
            # already waiting is not added again, on PostgreSQL and SQLite alike.
            cursor.execute(
                f"INSERT INTO {table} (site_id, month, actor_id, created_at, taken_by)"  # noqa: S608
                " VALUES (%s, %s, %s, %s, '') ON CONFLICT DO NOTHING",
                [site_id, month, actor_id, now],
            )
            added += max(cursor.rowcount, 0)
    if added:
        transaction.on_commit(pending_months_drain.enqueue)


def referral_outcome_set(
    *,
    actor: Actor,
    referral: Referral,
    outcome: str,
    outcome_on: datetime.date | None,
    cured: bool | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Record whether the client reached the service they were referred to, and when.
    For the staff of any site that serves the client. `cured` is only for HCV treatment
    the client reached; a pending referral has no date."""
    contact = referral.contact
    client_policy.require(actor, "change", contact.client)
    errors: dict[str, list[str]] = {}
    if outcome not in Referral.Outcome.values:
        errors.setdefault("outcome", []).append(_("Choose an outcome from the list."))
    if outcome == Referral.Outcome.PENDING:
        outcome_on, cured = None, None
    elif outcome_on is None:
        errors.setdefault("outcome_on", []).append(_("Enter the date of the outcome."))
    else:
        _check_date(outcome_on, "outcome_on", errors)
        if outcome_on < contact.date:
            errors.setdefault("outcome_on", []).append(
                _("The outcome cannot come before the referral (%(date)s).")
                % {"date": contact.date.isoformat()}
            )
    if cured is not None and not (
        referral.service == Referral.Service.HCV_TREATMENT and outcome == Referral.Outcome.REACHED
    ):
        errors.setdefault("cured", []).append(
            _("Cure is recorded only for HCV treatment the client reached.")
        )
    if errors:
        raise ValidationError(errors, code="invalid")

    before = {
        "outcome": referral.outcome,
        "outcome_on": referral.outcome_on,
        "cured": referral.cured,
    }
    months = {_month(contact.date)}
    for day in (referral.outcome_on, outcome_on):
        if day is not None:
            months.add(_month(day))
    with transaction.atomic():
        referral.outcome = outcome
        referral.outcome_on = outcome_on
        referral.cured = cured
        referral.save(update_fields=["outcome", "outcome_on", "cured", "updated_at"])
        after = {"outcome": outcome, "outcome_on": outcome_on, "cured": cured}
        log_action(
            actor=actor,
            action=Action.REFERRAL_OUTCOME_SET,
            obj=referral,
            changes={k: {"old": before[k], "new": v} for k, v in after.items() if before[k] != v},
            request=request,
        )
        site_id = contact.site_id
        _months_pending(site_id, months, actor)
    return referral
