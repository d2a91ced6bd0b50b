"""Importers of an existing member register from a spreadsheet: organisations
(`members.organisations`) and people (`members.people`).

Column names are matched loosely (case, spaces and punctuation do not matter) and a few
synonyms are accepted, so a register kept in English or Russian imports without renaming
its columns. Every row is checked against the rest of the file and against the register
for duplicates (same email address; same name in the same country). Everything is written
in bulk: a register of several hundred members imports in a second or two.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.i18n import localized
from hrnet.core.imports import Importer, RowError, RowInvalid, register_importer
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.geo.models import normalize_name
from hrnet.geo.selectors import CountryIndex
from hrnet.members.audit import Action
from hrnet.members.models import (
    Affiliation,
    Membership,
    MembershipType,
    Organisation,
    Person,
    PrinciplesVersion,
)
from hrnet.members.selectors.principles import principles_current
from hrnet.members.services.memberships import (
    inherited_memberships_recompute,
    membership_type_default,
    status_from_dates,
    term_end,
)
from hrnet.members.similarity import alike, match_key

T = TypeVar("T")
BATCH = 500
Problems = list[tuple[str, str, str]]

# Columns of our own exports that an import reads past (they are derived or internal).
IGNORED_COLUMNS = ("id", "subregion", "membership_through")


def column_key(name: str) -> str:
    """`E-mail`, `e mail` and `E_MAIL` are the same column."""
    return "_".join(normalize_name(name).split())


# --- values -------------------------------------------------------------------------------

_YES = {"yes", "y", "true", "1", "да", "д", "x", "+"}
_NO = {"no", "n", "false", "0", "нет", "н", "-"}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%y")


def parse_bool(value: str, column: str, problems: Problems, default: bool = False) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    problems.append((column, _("Write yes or no (да or нет)."), value))
    return default


def parse_date(value: str, column: str, problems: Problems) -> date | None:
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"(19|20)\d\d", text):
        return date(int(text), 1, 1)  # only the year is known
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    problems.append((column, _("Write a date as YYYY-MM-DD or DD.MM.YYYY."), value))
    return None


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", value) if part.strip()]


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every code and label, in every interface language, normalised → the code."""
    lookup = {}
    for code, label in choices.choices:
        lookup[normalize_name(code)] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                lookup.setdefault(normalize_name(str(label)), code)
    return lookup


def _choice(
    lookup: dict[str, str], value: str, column: str, problems: Problems, choices: Any
) -> str:
    code = lookup.get(normalize_name(value))
    if code is None:
        problems.append(
            (
                column,
                _("Unknown value; use one of: %(codes)s.") % {"codes": ", ".join(choices.values)},
                value,
            )
        )
        return ""
    return code


def _limit(value: str, length: int, column: str, problems: Problems) -> str:
    if len(value) > length:
        problems.append(
            (column, _("At most %(count)s characters.") % {"count": length}, value[:40] + "…")
        )
    return value


# --- memberships from the register's dates ------------------------------------------------


def imported_membership(
    *,
    membership_type: MembershipType,
    member_since: date | None,
    membership_end: date | None,
    status: str,
    principles: PrinciplesVersion | None,
    actor: Actor | None,
    today: date,
) -> Membership:
    """A membership whose dates give the status the register states.

    Without an end date the term containing the stated status is computed from the start
    (the current term for an active member, an earlier one for a lapsed member). When the
    dates cannot give the stated status (suspended, left...), the status is set by hand
    with a reason, so the daily status task keeps it.
    """
    start = member_since or today
    membership = Membership(type=membership_type, start_date=start, principles_version=principles)
    if membership_end is not None:
        membership.end_date = membership_end
    else:
        ends = []
        term_start = start
        for _term in range(1000):  # bounded, even for a type with odd term settings
            end = term_end(membership_type, term_start)
            ends.append(end)
            if end >= today or end < term_start:
                break
            term_start = end + timedelta(days=1)
        membership.end_date = ends[-1]
        if status:
            for end in reversed(ends):
                membership.end_date = end
                if status_from_dates(membership, today) == status:
                    break
            else:
                membership.end_date = ends[-1]
    computed = status_from_dates(membership, today)
    membership.status = status or computed
    if status and status != computed:
        membership.status_override = status
        membership.override_reason = _("Status as given in the imported register.")
        membership.override_by = (
            cast(User, actor) if getattr(actor, "is_authenticated", False) else None
        )
        membership.override_at = timezone.now()
    return membership


# --- the common part ----------------------------------------------------------------------


class RegisterImporter(Importer[T]):
    """Column mapping, lookups and duplicate checks shared by both importers."""

    # The column's name in our files → other names accepted for it.
    columns: ClassVar[dict[str, tuple[str, ...]]] = {}
    kind: ClassVar[str]

    def __init__(self, *, actor: Actor | None = None) -> None:
        super().__init__(actor=actor)
        self.mapping: dict[str, str] = {}

    @classmethod
    def synonyms(cls) -> dict[str, str]:
        return {
            column_key(name): column
            for column, others in cls.columns.items()
            for name in (column, *others)
        }

    def check_header(self, header: list[str]) -> list[RowError]:
        synonyms = self.synonyms()
        errors: list[RowError] = []
        found: dict[str, str] = {}
        for name in header:
            if not name:
                continue
            column = synonyms.get(column_key(name))
            if column is None:
                if column_key(name) not in IGNORED_COLUMNS:
                    errors.append(
                        RowError(
                            1,
                            name,
                            _("Unknown column “%(column)s”; expected: %(expected)s.")
                            % {"column": name, "expected": ", ".join(self.columns)},
                        )
                    )
            elif column in found:
                errors.append(
                    RowError(
                        1,
                        name,
                        _("Columns “%(first)s” and “%(second)s” both give the %(column)s.")
                        % {"first": found[column], "second": name, "column": column},
                    )
                )
            else:
                found[column] = name
                self.mapping[name] = column
        errors += [
            RowError(1, column, _("Required column “%(column)s” is missing.") % {"column": column})
            for column in self.required_columns
            if column not in found
        ]
        return errors

    def values(self, row: dict[str, str]) -> dict[str, str]:
        """The row keyed by our column names, with every column present."""
        values = dict.fromkeys(self.columns, "")
        values.update({self.mapping[name]: v for name, v in row.items() if name in self.mapping})
        return values

    def prepare(self) -> None:
        self.today = timezone.localdate()
        self.countries = CountryIndex()
        self.issue_areas: dict[str, IssueArea] = {}
        for area in IssueArea.objects.all():
            for text in (area.code, *area.names.values()):
                if text:
                    self.issue_areas.setdefault(normalize_name(text), area)
        self.statuses = _labels(Membership.Status)
        self.principles = principles_current()
        # Within the file: key → line of the first valid row with it.
        self.seen_emails: dict[str, int] = {}
        self.seen_names: dict[tuple[str, int], int] = {}
        # In the register: key → the record's name.
        self.known_emails: dict[str, str] = {}
        self.known_names: dict[tuple[str, int], str] = {}
        self.known_by_country: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for email, key, country_id, name in self.register_keys():
            if email:
                self.known_emails.setdefault(email.strip().lower(), name)
            if key:
                self.known_names.setdefault((key, country_id), name)
                self.known_by_country[country_id].append((match_key(key), name))

    def register_keys(self) -> Iterable[tuple[str, str, int, str]]:
        raise NotImplementedError

    # -- pieces of a row --

    def country(self, value: str, problems: Problems) -> Any:
        try:
            return self.countries.resolve(value)
        except ValidationError as exc:
            problems.append(("country", exc.messages[0], value))
            return None

    def email(self, value: str, problems: Problems) -> str:
        email = value.strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(("email", _("Not a valid email address."), value))
        return email

    def areas(self, value: str, problems: Problems) -> list[IssueArea]:
        areas: list[IssueArea] = []
        for part in _split(value):
            area = self.issue_areas.get(normalize_name(part))
            if area is None:
                problems.append(
                    ("issue_areas", _("Unknown issue area “%(area)s”.") % {"area": part}, value)
                )
            elif area not in areas:
                areas.append(area)
        return areas

    def membership_fields(
        self, values: dict[str, str], problems: Problems
    ) -> tuple[date | None, date | None, str]:
        since = parse_date(values["member_since"], "member_since", problems)
        end = parse_date(values["membership_end"], "membership_end", problems)
        status = ""
        if values["membership_status"]:
            status = _choice(
                self.statuses,
                values["membership_status"],
                "membership_status",
                problems,
                Membership.Status,
            )
        if since and end and end < since:
            problems.append(
                ("membership_end", _("The end is before the start."), values["membership_end"])
            )
        return since, end, status

    def duplicates(
        self, *, email: str, key: str, country: Any, name_column: str, problems: Problems
    ) -> None:
        if email:
            if email in self.seen_emails:
                problems.append(
                    (
                        "email",
                        _("Same email address as line %(line)s.")
                        % {"line": self.seen_emails[email]},
                        email,
                    )
                )
            elif email in self.known_emails:
                problems.append(
                    (
                        "email",
                        _("Already in the register with this email address: %(name)s.")
                        % {"name": self.known_emails[email]},
                        email,
                    )
                )
        if key and country is not None:
            name_key = (key, country.pk)
            if name_key in self.seen_names:
                problems.append(
                    (
                        name_column,
                        _("Same name and country as line %(line)s.")
                        % {"line": self.seen_names[name_key]},
                        key,
                    )
                )
            elif name_key in self.known_names:
                problems.append(
                    (
                        name_column,
                        _("Already in the register in this country: %(name)s.")
                        % {"name": self.known_names[name_key]},
                        key,
                    )
                )
            else:
                self.similar_names(key=key, country=country, column=name_column, problems=problems)

    def similar_names(self, *, key: str, country: Any, column: str, problems: Problems) -> None:
        """A name alike one of an earlier line or of the register in the same country (say
        "New Wey Dnipro" beside "New Way Dnipro") is refused as a probable duplicate."""
        wanted = match_key(key)
        for (other, country_id), line in self.seen_names.items():
            if country_id == country.pk and alike(wanted, match_key(other)):
                problems.append(
                    (
                        column,
                        _("A name like that of line %(line)s in the same country: %(name)s.")
                        % {"line": line, "name": other},
                        key,
                    )
                )
                return
        for other_key, name in self.known_by_country.get(country.pk, []):
            if alike(wanted, other_key):
                problems.append(
                    (
                        column,
                        _(
                            "A record with a similar name is already in the register in "
                            "this country: %(name)s."
                        )
                        % {"name": name},
                        key,
                    )
                )
                return

    def remember(self, *, email: str, key: str, country: Any, line: int) -> None:
        if email:
            self.seen_emails[email] = line
        if key:
            self.seen_names[(key, country.pk)] = line

    def row_finish(
        self,
        values: dict[str, str],
        problems: Problems,
        *,
        email: str,
        key: str,
        country: Any,
        name_column: str,
        line: int,
    ) -> tuple[list[IssueArea], date | None, date | None, str]:
        """A member row's issue areas and membership columns, checked with the row's
        duplicates: RowInvalid with every problem of the row, else the row is remembered
        (for the duplicates of later rows). Returns (issue areas, since, end, status)."""
        areas = self.areas(values["issue_areas"], problems)
        since, end, status = self.membership_fields(values, problems)
        self.duplicates(
            email=email, key=key, country=country, name_column=name_column, problems=problems
        )
        if problems:
            raise RowInvalid(problems)
        self.remember(email=email, key=key, country=country, line=line)
        return areas, since, end, status

    def memberships_create(self, pending: list[tuple[str, Any, ImportedRow]]) -> int:
        """One membership per (field, member, row) triple, in bulk."""
        types = {
            kind: membership_type_default(kind)
            for kind in {
                MembershipType.Kind.ORGANISATIONAL
                if field_name == "organisation"
                else MembershipType.Kind.INDIVIDUAL
                for field_name, _member, _row in pending
            }
        }
        memberships = []
        for field_name, member, row in pending:
            kind = (
                MembershipType.Kind.ORGANISATIONAL
                if field_name == "organisation"
                else MembershipType.Kind.INDIVIDUAL
            )
            membership = imported_membership(
                membership_type=types[kind],
                member_since=row.member_since,
                membership_end=row.membership_end,
                status=row.membership_status,
                principles=self.principles,
                actor=self.actor,
                today=self.today,
            )
            setattr(membership, field_name, member)
            memberships.append(membership)
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        return len(memberships)

    def issue_areas_create(self, model: Any, records: list[tuple[Any, list[IssueArea]]]) -> None:
        relation = model._meta.get_field("issue_areas")
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": record.pk, f"{target}_id": area.pk})
                for record, areas in records
                for area in areas
            ],
            batch_size=BATCH,
        )


@dataclass
class ImportedRow:
    line: int
    member_since: date | None
    membership_end: date | None
    membership_status: str
    issue_areas: list[IssueArea]


# --- organisations ------------------------------------------------------------------------


@dataclass
class OrganisationRow(ImportedRow):
    organisation: Organisation = field(default_factory=Organisation)


@register_importer
class OrganisationImporter(RegisterImporter[OrganisationRow]):
    name = "members.organisations"
    label = gettext_lazy("Member organisations")
    kind = "organisation"
    required_columns = ("type", "country")
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "name_en": ("name", "name (en)", "english name", "organisation", "organization"),
        "name_ru": ("name (ru)", "russian name", "название", "наименование"),
        "name_original": ("original name", "name (original)", "local name", "name_local"),
        "type": ("kind", "organisation type", "organization type", "тип", "тип организации"),
        "community_led": ("community-led", "is_community_led", "сообщество"),
        "country": ("country_iso2", "country_code", "iso2", "страна"),
        "city": ("town", "город"),
        "website": ("web", "site", "url", "сайт", "веб-сайт"),
        "email": ("e-mail", "mail", "email address", "эл. почта", "электронная почта", "почта"),
        "issue_areas": ("issues", "issue areas", "темы"),
        "description_en": ("description", "description (en)"),
        "description_ru": ("description (ru)", "описание"),
        "public": ("is_public", "listed", "public listing", "публично"),
        "member_since": ("start_date", "joined", "member since", "член с", "дата вступления"),
        "membership_end": ("end_date", "term_end", "member_until", "членство до"),
        "membership_status": ("status", "статус"),
    }

    def check_header(self, header: list[str]) -> list[RowError]:
        errors = super().check_header(header)
        if not {"name_en", "name_ru", "name_original"} & set(self.mapping.values()):
            errors.append(
                RowError(
                    1,
                    "name_en",
                    _("A name column is required: name_en, name_ru or name_original."),
                )
            )
        return errors

    def prepare(self) -> None:
        super().prepare()
        self.kinds = _labels(Organisation.Kind)

    def register_keys(self) -> Iterable[tuple[str, str, int, str]]:
        for email, key, country_id, names, original in Organisation.objects.values_list(
            "email", "name_key", "country_id", "names", "name_original"
        ):
            yield email, key, country_id, localized(names) or original

    def clean_row(self, row: dict[str, str], line: int) -> OrganisationRow:
        values = self.values(row)
        problems: Problems = []
        names = {
            code: _limit(values[f"name_{code}"], 300, f"name_{code}", problems)
            for code in ("en", "ru")
            if values[f"name_{code}"]
        }
        original = _limit(values["name_original"], 300, "name_original", problems)
        if not names and not original:
            problems.append(("name_en", _("A name is required."), ""))
        kind = ""
        if not values["type"]:
            problems.append(("type", _("A type is required."), ""))
        else:
            kind = _choice(self.kinds, values["type"], "type", problems, Organisation.Kind)
        country = self.country(values["country"], problems)
        website = values["website"]
        if website:
            if "://" not in website:
                website = "https://" + website
            try:
                URLValidator()(website)
            except ValidationError:
                problems.append(("website", _("Not a valid web address."), values["website"]))
            _limit(website, 200, "website", problems)
        email = self.email(values["email"], problems)
        organisation = Organisation(
            names=names,
            name_original=original,
            kind=kind,
            is_community_led=parse_bool(values["community_led"], "community_led", problems)
            or kind == Organisation.Kind.COMMUNITY_LED,
            country=country,
            city=_limit(values["city"], 120, "city", problems),
            website=website,
            email=email,
            descriptions={
                code: values[f"description_{code}"]
                for code in ("en", "ru")
                if values[f"description_{code}"]
            },
            is_public=parse_bool(values["public"], "public", problems),
        )
        organisation.refresh_name_key()
        areas, since, end, status = self.row_finish(
            values,
            problems,
            email=email,
            key=organisation.name_key,
            country=country,
            name_column=next(
                (c for c in ("name_en", "name_original", "name_ru") if values[c]), "name_en"
            ),
            line=line,
        )
        return OrganisationRow(
            line=line,
            member_since=since,
            membership_end=end,
            membership_status=status,
            issue_areas=areas,
            organisation=organisation,
        )

    def write(self, rows: list[OrganisationRow]) -> int:
        organisations = Organisation.objects.bulk_create(
            [row.organisation for row in rows], batch_size=BATCH
        )
        self.issue_areas_create(
            Organisation, [(o, row.issue_areas) for o, row in zip(organisations, rows, strict=True)]
        )
        memberships = self.memberships_create(
            [("organisation", o, row) for o, row in zip(organisations, rows, strict=True)]
        )
        log_action(
            actor=self.actor,
            action=Action.REGISTER_IMPORT,
            changes={
                "importer": self.name,
                "organisations": len(organisations),
                "memberships": memberships,
            },
        )
        return len(organisations)


# --- people -------------------------------------------------------------------------------


@dataclass
class PersonRow(ImportedRow):
    person: Person = field(default_factory=Person)
    organisations: list[Organisation] = field(default_factory=list)
    role: str = Affiliation.Role.STAFF
    is_admin: bool = False
    is_member: bool = False


@register_importer
class PersonImporter(RegisterImporter[PersonRow]):
    name = "members.people"
    label = gettext_lazy("Individual members and staff")
    kind = "person"
    required_columns = ("full_name", "country")
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "full_name": ("name", "full name", "person", "фио", "имя"),
        "email": ("e-mail", "mail", "email address", "эл. почта", "электронная почта", "почта"),
        "country": ("country_iso2", "country_code", "iso2", "страна"),
        "city": ("town", "город"),
        "organisation": ("organization", "organisation_email", "организация"),
        "role": ("position", "роль", "должность"),
        "admin": ("is_admin", "profile admin", "администратор"),
        "expertise": ("expertise areas", "экспертиза", "опыт"),
        "languages": ("language", "языки"),
        "issue_areas": ("issues", "issue areas", "темы"),
        "public": ("is_public", "listed", "public listing", "публично"),
        "member_since": ("start_date", "joined", "member since", "член с", "дата вступления"),
        "membership_end": ("end_date", "term_end", "member_until", "членство до"),
        "membership_status": ("status", "статус"),
    }

    def prepare(self) -> None:
        super().prepare()
        self.roles = _labels(Affiliation.Role)
        self.organisations_by_key: dict[str, list[Organisation]] = defaultdict(list)
        self.organisations_by_email: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in Organisation.objects.only(
            "pk", "names", "name_original", "name_key", "email", "country_id"
        ):
            keys = {organisation.name_key, normalize_name(organisation.name_original)}
            keys |= {normalize_name(text) for text in organisation.names.values() if text}
            for key in keys - {""}:
                self.organisations_by_key[key].append(organisation)
            if organisation.email:
                self.organisations_by_email[organisation.email.lower()].append(organisation)

    def register_keys(self) -> Iterable[tuple[str, str, int, str]]:
        return Person.objects.filter(erased_at__isnull=True).values_list(
            "email", "name_key", "country_id", "full_name"
        )

    def organisations(self, value: str, country: Any, problems: Problems) -> list[Organisation]:
        found: list[Organisation] = []
        for part in _split(value):
            if "@" in part:
                candidates = self.organisations_by_email.get(part.lower(), [])
            else:
                candidates = self.organisations_by_key.get(normalize_name(part), [])
            if len(candidates) > 1 and country is not None:
                candidates = [o for o in candidates if o.country_id == country.pk] or candidates
            if not candidates:
                problems.append(
                    (
                        "organisation",
                        _("No organisation “%(name)s” in the register; import it first.")
                        % {"name": part},
                        part,
                    )
                )
            elif len(candidates) > 1:
                problems.append(
                    (
                        "organisation",
                        _("Several organisations are called “%(name)s”; give its email address.")
                        % {"name": part},
                        part,
                    )
                )
            elif candidates[0] not in found:
                found.append(candidates[0])
        return found

    def clean_row(self, row: dict[str, str], line: int) -> PersonRow:
        values = self.values(row)
        problems: Problems = []
        full_name = " ".join(values["full_name"].split())
        if not full_name:
            problems.append(("full_name", _("A name is required."), ""))
        _limit(full_name, 200, "full_name", problems)
        country = self.country(values["country"], problems)
        email = self.email(values["email"], problems)
        languages = [code.lower() for code in re.split(r"[;,\s]+", values["languages"]) if code]
        for code in languages:
            if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)?", code):
                problems.append(
                    ("languages", _("Use language codes such as en; ru; ka."), values["languages"])
                )
                break
        organisations = self.organisations(values["organisation"], country, problems)
        role = Affiliation.Role.STAFF.value
        if values["role"]:
            role = _choice(self.roles, values["role"], "role", problems, Affiliation.Role)
        is_admin = parse_bool(values["admin"], "admin", problems)
        if (values["role"] or is_admin) and not organisations and not values["organisation"]:
            problems.append(("organisation", _("A role needs an organisation."), ""))
        person = Person(
            full_name=full_name,
            email=email,
            country=country,
            city=_limit(values["city"], 120, "city", problems),
            expertise=values["expertise"],
            languages=list(dict.fromkeys(languages)),
            is_public=parse_bool(values["public"], "public", problems),
        )
        person.refresh_name_key()
        areas, since, end, status = self.row_finish(
            values,
            problems,
            email=email,
            key=person.name_key,
            country=country,
            name_column="full_name",
            line=line,
        )
        return PersonRow(
            line=line,
            member_since=since,
            membership_end=end,
            membership_status=status,
            issue_areas=areas,
            person=person,
            organisations=organisations,
            role=role,
            is_admin=is_admin,
            # Staff of a member organisation inherit its membership; others are members
            # in their own right, as are staff whose own membership the file states.
            is_member=bool(since or status or not organisations),
        )

    def write(self, rows: list[PersonRow]) -> int:
        people = Person.objects.bulk_create([row.person for row in rows], batch_size=BATCH)
        pairs = list(zip(people, rows, strict=True))
        self.issue_areas_create(Person, [(p, row.issue_areas) for p, row in pairs])
        links = [
            Affiliation(person=p, organisation=o, role=row.role, is_admin=row.is_admin)
            for p, row in pairs
            for o in row.organisations
        ]
        Affiliation.objects.bulk_create(links, batch_size=BATCH)
        memberships = self.memberships_create(
            [("person", p, row) for p, row in pairs if row.is_member]
        )
        organisation_ids = {link.organisation_id for link in links}
        for organisation in Organisation.objects.filter(
            pk__in=organisation_ids, memberships__isnull=False
        ):
            inherited_memberships_recompute(organisation=organisation, today=self.today)
        log_action(
            actor=self.actor,
            action=Action.REGISTER_IMPORT,
            changes={
                "importer": self.name,
                "people": len(people),
                "affiliations": len(links),
                "memberships": memberships,
            },
        )
        return len(people)
