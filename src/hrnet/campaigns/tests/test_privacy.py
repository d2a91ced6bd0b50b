"""Erasure reaches the contact person of a sign-on signature; the signature stays."""

import pytest

from hrnet.accounts.roles import Role
from hrnet.campaigns.models import Signature
from hrnet.campaigns.tests.factories import SignatureFactory
from hrnet.members.services.privacy import person_data_export, person_erase
from hrnet.members.tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("geography")


def test_erasure_blanks_the_contact_person_of_signatures(secretariat, make_user):
    user = make_user(Role.ORGADMIN, email="ivana@signer.example")
    person = PersonFactory.create(user=user, full_name="Ivana Contact", email=user.email)
    by_account = SignatureFactory.create(signed_by=user, contact_email="other@signer.example")
    by_email = SignatureFactory.create(contact_email="IVANA@signer.example")
    someone_else = SignatureFactory.create(contact_name="Petro", contact_email="p@x.example")

    exported = person_data_export(person=person, actor=secretariat)
    person_erase(person=person, actor=secretariat, reason="Asked by email")

    assert len(exported["campaign_signatures"]) == 2
    for signature in (by_account, by_email):
        signature.refresh_from_db()
        assert "Ivana" not in signature.contact_name
        assert "signer.example" not in signature.contact_email
        assert signature.status == Signature.Status.VERIFIED  # the organisation still signed
    someone_else.refresh_from_db()
    assert someone_else.contact_name == "Petro"


def test_erasure_of_a_person_without_an_account_reaches_signatures_by_email(secretariat):
    person = PersonFactory.create(full_name="Nino Contact", email="nino@signer.example")
    signature = SignatureFactory.create(contact_name="Nino Contact", contact_email=person.email)

    person_erase(person=person, actor=secretariat, reason="Asked by email")

    signature.refresh_from_db()
    assert "Nino" not in signature.contact_name
