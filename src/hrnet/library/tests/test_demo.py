"""The demo library: both languages on every issue area, linked translations, members-only
resources, real PDFs with text, and the resource the search journey looks for."""

from __future__ import annotations

import pytest

from hrnet.core.demo import demo_users_create
from hrnet.core.models import IssueArea
from hrnet.core.reference import issue_areas_load
from hrnet.library.demo import library_demo_create
from hrnet.library.models import Resource, ResourceFile
from hrnet.search.models import SearchEntry


@pytest.mark.slow
def test_demo_library(geography, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    issue_areas_load()
    demo_users_create()

    with django_capture_on_commit_callbacks(execute=True):
        library_demo_create()
    library_demo_create()  # a second run changes nothing

    published = Resource.objects.filter(status=Resource.Status.PUBLISHED)
    for area in IssueArea.objects.all():
        languages = set(published.filter(issue_areas=area).values_list("language", flat=True))
        assert languages == {"en", "ru"}, area.code
    russian = Resource.objects.get(title__startswith="Гепатит C: доступ к лечению")
    english = Resource.objects.get(translation_key=russian.translation_key, language="en")
    assert english.title.startswith("Hepatitis C:")
    pdf = russian.files.get()
    assert pdf.content_type == "application/pdf"
    assert pdf.extraction_status == ResourceFile.Extraction.DONE
    assert "гепатит" in pdf.extracted_text.lower()
    assert published.filter(visibility=Resource.Visibility.MEMBERS).exists()
    assert Resource.objects.filter(status=Resource.Status.SUBMITTED).count() == 1
    assert Resource.objects.filter(status=Resource.Status.REJECTED).count() == 1
    assert SearchEntry.objects.filter(language="ru").count() >= 10
    assert Resource.all_objects.count() == published.count() + 2
