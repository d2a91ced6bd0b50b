"""`hrnet backup` and `hrnet restore` as an operator uses them: the archive holds the
database, the media and private files and a manifest but never a key; it restores (in a
separate process, as on a new machine) into an empty database and empty folders only, the
restored site serves its pages and every case decrypts; a backup made before a key
rotation restores once the retired key is added. Runs on the suite's engine (SQLite or
PostgreSQL: there a fresh database is created for the restore)."""

from __future__ import annotations

import base64
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hrnet.members.tests.factories import OrganisationFactory
from hrnet.rights import crypto
from hrnet.rights.models import CaseResponse
from hrnet.rights.services import cases
from hrnet.rights.tests.factories import CaseFactory, documenter_of, use_test_keys

pytestmark = pytest.mark.usefixtures("transactional_db", "geography")

NARRATIVE = "Detained at Strada Mare 12 by officer Rusu"
EVIDENCE = b"%PDF-1.4\nThe statement of the witness Ion\n%%EOF\n"
PHOTO = b"\xff\xd8\xff\xe0 a news photo \xff\xd9"
LIBRARY = b"%PDF-1.4\nmembers-only report\n%%EOF\n"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings, OLD_KEY)


@pytest.fixture
def site() -> dict[str, Any]:
    organisation = OrganisationFactory.create()
    documenter = documenter_of(organisation, email="documenter@example.org")
    case = CaseFactory.create(organisation=organisation, narrative=NARRATIVE)
    CaseResponse.objects.create(
        case=case, action="legal_aid", date=date(2024, 4, 1), outcome="Rusu was reprimanded"
    )
    case_file = cases.case_file_add(
        actor=documenter, case=case, upload=SimpleUploadedFile("witness.pdf", EVIDENCE)
    )
    photo = default_storage.save("news/photo.jpg", ContentFile(PHOTO))
    report = storages["private"].save("library/report.pdf", ContentFile(LIBRARY))
    return {"case": case, "file": case_file, "photo": photo, "report": report}


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of a new, empty database of the suite's engine."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    config = connection.settings_dict
    name = f"hrnet_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    host = config.get("HOST") or "127.0.0.1"
    yield f"postgres://{config['USER']}{password}@{host}:{config.get('PORT') or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _hrnet(
    tmp_path: Path, database_url: str, keys: list[str], *args: str
) -> subprocess.CompletedProcess[str]:
    """`hrnet ARGS` in a new process configured like a fresh machine."""
    restored = tmp_path / "restored"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HRNET_", "PRIVATE_"))},
        "DJANGO_SETTINGS_MODULE": "hrnet.settings",
        "DATABASE_URL": database_url,
        "HRNET_VAR_DIR": str(restored),
        "MEDIA_ROOT": str(restored / "media"),
        "PRIVATE_MEDIA_ROOT": str(restored / "private"),
        "HRNET_RIGHTS_KEYS": ",".join(keys),
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "hrnet.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


PAGES = """
from django.contrib.auth import get_user_model
from django.test import Client
from hrnet.rights.models import Case, CaseFile
client = Client()
print("home", client.get("/en/").status_code)
client.force_login(get_user_model().objects.get(email="documenter@example.org"))
for case in Case.objects.all():
    page = client.get(f"/en/rights/cases/{case.reference}/")
    print("case", page.status_code, case.narrative, {r.outcome for r in case.responses.all()})
for case_file in CaseFile.objects.all():
    download = client.get(f"/en/rights/cases/{case_file.case.reference}/files/{case_file.pk}/")
    print("file", download.status_code, case_file.original_name, download.content)
"""


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    archive = Path(out.getvalue().strip().splitlines()[-1])
    assert archive.is_file()
    return archive


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as opened:
        return {
            m.name: opened.extractfile(m).read()  # type: ignore[union-attr]
            for m in opened.getmembers()
        }


def test_a_backup_holds_the_database_files_and_a_manifest_but_no_key(
    site: dict[str, Any], tmp_path: Path
) -> None:
    archive = _backup(tmp_path)

    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["engine"] == connection.vendor
    assert manifest["database"]["path"] in members
    assert members[f"files/media/{site['photo']}"] == PHOTO
    assert members[f"files/private/{site['report']}"] == LIBRARY
    assert f"files/private/{site['file'].stored_name}" in members
    assert manifest["storages"] == {
        "media": {"files": 1, "bytes": len(PHOTO)},
        "private": {"files": 2, "bytes": manifest["storages"]["private"]["bytes"]},
    }
    assert "rights" in manifest["migrations"]
    assert manifest["rights_keys"]["used"] == {crypto.key_fingerprint(OLD_KEY): 5}
    # The key is nowhere in the archive, neither as text nor as its raw bytes.
    raw_key = base64.urlsafe_b64decode(OLD_KEY)
    everything = archive.read_bytes() + b"".join(members.values())
    assert OLD_KEY.encode() not in everything
    assert raw_key not in everything
    assert oct(archive.stat().st_mode & 0o777) == "0o600"


def test_a_backup_restores_into_an_empty_database_and_serves_every_case(
    site: dict[str, Any], tmp_path: Path, empty_database: str
) -> None:
    archive = _backup(tmp_path)

    restored = _hrnet(tmp_path, empty_database, [OLD_KEY], "restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert "Every rights case decrypts: 4 encrypted values and 1 files" in restored.stdout
    media = tmp_path / "restored" / "media"
    private = tmp_path / "restored" / "private"
    assert (media / site["photo"]).read_bytes() == PHOTO
    assert (private / site["report"]).read_bytes() == LIBRARY
    pages = _hrnet(tmp_path, empty_database, [OLD_KEY], "shell", "-c", PAGES)
    assert pages.returncode == 0, pages.stderr
    lines = pages.stdout.splitlines()
    assert "home 200" in lines
    assert f"case 200 {NARRATIVE} {{'Rusu was reprimanded'}}" in lines
    assert f"file 200 witness.pdf {EVIDENCE!r}" in lines


def test_restore_refuses_a_database_or_folder_that_is_not_empty(
    site: dict[str, Any], tmp_path: Path
) -> None:
    archive = _backup(tmp_path)

    # The test database has tables and the media folder holds the photo.
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))

    message = str(refused.value)
    assert "is not empty" in message
    assert "Restore only into a new, empty database" in message
    assert "Restore only into empty folders" in message
    assert "Nothing was restored." in message


def test_a_damaged_archive_is_refused_before_anything_is_written(
    site: dict[str, Any], tmp_path: Path
) -> None:
    archive = _backup(tmp_path)
    members = _members(archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as rewritten:
        for name, data in members.items():
            changed = b"something else" if name.startswith("files/media/") else data
            info = tarfile.TarInfo(name)
            info.size = len(changed)
            rewritten.addfile(info, io.BytesIO(changed))

    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("restore", str(damaged), verify=True)
    out = io.StringIO()
    call_command("restore", str(archive), verify=True, stdout=out)
    assert "complete" in out.getvalue()


def test_a_backup_made_before_a_key_rotation_restores_with_the_retired_key(
    site: dict[str, Any], settings: Any, tmp_path: Path, empty_database: str
) -> None:
    # given: a backup, then a rotation to a new key and the old key retired
    archive = _backup(tmp_path)
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rights_rotate_keys", stdout=io.StringIO())
    settings.HRNET_RIGHTS_KEYS = [NEW_KEY]
    old = crypto.key_fingerprint(OLD_KEY)

    # when: the old backup is restored on a server holding only the new key
    restored = _hrnet(tmp_path, empty_database, [NEW_KEY], "restore", str(archive))

    # then: it says which key is missing, and with the retired key added every case reads
    assert restored.returncode != 0
    assert "The backup was restored, but this server cannot read" in restored.stderr
    assert f"Missing key fingerprints (values): {old} (5)" in restored.stderr
    assert "Traceback" not in restored.stderr
    with_retired = [NEW_KEY, OLD_KEY]
    check = _hrnet(tmp_path, empty_database, with_retired, "rights_keys")
    assert check.returncode == 0, check.stderr
    pages = _hrnet(tmp_path, empty_database, with_retired, "shell", "-c", PAGES)
    assert f"case 200 {NARRATIVE} {{'Rusu was reprimanded'}}" in pages.stdout.splitlines()
    # and a rotation there brings the restored data to the new key
    rotated = _hrnet(tmp_path, empty_database, with_retired, "rights_rotate_keys")
    assert rotated.returncode == 0, rotated.stderr
    assert _hrnet(tmp_path, empty_database, [NEW_KEY], "rights_keys").returncode == 0
