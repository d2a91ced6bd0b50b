"""Contacts roll up into the evidence values of their site: checked against figures
counted by hand on a small fixed data set."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrnet.evidence.models import AGGREGATED_SOURCE, DataValue, DataValueHistory
from hrnet.evidence.reference import indicators_load
from hrnet.evidence.services.outreach import SOURCE, contact_months_recompute, sites_recompute
from hrnet.outreach import models as outreach_models
from hrnet.outreach.models import Commodity, Contact, ContactItem, Referral
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.tests.factories import ClientFactory, ContactFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _contact(
    client: Any,
    site: Any,
    day: datetime.date,
    items: dict[str, int] | None = None,
    tests: dict[str, str] | None = None,
    referrals: dict[str, tuple[str, bool | None]] | None = None,
) -> Contact:
    contact = ContactFactory.create(client=client, site=site, date=day)
    for code, quantity in (items or {}).items():
        ContactItem.objects.create(
            contact=contact, commodity=Commodity.objects.get(code=code), quantity=quantity
        )
    for kind, result in (tests or {}).items():
        outreach_models.Test.objects.create(contact=contact, kind=kind, result=result)
    for service, (outcome, cured) in (referrals or {}).items():
        Referral.objects.create(contact=contact, service=service, outcome=outcome, cured=cured)
    return contact


@pytest.fixture
def programme(geography: None) -> dict[str, Any]:
    """Two sites of one organisation; four clients over January and February 2025."""
    indicators_load()
    commodities_load()
    first = SiteFactory.create(name="Drop-in")
    second = SiteFactory.create(name="Van", organisation=first.organisation)
    injects = ClientFactory.create(first_site=first, injects=True)
    unknown = ClientFactory.create(first_site=first, injects=None)
    not_injecting = ClientFactory.create(first_site=first, injects=False)
    newcomer = ClientFactory.create(first_site=first, injects=True)
    jan, feb = datetime.date(2025, 1, 5), datetime.date(2025, 2, 3)
    # January at the drop-in: the first client twice, counted once.
    _contact(
        injects,
        first,
        jan,
        {"syringes": 10, "needles": 10, "swabs": 20, "condoms": 5},
        {"hiv_rapid": "negative"},
    )
    _contact(injects, first, jan.replace(day=20), {"syringes": 5}, {"hcv_antibody": "positive"})
    _contact(
        unknown,
        first,
        jan.replace(day=10),
        {"naloxone": 1},
        {"hiv_rapid": "positive"},
        {"art": ("reached", None)},
    )
    _contact(not_injecting, first, jan.replace(day=12), {"condoms": 10}, {"hiv_rapid": "not_given"})
    # February at the drop-in.
    feb_contact = _contact(
        injects,
        first,
        feb,
        tests={"hcv_rna": "positive"},
        referrals={"hcv_treatment": ("reached", True)},
    )
    _contact(newcomer, first, feb.replace(day=14), tests={"hcv_antibody": "negative"})
    # January at the van.
    _contact(newcomer, second, jan.replace(day=8), {"syringes": 20})
    return {"first": first, "second": second, "feb_contact": feb_contact}


def _values(site: Any, source: str = SOURCE) -> dict[tuple[str, str], Decimal | None]:
    return {
        (value.indicator.code, value.period): value.value
        for value in DataValue.objects.filter(site=site, source=source).select_related("indicator")
    }


EXPECTED_FIRST = {
    # January: the first client twice, the client of unknown injecting once; the client
    # who does not inject is served but not counted as a PWID reached.
    ("PWID_REACHED", "2025-01"): 2,
    ("NS_DISTRIBUTED", "2025-01"): 25,  # 10 + 10 + 5; swabs feed no indicator
    ("CONDOMS_DISTRIBUTED", "2025-01"): 15,
    ("NALOXONE_KITS", "2025-01"): 1,
    ("PWID_HIV_TESTED", "2025-01"): 2,  # "not given" does not count
    ("HCV_AB_TESTED", "2025-01"): 1,
    ("HCV_AB_POSITIVE", "2025-01"): 1,
    ("HCV_RNA_TESTED", "2025-01"): 0,
    ("HCV_RNA_POSITIVE", "2025-01"): 0,
    ("HCV_TREATMENT_STARTED", "2025-01"): 0,
    ("HCV_CURED", "2025-01"): 0,
    ("PWID_REACHED", "2025-02"): 2,
    ("NS_DISTRIBUTED", "2025-02"): 0,
    ("CONDOMS_DISTRIBUTED", "2025-02"): 0,
    ("NALOXONE_KITS", "2025-02"): 0,
    ("PWID_HIV_TESTED", "2025-02"): 0,
    ("HCV_AB_TESTED", "2025-02"): 1,
    ("HCV_AB_POSITIVE", "2025-02"): 0,
    ("HCV_RNA_TESTED", "2025-02"): 1,
    ("HCV_RNA_POSITIVE", "2025-02"): 1,
    ("HCV_TREATMENT_STARTED", "2025-02"): 1,
    ("HCV_CURED", "2025-02"): 1,
    # The quarter counts people once: 3, not 2 + 2.
    ("PWID_REACHED", "2025Q1"): 3,
    ("PWID_HIV_TESTED", "2025Q1"): 2,
    ("HCV_AB_TESTED", "2025Q1"): 2,
    ("HCV_AB_POSITIVE", "2025Q1"): 1,
    ("HCV_RNA_TESTED", "2025Q1"): 1,
    ("HCV_RNA_POSITIVE", "2025Q1"): 1,
    ("HCV_TREATMENT_STARTED", "2025Q1"): 1,
    ("HCV_CURED", "2025Q1"): 1,
    ("PWID_REACHED", "2025"): 3,
    ("PWID_HIV_TESTED", "2025"): 2,
    ("HCV_AB_TESTED", "2025"): 2,
    ("HCV_AB_POSITIVE", "2025"): 1,
    ("HCV_RNA_TESTED", "2025"): 1,
    ("HCV_RNA_POSITIVE", "2025"): 1,
    ("HCV_TREATMENT_STARTED", "2025"): 1,
    ("HCV_CURED", "2025"): 1,
}


def test_full_roll_up_equals_the_figures_counted_by_hand(programme):
    # when
    call_command("outreach_rollup")

    # then
    assert _values(programme["first"]) == {k: Decimal(v) for k, v in EXPECTED_FIRST.items()}
    second = _values(programme["second"])
    assert second[("PWID_REACHED", "2025-01")] == 1
    assert second[("NS_DISTRIBUTED", "2025-01")] == 20
    assert ("PWID_REACHED", "2025-02") not in second
    # Evidence adds the months of sums into the quarter itself.
    aggregated = _values(programme["first"], AGGREGATED_SOURCE)
    assert aggregated[("NS_DISTRIBUTED", "2025Q1")] == 25


def test_recomputing_a_month_whose_contacts_are_gone_writes_zero_and_keeps_history(programme):
    sites_recompute()
    feb = Contact.objects.filter(site=programme["first"], date__month=2)
    for contact in feb:
        contact.tests.all().delete()
        contact.referrals.all().delete()
    feb.delete()

    contact_months_recompute(site_id=programme["first"].pk, months={"2025-02"})

    values = _values(programme["first"])
    assert values[("PWID_REACHED", "2025-02")] == 0
    assert values[("HCV_CURED", "2025-02")] == 0
    assert values[("PWID_REACHED", "2025Q1")] == 2
    assert values[("PWID_REACHED", "2025-01")] == 2
    reached_feb = DataValue.objects.get(
        site=programme["first"], source=SOURCE, indicator__code="PWID_REACHED", period="2025-02"
    )
    assert DataValueHistory.objects.filter(data_value=reached_feb, value=2).exists()


def test_incremental_recompute_touches_only_the_months_asked_for(programme):
    contact_months_recompute(site_id=programme["first"].pk, months={"2025-02"})

    values = _values(programme["first"])
    assert values[("PWID_REACHED", "2025-02")] == 2
    assert values[("PWID_REACHED", "2025Q1")] == 3  # the quarter holding it, in full
    assert ("PWID_REACHED", "2025-01") not in values
    assert _values(programme["second"]) == {}


def test_from_month_leaves_earlier_months_alone(programme):
    call_command("outreach_rollup", "--site", str(programme["first"].pk), "--from", "2025-02")

    values = _values(programme["first"])
    assert ("NS_DISTRIBUTED", "2025-01") not in values
    assert values[("PWID_REACHED", "2025-02")] == 2
    assert values[("PWID_REACHED", "2025")] == 3


def test_the_number_of_queries_does_not_grow_with_the_contacts(programme):
    site = programme["first"]

    def queries() -> int:
        DataValue.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            contact_months_recompute(site_id=site.pk, months={"2025-01"})
        return len(captured)

    before = queries()
    for _ in range(10):
        _contact(
            ClientFactory.create(first_site=site),
            site,
            datetime.date(2025, 1, 25),
            {"syringes": 1},
            {"hiv_rapid": "negative"},
        )
    assert queries() == before
    assert _values(site)[("PWID_REACHED", "2025-01")] == 12


def test_several_sites_recomputed_together_equal_the_hand_counts(programme):
    from hrnet.evidence.services.outreach import sites_months_recompute

    sites_months_recompute(
        site_ids=[programme["first"].pk, programme["second"].pk], months={"2025-01", "2025-02"}
    )

    assert _values(programme["first"]) == {k: Decimal(v) for k, v in EXPECTED_FIRST.items()}
    assert _values(programme["second"])[("PWID_REACHED", "2025-01")] == 1
