"""Anonymous clients: finding one by UIC, registering, merging duplicates.

Every function asks the client policy and logs what it reads or changes. Audit entries
name the client by its id only (`client_audit`): a UIC or any other attribute never goes
into a log message, an exception text or an audit entry's description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hrnet.core.audit import log_action
from hrnet.core.models import AuditEntry
from hrnet.core.types import Actor
from hrnet.outreach.audit import Action
from hrnet.outreach.changes import contacts_changed
from hrnet.outreach.models import Client, Contact, Site
from hrnet.outreach.policies import client_policy, client_site_ids, staff_site_ids
from hrnet.outreach.selectors.clients import client_resolve
from hrnet.outreach.uic import uic_is_valid, uic_normalise, uic_scheme, year_part

# Codes for what a client uses and which key populations they belong to. Stored as lists
# of these codes; unknown codes are refused so reports can count them.
SUBSTANCES: dict[str, Any] = {
    "opioids": _("Opioids"),
    "stimulants": _("Stimulants"),
    "new_psychoactive": _("New psychoactive substances"),
    "alcohol": _("Alcohol"),
    "cannabis": _("Cannabis"),
    "sedatives": _("Sedatives"),
    "other": _("Other substances"),
}
KEY_POPULATIONS: dict[str, Any] = {
    "pwid": _("People who inject drugs"),
    "pwud": _("People who use drugs"),
    "sex_workers": _("Sex workers"),
    "msm": _("Men who have sex with men"),
    "transgender": _("Transgender people"),
    "prisoners": _("People in prisons"),
    "partners": _("Partners of people who use drugs"),
}
_SLUG = re.compile(r"^[a-z0-9_]{1,32}$")


def client_audit(
    *,
    actor: Actor,
    action: Action,
    client: Client,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """`log_action` for a client, described by its id: the audit log's description would
    otherwise be the client's UIC (`Client.__str__`)."""
    entry = log_action(actor=actor, action=action, obj=client, changes=changes, request=request)
    entry.object_repr = f"client #{client.pk}"
    entry.save(update_fields=["object_repr"])
    return entry


def client_find(
    *, user: Actor, site: Site, uic: str, request: HttpRequest | None = None
) -> Client | None:
    """The client of `site`'s organisation with the code `uic` (as typed), or None.

    Found for those who may "view" the client, and also for the staff of `site` when the
    client was served at a sister site of the same organisation: a returning client is
    served wherever they come. A merged client resolves to the one it was merged into.
    Every hit is logged as a read."""
    code = uic_normalise(uic)
    if not code:
        return None
    client = Client.objects.filter(organisation_id=site.organisation_id, uic=code).first()
    if client is None:
        return None
    client = client_resolve(client)
    allowed = site.pk in staff_site_ids(user) or client_policy.user_has_permission_for_instance(
        user, "view", client
    )
    if not allowed:
        return None
    client_audit(
        actor=user,
        action=Action.CLIENT_FIND,
        client=client,
        changes={"site": site.pk},
        request=request,
    )
    return client


def _codes(value: Iterable[str], known: dict[str, Any], field: str) -> list[str]:
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or not _SLUG.match(code) or code not in known:
            raise ValidationError(
                {
                    field: _("Choose from the list: %(code)s is not known.")
                    % {"code": str(code)[:32]}
                },
                code="invalid",
            )
        if code not in codes:
            codes.append(code)
    return codes


def client_register(
    *,
    actor: Actor,
    site: Site,
    uic: str,
    sex: str,
    birth_year: int | None,
    substances: Iterable[str] = (),
    injects: bool | None = None,
    key_populations: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Client:
    """Register a client at `site` (its staff only), or return the client already known
    to the organisation by that code (resolved through merges): registering twice, from
    two phones or two sites, gives one client. The attributes given the second time are
    not applied (the first registration wins)."""
    if site.pk not in client_site_ids(actor, "add"):
        raise PermissionDenied
    scheme = uic_scheme()
    code = uic_normalise(uic)
    if not uic_is_valid(code):
        raise ValidationError(
            {
                "uic": _("This code does not follow the scheme: %(scheme)s.")
                % {"scheme": scheme.label}
            },
            code="invalid",
        )
    existing = Client.objects.filter(organisation_id=site.organisation_id, uic=code).first()
    if existing is not None:
        return client_resolve(existing)
    if sex not in Client.Sex.values:
        raise ValidationError(
            {"sex": _("Choose the sex: male, female, other or not known.")}, code="invalid"
        )
    year_part(birth_year)  # raises on an impossible year
    client = Client(
        organisation_id=site.organisation_id,
        uic=code,
        uic_scheme=scheme.name,
        sex=sex,
        birth_year=birth_year,
        substances=_codes(substances, SUBSTANCES, "substances"),
        injects=injects,
        key_populations=_codes(key_populations, KEY_POPULATIONS, "key_populations"),
        first_site=site,
    )
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        # Registered at the same moment by another request.
        return client_resolve(Client.objects.get(organisation_id=site.organisation_id, uic=code))
    client_audit(
        actor=actor,
        action=Action.CLIENT_REGISTER,
        client=client,
        changes={"site": site.pk},
        request=request,
    )
    return client


def clients_merge(
    *,
    actor: Actor,
    keep: Client,
    merge: Client,
    reason: str,
    request: HttpRequest | None = None,
) -> Client:
    """Merge the duplicate `merge` into `keep`: its contacts move to `keep`, `keep` keeps
    the earliest first contact and takes the attributes it lacks (year, sex, substances,
    key populations), and `merge` points to `keep` from then on (codes typed later find
    `keep`). Managers allowed to "merge" both clients only; a reason is required."""
    for client in (keep, merge):
        client_policy.require(actor, "merge", client)
    reason = (reason or "").strip()
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("Say why these are the same person.")
    if keep.pk == merge.pk:
        errors["other"] = _("A client cannot be merged with itself.")
    elif keep.organisation_id != merge.organisation_id:
        errors["other"] = _("Only clients of the same organisation can be merged.")
    elif keep.merged_into_id is not None or merge.merged_into_id is not None:
        errors["other"] = _("This client was merged already.")
    if errors:
        raise ValidationError(errors, code="invalid")

    with transaction.atomic():
        keep = Client.objects.select_for_update().get(pk=keep.pk)
        merge = Client.objects.select_for_update().get(pk=merge.pk)
        if keep.merged_into_id is not None or merge.merged_into_id is not None:
            raise ValidationError({"other": _("This client was merged already.")})
        months = {
            (contact.site_id, contact.date.strftime("%Y-%m"))
            for contact in Contact.objects.filter(client=merge).only("site_id", "date")
        }
        moved = Contact.objects.filter(client=merge).update(client=keep)
        first = Contact.objects.filter(client=keep).aggregate(first=Min("date"))["first"]
        dates = [d for d in (keep.first_contact_on, merge.first_contact_on, first) if d]
        keep.first_contact_on = min(dates) if dates else None
        if keep.birth_year is None:
            keep.birth_year = merge.birth_year
        if keep.sex == Client.Sex.UNKNOWN:
            keep.sex = merge.sex
        if keep.injects is None:
            keep.injects = merge.injects
        if keep.first_site_id is None:
            keep.first_site_id = merge.first_site_id
        keep.substances = list(dict.fromkeys([*keep.substances, *merge.substances]))
        keep.key_populations = list(dict.fromkeys([*keep.key_populations, *merge.key_populations]))
        keep.save()
        merge.merged_into = keep
        merge.save(update_fields=["merged_into", "updated_at"])
        # Earlier merges into `merge` now point straight at `keep`.
        Client.objects.filter(merged_into=merge).update(merged_into=keep)
        client_audit(
            actor=actor,
            action=Action.CLIENT_MERGE,
            client=keep,
            changes={"kept": keep.pk, "merged": merge.pk, "reason": reason, "contacts": moved},
            request=request,
        )
        if months:
            by_site: dict[int, set[str]] = {}
            for site_id, month in months:
                by_site.setdefault(site_id, set()).add(month)
            transaction.on_commit(lambda: _months_changed(by_site, actor))
    return keep


def _months_changed(by_site: dict[int, set[str]], actor: Actor) -> None:
    """Distinct clients per month change when two become one."""
    for site_id, months in by_site.items():
        contacts_changed(site_ids=[site_id], months=months, actor=actor)
