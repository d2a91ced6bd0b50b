"""Factories for news. Articles are published an hour ago unless told otherwise."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import IssueArea
from hrnet.news.models import Article, DigestSubscription


def issue_area(code: str = "HIV", en: str = "HIV prevention and treatment") -> IssueArea:
    return IssueArea.objects.get_or_create(
        code=code, defaults={"names": {"en": en, "ru": f"{en} (ru)"}}
    )[0]


def jpeg_upload(name: str = "photo.jpg", size: tuple[int, int] = (60, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    kind = Article.Kind.NEWS
    title = factory.Sequence(lambda n: f"Naloxone reaches more outreach sites {n}")
    lead = "Peer outreach workers now carry naloxone kits in three more cities."
    body = "Naloxone **saves lives**.\n\n- kits\n- training"
    language = "en"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    author = factory.SubFactory(UserFactory, roles=[Role.SECRETARIAT])

    @factory.post_generation
    def issue_areas(
        self, create: bool, extracted: list[IssueArea] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.issue_areas.set(extracted)

    @factory.post_generation
    def countries(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.countries.set(extracted)


class DigestSubscriptionFactory(factory.django.DjangoModelFactory[DigestSubscription]):
    class Meta:
        model = DigestSubscription

    user = factory.SubFactory(UserFactory, roles=[Role.MEMBER])
