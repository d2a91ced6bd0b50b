"""Request bodies over the limit are refused with 413 before anything reads them (the
anonymous limit is smaller), and an API address holding a NUL character answers 400."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    def readline(self, size: int | None = -1) -> bytes:
        raise AssertionError("the body was read")


def _post_claiming(client: Client, path: str, megabytes: int, **headers: str) -> Any:
    """A POST whose Content-Length says `megabytes`, with a body that must not be read."""
    environ: dict[str, Any] = {
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(megabytes * MB),
        "wsgi.input": UnreadableBody(),
        **headers,
    }
    return client.generic("POST", path, **environ)


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.HRNET_ANONYMOUS_MAX_REQUEST_MB = 10
    settings.HRNET_MAX_REQUEST_MB = 100


def test_an_anonymous_100_mb_post_to_a_public_form_is_refused_unread(client: Client) -> None:
    response = _post_claiming(client, "/en/rights/report/", 100)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "Too large to send" in response.content.decode()


def test_the_413_page_speaks_the_language_of_the_address(client: Client) -> None:
    response = _post_claiming(client, "/ru/rights/report/", 11)
    assert response.status_code == 413
    assert "Too large to send" not in response.content.decode()
    assert 'lang="ru"' in response.content.decode()


def test_the_api_answers_413_in_json(client: Client) -> None:
    response = _post_claiming(client, "/api/v1/applications", 11)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert body["limit"] == 10 * MB
    assert "10.0" in body["detail"]


def test_a_caller_with_a_token_may_send_more_than_an_anonymous_one(client: Client) -> None:
    # 11 MB is over the anonymous limit only: the request reaches the API, which refuses
    # the made-up token (and never reads the body).
    response = _post_claiming(client, "/api/v1/evidence/imports", 11, HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 401


def test_a_session_cookie_counts_as_signed_in(client: Client) -> None:
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "whatever"
    response = _post_claiming(client, "/api/v1/evidence/imports", 11)
    assert response.status_code != 413


def test_nobody_may_send_more_than_the_overall_limit(client: Client) -> None:
    response = _post_claiming(
        client, "/api/v1/evidence/imports", 101, HTTP_AUTHORIZATION="Bearer x"
    )
    assert response.status_code == 413
    assert response.json()["limit"] == 100 * MB


def test_a_body_within_the_limit_is_served(client: Client) -> None:
    response = client.post("/api/v1/applications", data=b"{}", content_type="application/json")
    assert response.status_code not in (413, 500)


def test_a_nul_character_in_a_query_answers_400(client: Client) -> None:
    response = client.get("/api/v1/search?country=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    # A page drops such a value (its form refuses it) and still answers.
    assert client.get("/en/search/?q=a%00b").status_code == 200


def test_multipart_without_a_boundary_answers_400_in_words(
    client: Client, secretariat: Any
) -> None:
    client.force_login(secretariat)
    response = client.post(
        "/api/v1/evidence/imports", data=b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "boundary" in response.json()["detail"]


def test_unknown_api_addresses_answer_json_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
