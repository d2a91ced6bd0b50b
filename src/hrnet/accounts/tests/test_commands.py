import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hrnet.accounts.models import ApiToken
from hrnet.core.models import AuditEntry


def test_create_api_token_prints_a_working_token_on_its_last_line(client, member):
    out = StringIO()

    call_command("create_api_token", member.email.upper(), "--name", "nightly sync", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=member)
    assert token.name == "nightly sync"
    assert key.startswith(token.prefix)
    assert AuditEntry.objects.filter(
        action="accounts.api_token.create", object_id=str(token.pk)
    ).exists()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["email"] == member.email
    assert response.json()["roles"] == ["member"]


def test_create_api_token_has_a_default_name(member):
    call_command("create_api_token", member.email, stdout=StringIO())

    assert ApiToken.objects.get().name == "Command-line token"


def test_create_api_token_for_an_unknown_email_names_it(db):
    with pytest.raises(CommandError, match=re.escape("nobody@example.org")):
        call_command("create_api_token", "nobody@example.org", stdout=StringIO())

    assert not ApiToken.objects.exists()


def test_create_api_token_refuses_a_deactivated_account(make_user):
    user = make_user(is_active=False)

    with pytest.raises(CommandError, match="deactivated"):
        call_command("create_api_token", user.email, stdout=StringIO())
