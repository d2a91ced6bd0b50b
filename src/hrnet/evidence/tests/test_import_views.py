import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from hrnet.accounts.roles import Role
from hrnet.core.models import TaskProgress
from hrnet.evidence.models import DERIVED_SOURCES, DataValue, Dhis2Mapping

pytestmark = pytest.mark.usefixtures("catalogue")


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("values.xlsx", buffer.getvalue())


def _post(client, data, capture):
    with capture(execute=True):
        response = client.post(reverse("evidence:values_import"), data)
    assert response.status_code == 302, response.content
    return client.get(response["Location"])


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), (Role.MEMBER, 403), (Role.SECRETARIAT, 200)]
)
def test_only_the_secretariat_opens_the_upload_page(client, make_user, role, status):
    if role:
        client.force_login(make_user(role))

    assert client.get(reverse("evidence:values_import")).status_code == status
    assert client.get(reverse("evidence:dhis2_mappings")).status_code == status
    assert client.get(reverse("evidence:values_template", args=["csv"])).status_code == status


def test_an_xlsx_with_two_bad_rows_is_named_and_nothing_imported_then_fixed(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    rows: list[list[object]] = [
        ["country", "year", "indicator", "value"],
        ["MD", 2023, "PWID_SIZE_ESTIMATE", 27500],
        ["Narnia", 2023, "NS_DISTRIBUTED", 4000000],
        ["MD", 2023, "NS_DISTRIBUTED", -4],
    ]

    page = _post(
        client, {"file": _xlsx(rows), "source": "UNAIDS GAM"}, django_capture_on_commit_callbacks
    )

    content = page.content.decode()
    assert "Nothing was written" in content
    assert "Narnia" in content
    assert "Unknown country." in content
    assert "A count cannot be negative." in content
    assert DataValue.objects.count() == 0

    rows[2][0], rows[3][3] = "Georgia", 4125000
    page = _post(
        client, {"file": _xlsx(rows), "source": "UNAIDS GAM"}, django_capture_on_commit_callbacks
    )

    assert "Rows read: 3. Rows written: 3." in page.content.decode()
    job = TaskProgress.objects.order_by("-created_at").first()
    value = DataValue.objects.get(
        indicator__code="NS_DISTRIBUTED", country__iso2="MD", source="UNAIDS GAM"
    )
    assert value.import_job == job
    assert value.created_by == secretariat
    assert (
        DataValue.objects.get(indicator__code="NSP_COVERAGE", country__iso2="MD").band == "medium"
    )


def test_partial_import_and_dhis2_chosen_by_extension(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    document = {
        "period": "2022",
        "dataValues": [
            {"dataElement": "OST_CLIENTS", "orgUnit": "UA", "value": "16000"},
            {"dataElement": "OST_CLIENTS", "orgUnit": "UA", "value": "1", "period": "2022W3"},
        ],
    }
    upload = SimpleUploadedFile("set.json", json.dumps(document).encode())

    page = _post(
        client,
        {"file": upload, "partial": "on", "source": "HMIS"},
        django_capture_on_commit_callbacks,
    )

    content = page.content.decode()
    assert "1 row was rejected; the valid rows were written." in content
    assert "2022W3" in content
    assert DataValue.objects.exclude(source__in=DERIVED_SOURCES).get().source == "HMIS"


def test_an_unknown_file_type_is_refused_on_the_form(client, secretariat):
    client.force_login(secretariat)

    response = client.post(
        reverse("evidence:values_import"), {"file": SimpleUploadedFile("a.txt", b"x")}
    )

    assert response.status_code == 200
    assert "Unsupported file type" in response.content.decode()


def test_the_templates_import_as_they_are(client, secretariat, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("evidence:values_template", args=[fmt]))
        upload = SimpleUploadedFile(f"template.{fmt}", response.content)

        page = _post(client, {"file": upload}, django_capture_on_commit_callbacks)

        assert "Rows written: 2." in page.content.decode()
        DataValue.objects.all().delete()


def test_mapping_page_lists_and_imports_mappings(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    upload = SimpleUploadedFile(
        "mappings.csv", b"kind,dhis2_id,indicator,country\ndata_element,deOst001,OST_CLIENTS,\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence:dhis2_mappings"), {"file": upload})
    page = client.get(reverse("evidence:dhis2_mappings")).content.decode()

    mapping = Dhis2Mapping.objects.get()
    assert mapping.indicator is not None
    assert mapping.indicator.code == "OST_CLIENTS"
    assert "deOst001" in page
