"""core.throttle: one atomic counter per key and window, keys kept as keyed hashes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import close_old_connections, connection, transaction

from hrnet.core.models import ThrottleWindow
from hrnet.core.throttle import (
    address_key,
    key_hash,
    throttle_hit,
    throttle_purge,
    throttle_serial,
)

HOUR = timedelta(hours=1)
NOON = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def hit(key="198.51.100.7", *, limit=3, now=NOON, scope="test.form"):
    return throttle_hit(scope=scope, key=key, limit=limit, window=HOUR, now=now)


@pytest.mark.django_db
def test_the_limit_lets_that_many_through_then_refuses():
    assert [hit() for _ in range(5)] == [True, True, True, False, False]
    # A refused hit is not counted.
    assert ThrottleWindow.objects.get().count == 3


@pytest.mark.django_db
def test_keys_and_scopes_are_counted_apart():
    for _ in range(3):
        hit()
    assert hit("198.51.100.8")
    assert hit(scope="test.other")
    assert not hit()


@pytest.mark.django_db
def test_no_address_or_email_is_stored():
    hit("198.51.100.7")
    hit("ana@example.org", scope="test.mail")

    stored = " ".join(" ".join(map(str, row)) for row in ThrottleWindow.objects.values_list())
    assert "198.51.100.7" not in stored
    assert "ana@example.org" not in stored
    assert ThrottleWindow.objects.filter(
        key_hash=key_hash(scope="test.form", key="198.51.100.7")
    ).exists()
    assert key_hash(scope="a", key="x") != key_hash(scope="b", key="x")


@pytest.mark.django_db
def test_an_unknown_key_is_never_refused():
    assert all(throttle_hit(scope="t", key=None, limit=0, window=HOUR) for _ in range(3))
    assert not ThrottleWindow.objects.exists()


@pytest.mark.django_db
def test_a_limit_of_zero_refuses_everything():
    assert not hit(limit=0)


@pytest.mark.django_db
def test_the_window_before_weighs_by_what_is_left_of_it():
    for _ in range(3):
        hit(now=NOON + timedelta(minutes=59))
    # Just after the window's end, the full hour before still counts.
    assert not hit(now=NOON + HOUR + timedelta(seconds=1))
    # Half-way through, half of it does (ceil(3 * 0.5) = 2, so one more).
    assert hit(now=NOON + HOUR + timedelta(minutes=30))
    assert not hit(now=NOON + HOUR + timedelta(minutes=31))
    # Two windows on, it no longer counts (only the one hit of the window before does).
    assert [hit(now=NOON + 2 * HOUR + timedelta(minutes=1)) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert [hit(now=NOON + 4 * HOUR) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]


@pytest.mark.django_db
def test_a_rolled_back_transaction_takes_its_hit_back():
    for _ in range(2):
        with transaction.atomic():
            assert hit(limit=1)
            transaction.set_rollback(True)
    assert hit(limit=1)
    assert not hit(limit=1)


@pytest.mark.django_db
def test_purge_forgets_windows_that_no_longer_count():
    hit(now=NOON)
    hit(now=NOON + HOUR)

    assert throttle_purge(now=NOON + 2 * HOUR + timedelta(seconds=1)) == 1
    assert list(ThrottleWindow.objects.values_list("window_start", flat=True)) == [NOON + HOUR]


@pytest.mark.django_db
def test_serial_runs_the_block_in_a_transaction_with_a_lock_row_per_key():
    with throttle_serial(scope="test.login", keys=["ana@example.org", None, "10.0.0.1"]):
        assert connection.in_atomic_block
    assert ThrottleWindow.objects.filter(scope="test.login", count=0).count() == 2
    with throttle_serial(scope="test.login", keys=["ana@example.org"]):
        pass
    assert ThrottleWindow.objects.filter(scope="test.login").count() == 2


def test_the_address_key_is_the_client_address(rf):
    assert address_key(rf.get("/", REMOTE_ADDR="203.0.113.5")) == "203.0.113.5"
    assert address_key(None) is None


# --- twenty at once, on PostgreSQL -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_hits_against_a_limit_of_five_let_exactly_five_through():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Parallel writers need PostgreSQL; SQLite serialises every write transaction "
            "anyway (run with DATABASE_URL=postgres://...)"
        )
    attempts = 20
    barrier = threading.Barrier(attempts)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            barrier.wait()
            # Each in its own transaction, as a request's service would be.
            with transaction.atomic():
                outcomes.append(
                    throttle_hit(scope="test.flood", key="198.51.100.7", limit=5, window=HOUR)
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert sorted(outcomes) == [False] * 15 + [True] * 5
    assert ThrottleWindow.objects.get(scope="test.flood").count == 5
