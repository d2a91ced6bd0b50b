"""The organisers' registrations page shows the answers to the event's questions in words:
Yes/No and the option chosen, not the stored True or index."""

import pytest

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import RegistrationQuestion
from hrnet.events.tests.factories import (
    EventFactory,
    RegistrationFactory,
    RegistrationQuestionFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, language: str = "en") -> str:
    event = EventFactory.create()
    yes_no = RegistrationQuestionFactory.create(
        event=event,
        kind=RegistrationQuestion.Kind.YES_NO,
        labels={"en": "Do you need interpretation?", "ru": "Нужен ли перевод?"},
    )
    choice = RegistrationQuestionFactory.create(
        event=event,
        kind=RegistrationQuestion.Kind.CHOICE,
        labels={"en": "Your role", "ru": "Ваша роль"},
        choices=[
            {"en": "Outreach worker", "ru": "Аутрич-работник"},
            {"en": "Doctor", "ru": "Врач"},
        ],
    )
    RegistrationFactory.create(event=event, answers={str(yes_no.pk): True, str(choice.pk): 0})
    RegistrationFactory.create(event=event, answers={str(yes_no.pk): False, str(choice.pk): 1})
    client.force_login(UserFactory.create(roles=[Role.SECRETARIAT]))
    return client.get(f"/{language}/events/{event.pk}/registrations/").content.decode()


def test_answers_are_words(client):
    page = _page(client)

    assert "<td>Yes</td>" in page
    assert "<td>No</td>" in page
    assert "<td>Outreach worker</td>" in page
    assert "<td>Doctor</td>" in page
    assert "True" not in page
    assert "<td>0</td>" not in page


def test_answers_are_words_in_russian(client):
    page = _page(client, "ru")

    assert "<td>Да</td>" in page
    assert "<td>Нет</td>" in page
    assert "<td>Аутрич-работник</td>" in page
