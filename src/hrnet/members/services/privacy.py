"""A person's rights over their data: a copy of everything stored about them, and erasure
on request (their identity is removed; the memberships and links stay, anonymous, so the
network's counts per country and organisation do not change). Both are audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.audit import Action as AccountsAction
from hrnet.accounts.models import ApiToken, Invitation, LoginFailure, User
from hrnet.core.audit import log_action
from hrnet.core.models import AuditEntry
from hrnet.core.types import Actor
from hrnet.members.audit import Action
from hrnet.members.models import Affiliation, Application, Membership, Person, Vote

# --- other modules ----------------------------------------------------------------------
# Modules that keep data about a person's account (event registrations, certificates,
# feedback...) register what they export and how they erase it, in AppConfig.ready().

AccountExport = Callable[[User], dict[str, Any]]
# (the account or None, the erased name to write, every email the person was known by)
AccountErase = Callable[[User | None, str, list[str]], None]
_account_exports: list[AccountExport] = []
_account_erasures: list[AccountErase] = []


def personal_data_register(*, export: AccountExport, erase: AccountErase) -> None:
    if export not in _account_exports:
        _account_exports.append(export)
    if erase not in _account_erasures:
        _account_erasures.append(erase)


# --- export -------------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _person_applications(person: Person) -> list[Application]:
    condition = Q(person=person)
    if person.user_id:
        condition |= Q(applicant_user_id=person.user_id)
    return list(
        Application.objects.filter(condition).select_related("principles_version", "organisation")
    )


def _audit_entries_about(person: Person, applications: list[Application]) -> list[AuditEntry]:
    types = ContentType.objects.get_for_models(Person, Application, Membership, Affiliation, User)
    condition = Q(content_type=types[Person], object_id=str(person.pk))
    condition |= Q(content_type=types[Application], object_id__in=[str(a.pk) for a in applications])
    memberships = [str(pk) for pk in person.memberships.values_list("pk", flat=True)]
    condition |= Q(content_type=types[Membership], object_id__in=memberships)
    # A staff link's log entry is named after the person ("Name - Organisation (Role)").
    links = [str(pk) for pk in person.affiliations.values_list("pk", flat=True)]
    condition |= Q(content_type=types[Affiliation], object_id__in=links)
    if person.user_id:
        condition |= Q(content_type=types[User], object_id=str(person.user_id))
    return list(AuditEntry.objects.filter(condition).order_by("created_at", "pk"))


def person_data_export(
    *, person: Person, actor: Actor, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything stored about `person`, as JSON-ready data: profile, account, links,
    memberships, applications, votes cast and the audit entries about them."""
    applications = _person_applications(person)
    user = person.user
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "id": person.pk,
            "full_name": person.full_name,
            "email": person.email,
            "country": person.country.iso2,
            "city": person.city,
            "expertise": person.expertise,
            "languages": person.languages,
            "issue_areas": [area.code for area in person.issue_areas.all()],
            "listed_in_public_directory": person.is_public,
            "created_at": _iso(person.created_at),
            "updated_at": _iso(person.updated_at),
            "erased_at": _iso(person.erased_at),
        },
        "account": None,
        "affiliations": [
            {
                "organisation": link.organisation.name,
                "organisation_id": link.organisation_id,
                "role": link.role,
                "manages_profile": link.is_admin,
                "start_date": _iso(link.start_date),
                "end_date": _iso(link.end_date),
            }
            for link in person.affiliations.select_related("organisation")
        ],
        "memberships": [
            {
                "id": membership.pk,
                "type": membership.type.code,
                "status": membership.status,
                "status_set_by_hand": membership.status_override,
                "reason_for_status": membership.override_reason,
                "start_date": _iso(membership.start_date),
                "end_date": _iso(membership.end_date),
                "through_organisation": (
                    membership.inherited_from.organisation.name
                    if membership.inherited_from and membership.inherited_from.organisation
                    else None
                ),
                "principles_version": (
                    membership.principles_version.number if membership.principles_version else None
                ),
            }
            for membership in person.memberships.select_related(
                "type", "principles_version", "inherited_from__organisation"
            )
        ],
        "applications": [
            {
                "id": application.pk,
                "applying_as": application.kind,
                "organisation": application.organisation.name if application.organisation else None,
                "status": application.status,
                "contact_name": application.contact_name,
                "contact_email": application.contact_email,
                "language": application.language,
                "motivation": application.motivation,
                "principles_version": application.principles_version.number,
                "principles_accepted_at": _iso(application.principles_accepted_at),
                "information_requested": application.info_request,
                "decision_reason": application.decision_reason,
                "decided_at": _iso(application.decided_at),
                "created_at": _iso(application.created_at),
            }
            for application in applications
        ],
        "votes_cast": [],
        "audit_log": [
            {
                "time": _iso(entry.created_at),
                "action": entry.action,
                "object": entry.object_repr,
                "changes": entry.changes,
                "by": entry.actor_repr
                if user is not None and entry.actor_id == user.pk
                else (_("the secretariat") if entry.actor_id else _("the system")),
            }
            for entry in _audit_entries_about(person, applications)
        ],
    }
    if user is not None:
        data["account"] = {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "active": user.is_active,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        }
        data["votes_cast"] = [
            {
                "application_id": vote.application_id,
                "vote": vote.choice,
                "comment": vote.comment,
                "time": _iso(vote.created_at),
            }
            for vote in Vote.objects.filter(reviewer=user).order_by("created_at")
        ]
        for export in _account_exports:
            data.update(export(user))
    log_action(actor=actor, action=Action.PERSON_DATA_EXPORT, obj=person, request=request)
    return data


# --- erasure ------------------------------------------------------------------------------


def erased_name(person: Person) -> str:
    # Stored data, so in the deployment's default language rather than the requester's.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased person #%(id)s") % {"id": person.pk}


def _scrub(value: Any, secrets: list[str], replacement: str) -> Any:
    """`value` (JSON) with every text containing one of `secrets` replaced."""
    if isinstance(value, dict):
        return {key: _scrub(item, secrets, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secrets, replacement) for item in value]
    if isinstance(value, str) and any(s.lower() in value.lower() for s in secrets):
        return replacement
    return value


def _audit_entries_by_email(*, emails: list[str], duplicates: list[Person]) -> list[AuditEntry]:
    """Entries that name the person without pointing at their records: invitations sent to
    their address, refused logins typed with it, and the records merged into theirs."""
    types = ContentType.objects.get_for_models(Person, Invitation)
    condition = Q(content_type=types[Person], object_id__in=[str(d.pk) for d in duplicates])
    for email in emails:
        invitations = Invitation.all_objects.filter(email__iexact=email).values_list("pk")
        condition |= Q(
            content_type=types[Invitation], object_id__in=[str(pk) for (pk,) in invitations]
        )
        condition |= Q(action=AccountsAction.ACCOUNT_LOGIN_THROTTLED, changes__email__iexact=email)
    return list(AuditEntry.objects.filter(condition))


def _duplicates_merged_into(person: Person) -> list[Person]:
    """Records merged into `person` (and into those, and so on): they sit in the trash,
    restorable, with the same name and email, so erasure must reach them too."""
    types = ContentType.objects.get_for_models(Person)
    found: dict[int, Person] = {}
    keep_ids = [person.pk]
    while keep_ids:
        merges = AuditEntry.objects.filter(
            action=Action.PERSON_MERGE,
            content_type=types[Person],
            object_id__in=[str(pk) for pk in keep_ids],
        )
        merged_ids = {
            entry.changes.get("merged", {}).get("id")
            for entry in merges
            if isinstance(entry.changes, dict)
        }
        merged_ids -= {None, person.pk, *found}
        records = Person.all_objects.filter(pk__in=merged_ids)
        found.update((record.pk, record) for record in records)
        keep_ids = [record.pk for record in records]
    return list(found.values())


@transaction.atomic
def person_erase(
    *, person: Person, actor: Actor, reason: str, request: HttpRequest | None = None
) -> Person:
    """Erase the personal data of `person` on their request.

    The person becomes "Erased person #id" with no contact data, off the public directory;
    their account is deactivated and its email replaced; the contact fields of their
    applications (and the motivation of their own) are blanked; the log entries about them
    lose their name and email; records merged into theirs (in the trash) are erased too.
    Their memberships and organisation links stay, anonymous, so the register's history
    (members by the year they joined) does not change; an erased person is no longer
    counted or listed as a current member (`selectors.counts`).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the data is erased (e.g. the request).")})
    person = Person.all_objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(_("The personal data of this person was already erased."))
    name = erased_name(person)
    user = person.user
    identity = [s for s in (person.full_name, person.email) if s]
    if user is not None:
        identity += [s for s in (user.email, user.full_name) if s]
    applications = _person_applications(person)
    identity += [s for a in applications for s in (a.contact_name, a.contact_email) if s]
    duplicates = _duplicates_merged_into(person)
    identity += [s for d in duplicates for s in (d.full_name, d.email) if s]
    identity = list(dict.fromkeys(identity))
    details = [s for d in [person, *duplicates] for s in (d.city, d.expertise) if s]
    entries = _audit_entries_about(person, applications)
    entries += _audit_entries_by_email(
        emails=[s for s in identity if "@" in s], duplicates=duplicates
    )

    for record in [person, *duplicates]:
        record.full_name = erased_name(record)
        record.email = record.city = record.expertise = ""
        record.languages = []
        record.is_public = False
        record.erased_at = timezone.now()
        record.refresh_name_key()
        record.save()

    for application in applications:
        application.contact_name = name
        application.contact_email = ""
        if application.person_id == person.pk:
            # An individual's own words; an organisation's application keeps its text.
            # The secretariat's questions and reasons may quote what they wrote.
            application.motivation = ""
            application.info_request = ""
            application.decision_reason = ""
        application.access_token = Application.new_token()  # the old link shows nothing
        application.save(
            update_fields=[
                "contact_name", "contact_email", "motivation", "info_request",
                "decision_reason", "access_token", "updated_at",
            ]
        )  # fmt: skip

    if user is not None:
        user.email = f"erased-{user.pk}@erased.invalid"
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        AuditEntry.objects.filter(actor=user).update(actor_repr=user.email)

    for erase in _account_erasures:  # other modules' data about the person
        erase(user, name, [s for s in identity if "@" in s])

    # Invitations and refused sign-ins typed with any of their addresses.
    erased_email = user.email if user is not None else f"erased-person-{person.pk}@erased.invalid"
    for email in [s for s in identity if "@" in s]:
        Invitation.all_objects.filter(email__iexact=email).update(email=erased_email, full_name="")
        LoginFailure.objects.filter(email__iexact=email).delete()

    # The log keeps what happened, not who it happened to.
    for entry in entries:
        entry.object_repr = _scrub(entry.object_repr, identity, name)
        entry.changes = _scrub(entry.changes, identity + details, "…")
        entry.save(update_fields=["object_repr", "changes"])

    log_action(
        actor=actor,
        action=Action.PERSON_ERASE,
        obj=person,
        changes={
            "reason": reason,
            "applications": len(applications),
            "account": bool(user),
            "merged_records": [d.pk for d in duplicates],
        },
        request=request,
    )
    return person
