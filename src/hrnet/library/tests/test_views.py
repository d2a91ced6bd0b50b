"""The library pages as people use them: the listing and its filters, a resource's page
with its files and translations, downloads, submitting, moderating, editing, trashing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry, IssueArea
from hrnet.core.reference import issue_areas_load
from hrnet.geo.models import Country
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.tests.factories import (
    ResourceFactory,
    ResourceFileFactory,
    docx_bytes,
    pdf_bytes,
    upload,
)
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def areas(db):
    issue_areas_load()
    return IssueArea.objects.all()


def _form(**overrides):
    data = {
        "type": "guidance",
        "title": "Naloxone distribution by peers",
        "summary": "How peers hand out naloxone kits.",
        "description": "Peers reach people **others miss**.",
        "language": "en",
        "publication_date": "2025-03-01",
        "visibility": "public",
        "publisher": "Harm Reduction Network",
        "authors": "A. Author",
        "external_url": "",
    }
    data.update(overrides)
    return data


# --- listing --------------------------------------------------------------------------


def test_listing_shows_teasers_of_published_resources(client):
    ResourceFactory.create(title="Opioid agonist therapy in prisons", summary="OAT behind bars.")
    ResourceFactory.create(title="Waiting for review", status=Resource.Status.SUBMITTED)

    response = client.get("/en/library/")

    assert response.status_code == 200
    assert "Opioid agonist therapy in prisons" in response.text
    assert "OAT behind bars." in response.text
    assert "Waiting for review" not in response.text
    assert "1 resource" in response.text


def test_listing_filters_by_type_language_issue_area_country_and_year(client, areas):
    hiv = IssueArea.objects.get(code="HIV")
    moldova = Country.objects.get(iso2="MD")
    match = ResourceFactory.create(
        title="The match",
        type=Resource.Type.CASE_STUDY,
        language="ru",
        issue_areas=[hiv],
        countries=[moldova],
        publication_date=date(2023, 6, 1),
    )
    ResourceFactory.create(title="Other type", type=Resource.Type.REPORT, language="ru")
    ResourceFactory.create(title="Other year", type=Resource.Type.CASE_STUDY, language="ru")

    response = client.get(
        "/en/library/",
        {
            "type": "case_study",
            "language": "ru",
            "issue_area": hiv.code,
            "country": "md",
            "year": "2023",
        },
    )

    assert response.status_code == 200
    assert match.title in response.text
    assert "Other type" not in response.text
    assert "Other year" not in response.text


def test_listing_survives_nonsense_filters_and_pages(client):
    ResourceFactory.create()

    response = client.get("/en/library/", {"year": "abc", "type": "<x>", "page": "999"})

    assert response.status_code == 200


def test_listing_htmx_swaps_only_the_results(client):
    ResourceFactory.create(title="Fragment")

    response = client.get("/en/library/", headers={"HX-Request": "true"})

    assert "Fragment" in response.text
    assert "<html" not in response.text


def test_listing_paginates(client):
    for _ in range(25):
        ResourceFactory.create()

    first = client.get("/en/library/")
    second = client.get("/en/library/", {"page": 2})

    assert "Page 1 of 2" in first.text
    assert "Page 2 of 2" in second.text


def test_listing_query_count_does_not_grow_with_the_page(client, django_assert_max_num_queries):
    for _ in range(20):
        ResourceFileFactory.create()

    with django_assert_max_num_queries(15):
        client.get("/en/library/")


def test_members_only_resources_are_listed_to_members_not_to_anonymous(client, member):
    ResourceFactory.create(title="Members-only guidance", visibility=Resource.Visibility.MEMBERS)

    assert "Members-only guidance" not in client.get("/en/library/").text
    client.force_login(member)
    assert "Members-only guidance" in client.get("/en/library/").text


# --- detail and download --------------------------------------------------------------


def test_detail_shows_files_with_size_and_type_external_link_and_translations(client):
    english = ResourceFactory.create(
        title="Hepatitis C: access to treatment",
        external_url="https://example.org/hcv",
        description="Direct-acting antivirals *cure* hepatitis C.",
    )
    russian = ResourceFactory.create(
        title="Гепатит C: доступ к лечению", language="ru", translation_key=english.translation_key
    )
    ResourceFileFactory.create(resource=english, original_name="hcv.pdf")

    response = client.get(f"/en/library/{english.pk}/")

    assert response.status_code == 200
    assert "Hepatitis C: access to treatment" in response.text
    assert "<em>cure</em>" in response.text
    assert "hcv.pdf" in response.text
    assert "PDF document" in response.text
    assert "KB" in response.text
    assert "https://example.org/hcv" in response.text
    assert "Also in:" in response.text
    assert f"/en/library/{russian.pk}/" in response.text
    assert "Русский" in response.text


def test_members_only_detail_asks_anonymous_to_sign_in_and_shows_members(client, member):
    resource = ResourceFactory.create(visibility=Resource.Visibility.MEMBERS, title="For members")

    anonymous = client.get(f"/en/library/{resource.pk}/")
    client.force_login(member)
    signed_in = client.get(f"/en/library/{resource.pk}/")

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert signed_in.status_code == 200
    assert "For members" in signed_in.text


def test_non_members_and_strangers_get_404_for_what_they_may_not_see(client, make_user):
    members_only = ResourceFactory.create(visibility=Resource.Visibility.MEMBERS)
    submitted = ResourceFactory.create(status=Resource.Status.SUBMITTED)
    client.force_login(make_user(Role.SITESTAFF))

    assert client.get(f"/en/library/{members_only.pk}/").status_code == 404
    assert client.get(f"/en/library/{submitted.pk}/").status_code == 404
    assert client.get("/en/library/999999/").status_code == 404


def test_download_is_an_attachment_with_the_sniffed_type_and_safe_headers(client):
    resource_file = ResourceFileFactory.create(original_name="Отчёт 2024.pdf")

    response = client.get(f"/en/library/files/{resource_file.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "inline" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_members_only_download_is_refused_to_anonymous_and_given_to_members(client, member):
    resource_file = ResourceFileFactory.create(
        resource=ResourceFactory.create(visibility=Resource.Visibility.MEMBERS)
    )
    url = f"/en/library/files/{resource_file.pk}/"

    anonymous = client.get(url)
    client.force_login(member)
    signed_in = client.get(url)

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert signed_in.status_code == 200


def test_a_submission_s_file_is_downloadable_by_its_submitter_only(client, make_user):
    submitter, stranger = make_user(Role.MEMBER), make_user(Role.MEMBER)
    resource_file = ResourceFileFactory.create(
        resource=ResourceFactory.create(status=Resource.Status.SUBMITTED, submitted_by=submitter)
    )
    url = f"/en/library/files/{resource_file.pk}/"

    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(submitter)
    assert client.get(url).status_code == 200


def test_files_are_kept_outside_the_public_media_folder(settings):
    resource_file = ResourceFileFactory.create()

    path = resource_file.file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert resource_file.original_name not in path


# --- submitting -----------------------------------------------------------------------


def test_a_member_submits_a_resource_with_a_pdf_which_waits_for_moderation(
    client, member, areas, django_capture_on_commit_callbacks
):
    client.force_login(member)
    area = areas.first()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/library/submit/",
            {
                **_form(),
                "issue_areas": [area.code],
                "countries": ["MD", "UA"],
                "uploads": [upload("peers.pdf", pdf_bytes("Peers reach people others miss"))],
            },
        )

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/library/{resource.pk}/"
    assert resource.status == Resource.Status.SUBMITTED
    assert resource.submitted_by == member
    assert list(resource.issue_areas.all()) == [area]
    assert sorted(resource.countries.values_list("iso2", flat=True)) == ["MD", "UA"]
    resource_file = resource.files.get()
    assert resource_file.original_name == "peers.pdf"
    assert resource_file.content_type == "application/pdf"
    assert resource_file.extraction_status == ResourceFile.Extraction.DONE
    assert "Peers reach people" in resource_file.extracted_text
    assert AuditEntry.objects.filter(
        action="library.resource.submit", object_id=str(resource.pk)
    ).exists()
    # not searchable, not listed until published
    assert not SearchEntry.objects.exists()
    assert resource.title not in client.get("/en/library/").text
    assert resource.title in client.get("/en/library/mine/").text


def test_the_secretariat_adds_a_resource_which_is_published_at_once(client, secretariat):
    client.force_login(secretariat)

    client.post(
        "/en/library/submit/",
        {**_form(external_url="https://example.org/report"), "uploads": []},
    )

    resource = Resource.objects.get()
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.published_at is not None
    assert SearchEntry.objects.get(object_id=resource.pk).title == resource.title
    assert AuditEntry.objects.filter(action="library.resource.create").exists()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "HTML page"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100, "Windows program"),
        ("notes.docx", pdf_bytes("x"), "named as a .docx file"),
    ],
)
def test_a_refused_upload_says_why_and_keeps_what_was_typed(client, member, name, data, says):
    client.force_login(member)

    response = client.post(
        "/en/library/submit/",
        {**_form(title="My typed title"), "uploads": [upload(name, data)]},
    )

    assert response.status_code == 200
    assert says in response.text
    assert 'value="My typed title"' in response.text
    assert "files must be chosen again" in response.text
    assert not Resource.objects.exists()
    assert not ResourceFile.objects.exists()


def test_an_upload_over_the_limit_is_refused_with_the_limit(client, member, settings):
    settings.HRNET_LIBRARY_MAX_UPLOAD_MB = 1
    client.force_login(member)
    big = b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)

    response = client.post("/en/library/submit/", {**_form(), "uploads": [upload("big.pdf", big)]})

    text = response.text.replace("\xa0", " ")
    assert "big.pdf” is 2.0 MB; files may be at most 1.0 MB" in text
    assert not Resource.objects.exists()


def test_a_resource_needs_a_file_or_a_link(client, member):
    client.force_login(member)

    response = client.post("/en/library/submit/", _form())

    assert "Attach a file" in response.text
    assert not Resource.objects.exists()


def test_a_translation_is_linked_to_its_original(client, secretariat):
    original = ResourceFactory.create(title="Hepatitis C", language="en")
    client.force_login(secretariat)

    form = client.get(f"/en/library/submit/?translation_of={original.pk}")
    client.post(
        "/en/library/submit/",
        {
            **_form(title="Гепатит C", language="ru", external_url="https://example.org/ru"),
            "translation_of": original.pk,
        },
    )
    twice = client.post(
        "/en/library/submit/",
        {
            **_form(title="Ещё раз", language="ru", external_url="https://example.org/ru"),
            "translation_of": original.pk,
        },
    )

    assert "A translation of" in form.text
    russian = Resource.objects.get(title="Гепатит C")
    assert russian.translation_key == original.translation_key
    assert "already has a version in Russian" in twice.text
    assert not Resource.objects.filter(title="Ещё раз").exists()


# --- moderation -----------------------------------------------------------------------


def test_the_secretariat_publishes_from_the_queue_and_the_submitter_is_emailed_in_russian(
    client, secretariat, make_user, django_capture_on_commit_callbacks
):
    submitter = make_user(Role.MEMBER, preferred_language="ru")
    resource = ResourceFactory.create(
        status=Resource.Status.SUBMITTED, submitted_by=submitter, title="Доступ к OAT"
    )
    client.force_login(secretariat)

    queue = client.get("/en/library/moderation/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/library/{resource.pk}/publish/", {"next": "queue"})

    assert "Доступ к OAT" in queue.text
    assert response["Location"] == "/en/library/moderation/"
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.moderated_by == secretariat
    assert resource.published_at is not None
    assert SearchEntry.objects.filter(object_id=resource.pk).exists()
    assert AuditEntry.objects.filter(action="library.resource.publish").exists()
    [email] = mail.outbox
    assert email.to == [submitter.email]
    assert email.extra_headers["Content-Language"] == "ru"
    assert f"/ru/library/{resource.pk}/" in email.body


def test_rejecting_needs_a_reason_which_the_submitter_receives(
    client, secretariat, make_user, django_capture_on_commit_callbacks
):
    submitter = make_user(Role.MEMBER, preferred_language="en")
    resource = ResourceFactory.create(status=Resource.Status.SUBMITTED, submitted_by=submitter)
    client.force_login(secretariat)

    without = client.post(f"/en/library/{resource.pk}/reject/", {"reason": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/library/{resource.pk}/reject/",
            {"reason": "Please add the publication year.", "next": "queue"},
        )

    assert without.status_code == 200
    assert "This field is required" in without.text
    resource.refresh_from_db()
    assert resource.status == Resource.Status.REJECTED
    assert resource.rejection_reason == "Please add the publication year."
    [email] = mail.outbox
    assert "Please add the publication year." in email.body
    assert "was not published" in email.subject
    assert AuditEntry.objects.filter(action="library.resource.reject").exists()
    # the submitter sees the reason on their submission's page
    client.force_login(submitter)
    assert "Please add the publication year." in client.get(f"/en/library/{resource.pk}/").text


# --- editing and the trash ------------------------------------------------------------


def test_the_secretariat_edits_a_resource_adds_and_removes_files(
    client, secretariat, django_capture_on_commit_callbacks
):
    resource = ResourceFactory.create(title="Old title")
    old_file = ResourceFileFactory.create(resource=resource, original_name="old.pdf")
    client.force_login(secretariat)

    page = client.get(f"/en/library/{resource.pk}/edit/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/library/{resource.pk}/edit/",
            {
                **_form(title="New title", visibility="members"),
                "uploads": [upload("new.docx", docx_bytes("Peer naloxone"))],
                "files_remove": [old_file.pk],
            },
        )

    assert 'value="Old title"' in page.text
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "New title"
    assert resource.visibility == Resource.Visibility.MEMBERS
    assert list(resource.files.values_list("original_name", flat=True)) == ["new.docx"]
    assert "Peer naloxone" in resource.files.get().extracted_text
    entry = AuditEntry.objects.get(action="library.resource.change")
    assert entry.changes["title"] == {"old": "Old title", "new": "New title"}
    assert SearchEntry.objects.get(object_id=resource.pk).visibility == "members"


def test_trashing_hides_the_resource_and_its_files(client, secretariat):
    resource_file = ResourceFileFactory.create(
        resource=ResourceFactory.create(title="To trash"),
        file=ContentFile(pdf_bytes("x"), "x.pdf"),
    )
    resource = resource_file.resource
    from hrnet.search.services import index_update

    index_update(resource)
    client.force_login(secretariat)

    client.post(f"/en/library/{resource.pk}/trash/")

    assert Resource.objects.filter(pk=resource.pk).count() == 0
    assert Resource.all_objects.get(pk=resource.pk).in_trash
    assert not SearchEntry.objects.filter(object_id=resource.pk).exists()
    assert client.get(f"/en/library/{resource.pk}/").status_code == 404
    assert client.get(f"/en/library/files/{resource_file.pk}/").status_code == 404
    assert "To trash" in client.get("/en/trash/").text


def test_a_document_in_two_languages_is_listed_once_in_the_readers_language(client):
    import uuid

    from hrnet.library.tests.factories import ResourceFactory

    key = uuid.uuid4()
    ResourceFactory.create(title="Naloxone availability in the region", translation_key=key)
    ResourceFactory.create(
        title="Доступность налоксона в регионе", language="ru", translation_key=key
    )
    ResourceFactory.create(title="Only in English")

    russian = client.get("/ru/library/").content.decode()
    english = client.get("/en/library/").content.decode()
    both = client.get("/en/library/?language=ru").content.decode()

    assert "Доступность налоксона в регионе" in russian
    assert "Naloxone availability in the region" not in russian
    assert "Only in English" in russian
    assert "Naloxone availability in the region" in english
    assert "Доступность налоксона в регионе" not in english
    assert "Доступность налоксона в регионе" in both
