"""Reads of anonymous clients: resolving merges, finding duplicates, the client pages'
lists. Each takes the acting user and returns only what they may see; the pages log the
reads (`services.clients.client_audit`)."""

from __future__ import annotations

import string

from django.db.models import F, Max, QuerySet

from hrnet.core.types import Actor
from hrnet.outreach.models import Client, Contact
from hrnet.outreach.policies import client_policy
from hrnet.outreach.uic import UIC_SCHEMES, uic_normalise, uic_scheme

MAX_MERGE_CHAIN = 20
RECENT_LIMIT = 50
_CODE_ALPHABET = string.ascii_uppercase + string.digits


def client_resolve(client: Client) -> Client:
    """The client that `client` was merged into (itself when it was not merged)."""
    seen = 0
    while client.merged_into_id is not None and seen < MAX_MERGE_CHAIN:
        client = Client.objects.get(pk=client.merged_into_id)
        seen += 1
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


def client_duplicates(*, user: Actor, client: Client) -> list[Client]:
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


def client_get(*, user: Actor, pk: int, action: str = "view") -> Client:
    """The client `pk` if `user` may do `action` on it; Client.DoesNotExist otherwise, so
    a page answers the same for a client elsewhere and for no client."""
    return client_policy.instances_user_has_permission_for(user, action).get(pk=pk)


def clients_search(*, user: Actor, uic: str) -> list[Client]:
    """The clients `user` may see whose code is `uic` as typed (one per organisation),
    merged ones resolved to the client kept, each with `last_contact` (its latest contact's
    date, as in the list of recent clients)."""
    code = uic_normalise(uic)
    if not code:
        return []
    visible = client_policy.instances_user_has_permission_for(user, "view")
    found: dict[int, Client] = {}
    for client in Client.objects.filter(uic=code):
        kept = client_resolve(client)
        if kept.pk not in found and visible.filter(pk=kept.pk).exists():
            found[kept.pk] = kept
    latest = dict(
        Contact.objects.filter(client_id__in=found)
        .values("client_id")
        .annotate(last=Max("date"))
        .values_list("client_id", "last")
    )
    for client in found.values():
        client.last_contact = latest.get(client.pk)  # type: ignore[attr-defined]
    return list(found.values())


def clients_recent(*, user: Actor, limit: int = RECENT_LIMIT) -> QuerySet[Client]:
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
