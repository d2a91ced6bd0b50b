"""What other apps do when an account is created: they register a hook in their
`AppConfig.ready()` (members links the register's record of the same person), so accounts
imports none of them."""

from __future__ import annotations

from collections.abc import Callable

from hrnet.accounts.models import User

AccountCreatedHook = Callable[..., None]  # called as hook(user=user)

_account_created: list[AccountCreatedHook] = []


def register_account_created(hook: AccountCreatedHook) -> AccountCreatedHook:
    """Call `hook(user=...)` inside the transaction that creates an account."""
    if hook not in _account_created:
        _account_created.append(hook)
    return hook


def account_created(*, user: User) -> None:
    for hook in _account_created:
        hook(user=user)
