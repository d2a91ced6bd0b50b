"""`hrnet demo --port N`: links in emails and certificates (HRNET_SITE_URL) use port N."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command as real_call_command

from hrnet.core.links import site_url
from hrnet.portal.demo import demo_site_url
from hrnet.portal.management.commands import demo as demo_command


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8123"),
        ("http://localhost:8000/", "http://localhost:8123/"),
        ("http://127.0.0.1", "http://127.0.0.1:8123"),
        ("http://[::1]:8000", "http://[::1]:8123"),
        ("https://hrnet.example.org", "https://hrnet.example.org"),  # a real address stays
    ],
)
def test_the_site_address_takes_the_demo_port(configured, expected):
    assert demo_site_url(configured, 8123) == expected


def test_demo_on_another_port_links_to_that_port(transactional_db, settings, monkeypatch):
    settings.DEBUG = True
    settings.HRNET_SITE_URL = "http://127.0.0.1:8000"
    served: dict[str, Any] = {}

    def call_command(name: str, *args: Any, **kwargs: Any) -> None:
        if name == "runserver":  # what the running demo would write in a link
            served["address"] = args[0]
            served["link"] = site_url("/en/events/certificates/ABCD-EFGH/")
            served["setting"] = django_settings.HRNET_SITE_URL
            return
        real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo_command, "call_command", call_command)
    stdout = io.StringIO()

    real_call_command("demo", "--port", "8123", stdout=stdout)

    assert served == {
        "address": "127.0.0.1:8123",
        "link": "http://127.0.0.1:8123/en/events/certificates/ABCD-EFGH/",
        "setting": "http://127.0.0.1:8123",
    }
    sent = "\n".join(str(m.body) for m in mail.outbox)
    assert "127.0.0.1:8000" not in sent
    assert django_settings.HRNET_SITE_URL == "http://127.0.0.1:8000"  # back after the demo
