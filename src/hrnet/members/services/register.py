"""Writes of the register: creating organisations and people (duplicate detection and
merging come here too)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from hrnet.core.audit import log_action
from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.members.models import Organisation, Person


@transaction.atomic
def organisation_create(
    *,
    names: dict[str, str],
    kind: str,
    country: Country,
    actor: Any = None,
    name_original: str = "",
    is_community_led: bool = False,
    city: str = "",
    website: str = "",
    email: str = "",
    descriptions: dict[str, str] | None = None,
    issue_areas: Iterable[IssueArea] = (),
    is_public: bool = False,
    request: HttpRequest | None = None,
) -> Organisation:
    organisation = Organisation(
        names={code: text.strip() for code, text in names.items() if text and text.strip()},
        name_original=name_original.strip(),
        kind=kind,
        is_community_led=is_community_led or kind == Organisation.Kind.COMMUNITY_LED,
        country=country,
        city=city.strip(),
        website=website.strip(),
        email=email.strip().lower(),
        descriptions=descriptions or {},
        is_public=is_public,
    )
    organisation.refresh_name_key()
    organisation.full_clean()
    organisation.save()
    organisation.issue_areas.set(list(issue_areas))
    log_action(actor=actor, action="organisation.create", obj=organisation, request=request)
    return organisation


@transaction.atomic
def person_create(
    *,
    full_name: str,
    country: Country,
    actor: Any = None,
    email: str = "",
    city: str = "",
    expertise: str = "",
    languages: Iterable[str] = (),
    issue_areas: Iterable[IssueArea] = (),
    is_public: bool = False,
    user: Any = None,
    request: HttpRequest | None = None,
) -> Person:
    person = Person(
        full_name=" ".join(full_name.split()),
        email=email.strip().lower(),
        country=country,
        city=city.strip(),
        expertise=expertise.strip(),
        languages=list(languages),
        is_public=is_public,
        user=user,
    )
    person.refresh_name_key()
    person.full_clean()
    person.save()
    person.issue_areas.set(list(issue_areas))
    log_action(actor=actor, action="person.create", obj=person, request=request)
    return person
