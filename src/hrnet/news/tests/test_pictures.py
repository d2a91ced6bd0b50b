"""News photos and organisation logos are stored without the metadata a phone writes into
them (where and when a photo was taken), on upload and, for files stored before, by the
migration / `hrnet images_strip_metadata`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from hrnet.members.models import Organisation
from hrnet.members.services.profiles import organisation_profile_update
from hrnet.members.tests.factories import OrganisationFactory
from hrnet.news.models import Article
from hrnet.news.services import articles as services
from hrnet.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.usefixtures("geography")


def _jpeg_with_location() -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (47.0, 1.0, 0.0)}  # GPSInfo: latitude 47° N
    Image.new("RGB", (60, 40), "teal").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _exif(field_file: Any) -> dict[int, Any]:
    with field_file.open("rb") as stored, Image.open(stored) as image:
        return dict(image.getexif())


def test_a_news_photo_is_stored_without_its_location(secretariat: Any) -> None:
    article = services.article_create(
        actor=secretariat,
        title="Naloxone in Bălți",
        lead="Kits reach three more sites.",
        language="en",
        image=SimpleUploadedFile("phone.jpg", _jpeg_with_location(), "image/jpeg"),
        image_alt="A peer worker with a kit",
    )

    article.refresh_from_db()
    assert article.image.name.endswith(".jpg")
    assert _exif(article.image) == {}
    assert (article.image_width, article.image_height) == (60, 40)


def test_an_organisation_logo_is_stored_without_its_location(secretariat: Any) -> None:
    organisation = OrganisationFactory.create()

    organisation_profile_update(
        organisation=organisation,
        actor=secretariat,
        names={"en": "Harm Reduction Moldova"},
        kind=organisation.kind,
        logo=SimpleUploadedFile("logo.jpg", _jpeg_with_location(), "image/jpeg"),
    )

    organisation.refresh_from_db()
    assert organisation.logo
    assert _exif(organisation.logo) == {}


def test_pictures_stored_before_are_cleaned_under_the_same_name() -> None:
    article = ArticleFactory.create()
    article.image.save("old.jpg", ContentFile(_jpeg_with_location()), save=True)
    organisation = OrganisationFactory.create()
    organisation.logo.save("old-logo.jpg", ContentFile(_jpeg_with_location()), save=True)
    clean = ArticleFactory.create()
    clean.image.save("clean.png", ContentFile(_png()), save=True)
    before = clean.image.storage.get_modified_time(clean.image.name)
    names = (article.image.name, organisation.logo.name)
    assert _exif(article.image)  # the test's photo does carry its location

    out = io.StringIO()
    call_command("images_strip_metadata", stdout=out)

    article = Article.objects.get(pk=article.pk)
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert (article.image.name, organisation.logo.name) == names  # audit entries stay true
    assert _exif(article.image) == {}
    assert _exif(organisation.logo) == {}
    assert clean.image.storage.get_modified_time(clean.image.name) == before  # left as it was
    assert out.getvalue().startswith("2 pictures")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(buffer, "PNG")
    return buffer.getvalue()
