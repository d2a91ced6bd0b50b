"""The Russian digest names the network in a phrase that reads naturally with the name in the
nominative («Публикации за неделю — Евразийская сеть снижения вреда»)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from hrnet.accounts.roles import Role
from hrnet.core.models import Network
from hrnet.news.services.digest import digest_send
from hrnet.news.tests.factories import ArticleFactory, DigestSubscriptionFactory

pytestmark = pytest.mark.django_db


def test_the_russian_digest_reads_naturally(make_user):
    Network.objects.all().delete()
    Network.objects.create(
        names={
            "en": "Eurasian Harm Reduction Network",
            "ru": "Евразийская сеть снижения вреда",
        }
    )
    DigestSubscriptionFactory.create(user=make_user(Role.MEMBER, preferred_language="ru"))
    ArticleFactory.create(title="Налоксон в Киеве", language="ru")

    digest_send()

    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    for text in (str(message.body), html):
        assert "Публикации за неделю — Евразийская сеть снижения вреда." in text
        assert "Публикации Евразийская" not in text
