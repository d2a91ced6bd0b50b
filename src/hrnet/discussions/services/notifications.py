"""The emails of new posts (to be written: immediate and daily summary)."""

from __future__ import annotations


def notifications_send() -> int:
    return 0
