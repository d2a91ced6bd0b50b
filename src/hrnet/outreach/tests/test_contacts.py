"""Recording contacts: what is checked, exactly once per phone-made id, the client's first
contact, the roll-up after commit; following up referrals."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hrnet.core.models import AuditEntry
from hrnet.evidence.services import outreach as rollup
from hrnet.outreach.models import Commodity, Contact, ContactItem, Referral, SiteStaff
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.services.contacts import contact_record, referral_outcome_set
from hrnet.outreach.tests.factories import (
    ClientFactory,
    ContactFactory,
    SiteFactory,
    SiteStaffFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 10)


@pytest.fixture
def world(geography: None) -> dict[str, Any]:
    commodities_load()
    site = SiteFactory.create()
    sister = SiteFactory.create(organisation=site.organisation)
    other = SiteFactory.create()
    return {
        "site": site,
        "sister": sister,
        "other": other,
        "client": ClientFactory.create(first_site=site, uic="M1985ANIV", first_contact_on=None),
        "worker": SiteStaffFactory.create(site=site).user,
        "sister_worker": SiteStaffFactory.create(site=sister).user,
        "other_worker": SiteStaffFactory.create(site=other).user,
        "manager": SiteStaffFactory.create(site=site, role=SiteStaff.Role.MANAGER).user,
    }


def record(world: dict[str, Any], **kwargs: Any) -> tuple[Contact, bool]:
    values: dict[str, Any] = {
        "actor": world["worker"],
        "contact_id": uuid.uuid4(),
        "site": world["site"],
        "client": world["client"],
        "date": DAY,
        "setting": "outreach",
        "items": {"syringes": 10, "swabs": 20},
    }
    values.update(kwargs)
    return contact_record(**values)


def test_a_contact_is_recorded_with_items_tests_and_referrals(world):
    contact, created = record(
        world,
        items={"syringes": 10, "condoms": 0},
        syringes_returned=7,
        counselling=True,
        tests={"hiv_rapid": "negative", "hcv_antibody": "positive"},
        referrals=["hcv_treatment", "hcv_treatment", "legal"],
        overdoses_witnessed=1,
    )

    assert created
    assert contact.worker == world["worker"]
    assert {(i.commodity.code, i.quantity) for i in contact.items.all()} == {("syringes", 10)}
    assert {(t.kind, t.result) for t in contact.tests.all()} == {
        ("hiv_rapid", "negative"),
        ("hcv_antibody", "positive"),
    }
    assert sorted(contact.referrals.values_list("service", flat=True)) == [
        "hcv_treatment",
        "legal",
    ]
    world["client"].refresh_from_db()
    assert world["client"].first_contact_on == DAY
    assert AuditEntry.objects.filter(action="outreach.contact.record").count() == 1


def test_a_repeat_of_the_same_id_is_stored_once_and_the_first_write_wins(world):
    contact_id = uuid.uuid4()
    first, created = record(world, contact_id=contact_id, items={"syringes": 10})
    again, created_again = record(world, contact_id=contact_id, items={"syringes": 99})

    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Contact.objects.count() == 1
    assert ContactItem.objects.get().quantity == 10


def test_the_first_contact_is_the_earliest(world):
    record(world, date=DAY)
    record(world, date=DAY - datetime.timedelta(days=30))
    record(world, date=DAY + datetime.timedelta(days=30))

    world["client"].refresh_from_db()
    assert world["client"].first_contact_on == DAY - datetime.timedelta(days=30)


def test_a_returning_client_is_served_at_a_sister_site_but_not_by_another_organisation(world):
    contact, created = record(world, actor=world["sister_worker"], site=world["sister"])
    assert created
    assert contact.site == world["sister"]

    with pytest.raises(PermissionDenied):
        record(world, actor=world["sister_worker"], site=world["site"])  # not their site
    with pytest.raises(ValidationError) as foreign:
        record(world, actor=world["other_worker"], site=world["other"])
    assert "client" in foreign.value.message_dict


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": datetime.date(1999, 12, 31)}, "date"),
        ({"date": timezone.localdate() + datetime.timedelta(days=5)}, "date"),
        ({"items": {"syringes": 10_001}}, "items"),
        ({"items": {"syringes": -1}}, "items"),
        ({"items": {"caviar": 1}}, "items"),
        ({"items": {"inactive": 1}}, "items"),
        ({"tests": {"hiv_rapid": "maybe"}}, "tests"),
        ({"tests": {"x_ray": "negative"}}, "tests"),
        ({"referrals": ["spa"]}, "referrals"),
        ({"setting": "moon"}, "setting"),
        ({"syringes_returned": 20_000}, "syringes_returned"),
    ],
)
def test_wrong_values_are_refused_naming_the_field(world, change, field):
    Commodity.objects.create(code="inactive", names={"en": "Old kit"}, is_active=False)

    with pytest.raises(ValidationError) as error:
        record(world, **change)

    assert field in error.value.message_dict
    assert not Contact.objects.exists()


def test_tomorrow_is_allowed_for_phones_east_of_the_server(world):
    _contact, created = record(world, date=timezone.localdate() + datetime.timedelta(days=1))
    assert created


def test_the_months_are_recomputed_after_commit(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    calls: list[dict[str, Any]] = []

    def recompute(**kwargs: Any) -> int:
        calls.append(kwargs)
        return 0

    monkeypatch.setattr(rollup, "contact_months_recompute", recompute)

    with django_capture_on_commit_callbacks(execute=True):
        record(world, date=datetime.date(2025, 2, 3))

    assert calls == [{"site_id": world["site"].pk, "months": {"2025-02"}, "actor": world["worker"]}]


def test_a_merged_client_contact_goes_to_the_one_kept(world):
    keep = ClientFactory.create(first_site=world["site"], uic="M1985ANIW")
    world["client"].merged_into = keep
    world["client"].save()

    contact, _created = record(world)

    assert contact.client == keep


def test_a_referral_outcome_is_followed_up_and_audited(world):
    contact, _created = record(world, referrals=["hcv_treatment", "art"])
    referral = contact.referrals.get(service="hcv_treatment")

    referral_outcome_set(
        actor=world["worker"],
        referral=referral,
        outcome="reached",
        outcome_on=DAY + datetime.timedelta(days=14),
        cured=True,
    )

    referral.refresh_from_db()
    assert referral.outcome == Referral.Outcome.REACHED
    assert referral.cured is True
    entry = AuditEntry.objects.get(action="outreach.referral_outcome.set")
    assert entry.changes["outcome"] == {"old": "pending", "new": "reached"}


def test_a_referral_outcome_is_checked(world):
    contact, _created = record(world, referrals=["art"])
    referral = contact.referrals.get()

    with pytest.raises(ValidationError) as no_date:
        referral_outcome_set(
            actor=world["worker"], referral=referral, outcome="reached", outcome_on=None
        )
    with pytest.raises(ValidationError) as before:
        referral_outcome_set(
            actor=world["worker"],
            referral=referral,
            outcome="reached",
            outcome_on=DAY - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError) as cure:
        referral_outcome_set(
            actor=world["worker"], referral=referral, outcome="reached", outcome_on=DAY, cured=True
        )
    with pytest.raises(PermissionDenied):
        referral_outcome_set(
            actor=world["other_worker"], referral=referral, outcome="reached", outcome_on=DAY
        )

    assert "outcome_on" in no_date.value.message_dict
    assert "outcome_on" in before.value.message_dict
    assert "cured" in cure.value.message_dict


def test_staff_of_a_site_that_served_the_client_follow_up_its_referrals(world):
    contact = ContactFactory.create(client=world["client"], site=world["site"])
    referral = Referral.objects.create(contact=contact, service="ost")
    with pytest.raises(PermissionDenied):  # the client never came to the sister site
        referral_outcome_set(
            actor=world["sister_worker"], referral=referral, outcome="not_reached", outcome_on=DAY
        )

    record(world, actor=world["sister_worker"], site=world["sister"])
    referral_outcome_set(
        actor=world["sister_worker"], referral=referral, outcome="not_reached", outcome_on=DAY
    )

    referral.refresh_from_db()
    assert referral.outcome == "not_reached"
