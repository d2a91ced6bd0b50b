"""Plausible, invented service delivery data for benchmarks and the demo: sites of a member
organisation, clients with codes in the network's UIC scheme, a year of contacts with
preset bundles, tests with realistic positivity and referrals with outcomes; then the
apps that build on contacts are told they changed (evidence rolls them up).

Deterministic for a seed (ids included) and fast: rows are generated batch by batch and
written with bulk_create, so a million contacts fit in flat memory.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Min, OuterRef, Subquery

from hrnet.core.types import Actor
from hrnet.members.models import Organisation
from hrnet.outreach.changes import contacts_changed
from hrnet.outreach.models import (
    Client,
    Commodity,
    CommodityBundle,
    Contact,
    ContactItem,
    Referral,
    Site,
    SiteStaff,
    Test,
)
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.uic import uic_build

BATCH = 5000
LETTERS = "ABDEGIKLMNOPRSTUVZ"
CITIES = ("Kyiv", "Odesa", "Kharkiv", "Dnipro", "Lviv", "Chisinau", "Almaty", "Tbilisi")
SUBSTANCES = ("opioids", "stimulants", "methadone", "alcohol", "mephedrone")
DAYS = 365

# Share of contacts with each test; positivity; and what follows a positive result.
HIV_TESTED, HIV_POSITIVE = 0.08, 0.05
HCV_AB_TESTED, HCV_AB_POSITIVE = 0.06, 0.45
HCV_RNA_AFTER_AB, HCV_RNA_POSITIVE = 0.6, 0.7
NOT_GIVEN = 0.03


@dataclass
class GeneratorResult:
    sites: list[Site] = field(default_factory=list)
    clients: int = 0
    contacts: int = 0
    values_written: int = 0


def member_organisation(organisation_id: int | None = None) -> Organisation:
    """The organisation given, else the first with a membership, else the first."""
    if organisation_id is not None:
        return Organisation.objects.get(pk=organisation_id)
    organisation = (
        Organisation.objects.filter(memberships__isnull=False).order_by("pk").first()
        or Organisation.objects.order_by("pk").first()
    )
    if organisation is None:
        raise Organisation.DoesNotExist("No organisation to attach sites to")
    return organisation


def sites_create(*, organisation: Organisation, count: int, seed: int) -> list[Site]:
    kinds = list(Site.Kind.values)
    return [
        Site.objects.get_or_create(
            organisation=organisation,
            name=f"Generated site {seed}-{index + 1}",
            defaults={
                "country": organisation.country,
                "city": CITIES[index % len(CITIES)],
                "kind": kinds[index % len(kinds)],
            },
        )[0]
        for index in range(count)
    ]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _clients(
    rng: random.Random, *, organisation: Organisation, sites: list[Site], count: int
) -> list[int]:
    """Create `count` clients (unique codes within the organisation); returns their ids."""
    taken = set(Client.objects.filter(organisation=organisation).values_list("uic", flat=True))
    ids: list[int] = []
    batch: list[Client] = []

    def flush() -> None:
        ids.extend(client.pk for client in Client.objects.bulk_create(batch))
        batch.clear()

    while len(ids) + len(batch) < count:
        sex = "male" if rng.random() < 0.72 else "female"
        birth_year = rng.randint(1960, 2004) if rng.random() > 0.02 else None
        mother = rng.choice(LETTERS) + rng.choice(LETTERS).lower()
        father = rng.choice(LETTERS) + rng.choice(LETTERS).lower()
        code = uic_build(sex=sex, birth_year=birth_year, mother_name=mother, father_name=father)
        if code in taken:
            continue
        taken.add(code)
        roll = rng.random()
        batch.append(
            Client(
                organisation=organisation,
                uic=code,
                sex=sex,
                birth_year=birth_year,
                substances=rng.sample(SUBSTANCES, rng.randint(1, 2)),
                injects=True if roll < 0.85 else (None if roll < 0.95 else False),
                first_site=rng.choice(sites),
            )
        )
        if len(batch) >= BATCH:
            flush()
    flush()
    return ids


def _test_result(rng: random.Random, positivity: float) -> str:
    if rng.random() < NOT_GIVEN:
        return Test.Result.NOT_GIVEN
    return Test.Result.POSITIVE if rng.random() < positivity else Test.Result.NEGATIVE


def _outcome(rng: random.Random, date: datetime.date) -> tuple[str, datetime.date | None]:
    roll = rng.random()
    if roll < 0.6:
        return Referral.Outcome.REACHED, date + datetime.timedelta(days=rng.randint(1, 30))
    if roll < 0.8:
        return Referral.Outcome.NOT_REACHED, date + datetime.timedelta(days=rng.randint(14, 60))
    return Referral.Outcome.PENDING, None


def contacts_generate(
    *,
    sites: list[Site],
    clients: int,
    contacts: int,
    seed: int,
    today: datetime.date | None = None,
    days: int = DAYS,
    progress: Callable[[int], None] | None = None,
) -> GeneratorResult:
    """Clients of the sites' organisation and `contacts` contacts at `sites` over the
    `days` days up to `today` (not rolled up; see `outreach_generate`)."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar day
    if not Commodity.objects.exists():
        commodities_load()
    commodity_ids = dict(Commodity.objects.values_list("code", "pk"))
    bundles = {
        bundle.code: bundle.items for bundle in CommodityBundle.objects.filter(organisation=None)
    }
    standard = bundles.get("nsp-standard", {"syringes": 10, "needles": 10})
    small = bundles.get("nsp-small", {"syringes": 5, "needles": 5})
    organisation = sites[0].organisation
    client_ids = _clients(rng, organisation=organisation, sites=sites, count=clients)
    client_sites = dict(Client.objects.filter(pk__in=client_ids).values_list("pk", "first_site_id"))
    workers: dict[int, list[int]] = {}
    for site_id, user_id in SiteStaff.objects.filter(site__in=sites).values_list(
        "site_id", "user_id"
    ):
        workers.setdefault(site_id, []).append(user_id)
    site_ids = [site.pk for site in sites]
    made = 0
    while made < contacts:
        size = min(BATCH, contacts - made)
        rows: list[Contact] = []
        items: list[ContactItem] = []
        tests: list[Test] = []
        referrals: list[Referral] = []
        for _ in range(size):
            # A few clients come often, most now and then.
            client_id = client_ids[int(len(client_ids) * rng.random() ** 2)]
            site_id = client_sites[client_id] if rng.random() < 0.9 else rng.choice(site_ids)
            date = today - datetime.timedelta(days=rng.randrange(days))
            site_workers = workers.get(site_id)
            contact = Contact(
                id=_uuid(rng),
                client_id=client_id,
                site_id=site_id,
                worker_id=rng.choice(site_workers) if site_workers else None,
                date=date,
                setting=rng.choice(Contact.Setting.values),
                syringes_returned=rng.randint(0, 10),
                counselling=rng.random() < 0.3,
                overdoses_witnessed=1 if rng.random() < 0.01 else 0,
            )
            rows.append(contact)
            roll = rng.random()
            given: dict[str, int] = {}
            if roll < 0.6:
                given = dict(standard)
            elif roll < 0.85:
                given = dict(small)
            if rng.random() < 0.05:
                given["naloxone"] = given.get("naloxone", 0) + 1
            items += [
                ContactItem(contact=contact, commodity_id=commodity_ids[code], quantity=number)
                for code, number in given.items()
                if code in commodity_ids
            ]
            if rng.random() < HIV_TESTED:
                result = _test_result(rng, HIV_POSITIVE)
                tests.append(Test(contact=contact, kind=Test.Kind.HIV_RAPID, result=result))
                if result == Test.Result.POSITIVE:
                    outcome, on = _outcome(rng, date)
                    referrals.append(
                        Referral(
                            contact=contact,
                            service=Referral.Service.ART,
                            outcome=outcome,
                            outcome_on=on if on and on <= today else None,
                        )
                    )
            if rng.random() < HCV_AB_TESTED:
                result = _test_result(rng, HCV_AB_POSITIVE)
                tests.append(Test(contact=contact, kind=Test.Kind.HCV_ANTIBODY, result=result))
                if result == Test.Result.POSITIVE and rng.random() < HCV_RNA_AFTER_AB:
                    rna = _test_result(rng, HCV_RNA_POSITIVE)
                    tests.append(Test(contact=contact, kind=Test.Kind.HCV_RNA, result=rna))
                    if rna == Test.Result.POSITIVE:
                        outcome, on = _outcome(rng, date)
                        old_enough = (today - date).days > 120
                        cured = (
                            rng.random() < 0.9
                            if outcome == Referral.Outcome.REACHED and old_enough
                            else None
                        )
                        referrals.append(
                            Referral(
                                contact=contact,
                                service=Referral.Service.HCV_TREATMENT,
                                outcome=outcome,
                                outcome_on=on if on and on <= today else None,
                                cured=cured,
                            )
                        )
            if rng.random() < 0.02:
                outcome, on = _outcome(rng, date)
                referrals.append(
                    Referral(
                        contact=contact,
                        service=Referral.Service.OST,
                        outcome=outcome,
                        outcome_on=on if on and on <= today else None,
                    )
                )
        with transaction.atomic():
            Contact.objects.bulk_create(rows)
            ContactItem.objects.bulk_create(items, batch_size=BATCH)
            Test.objects.bulk_create(tests, batch_size=BATCH)
            Referral.objects.bulk_create(referrals, batch_size=BATCH)
        made += size
        if progress:
            progress(made)
    first = (
        Contact.objects.filter(client_id=OuterRef("pk"))
        .order_by()
        .values("client_id")
        .annotate(first=Min("date"))
        .values("first")
    )
    Client.objects.filter(organisation=organisation, first_contact_on__isnull=True).update(
        first_contact_on=Subquery(first)
    )
    return GeneratorResult(sites=sites, clients=len(client_ids), contacts=made)


def outreach_generate(
    *,
    sites: int,
    clients: int,
    contacts: int,
    seed: int,
    organisation_id: int | None = None,
    today: datetime.date | None = None,
    rollup: bool = True,
    actor: Actor | None = None,
    progress: Callable[[int], None] | None = None,
) -> GeneratorResult:
    """`sites` new sites of a member organisation with their clients and contacts; then
    the listeners of `outreach.changes` hear that every month of those sites changed (the
    evidence roll-up), unless `rollup` is False."""
    organisation = member_organisation(organisation_id)
    created = sites_create(organisation=organisation, count=sites, seed=seed)
    result = contacts_generate(
        sites=created,
        clients=clients,
        contacts=contacts,
        seed=seed,
        today=today,
        progress=progress,
    )
    if rollup:
        result.values_written = contacts_changed(
            site_ids=[site.pk for site in created], actor=actor
        )
    return result
