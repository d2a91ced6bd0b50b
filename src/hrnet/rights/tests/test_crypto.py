"""Encryption at rest: the database and the private storage alone reveal nothing; a wrong
key fails loudly; rotation re-encrypts everything with the new key."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from hrnet.members.tests.factories import OrganisationFactory
from hrnet.rights import crypto
from hrnet.rights.models import Case, CaseFile, CaseResponse
from hrnet.rights.services import cases
from hrnet.rights.tests.factories import CaseFactory, documenter_of, use_test_keys

pytestmark = pytest.mark.usefixtures("geography")
NARRATIVE = "Detained at Strada Mare 12 by officer Rusu"
DESCRIPTION = "Woman, 34, scar on the chin"
FILE_CONTENT = b"%PDF-1.4\nThe statement of the witness Ion\n%%EOF\n"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> Any:
    use_test_keys(settings, OLD_KEY)
    crypto._keyring.cache_clear()
    yield
    crypto._keyring.cache_clear()


@pytest.fixture
def case_with_file(db: None) -> tuple[Case, CaseFile, Any]:
    organisation = OrganisationFactory.create()
    documenter = documenter_of(organisation)
    case: Case = CaseFactory.create(
        organisation=organisation,
        narrative=NARRATIVE,
        person_description=DESCRIPTION,
        contact_details="Signal +373 600 00000",
    )
    CaseResponse.objects.create(
        case=case, action="legal_aid", date=date(2024, 4, 1), outcome="Rusu was reprimanded"
    )
    case_file = cases.case_file_add(
        actor=documenter,
        case=case,
        upload=SimpleUploadedFile("witness-ion.pdf", FILE_CONTENT),
    )
    return case, case_file, documenter


def _raw(sql: str, pk: int) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def test_database_and_storage_hold_no_plaintext(case_with_file: Any) -> None:
    case, case_file, _ = case_with_file

    narrative, description, contact = _raw(
        "SELECT narrative, person_description, contact_details FROM rights_case WHERE id = %s",
        case.pk,
    )
    (original_name,) = _raw("SELECT original_name FROM rights_casefile WHERE id = %s", case_file.pk)
    (outcome,) = _raw("SELECT outcome FROM rights_caseresponse WHERE case_id = %s", case.pk)
    with storages["private"].open(case_file.stored_name, "rb") as handle:
        stored = handle.read()

    for raw in (narrative, description, contact, original_name, outcome):
        assert raw
        for secret in ("Rusu", "Strada", "scar", "Signal", "witness", "reprimanded"):
            assert secret not in raw
    assert b"witness" not in stored
    assert b"%PDF" not in stored
    assert "witness" not in case_file.stored_name
    # The application reads them back.
    assert Case.objects.get(pk=case.pk).narrative == NARRATIVE


def test_a_wrong_key_fails_loudly(case_with_file: Any, settings: Any) -> None:
    case, case_file, _ = case_with_file
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]

    with pytest.raises(ValueError, match="cannot be decrypted"):
        Case.objects.get(pk=case.pk)
    with pytest.raises(crypto.KeyMissingError):
        crypto.decrypt_bytes(storages["private"].open(case_file.stored_name, "rb").read())


def test_rotation_re_encrypts_everything_with_the_first_key(
    case_with_file: Any, settings: Any
) -> None:
    case, case_file, documenter = case_with_file
    old_stored_name = case_file.stored_name
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()

    call_command("rights_rotate_keys", stdout=out)

    assert "1 cases, 1 responses, 1 file names, 1 files" in out.getvalue()
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]
    case = Case.objects.get(pk=case.pk)
    assert case.narrative == NARRATIVE
    assert case.person_description == DESCRIPTION
    assert case.contact_details == "Signal +373 600 00000"
    assert CaseResponse.objects.get(case=case).outcome == "Rusu was reprimanded"
    case_file = CaseFile.objects.get(pk=case_file.pk)
    assert case_file.original_name == "witness-ion.pdf"
    assert cases.case_file_read(actor=documenter, case_file=case_file) == FILE_CONTENT
    assert not storages["private"].exists(old_stored_name)
    # The old key alone reads nothing any more.
    settings.HRNET_RIGHTS_KEYS = [OLD_KEY]
    with pytest.raises(ValueError, match="cannot be decrypted"):
        Case.objects.get(pk=case.pk)
