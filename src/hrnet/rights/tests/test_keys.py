"""Keys an operator changes: each stored value names its key by fingerprint, a server
without that key answers a clear 503 page (not a server error), the rotation refuses in
words when a key is missing, and `hrnet rights_keys` says what the data needs."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hrnet.members.tests.factories import OrganisationFactory
from hrnet.rights import crypto
from hrnet.rights.models import Case, CaseFile, CaseResponse
from hrnet.rights.services import cases
from hrnet.rights.tests.factories import CaseFactory, documenter_of, use_test_keys

pytestmark = pytest.mark.usefixtures("geography")
NARRATIVE = "Detained at Strada Mare 12 by officer Rusu"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
OLD = crypto.key_fingerprint(OLD_KEY)
NEW = crypto.key_fingerprint(NEW_KEY)


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings, OLD_KEY)


@pytest.fixture
def recorded(db: None) -> dict[str, Any]:
    organisation = OrganisationFactory.create()
    documenter = documenter_of(organisation)
    case = CaseFactory.create(organisation=organisation, narrative=NARRATIVE)
    CaseResponse.objects.create(
        case=case, action="legal_aid", date=date(2024, 4, 1), outcome="Rusu was reprimanded"
    )
    case_file = cases.case_file_add(
        actor=documenter,
        case=case,
        upload=SimpleUploadedFile("witness.pdf", b"%PDF-1.4\nstatement\n%%EOF\n"),
    )
    return {"case": case, "file": case_file, "documenter": documenter}


def _raw_narrative(case: Case) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM rights_case WHERE id = %s", [case.pk])
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


def test_a_stored_value_names_its_key_by_fingerprint_never_the_key(recorded: Any) -> None:
    raw = _raw_narrative(recorded["case"])

    assert raw.startswith(f"{OLD}:")
    assert OLD_KEY not in raw
    assert len(OLD) == 12


def test_values_written_before_fingerprints_still_read_and_rotate(
    recorded: Any, settings: Any
) -> None:
    case = recorded["case"]
    bare = Fernet(OLD_KEY.encode()).encrypt(b"Written by an older version").decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE rights_case SET narrative = %s WHERE id = %s", [bare, case.pk])

    assert Case.objects.get(pk=case.pk).narrative == "Written by an older version"

    settings.HRNET_RIGHTS_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rights_rotate_keys", stdout=StringIO())

    assert _raw_narrative(case).startswith(f"{NEW}:")
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]
    assert Case.objects.get(pk=case.pk).narrative == "Written by an older version"


def test_rotation_with_only_the_new_key_says_what_is_missing_and_changes_nothing(
    recorded: Any, settings: Any
) -> None:
    before = _raw_narrative(recorded["case"])
    file_name = recorded["file"].stored_name
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]

    with pytest.raises(CommandError) as refused:
        call_command("rights_rotate_keys", stdout=StringIO())

    message = str(refused.value)
    assert "Nothing was re-encrypted" in message
    assert f"Missing key fingerprints (values): {OLD} (5)" in message  # 3 fields, name, file
    assert NEW in message
    assert "END of HRNET_RIGHTS_KEYS" in message
    assert OLD_KEY not in message
    assert _raw_narrative(recorded["case"]) == before
    assert list(CaseFile.objects.values_list("stored_name", flat=True)) == [file_name]


def test_rotation_can_be_run_again(recorded: Any, settings: Any) -> None:
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rights_rotate_keys", stdout=StringIO())
    out = StringIO()

    call_command("rights_rotate_keys", stdout=out)

    assert "0 cases, 0 responses, 0 file names, 0 files" in out.getvalue()
    assert f"keys this database no longer needs: {OLD}" in out.getvalue()


def test_rights_keys_tells_which_keys_the_data_needs(recorded: Any, settings: Any) -> None:
    out = StringIO()
    call_command("rights_keys", stdout=out)
    assert f"key {OLD}: encrypts and decrypts; needed by 5" in out.getvalue()

    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]
    out = StringIO()
    with pytest.raises(CommandError, match=OLD):
        call_command("rights_keys", stdout=out)
    assert f"key {NEW}: encrypts and decrypts; needed by 0" in out.getvalue()
    assert f"key {OLD}: NOT CONFIGURED; needed by 5" in out.getvalue()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_server_without_the_key_answers_a_clear_page_not_a_server_error(
    recorded: Any, settings: Any, language: str
) -> None:
    # given: a server that was not given the new key yet (or lost the old one)
    case, documenter = recorded["case"], recorded["documenter"]
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]
    client = Client()
    client.force_login(documenter)

    # when
    with translation.override(language):
        url = reverse("rights:case_detail", args=[case.reference])
        file_url = reverse("rights:case_file", args=[case.reference, recorded["file"].pk])
    page = client.get(url)
    download = client.get(file_url)

    # then
    assert page.status_code == 503
    assert download.status_code == 503
    text = page.content.decode()
    expected = {
        "en": "stored encrypted with a key that this server does not have",
        "ru": "ключом, которого нет на этом сервере",
    }[language]
    assert expected in text
    assert OLD in text
    assert NARRATIVE not in text
    assert "no-store" in page["Cache-Control"]


def test_the_case_list_also_answers_the_clear_page(recorded: Any, settings: Any) -> None:
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]
    client = Client()
    client.force_login(recorded["documenter"])

    response = client.get(reverse("rights:case_list"))

    assert response.status_code == 503
