"""Machine translation through a LibreTranslate server: off by default, cached per post and
language until the post changes, sanitised, and a clear message when the server fails.
The server is a small local HTTP server started by the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hrnet.discussions.models import PostTranslation
from hrnet.discussions.services import posting
from hrnet.discussions.services.translation import post_translate, translation_enabled
from hrnet.discussions.tests.factories import members_category, opening_post, thread_with_posts

pytestmark = pytest.mark.django_db


class FakeLibreTranslate:
    """Answers POST /translate as LibreTranslate does, and records what it was sent."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        recorded = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                recorded.requests.append({"path": self.path, **body})
                if recorded.status != 200:
                    answer: dict[str, Any] = {"error": "Invalid API key"}
                else:
                    answer = {
                        "translatedText": "<p>Перевод: "
                        + body["q"]
                        + '<script>alert("x")</script></p>'
                    }
                data = json.dumps(answer).encode()
                self.send_response(recorded.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep the test output quiet

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLibreTranslate:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server(settings: Any) -> Iterator[FakeLibreTranslate]:
    with FakeLibreTranslate() as fake:
        settings.HRNET_TRANSLATE_URL = fake.url + "/"
        settings.HRNET_TRANSLATE_API_KEY = "demo-key"
        yield fake


@pytest.fixture
def post(member: Any) -> Any:
    thread = thread_with_posts(
        author=member,
        category=members_category(),
        body="Who else is **running out** of naloxone?",
        language="en",
    )
    return opening_post(thread)


def test_translation_is_off_by_default(member: Any, post: Any) -> None:
    assert not translation_enabled()
    with pytest.raises(ValidationError) as refused:
        post_translate(actor=member, post=post, language="ru")
    assert "not available" in refused.value.messages[0]
    assert not PostTranslation.objects.exists()


def test_a_post_is_translated_sanitised_and_kept(
    server: FakeLibreTranslate, member: Any, post: Any
) -> None:
    assert translation_enabled()
    # when
    result = post_translate(actor=member, post=post, language="ru")
    again = post_translate(actor=member, post=post, language="ru")
    # then: one request, as LibreTranslate expects it
    [sent] = server.requests
    assert sent["path"] == "/translate"
    assert sent["source"] == "en"
    assert sent["target"] == "ru"
    assert sent["format"] == "html"
    assert sent["api_key"] == "demo-key"
    assert "<strong>running out</strong>" in sent["q"]
    # The server is not trusted: its script never reaches a page.
    assert "Перевод:" in result.body_html
    assert "<strong>running out</strong>" in result.body_html
    assert "<script" not in result.body_html
    assert "alert" not in result.body_html
    assert again.pk == result.pk
    assert PostTranslation.objects.count() == 1


def test_an_edit_makes_the_kept_translation_stale(
    server: FakeLibreTranslate, member: Any, post: Any
) -> None:
    post_translate(actor=member, post=post, language="ru")
    posting.post_edit(actor=member, post=post, body="Who has naloxone to share?")
    post.refresh_from_db()
    # when
    result = post_translate(actor=member, post=post, language="ru")
    # then
    assert len(server.requests) == 2
    assert "naloxone to share" in result.body_html
    assert result.source_body == "Who has naloxone to share?"
    assert PostTranslation.objects.count() == 1


def test_a_server_that_is_down_or_refuses_gives_a_clear_message(
    settings: Any, member: Any, post: Any
) -> None:
    # given: a server that answers an error, then none at all
    with FakeLibreTranslate() as fake:
        fake.status = 403
        settings.HRNET_TRANSLATE_URL = fake.url
        with pytest.raises(ValidationError):
            post_translate(actor=member, post=post, language="ru")
        url = fake.url
    settings.HRNET_TRANSLATE_URL = url  # nobody listens there any more
    # when
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        post_translate(actor=member, post=post, language="ru")
    # then
    assert "Сервис перевода не ответил" in refused.value.messages[0]
    assert not PostTranslation.objects.exists()


def test_only_a_reader_of_the_post_may_translate_it(
    server: FakeLibreTranslate, make_user: Any, member: Any, post: Any
) -> None:
    with pytest.raises(PermissionDenied):
        post_translate(actor=AnonymousUser(), post=post, language="ru")
    with pytest.raises(ValidationError):
        post_translate(actor=member, post=post, language="en")  # already English
    with pytest.raises(ValidationError):
        post_translate(actor=member, post=post, language="xx")
    assert not server.requests
