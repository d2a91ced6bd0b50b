"""Inputs that phones fill: every email input is type="email" (the keyboard with @), on
the public contact, sign-in, registration and invitation forms."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_FORMS = [
    "/en/contact/",
    "/en/accounts/login/",
    "/en/accounts/password/reset/",
    "/en/members/apply/",
    "/en/members/apply/?kind=individual",
]
SECRETARIAT_FORMS = [
    "/en/accounts/invitations/new/",
    "/en/team/members/add/",
]


def _email_inputs(html: str) -> list[str]:
    return [
        tag
        for tag in re.findall(r"<input\b[^>]*>", html)
        if re.search(r'name="[^"]*email[^"]*"', tag) and "publish_email" not in tag
    ]


def _assert_email_inputs(html: str, url: str) -> None:
    inputs = _email_inputs(html)
    assert inputs, f"no email input on {url}"
    for tag in inputs:
        assert 'type="email"' in tag, (url, tag)


@pytest.mark.parametrize("url", PUBLIC_FORMS)
def test_public_forms_ask_for_email_with_an_email_input(
    client: Any, geography: None, url: str
) -> None:
    from hrnet.members.tests.factories import PrinciplesVersionFactory
    from hrnet.network.models import ContactTopic, TeamMember

    PrinciplesVersionFactory()
    office = TeamMember.objects.create(full_name="Office", email="office@example.org")
    ContactTopic.objects.create(names={"en": "Membership"}, recipient=office)
    response = client.get(url)

    assert response.status_code == 200
    _assert_email_inputs(response.content.decode(), url)


@pytest.mark.parametrize("url", SECRETARIAT_FORMS)
def test_secretariat_forms_ask_for_email_with_an_email_input(
    client: Any, secretariat: Any, url: str
) -> None:
    client.force_login(secretariat)
    response = client.get(url)

    assert response.status_code == 200
    _assert_email_inputs(response.content.decode(), url)
