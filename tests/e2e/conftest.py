"""Browser journeys in a real Chromium (Debian's package) driven by Playwright.

Skipped with a reason when Chromium is not installed; CI sets HRNET_REQUIRE_BROWSER=1 so
a missing browser fails instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("HRNET_CHROMIUM", "/usr/bin/chromium")


def _browser_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not _browser_available():
        if os.environ.get("HRNET_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} and HRNET_REQUIRE_BROWSER is set")
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium to run")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _allow_database_calls_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
    # the test's own database calls made between browser steps.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # A small phone: the pages must work from 360 px.
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
