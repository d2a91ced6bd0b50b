"""Exports of the register as CSV or XLSX: what a user may export, with the columns their
role may read, recorded in the audit log. The columns are the importer's, so a
secretariat export can be edited and imported into another deployment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.core.audit import log_action
from hrnet.core.exports import CSV_TYPE as CSV_TYPE  # the views name them through here
from hrnet.core.exports import XLSX_TYPE as XLSX_TYPE
from hrnet.core.exports import csv_bytes, csv_stream, xlsx_bytes
from hrnet.core.types import Actor
from hrnet.members.audit import Action
from hrnet.members.models import Membership, Organisation, Person
from hrnet.members.policies import is_secretariat, membership_policy
from hrnet.members.selectors.directory import DirectoryFilters
from hrnet.members.selectors.register import organisations_for_export, people_for_export

FORMATS = ("csv", "xlsx")
RECORDS = ("organisations", "people")
CHUNK = 500

Row = list[str]


@dataclass
class ExportFile:
    filename: str
    content_type: str
    rows: int
    # Bytes in pieces, so a large CSV streams instead of sitting in memory.
    chunks: Iterable[bytes]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _membership_columns(membership: Membership | None) -> Row:
    if membership is None:
        return ["", "", ""]
    return [_date(membership.start_date), _date(membership.end_date), membership.status]


# --- organisations ----------------------------------------------------------------------

ORGANISATION_COLUMNS = [
    "name_en", "name_ru", "name_original", "type", "community_led", "country", "subregion",
    "city", "website", "issue_areas", "description_en", "description_ru",
]  # fmt: skip
ORGANISATION_PRIVATE_COLUMNS = [
    "id", "email", "public", "member_since", "membership_end", "membership_status",
]  # fmt: skip


def _organisation_row(organisation: Organisation, private: bool) -> Row:
    row = [
        organisation.names.get("en", ""),
        organisation.names.get("ru", ""),
        organisation.name_original,
        organisation.get_kind_display(),
        _yes_no(organisation.is_community_led),
        organisation.country.name,
        organisation.country.subregion.name,
        organisation.city,
        organisation.website,
        "; ".join(area.code for area in organisation.issue_areas.all()),
        organisation.descriptions.get("en", ""),
        organisation.descriptions.get("ru", ""),
    ]
    if private:
        memberships = organisation.own_memberships  # type: ignore[attr-defined]
        row = [
            str(organisation.pk),
            *row,
            organisation.email,
            _yes_no(organisation.is_public),
            *_membership_columns(memberships[0] if memberships else None),
        ]
    return row


# --- people -----------------------------------------------------------------------------

PERSON_COLUMNS = [
    "full_name", "country", "subregion", "city", "organisation", "expertise", "languages",
    "issue_areas",
]  # fmt: skip
PERSON_PRIVATE_COLUMNS = [
    "id", "email", "role", "public", "member_since", "membership_end", "membership_status",
    "membership_through",
]  # fmt: skip


def _person_row(person: Person, private: bool) -> Row:
    today = timezone.localdate()
    links = [link for link in person.affiliations.all() if link.is_current(today)]
    row = [
        person.full_name,
        person.country.name,
        person.country.subregion.name,
        person.city,
        "; ".join(link.organisation.name for link in links),
        person.expertise,
        "; ".join(person.languages),
        "; ".join(area.code for area in person.issue_areas.all()),
    ]
    if private:
        memberships = list(person.memberships.all())
        membership = memberships[0] if memberships else None
        through = ""
        if membership is not None and membership.inherited_from_id:
            through = next(
                (
                    link.organisation.name
                    for link in person.affiliations.all()
                    if link.organisation_id == membership.inherited_from.organisation_id  # type: ignore[union-attr]
                ),
                "",
            )
        row = [
            str(person.pk),
            *row,
            person.email,
            "; ".join(dict.fromkeys(link.role for link in links)),
            _yes_no(person.is_public),
            *_membership_columns(membership),
            through,
        ]
    return row


def _header(columns: list[str], private_columns: list[str], private: bool) -> Row:
    if not private:
        return list(columns)
    # The id first, the contact and membership columns last.
    return [private_columns[0], *columns, *private_columns[1:]]


# --- files ------------------------------------------------------------------------------


def _in_language(rows: Iterable[Row], language: str) -> Iterator[Row]:
    """Rows rendered in the requester's language even when a stream is read later."""
    iterator = iter(rows)
    while True:
        with translation.override(language):
            row = next(iterator, None)
        if row is None:
            return
        yield row


def register_export(
    *,
    user: Actor,
    records: str,
    fmt: str,
    filters: DirectoryFilters,
    request: HttpRequest | None = None,
) -> ExportFile:
    """The filtered list of organisations or people as CSV or XLSX.

    Only rows the policies let `user` export; the secretariat gets contact and membership
    columns, network members the directory's columns. Recorded as `members.export`.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if records not in RECORDS:
        raise ValueError(records)
    private = is_secretariat(user)
    used_filters = filters.as_query()
    make_row: Callable[[Any, bool], Row]
    if records == "organisations":
        queryset = organisations_for_export(user=user, filters=filters)
        header = _header(ORGANISATION_COLUMNS, ORGANISATION_PRIVATE_COLUMNS, private)
        make_row = _organisation_row
    else:
        queryset = people_for_export(user=user, filters=filters)
        header = _header(PERSON_COLUMNS, PERSON_PRIVATE_COLUMNS, private)
        make_row = _person_row
    count = queryset.count()
    log_action(
        actor=user,
        action=Action.REGISTER_EXPORT,
        changes={"records": records, "format": fmt, "filters": used_filters, "rows": count},
        request=request,
    )
    language = translation.get_language() or "en"
    rows = _in_language(
        (make_row(record, private) for record in queryset.iterator(chunk_size=CHUNK)), language
    )
    stamp = timezone.localdate().isoformat()
    filename = f"{records}-{stamp}.{fmt}"
    if fmt == "csv":
        return ExportFile(filename, CSV_TYPE, count, csv_stream(header, rows))
    title = _("Organisations") if records == "organisations" else _("People")
    return ExportFile(filename, XLSX_TYPE, count, [xlsx_bytes([(str(title), header, rows)])])


# --- a queue's selection ----------------------------------------------------------------

MEMBERSHIP_COLUMNS = [
    "id", "member", "member_type", "country", "email", "membership_type", "status",
    "member_since", "membership_end",
]  # fmt: skip


def _membership_row(membership: Membership) -> Row:
    member = membership.member
    assert member is not None  # noqa: S101 - exactly one member (a check constraint)
    return [
        str(membership.pk),
        str(member),
        "organisation" if membership.organisation_id else "individual",
        member.country.name,
        member.email,
        str(membership.type),
        membership.status,
        _date(membership.start_date),
        _date(membership.end_date),
    ]


def memberships_export(
    *, user: Actor, memberships: QuerySet[Membership], fmt: str, request: HttpRequest | None = None
) -> ExportFile:
    """The memberships ticked on a queue page as CSV or XLSX (the secretariat's; the
    caller passes a queryset already narrowed to what `user` may see). Audited."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    membership_policy.require(user, "list")
    rows_list = list(memberships)
    log_action(
        actor=user,
        action=Action.REGISTER_EXPORT,
        changes={"records": "memberships", "format": fmt, "ids": [m.pk for m in rows_list]},
        request=request,
    )
    rows = (_membership_row(membership) for membership in rows_list)
    filename = f"memberships-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        content = csv_bytes(MEMBERSHIP_COLUMNS, rows)
    else:
        content = xlsx_bytes([(str(_("Memberships")), MEMBERSHIP_COLUMNS, rows)])
    return ExportFile(filename, CSV_TYPE if fmt == "csv" else XLSX_TYPE, len(rows_list), [content])
