"""Every operation of the API, called through the WSGI application with inputs schemathesis
generates from the OpenAPI document (valid and invalid ones), anonymously and with the
secretariat's token: the answer is never a server error (5xx).

Bounded: HRNET_FUZZ_EXAMPLES examples per operation and caller (default 8) from a fixed
seed, so a run is repeatable; set HRNET_FUZZ_RANDOM=1 (and more examples) to explore. One
test per operation and caller, so pytest-xdist spreads them. The application runs in this
process on the test database connection, so every write is rolled back with the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, strategies
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from hrnet.accounts.services import api_token_create
from hrnet.portal.api import api

EXAMPLES = int(os.environ.get("HRNET_FUZZ_EXAMPLES", "8"))
RANDOM = os.environ.get("HRNET_FUZZ_RANDOM", "") == "1"

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
# An operation the document describes wrongly fails the whole module here, loudly.
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]  # type: ignore[union-attr]
APP = WSGIHandler()


@pytest.fixture
def _in_process_app(settings: Any) -> Iterator[None]:
    # As Django's test client does: the handler must not close the test's connection
    # (which holds the transaction every write is rolled back with) between requests.
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    cache.clear()  # throttles start afresh for each operation
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _strategy(operation: Any) -> Any:
    """Valid inputs and, where the operation has something to get wrong, invalid ones."""
    strategy = operation.as_strategy(GenerationMode.POSITIVE)
    if operation.body or any(True for _ in operation.iter_parameters()):
        strategy = strategies.one_of(strategy, operation.as_strategy(GenerationMode.NEGATIVE))
    return strategy


@pytest.mark.usefixtures("_in_process_app", "geography")
@pytest.mark.parametrize("caller", ["anonymous", "secretariat"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_input_gives_a_server_error(operation: Any, caller: str, secretariat: Any) -> None:
    headers: dict[str, str] = {}
    if caller == "secretariat":
        _token, key = api_token_create(user=secretariat, name="fuzz")
        headers["Authorization"] = f"Bearer {key}"

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation))
    def call(case: Any) -> None:
        case.call_and_validate(app=APP, headers=headers, checks=[not_a_server_error])

    call()
