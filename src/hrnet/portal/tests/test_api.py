import json
import os
import subprocess
import sys

from openapi_spec_validator import validate

from hrnet.accounts.services import api_token_create


def test_openapi_document_is_valid_openapi_3(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert "/api/v1/countries" in document["paths"]
    assert "/api/v1/countries/resolve" in document["paths"]


def test_health_reports_the_database(client, db):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_is_unreachable(tmp_path):
    # A separate process whose DATABASE_URL points at a port where no server listens.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/api/v1/health');"
        "print(r.status_code, json.dumps(r.json(), sort_keys=True))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hrnet.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/unreachable",
        "ALLOWED_HOSTS": "testserver",
        "HRNET_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip().splitlines()[-1] == (
        '503 {"database": "error", "status": "error"}'
    ), result.stderr


def test_countries_lists_29_countries_in_7_subregions(client, geography):
    response = client.get("/api/v1/countries")

    countries = response.json()
    assert response.status_code == 200
    assert len(countries) == 29
    assert len({c["subregion"]["code"] for c in countries}) == 7
    moldova = next(c for c in countries if c["iso2"] == "MD")
    assert moldova == {
        "iso2": "MD",
        "iso3": "MDA",
        "name": "Moldova",
        "subregion": {"code": "EUROPEAN_CIS", "name": "European countries of the CIS"},
    }


def test_country_names_follow_accept_language(client, geography):
    response = client.get("/api/v1/countries", HTTP_ACCEPT_LANGUAGE="ru")

    names = {c["iso2"]: c["name"] for c in response.json()}
    assert names["MD"] == "Молдова"


def test_resolve_answers_moldova_for_its_alias(client, geography):
    response = client.get("/api/v1/countries/resolve", {"q": "Republic of Moldova"})

    assert response.status_code == 200
    assert response.json()["iso2"] == "MD"


def test_resolve_names_an_unknown_country_in_a_404(client, geography):
    response = client.get("/api/v1/countries/resolve", {"q": "Atlantis"})

    assert response.status_code == 404
    assert "Atlantis" in response.json()["detail"]


def test_member_only_api_answers_401_to_anonymous_requests(client, db):
    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_member_only_api_rejects_a_wrong_or_revoked_token(client, member):
    token, key = api_token_create(user=member, name="laptop")
    token.revoked_at = token.created_at
    token.save()

    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_bearer_token_authenticates(client, member):
    _token, key = api_token_create(user=member, name="laptop")

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    assert response.json()["email"] == member.email
    assert response.json()["roles"] == ["member"]


def test_session_authenticates(client, member):
    client.force_login(member)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert json.loads(response.content)["email"] == member.email


def test_session_without_the_required_second_factor_is_refused(client, make_user, settings):
    settings.HRNET_2FA_REQUIRED = True
    client.force_login(make_user("documenter"))

    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_a_wrong_token_beside_a_valid_session_answers_401(client, member):
    # A script run from a signed-in browser must not silently act as the session's user.
    client.force_login(member)

    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    assert client.get("/api/v1/search", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_routers_mounted_at_the_root_keep_their_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {"/api/v1/countries", "/api/v1/countries/resolve", "/api/v1/me"} <= set(paths)
