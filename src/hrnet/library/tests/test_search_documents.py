"""What the search index holds of a resource, through every write that changes it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile

from hrnet.core.models import IssueArea
from hrnet.core.reference import issue_areas_load
from hrnet.core.trash import trash_move, trash_restore
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.library.search_documents import resource_search_document
from hrnet.library.services.files import resource_file_extract
from hrnet.library.services.resources import resource_create, resource_publish
from hrnet.library.tests.factories import ResourceFactory, ResourceFileFactory, pdf_bytes, upload
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("geography")


def test_the_document_of_a_published_resource():
    issue_areas_load()
    resource = ResourceFactory.create(
        type=Resource.Type.POLICY_BRIEF,
        language="ru",
        title="Гепатит C",
        summary="Кратко",
        description="Лечение **гепатита** без барьеров.",
        publication_date=date(2023, 2, 1),
        issue_areas=IssueArea.objects.filter(code="VIRAL_HEPATITIS"),
        countries=Country.objects.filter(iso2__in=["KZ", "UA"]),
    )
    resource_file = ResourceFileFactory.create(
        resource=resource, file=ContentFile(pdf_bytes("Софосбувир и даклатасвир"), "h.pdf")
    )
    resource_file_extract(file_id=resource_file.pk)

    document = resource_search_document(resource)

    assert document is not None
    assert document.kind == "policy_brief"
    assert document.language == "ru"
    assert document.title == "Гепатит C"
    assert "Лечение гепатита без барьеров." in document.body  # plain text, no Markdown
    assert "Софосбувир" in document.body
    assert document.url_name == "library:resource_detail"
    assert document.visibility == "public"
    assert document.issue_areas == ["VIRAL_HEPATITIS"]
    assert sorted(document.countries) == ["KZ", "UA"]
    assert document.year == 2023


def test_the_index_follows_submission_publication_trash_and_restore(
    member, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = resource_create(
            actor=member,
            type="guidance",
            title="Naloxone for everyone",
            summary="Take-home naloxone.",
            language="en",
            publication_date=date(2025, 1, 1),
            uploads=[upload("n.pdf", pdf_bytes("Overdose reversal by peers"))],
        )
    assert not SearchEntry.objects.filter(object_id=resource.pk).exists()

    resource_publish(resource=resource, actor=secretariat)
    entry = SearchEntry.objects.get(object_id=resource.pk)
    assert "Overdose reversal by peers" in entry.body

    trash_move(obj=resource, actor=secretariat)
    assert not SearchEntry.objects.filter(object_id=resource.pk).exists()
    trash_restore(obj=resource, actor=secretariat)
    assert SearchEntry.objects.filter(object_id=resource.pk).exists()
