"""API tokens expire (HRNET_API_TOKEN_DAYS by default); an expired token answers 401 in
words, and the profile lists each token's expiry."""

from __future__ import annotations

import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from hrnet.accounts import services
from hrnet.accounts.models import ApiToken

PROFILE = "/en/accounts/profile/"


def test_a_new_token_works_for_the_configured_days(member, settings):
    settings.HRNET_API_TOKEN_DAYS = 30
    now = timezone.now()

    token, _key = services.api_token_create(user=member, name="sync", now=now)

    assert token.expires_at == now + timedelta(days=30)


def test_a_token_can_be_made_for_fewer_days_but_never_forever(member):
    token, _key = services.api_token_create(user=member, name="short", days=1)
    assert timedelta(hours=23) < token.expires_at - timezone.now() <= timedelta(days=1)

    for days in (0, -3, 100_000):
        with pytest.raises(ValidationError) as refused:
            services.api_token_create(user=member, name="bad", days=days)
        assert str(days) in refused.value.message_dict["days"][0]


def test_an_expired_token_answers_401_saying_so(client, member):
    token, key = services.api_token_create(user=member, name="old script")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "expired on" in detail
    assert (timezone.now() - timedelta(days=1)).date().isoformat() in detail


def test_an_unknown_token_still_answers_401(client, db):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 401


def test_the_token_list_shows_each_expiry_and_which_have_expired(client, member):
    services.api_token_create(user=member, name="current")
    old, _key = services.api_token_create(user=member, name="stale")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=2))
    client.force_login(member)

    content = client.get(PROFILE).content.decode()

    assert '<th scope="col">Expires</th>' in content
    stale_row = content.split(f'id="api-token-{old.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Expired" in stale_row
    assert "Revoke" not in stale_row
    assert "A new token works for 180 days." in content


def test_the_command_takes_days_and_prints_the_expiry(member):
    out = StringIO()

    call_command("create_api_token", member.email, "--days", "7", stdout=out)

    token = ApiToken.objects.get(user=member)
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert f"valid until {token.expires_at:%Y-%m-%d}" in out.getvalue()


def test_the_command_refuses_nonsense_days_in_words(member):
    with pytest.raises(CommandError, match="1 to 1825 days, not 0"):
        call_command("create_api_token", member.email, "--days", "0", stdout=StringIO())

    assert not ApiToken.objects.exists()


def test_tokens_made_before_expiry_existed_get_180_days():
    migration = importlib.import_module(
        "hrnet.accounts.migrations.0004_api_token_expiry_two_factor_links"
    )
    add_field = migration.Migration.operations[0]

    given = add_field.field.default()

    assert add_field.name == "expires_at"
    assert not add_field.preserve_default
    assert timedelta(days=179, hours=23) < given - timezone.now() <= timedelta(days=180)
