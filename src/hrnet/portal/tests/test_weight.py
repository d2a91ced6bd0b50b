"""What a page weighs on the wire: pages and static files reach browsers that accept it
compressed (bench/weight_bench.py measures the bytes in Chromium)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_a_page_is_sent_gzip_compressed_to_a_browser_that_accepts_it(geography: None) -> None:
    client = Client()

    compressed = client.get(reverse("core:home"), headers={"accept-encoding": "gzip, br"})
    plain = client.get(reverse("core:home"))

    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content).decode()
    assert "<h1" in html
    assert len(compressed.content) < len(plain.content) / 2
    assert not plain.has_header("Content-Encoding")


@pytest.mark.slow
@pytest.mark.django_db
def test_collected_static_files_are_served_compressed(settings: Any, tmp_path: Path) -> None:
    # given: static files collected as production collects them (hashed, with .gz copies)
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
    css = manifest["paths"]["hrnet/css/hrnet.css"]

    # when: a new client, so WhiteNoise reads the collected files
    response = Client().get(f"/static/{css}", headers={"accept-encoding": "gzip"})

    # then
    assert response.status_code == 200
    assert response["Content-Encoding"] in ("gzip", "br")
    assert "immutable" in response["Cache-Control"]  # hashed names are cached for good
