"""Anonymous clients: finding one by UIC, registering, suggesting and merging duplicates.

Every function asks `client_policies` and logs what it reads or changes. Audit entries
name the client by its id only (`client_audit`): a UIC or any other attribute never goes
into a log message, an exception text or an audit entry's description.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hrnet.core.audit import log_action
from hrnet.core.models import AuditEntry
from hrnet.outreach.client_policies import client_policy, client_site_ids, staff_site_ids
from hrnet.outreach.models import Client, Contact, Site
from hrnet.outreach.uic import UIC_SCHEMES, uic_is_valid, uic_normalise, uic_scheme, year_part

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
MAX_MERGE_CHAIN = 20
_CODE_ALPHABET = string.ascii_uppercase + string.digits
_SLUG = re.compile(r"^[a-z0-9_]{1,32}$")


def client_audit(
    *,
    actor: Any,
    action: str,
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


def client_resolve(client: Client) -> Client:
    """The client that `client` was merged into (itself when it was not merged)."""
    seen = 0
    while client.merged_into_id is not None and seen < MAX_MERGE_CHAIN:
        client = Client.objects.get(pk=client.merged_into_id)
        seen += 1
    return client


def client_find(
    *, user: Any, site: Site, uic: str, request: HttpRequest | None = None
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
        action="outreach.client_find",
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
    actor: Any,
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
        action="outreach.client_register",
        client=client,
        changes={"site": site.pk},
        request=request,
    )
    return client


def _one_off(code: str) -> set[str]:
    """Every code at Levenshtein distance 1 from `code`."""
    variants: set[str] = set()
    for i in range(len(code)):
        variants.add(code[:i] + code[i + 1 :])
        for char in _CODE_ALPHABET:
            variants.add(code[:i] + char + code[i + 1 :])
    for i in range(len(code) + 1):
        for char in _CODE_ALPHABET:
            variants.add(code[:i] + char + code[i:])
    variants.discard(code)
    return variants


def client_duplicates(*, user: Any, client: Client) -> list[Client]:
    """Clients of the same organisation, not merged, that `user` may see, whose code is
    one character off `client`'s (substituted, inserted or deleted) or has the parents'
    parts swapped: probably the same person, mistyped."""
    candidates = _one_off(client.uic)
    scheme = uic_scheme(client.uic_scheme) if client.uic_scheme in UIC_SCHEMES else None
    swapped = scheme.swapped(client.uic) if scheme else None
    if swapped:
        candidates.add(swapped)
    visible = client_policy.instances_user_has_permission_for(user, "view")
    return list(
        visible.filter(
            organisation_id=client.organisation_id, merged_into__isnull=True, uic__in=candidates
        )
        .exclude(pk=client.pk)
        .order_by("uic")
    )


def clients_merge(
    *,
    actor: Any,
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
        if not client_policy.user_has_permission_for_instance(actor, "merge", client):
            raise PermissionDenied
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
            action="outreach.client_merge",
            client=keep,
            changes={"kept": keep.pk, "merged": merge.pk, "reason": reason, "contacts": moved},
            request=request,
        )
        if months:
            transaction.on_commit(lambda: _recompute(months, actor))
    return keep


def _recompute(site_months: set[tuple[int, str]], actor: Any) -> None:
    """Distinct clients per month change when two become one."""
    from hrnet.outreach import rollup

    by_site: dict[int, set[str]] = {}
    for site_id, month in site_months:
        by_site.setdefault(site_id, set()).add(month)
    for site_id, months in by_site.items():
        rollup.contact_months_recompute(site_id=site_id, months=months, actor=actor)


# Reads for the client pages. Each takes the acting user and returns only what they may
# see; the pages log the reads (`client_audit`).

RECENT_LIMIT = 50


def client_get(*, user: Any, pk: int, action: str = "view") -> Client:
    """The client `pk` if `user` may do `action` on it; Client.DoesNotExist otherwise, so
    a page answers the same for a client elsewhere and for no client."""
    return client_policy.instances_user_has_permission_for(user, action).get(pk=pk)


def clients_search(*, user: Any, uic: str) -> list[Client]:
    """The clients `user` may see whose code is `uic` as typed (one per organisation),
    merged ones resolved to the client kept."""
    code = uic_normalise(uic)
    if not code:
        return []
    visible = client_policy.instances_user_has_permission_for(user, "view")
    found: dict[int, Client] = {}
    for client in Client.objects.filter(uic=code):
        kept = client_resolve(client)
        if kept.pk not in found and visible.filter(pk=kept.pk).exists():
            found[kept.pk] = kept
    return list(found.values())


def clients_recent(*, user: Any, limit: int = RECENT_LIMIT) -> QuerySet[Client]:
    """The clients of `user`'s sites, the most recently served first, with `last_contact`."""
    return (
        client_policy.instances_user_has_permission_for(user, "list")
        .filter(merged_into__isnull=True)
        .annotate(last_contact=Max("contacts__date"))
        .order_by(F("last_contact").desc(nulls_last=True), "-created_at")[:limit]
    )


def client_contacts(*, client: Client) -> QuerySet[Contact]:
    """A client's contacts with what was given, tested and referred (the client's page
    shows all of them to whoever may see the client)."""
    return (
        Contact.objects.filter(client=client)
        .select_related("site")
        .prefetch_related("items__commodity", "tests", "referrals")
        .order_by("-date", "-created_at")
    )
