"""A lost database answers 503 with Retry-After: JSON under /api/ (a phone can tell a
retryable outage from a bug), a static page elsewhere; never a 500.

The database is really unreachable for the request: the connection is swapped for one to a
closed port (PostgreSQL) or to a file in a folder that does not exist (SQLite), so every
query fails as it would during an outage. No database function is mocked.
"""

from __future__ import annotations

import copy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from hrnet.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def database_unreachable() -> Iterator[None]:
    """Inside, `connections["default"]` is a new connection to nowhere; the test's own
    connection, with its transaction, is put back afterwards."""
    original = connections["default"]
    settings_dict = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-hrnet-folder/hrnet.sqlite3"
    else:
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", _closed_port()
        settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = 2
    dead = original.__class__(settings_dict, alias="default")
    connections["default"] = dead
    try:
        yield
    finally:
        dead.close()
        connections["default"] = original


@pytest.fixture
def database_down() -> Iterator[None]:
    with database_unreachable():
        yield


def _client(**headers: Any) -> Client:
    # The outage must come back as the answer, not as an exception in the test.
    return Client(raise_request_exception=False, **headers)


def _assert_api_unavailable(response: Any) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "unavailable"
    assert "temporarily unavailable" in body["detail"]


def test_an_anonymous_api_call_gets_json_503(database_down: None) -> None:
    _assert_api_unavailable(_client().get("/api/v1/news"))


def test_a_token_api_call_gets_json_503(secretariat: Any) -> None:
    # given a valid token (made while the database is up)
    _token, key = api_token_create(user=secretariat, name="phone")
    client = _client(HTTP_AUTHORIZATION=f"Bearer {key}")
    # when the database goes away, even checking the token fails
    with database_unreachable():
        response = client.post(
            "/api/v1/outreach/contacts", data={"x": 1}, content_type="application/json"
        )
    _assert_api_unavailable(response)


def test_an_api_call_with_a_session_gets_json_503(client: Client, member: Any) -> None:
    # The session is read in a middleware, before the view: Django's handler500 answers.
    client.force_login(member)
    client.raise_request_exception = False
    with database_unreachable():
        response = client.get("/api/v1/me")
    _assert_api_unavailable(response)


def test_the_health_check_reports_the_database(database_down: None) -> None:
    response = _client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_a_page_gets_a_static_503_page(database_down: None) -> None:
    response = _client().get("/en/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in response.content.decode()


def test_the_503_page_speaks_the_language_of_the_address(database_down: None) -> None:
    response = _client().get("/ru/")
    assert response.status_code == 503
    assert 'lang="ru"' in response.content.decode()
    assert "Temporarily unavailable" not in response.content.decode()


def test_a_signed_in_page_gets_the_503_page(client: Client, member: Any) -> None:
    client.force_login(member)
    client.raise_request_exception = False
    with database_unreachable():
        response = client.get("/en/")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


def test_with_the_database_back_the_same_call_answers(secretariat: Any) -> None:
    _token, key = api_token_create(user=secretariat, name="phone")
    client = _client(HTTP_AUTHORIZATION=f"Bearer {key}")
    with database_unreachable():
        assert client.get("/api/v1/me").status_code == 503
    assert client.get("/api/v1/me").status_code == 200
