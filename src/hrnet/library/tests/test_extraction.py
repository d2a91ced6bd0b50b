"""Text extraction from real files, in the background task, and what happens when a file
cannot be read."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from hrnet.library import extraction
from hrnet.library.extraction import ExtractionError, text_extract
from hrnet.library.models import ResourceFile
from hrnet.library.services.files import resource_file_extract
from hrnet.library.tests.factories import (
    ResourceFactory,
    ResourceFileFactory,
    docx_bytes,
    pdf_bytes,
    pptx_bytes,
    xlsx_bytes,
)
from hrnet.search.models import SearchEntry


def test_text_of_a_generated_pdf_in_russian():
    data = pdf_bytes("Доступ к лечению гепатита C для людей, употребляющих наркотики.")

    text = text_extract(data, "pdf")

    assert "гепатита" in text
    assert "употребляющих наркотики" in text


def test_text_of_a_docx_xlsx_and_pptx():
    assert "Naloxone saves lives" in text_extract(docx_bytes("Naloxone saves lives"), "docx")
    assert "Снижение вреда" in text_extract(xlsx_bytes("Снижение вреда", "OST"), "xlsx")
    assert "Peer outreach" in text_extract(pptx_bytes("Peer outreach"), "pptx")


def test_the_stored_text_is_capped(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_CHARS", 50)
    data = docx_bytes(*["harm reduction works"] * 20)

    assert len(extraction._capped(iter(["x" * 30] * 5), 50)) == 50
    assert len(text_extract(data, "docx")) <= 1_000_000


def test_a_damaged_file_raises_an_extraction_error():
    with pytest.raises(ExtractionError):
        text_extract(b"%PDF-1.4 not really a pdf", "pdf")
    with pytest.raises(ExtractionError):
        text_extract(b"PK\x03\x04 broken", "docx")


def test_xml_entities_are_refused_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", bomb)

    with pytest.raises(ExtractionError):
        text_extract(buffer.getvalue(), "docx")


@pytest.mark.django_db
def test_extraction_stores_the_text_and_indexes_it_for_search():
    resource = ResourceFactory.create(title="Hepatitis C")
    resource_file = ResourceFileFactory.create(
        resource=resource,
        extraction_status=ResourceFile.Extraction.PENDING,
        file=ContentFile(pdf_bytes("Sofosbuvir for people who inject drugs"), "h.pdf"),
    )

    assert resource_file_extract(file_id=resource_file.pk) == "done"

    resource_file.refresh_from_db()
    assert "Sofosbuvir" in resource_file.extracted_text
    entry = SearchEntry.objects.get(object_id=resource.pk)
    assert "Sofosbuvir" in entry.body


@pytest.mark.django_db
def test_a_failing_file_is_marked_failed_and_stays_downloadable():
    resource_file = ResourceFileFactory.create(
        extraction_status=ResourceFile.Extraction.PENDING,
        file=ContentFile(b"%PDF-1.4 garbage", "broken.pdf"),
    )

    assert resource_file_extract(file_id=resource_file.pk) == "failed"

    resource_file.refresh_from_db()
    assert resource_file.extraction_status == ResourceFile.Extraction.FAILED
    assert resource_file.extraction_error
    assert resource_file.file.storage.exists(resource_file.file.name)


@pytest.mark.django_db
def test_files_left_by_the_trash_purge_are_deleted_but_recent_ones_kept(secretariat):
    from datetime import timedelta

    from hrnet.core.trash import trash_move, trash_purge
    from hrnet.library.services.files import resource_files_orphans_delete

    kept = ResourceFileFactory.create()
    purged = ResourceFileFactory.create()
    storage = purged.file.storage
    trash_move(obj=purged.resource, actor=secretariat)
    trash_purge(now=timezone.now() + timedelta(days=365))

    assert storage.exists(purged.file.name)  # the purge deletes rows, not bytes
    assert resource_files_orphans_delete() == 0  # too recent: maybe not committed yet
    assert resource_files_orphans_delete(older_than=timedelta(0)) == 1
    assert not storage.exists(purged.file.name)
    assert storage.exists(kept.file.name)
