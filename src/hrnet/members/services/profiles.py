"""Writes by an organisation's admins (and the secretariat): the organisation's profile and
its staff links. Every change is audited with the fields it changed, and staff-link changes
recompute the memberships staff inherit from the organisation."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.core import images
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.members.audit import Action
from hrnet.members.models import Affiliation, Organisation, Person
from hrnet.members.policies import is_secretariat, organisation_policy, person_policy
from hrnet.members.services.memberships import inherited_memberships_recompute
from hrnet.members.services.register import (
    organisation_fields_set,
    person_create,
    texts_clean,
)

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4096 * 4096


def logo_check(upload: UploadedFile) -> str:
    """The file extension of a logo that is really a PNG, JPEG or WebP image within the
    limits; ValidationError naming the `logo` field otherwise."""
    return images.image_check(
        upload, field="logo", max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS
    )


def _profile_snapshot(organisation: Organisation) -> dict[str, Any]:
    return {
        "names": dict(organisation.names),
        "name_original": organisation.name_original,
        "kind": organisation.kind,
        "is_community_led": organisation.is_community_led,
        "city": organisation.city,
        "website": organisation.website,
        "email": organisation.email,
        "descriptions": dict(organisation.descriptions),
        "is_public": organisation.is_public,
        "logo": organisation.logo.name or "",
    }


def _issue_areas_set(
    member: Organisation | Person, issue_areas: Iterable[IssueArea]
) -> dict[str, Any]:
    """Set `member`'s issue areas; the audit change of their codes, or {} if none."""
    before = sorted(member.issue_areas.values_list("code", flat=True))
    member.issue_areas.set(list(issue_areas))
    after = sorted(member.issue_areas.values_list("code", flat=True))
    return {"issue_areas": {"old": before, "new": after}} if after != before else {}


@transaction.atomic
def organisation_profile_update(
    *,
    organisation: Organisation,
    actor: Actor,
    names: dict[str, str],
    kind: str,
    name_original: str = "",
    is_community_led: bool = False,
    city: str = "",
    website: str = "",
    email: str = "",
    descriptions: dict[str, str] | None = None,
    issue_areas: Iterable[IssueArea] = (),
    is_public: bool = False,
    logo: UploadedFile | None = None,
    logo_clear: bool = False,
    request: HttpRequest | None = None,
) -> Organisation:
    """Change an organisation's profile; only its admins and the secretariat may."""
    organisation_policy.require(actor, "change", organisation)
    before = _profile_snapshot(organisation)

    organisation_fields_set(
        organisation,
        names=names,
        name_original=name_original,
        kind=kind,
        is_community_led=is_community_led,
        city=city,
        website=website,
        email=email,
    )
    if not organisation.names and not organisation.name_original:
        raise ValidationError(
            {"names": _("Give the organisation’s name in at least one language.")}
        )
    organisation.descriptions = texts_clean(descriptions or {})
    organisation.is_public = is_public
    extension = logo_check(logo) if logo is not None else ""
    organisation.full_clean(exclude=["logo"])
    # The file is stored only once everything else is valid, so a refused form leaves none.
    old_logo = organisation.logo.name or ""
    if logo is not None:
        # Without EXIF: a photographed logo can say where it was taken.
        name = f"{uuid.uuid4().hex}.{extension}"
        organisation.logo.save(name, images.image_without_metadata(logo, name=name), save=False)
    elif logo_clear:
        organisation.logo.name = ""
    organisation.save()
    issue_areas_change = _issue_areas_set(organisation, issue_areas)

    after = _profile_snapshot(organisation)
    changes = changed_fields(before, after) | issue_areas_change
    if changes:
        log_action(
            actor=actor,
            action=Action.ORGANISATION_UPDATE,
            obj=organisation,
            changes=changes,
            request=request,
        )
    if old_logo and old_logo != after["logo"]:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return organisation


def _recompute_inherited(organisation: Organisation) -> None:
    inherited_memberships_recompute(organisation=organisation)


def _is_current(affiliation: Affiliation, today: date) -> bool:
    return (affiliation.start_date is None or affiliation.start_date <= today) and (
        affiliation.end_date is None or affiliation.end_date >= today
    )


@transaction.atomic
def affiliation_add(
    *,
    organisation: Organisation,
    actor: Actor,
    full_name: str,
    email: str = "",
    role: str = Affiliation.Role.STAFF,
    start_date: date | None = None,
    end_date: date | None = None,
    is_admin: bool = False,
    request: HttpRequest | None = None,
) -> Affiliation:
    """Link a person to the organisation. A person registered with the same email is reused
    (their record is not renamed) when the secretariat adds them or they are already linked
    to this organisation; otherwise a person is created in the organisation's country.

    An organisation admin must not learn who is registered under an email, nor tie a
    stranger's record to their organisation: the secretariat merges such duplicates."""
    organisation_policy.require(actor, "change", organisation)
    email = email.strip().lower()
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": _("Give the person’s name.")})
    if start_date and end_date and end_date < start_date:
        raise ValidationError(
            {
                "end_date": _("The link cannot end (%(end)s) before it starts (%(start)s).")
                % {"end": end_date.isoformat(), "start": start_date.isoformat()}
            }
        )
    same_email = Person.objects.filter(email__iexact=email).order_by("pk")
    if not is_secretariat(actor):
        same_email = same_email.filter(affiliations__organisation=organisation).distinct()
    person = same_email.first() if email else None
    if person is not None:
        overlapping = Affiliation.objects.filter(person=person, organisation=organisation)
        if start_date:
            overlapping = overlapping.exclude(end_date__lt=start_date)
        if end_date:
            overlapping = overlapping.exclude(start_date__gt=end_date)
        if overlapping.exists():
            raise ValidationError(
                {
                    "email": _(
                        "%(name)s (%(email)s) is already linked to this organisation for "
                        "these dates."
                    )
                    % {"name": person.full_name, "email": email}
                }
            )
    else:
        person = person_create(
            full_name=full_name,
            email=email,
            country=organisation.country,
            actor=actor,
            request=request,
        )
    affiliation = Affiliation(
        person=person,
        organisation=organisation,
        role=role,
        start_date=start_date,
        end_date=end_date,
        is_admin=is_admin,
    )
    affiliation.full_clean()
    affiliation.save()
    log_action(
        actor=actor,
        action=Action.AFFILIATION_CREATE,
        obj=affiliation,
        changes={
            field: {"old": None, "new": value}
            for field, value in {
                "person": person.pk,
                "organisation": organisation.pk,
                "role": role,
                "is_admin": is_admin,
                "start_date": start_date,
                "end_date": end_date,
            }.items()
        },
        request=request,
    )
    _recompute_inherited(organisation)
    return affiliation


@transaction.atomic
def affiliation_end(
    *,
    affiliation: Affiliation,
    actor: Actor,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> Affiliation | None:
    """End a staff link so it no longer counts from today: it ends yesterday. A link that
    had not started before today never took effect and is removed. Returns the ended link,
    or None when it was removed.

    An admin cannot end the organisation's last admin link (their own included): someone
    must be left to keep the profile; the secretariat can.
    """
    organisation = affiliation.organisation
    organisation_policy.require(actor, "change", organisation)
    today = today or timezone.localdate()
    if affiliation.end_date is not None and affiliation.end_date < today:
        raise ValidationError(
            _("This link already ended on %(date)s.") % {"date": affiliation.end_date.isoformat()}
        )
    if affiliation.is_admin and not is_secretariat(actor):
        other_admins = [
            link
            for link in Affiliation.objects.filter(
                organisation=organisation, is_admin=True
            ).exclude(pk=affiliation.pk)
            if _is_current(link, today)
        ]
        if _is_current(affiliation, today) and not other_admins:
            raise ValidationError(
                _(
                    "%(name)s is the last person who manages this organisation’s profile. "
                    "Add another admin first, or ask the secretariat."
                )
                % {"name": affiliation.person.full_name}
            )
    yesterday = today - timedelta(days=1)
    if affiliation.start_date is not None and affiliation.start_date > yesterday:
        log_action(
            actor=actor,
            action=Action.AFFILIATION_DELETE,
            obj=affiliation,
            changes={
                "person": {"old": affiliation.person_id, "new": None},
                "start_date": {"old": affiliation.start_date, "new": None},
            },
            request=request,
        )
        affiliation.delete()
        _recompute_inherited(organisation)
        return None
    old_end = affiliation.end_date
    affiliation.end_date = yesterday
    affiliation.save(update_fields=["end_date", "updated_at"])
    log_action(
        actor=actor,
        action=Action.AFFILIATION_END,
        obj=affiliation,
        changes={"end_date": {"old": old_end, "new": yesterday}},
        request=request,
    )
    _recompute_inherited(organisation)
    return affiliation


@transaction.atomic
def person_profile_update(
    *,
    person: Person,
    actor: Actor,
    full_name: str,
    city: str = "",
    expertise: str = "",
    languages: Iterable[str] = (),
    issue_areas: Iterable[IssueArea] = (),
    is_public: bool = False,
    request: HttpRequest | None = None,
) -> Person:
    """A person keeps their own profile (the secretariat may too); audited by field."""
    person_policy.require(actor, "change", person)
    fields = ("full_name", "city", "expertise", "languages", "is_public")
    before = {name: getattr(person, name) for name in fields}
    person.full_name = " ".join(full_name.split())
    if not person.full_name:
        raise ValidationError({"full_name": _("Give your full name.")})
    person.city = city.strip()
    person.expertise = expertise.strip()
    person.languages = list(languages)
    person.is_public = is_public
    person.refresh_name_key()
    person.full_clean()
    person.save()
    issue_areas_change = _issue_areas_set(person, issue_areas)
    changes = changed_fields(before, {name: getattr(person, name) for name in fields})
    changes |= issue_areas_change
    if changes:
        log_action(
            actor=actor, action=Action.PERSON_UPDATE, obj=person, changes=changes, request=request
        )
    return person
