"""Case services: what they refuse, what they write, and what the audit log never holds."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hrnet.core.models import AuditEntry
from hrnet.members.models import Organisation
from hrnet.members.tests.factories import OrganisationFactory, country
from hrnet.rights.models import BreakGlass, Case, CaseFile, CaseResponse, CaseShare, ViolationType
from hrnet.rights.services import cases
from hrnet.rights.tests.factories import ViolationTypeFactory, documenter_of, use_test_keys

pytestmark = pytest.mark.usefixtures("geography")
NARRATIVE = "Officer Petrov took 500 lei at the pharmacy on Strada Mare"
DESCRIPTION = "Tall man, about forty, tattoo on the left hand"

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _image(kind: str) -> bytes:
    # Real images: evidence files are judged by decoding them, not by their first bytes.
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format=kind)
    return out.getvalue()


PNG_BYTES = _image("PNG")
JPEG_BYTES = _image("JPEG")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
            '"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create()


@pytest.fixture
def documenter(organisation: Organisation) -> Any:
    return documenter_of(organisation)


def _create(documenter: Any, organisation: Organisation, **fields: Any) -> Case:
    values: dict[str, Any] = {
        "actor": documenter,
        "organisation": organisation,
        "date_from": date(2024, 5, 2),
        "country": country("MD"),
        "consent_to_record": True,
        "violation_types": [ViolationTypeFactory.create(code="police-extortion")],
        "perpetrator_types": ["police"],
        "narrative": NARRATIVE,
        "person_description": DESCRIPTION,
    }
    return cases.case_create(**{**values, **fields})


def _no_secret_in_audit() -> None:
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_repr} {entry.changes}"
        for secret in (NARRATIVE, DESCRIPTION, "Petrov", "tattoo", "secret-report.pdf"):
            assert secret not in text


def test_a_case_without_consent_to_record_cannot_be_saved(
    documenter: Any, organisation: Organisation
) -> None:
    with pytest.raises(ValidationError) as error:
        _create(documenter, organisation, consent_to_record=False)

    assert error.value.message_dict["consent_to_record"] == [
        "A case cannot be recorded without the person's consent to record it."
    ]
    assert not Case.objects.exists()


def test_case_create_records_and_audits_without_the_story(
    documenter: Any, organisation: Organisation
) -> None:
    case = _create(documenter, organisation)

    case = Case.objects.get(pk=case.pk)
    assert case.narrative == NARRATIVE
    assert case.status == Case.Status.OPEN
    assert case.documenter == documenter
    assert [v.code for v in case.violation_types.all()] == ["police-extortion"]
    assert AuditEntry.objects.get(action="rights.case.add").object_repr == case.reference
    _no_secret_in_audit()


def test_bad_input_is_refused_naming_the_field(documenter: Any, organisation: Organisation) -> None:
    with pytest.raises(ValidationError) as error:
        _create(
            documenter,
            organisation,
            date_from=date(2024, 5, 2),
            date_to=date(2024, 5, 1),
            perpetrator_types=["aliens"],
        )
    assert set(error.value.message_dict) == {"date_to", "perpetrator_types"}
    assert "aliens" in error.value.message_dict["perpetrator_types"][0]


def test_update_read_respond_close_are_audited_without_sensitive_text(
    documenter: Any, organisation: Organisation
) -> None:
    case = _create(documenter, organisation)

    case = cases.case_update(
        actor=documenter, case=case, narrative=NARRATIVE + " again", locality="Orhei"
    )
    cases.case_read(actor=documenter, case=case)
    cases.case_response_add(
        actor=documenter,
        case=case,
        action="legal_aid",
        responder="Lawyer of the organisation",
        date=date(2024, 5, 3),
        outcome="Petrov gave the money back",
    )
    cases.case_close(actor=documenter, case=case, reason="Resolved")

    change = AuditEntry.objects.get(action="rights.case.change")
    assert change.changes == {"narrative": "", "locality": "Orhei"}
    assert AuditEntry.objects.filter(action="rights.case.read").count() == 1
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    _no_secret_in_audit()


def test_consent_cannot_be_withdrawn_by_an_edit(
    documenter: Any, organisation: Organisation
) -> None:
    case = _create(documenter, organisation)

    with pytest.raises(ValidationError) as error:
        cases.case_update(actor=documenter, case=case, consent_to_record=False)

    assert "consent_to_record" in error.value.message_dict
    assert Case.objects.get(pk=case.pk).consent_to_record


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("secret-report.pdf", PDF_BYTES, "application/pdf"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.png", PNG_BYTES, "image/png"),
        (
            "statement.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_evidence_files_accepted_read_back_and_audited(
    documenter: Any, organisation: Organisation, name: str, content: bytes, content_type: str
) -> None:
    case = _create(documenter, organisation)

    case_file = cases.case_file_add(
        actor=documenter, case=case, upload=SimpleUploadedFile(name, content)
    )

    case_file = CaseFile.objects.get(pk=case_file.pk)
    assert case_file.original_name == name
    assert case_file.content_type == content_type
    assert name not in case_file.stored_name
    assert cases.case_file_read(actor=documenter, case_file=case_file) == content
    assert AuditEntry.objects.filter(action="rights.case_file.read").count() == 1
    _no_secret_in_audit()


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("evil.pdf", b"MZ\x90\x00" + b"\x00" * 20, "a Windows program"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "an HTML page"),
        ("photo.gif", b"GIF89a" + b"\x00" * 20, "a GIF image"),
    ],
)
def test_forbidden_evidence_types_are_refused_naming_the_file(
    documenter: Any, organisation: Organisation, name: str, content: bytes, found: str
) -> None:
    case = _create(documenter, organisation)

    with pytest.raises(ValidationError) as error:
        cases.case_file_add(actor=documenter, case=case, upload=SimpleUploadedFile(name, content))

    assert name in error.value.messages[0]
    assert found in error.value.messages[0]
    assert not CaseFile.objects.exists()


def test_evidence_over_ten_megabytes_is_refused(
    documenter: Any, organisation: Organisation
) -> None:
    case = _create(documenter, organisation)
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        cases.case_file_add(actor=documenter, case=case, upload=SimpleUploadedFile("big.pdf", big))

    assert "big.pdf" in error.value.messages[0]
    assert not CaseFile.objects.exists()


def test_public_intake_case(organisation: Organisation) -> None:
    case = cases.case_intake_create(
        organisation=None,
        date_from=date(2024, 6, 1),
        country=country("KZ"),
        locality="Almaty",
        what_happened="Beaten at the police station",
        wants_contact=False,
        contact_details="+7 700 000 00 00",
    )

    case = Case.objects.get(pk=case.pk)
    assert case.status == Case.Status.UNREVIEWED
    assert case.source == Case.Source.PUBLIC_INTAKE
    assert case.consent_to_record
    # Not kept when the person did not ask to be contacted.
    assert case.contact_details == ""
    assert AuditEntry.objects.get(action="rights.case.intake").actor is None


def test_admin_has_the_vocabulary_and_no_case(client: Any, secretariat: Any) -> None:
    assert admin.site.is_registered(ViolationType)
    for model in (Case, CaseResponse, CaseFile, CaseShare, BreakGlass):
        assert not admin.site.is_registered(model)
    violation = ViolationTypeFactory.create()
    client.force_login(secretariat)

    response = client.post(
        f"/en/admin/rights/violationtype/{violation.pk}/change/",
        {"code": violation.code, "names": '{"en": "Extortion by police"}', "position": 3},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].endswith("/violationtype/"), response["Location"]
    violation.refresh_from_db()
    assert violation.names == {"en": "Extortion by police"}
    assert not violation.is_active
    assert AuditEntry.objects.filter(action="rights.violationtype.change").exists()
