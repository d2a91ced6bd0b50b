"""Who hears that contacts changed. Apps that build on contacts register a listener in their
AppConfig.ready() (the evidence module recomputes its site values from them); outreach
calls `contacts_changed` once contacts are recorded, merged or generated. Explicit hooks,
not signals, like the trash's listeners.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from hrnet.core.types import Actor


class ContactsListener(Protocol):
    def __call__(
        self, *, site_ids: list[int], months: set[str] | None, actor: Actor | None
    ) -> int: ...


_listeners: list[ContactsListener] = []


def contacts_listener_add(listener: ContactsListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def contacts_changed(
    *, site_ids: Iterable[int], months: set[str] | None = None, actor: Actor | None = None
) -> int:
    """Tell the listeners that the contacts of `site_ids` changed in `months` ("2025-01";
    None: any month). Returns what they wrote (the evidence values recomputed)."""
    ids = sorted(set(site_ids))
    if not ids:
        return 0
    return sum(listener(site_ids=ids, months=months, actor=actor) for listener in _listeners)
