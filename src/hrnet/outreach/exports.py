"""Contacts out as CSV: client-level (one row a contact, with the client's UIC) for the
managers who hold the "export" right on client records, with a stated reason; and
aggregate (counts per site and month, no client-level field) for anyone who may see the
site. Both are audited; the audit entry holds the reason, the filters and the row count,
never a UIC."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrnet.core.audit import log_action
from hrnet.core.exports import csv_bytes
from hrnet.core.types import Actor
from hrnet.outreach.audit import Action
from hrnet.outreach.models import Contact, ContactItem, Referral, Site, Test
from hrnet.outreach.policies import client_site_ids, site_policy

REASON_MIN_LENGTH = 10
MAX_EXPORT_ROWS = 200_000
CONTACT_COLUMNS = (
    "contact_id",
    "date",
    "site_id",
    "site",
    "uic",
    "sex",
    "birth_year",
    "setting",
    "items",
    "tests",
    "referrals",
)
AGGREGATE_COLUMNS = ("site_id", "site", "month", "contacts", "clients")

Row = list[str]


@dataclass(frozen=True)
class ExportFilters:
    site: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            "site": str(self.site or ""),
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]

    def to_csv(self) -> bytes:
        # With a byte-order mark (the kernel's writer): Cyrillic UICs stay legible in Excel.
        return csv_bytes(self.header, self.rows)


def _check_dates(filters: ExportFilters) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError({"to": _("The end date is before the start date.")})


def _site_ids(filters: ExportFilters, allowed: set[int]) -> set[int]:
    if filters.site is None:
        return allowed
    if filters.site not in allowed:
        raise PermissionDenied(_("You may not export the records of this site."))
    return {filters.site}


def _contacts(site_ids: set[int], filters: ExportFilters) -> Any:
    contacts = Contact.objects.filter(site_id__in=site_ids)
    if filters.date_from:
        contacts = contacts.filter(date__gte=filters.date_from)
    if filters.date_to:
        contacts = contacts.filter(date__lte=filters.date_to)
    return contacts


def _pairs(pairs: Iterable[tuple[str, Any]]) -> str:
    return ";".join(f"{key}={value}" for key, value in sorted(pairs))


def contacts_export(
    *,
    user: Actor,
    filters: ExportFilters,
    reason: str,
    request: HttpRequest | None = None,
) -> Table:
    """One row a contact at the sites whose client records `user` may export (a site's
    manager, an organisation admin with the records permission). Needs a reason of at
    least ten characters; raises PermissionDenied for anyone else or another site."""
    allowed = client_site_ids(user, "export")
    if not allowed:
        raise PermissionDenied(_("Only managers may export client records."))
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": ngettext(
                    "Say why you need the client records (at least %(count)d character).",
                    "Say why you need the client records (at least %(count)d characters).",
                    REASON_MIN_LENGTH,
                )
                % {"count": REASON_MIN_LENGTH}
            }
        )
    _check_dates(filters)
    site_ids = _site_ids(filters, allowed)
    contacts = list(
        _contacts(site_ids, filters)
        .select_related("client", "site")
        .order_by("date", "site_id", "created_at", "id")[:MAX_EXPORT_ROWS]
    )
    ids = [contact.pk for contact in contacts]
    items: dict[Any, list[tuple[str, int]]] = defaultdict(list)
    for contact_id, code, quantity in ContactItem.objects.filter(contact_id__in=ids).values_list(
        "contact_id", "commodity__code", "quantity"
    ):
        items[contact_id].append((code, quantity))
    tests: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for contact_id, kind, result in Test.objects.filter(contact_id__in=ids).values_list(
        "contact_id", "kind", "result"
    ):
        tests[contact_id].append((kind, result))
    referrals: dict[Any, list[str]] = defaultdict(list)
    for contact_id, service in Referral.objects.filter(contact_id__in=ids).values_list(
        "contact_id", "service"
    ):
        referrals[contact_id].append(service)
    rows = [
        [
            str(contact.pk),
            contact.date.isoformat(),
            str(contact.site_id),
            contact.site.name,
            contact.client.uic,
            contact.client.sex,
            str(contact.client.birth_year or ""),
            contact.setting,
            _pairs(items[contact.pk]),
            _pairs(tests[contact.pk]),
            ";".join(sorted(referrals[contact.pk])),
        ]
        for contact in contacts
    ]
    # The entry names the site (when one was asked for), never a client.
    site = Site.objects.filter(pk=filters.site).first() if filters.site else None
    log_action(
        actor=user,
        action=Action.CONTACTS_EXPORT,
        obj=site,
        changes={"reason": reason, "filters": filters.as_dict(), "rows": len(rows)},
        request=request,
    )
    return Table(header=list(CONTACT_COLUMNS), rows=rows)


def aggregate_site_ids(user: Actor) -> set[int]:
    """The sites whose counts `user` may export: those they may see (their own sites,
    their organisation's, every site for the secretariat)."""
    return set(
        site_policy.instances_user_has_permission_for(user, "view").values_list("pk", flat=True)
    )


def _month(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def contacts_aggregate(
    *,
    user: Actor,
    filters: ExportFilters,
    request: HttpRequest | None = None,
) -> Table:
    """Counts per site and month: contacts, distinct clients, each commodity's total,
    each test done and its positives, each referral. No client-level field."""
    allowed = aggregate_site_ids(user)
    if not allowed:
        raise PermissionDenied(_("You may not export the counts of any site."))
    _check_dates(filters)
    site_ids = _site_ids(filters, allowed)
    contacts = _contacts(site_ids, filters)
    names = dict(Site.objects.filter(pk__in=site_ids).values_list("pk", "name"))

    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    clients: dict[tuple[int, str], set[int]] = defaultdict(set)
    for site_id, day, client_id in contacts.values_list("site_id", "date", "client_id"):
        key = (site_id, _month(day))
        counts[key]["contacts"] += 1
        clients[key].add(client_id)
    columns: set[str] = set()

    def add(rows: Sequence[tuple[int, datetime.date, str, int]]) -> None:
        for site_id, day, column, number in rows:
            counts[(site_id, _month(day))][column] += number
            columns.add(column)

    add(
        [
            (site_id, day, f"items:{code}", quantity)
            for site_id, day, code, quantity in ContactItem.objects.filter(
                contact__in=contacts
            ).values_list("contact__site_id", "contact__date", "commodity__code", "quantity")
        ]
    )
    tests = Test.objects.filter(contact__in=contacts).values_list(
        "contact__site_id", "contact__date", "kind", "result"
    )
    add([(site_id, day, f"tests:{kind}", 1) for site_id, day, kind, _result in tests])
    add(
        [
            (site_id, day, f"positive:{kind}", 1)
            for site_id, day, kind, result in tests
            if result == Test.Result.POSITIVE
        ]
    )
    add(
        [
            (site_id, day, f"referrals:{service}", 1)
            for site_id, day, service in Referral.objects.filter(contact__in=contacts).values_list(
                "contact__site_id", "contact__date", "service"
            )
        ]
    )
    extra = sorted(columns)
    rows = [
        [
            str(site_id),
            names.get(site_id, ""),
            month,
            str(counts[(site_id, month)]["contacts"]),
            str(len(clients[(site_id, month)])),
            *[str(counts[(site_id, month)].get(column, 0)) for column in extra],
        ]
        for site_id, month in sorted(counts, key=lambda key: (names.get(key[0], ""), key))
    ]
    site = Site.objects.filter(pk=filters.site).first() if filters.site else None
    log_action(
        actor=user,
        action=Action.AGGREGATE_EXPORT,
        obj=site,
        changes={"filters": filters.as_dict(), "rows": len(rows)},
        request=request,
    )
    return Table(header=[*AGGREGATE_COLUMNS, *extra], rows=rows)
