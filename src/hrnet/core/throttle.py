"""The one throttle: "at most `limit` times per `window` for this key", decided atomically.

Forms open to anyone (membership applications, campaign sign-ons, the contact form, the
rights intake) and password-reset emails call `throttle_hit` where they act:

    if not throttle_hit(scope="network.contact", key=address_key(request), limit=5,
                        window=timedelta(hours=1)):
        raise ValidationError(...)

Each hit is one `INSERT ... ON CONFLICT ... DO UPDATE SET count = count + 1 WHERE count <
allowance RETURNING count` on a `ThrottleWindow` row (PostgreSQL, SQLite >= 3.35): parallel
requests cannot all read "4 of 5" and all go through, and a refused hit is not counted.
Called inside the transaction that does the throttled write, a hit is taken back when that
transaction rolls back (a form error, say), so only completed actions count; the row stays
locked until the commit, so parallel requests for one key queue.

Windows are fixed (aligned on the epoch) and the window before still weighs on the current
one in proportion to what is left of it, so a burst across a window's end does not get
twice the limit ("sliding window counter").

Keys are kept as an HMAC of the key under SECRET_KEY: the table holds no network address
and no email. `throttle_purge` forgets windows that no longer count (housekeeping).

Sign-in decides on its own failure records (`accounts.LoginFailure`: how long to wait is
measured from them); `throttle_serial` makes its check-then-record one request at a time.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from hrnet.core.audit import client_ip
from hrnet.core.models import ThrottleWindow

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The window start of `throttle_serial`'s lock rows (they count nothing).
SERIAL_START = EPOCH
SERIAL_KEEP = timedelta(days=1)

_UPSERT = """
INSERT INTO {table} (scope, key_hash, window_start, count, expires_at)
VALUES (%s, %s, %s, 1, %s)
ON CONFLICT (scope, key_hash, window_start)
DO UPDATE SET count = {table}.count + 1
WHERE {table}.count < %s
RETURNING count
"""

_LOCK = """
INSERT INTO {table} (scope, key_hash, window_start, count, expires_at)
VALUES (%s, %s, %s, 0, %s)
ON CONFLICT (scope, key_hash, window_start)
DO UPDATE SET expires_at = excluded.expires_at
"""


def address_key(request: HttpRequest | None) -> str | None:
    """The throttle key of a request's client: its network address (None when unknown)."""
    return client_ip(request)


def key_hash(*, scope: str, key: str) -> str:
    """The keyed hash a key is kept as (per scope, so rows of two scopes cannot be linked)."""
    message = f"{scope}\x00{key}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    elapsed = int((now - EPOCH).total_seconds())
    return EPOCH + timedelta(seconds=elapsed - elapsed % seconds)


def _table() -> str:
    return connection.ops.quote_name(ThrottleWindow._meta.db_table)


def throttle_hit(
    *,
    scope: str,
    key: str | None,
    limit: int,
    window: timedelta,
    now: datetime | None = None,
) -> bool:
    """Count one hit for `key` in `scope`; True if it is within `limit` per `window`.

    A refused hit is not counted. A None key (e.g. an unknown address) is never refused.
    """
    if key is None:
        return True
    if window.total_seconds() < 1:
        raise ValueError("A throttle window is at least one second.")
    now = now or timezone.now()
    start = _window_start(now, window)
    hashed = key_hash(scope=scope, key=key)
    previous = (
        ThrottleWindow.objects.filter(scope=scope, key_hash=hashed, window_start=start - window)
        .values_list("count", flat=True)
        .first()
    ) or 0
    left_of_previous = 1 - (now - start) / window
    allowance = limit - math.ceil(previous * left_of_previous)
    if allowance < 1:
        return False
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT.format(table=_table()),
            [scope, hashed, adapt(start), adapt(start + 2 * window), allowance],
        )
        return cursor.fetchone() is not None


@contextmanager
def throttle_serial(*, scope: str, keys: Iterable[str | None]) -> Iterator[None]:
    """Run the block in a transaction holding a lock per key of `scope`, so that a
    check-then-record throttle (count the failures, try, record a failure) for one key
    runs one request at a time."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    hashes = sorted({key_hash(scope=scope, key=key) for key in keys if key})  # one order
    with transaction.atomic():
        with connection.cursor() as cursor:
            for hashed in hashes:
                cursor.execute(
                    _LOCK.format(table=_table()),
                    [scope, hashed, adapt(SERIAL_START), adapt(now + SERIAL_KEEP)],
                )
        yield


def throttle_purge(*, now: datetime | None = None) -> int:
    """Forget the windows that no longer count; returns how many rows went."""
    deleted, _by_model = ThrottleWindow.objects.filter(
        expires_at__lt=now or timezone.now()
    ).delete()
    return deleted
