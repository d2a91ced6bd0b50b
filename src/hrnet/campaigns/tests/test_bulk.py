"""The signature queue's bulk verify and reject: each row on its own, audited, failures
named, and only for the secretariat."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hrnet.campaigns.models import Signature
from hrnet.campaigns.tests.factories import CampaignFactory, SignatureFactory
from hrnet.core.models import AuditEntry

URL = "campaigns:signature_bulk"


@pytest.fixture
def pending(people):
    campaign = CampaignFactory.create()
    return [
        SignatureFactory.create(campaign=campaign, status="pending", organisation_name=name)
        for name in ("Alpha", "Beta", "Gamma")
    ]


def _post(client, action, signatures):
    return client.post(
        reverse(URL), {"action": action, "selected": [s.pk for s in signatures]}, follow=True
    )


def test_the_queue_has_a_checkbox_per_row_and_the_bulk_buttons(client, people, pending):
    client.force_login(people.secretariat)
    content = client.get(reverse("campaigns:signature_queue")).content.decode()
    assert content.count('name="selected"') == 3
    assert 'name="action" value="verify"' in content


def test_the_secretariat_verifies_several_in_one_action(client, people, pending):
    client.force_login(people.secretariat)

    response = _post(client, "verify", pending)

    assert "3 signatures verified." in response.content.decode()
    assert set(Signature.objects.values_list("status", flat=True)) == {"verified"}
    entries = AuditEntry.objects.filter(action="campaigns.signature.verify")
    assert sorted(e.object_id for e in entries) == sorted(str(s.pk) for s in pending)
    assert {e.actor for e in entries} == {people.secretariat}


def test_rejecting_in_bulk(client, people, pending):
    client.force_login(people.secretariat)
    assert "2 signatures rejected." in _post(client, "reject", pending[:2]).content.decode()
    assert AuditEntry.objects.filter(action="campaigns.signature.reject").count() == 2
    pending[2].refresh_from_db()
    assert pending[2].status == Signature.Status.PENDING


def test_a_signature_decided_meanwhile_is_named_and_the_others_are_kept(client, people, pending):
    Signature.objects.filter(pk=pending[1].pk).update(status="rejected")
    client.force_login(people.secretariat)

    content = _post(client, "verify", pending).content.decode()

    assert "2 signatures verified." in content
    assert "1 row was not changed: Beta: The signature of Beta was already rejected." in content
    pending[1].refresh_from_db()
    assert pending[1].status == Signature.Status.REJECTED
    assert AuditEntry.objects.filter(action="campaigns.signature.verify").count() == 2


@pytest.mark.parametrize("role", ["member", "orgadmin"])
def test_others_are_refused(client, people, pending, role):
    client.force_login(getattr(people, role))
    assert _post(client, "verify", pending).status_code == 403
    assert set(Signature.objects.values_list("status", flat=True)) == {"pending"}
