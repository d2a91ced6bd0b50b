"""Bulk actions on queue pages: one service call per selected row, each in its own
savepoint, so a row that fails is named and rolled back while the others are kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Row = TypeVar("Row")


@dataclass(frozen=True)
class BulkFailure:
    label: str
    reason: str


@dataclass
class BulkResult(Generic[Row]):
    done: list[Row] = field(default_factory=list)
    failed: list[BulkFailure] = field(default_factory=list)


def selected_ids(request: HttpRequest, name: str = "selected") -> list[int]:
    """The row ids ticked on a queue page (anything that is not a number is ignored)."""
    return sorted({int(value) for value in request.POST.getlist(name) if value.isdigit()})


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return _("You may not do this.")


def bulk_apply(
    rows: Iterable[Row], action: Callable[[Row], object], *, label: Callable[[Row], str]
) -> BulkResult[Row]:
    """Run `action` on each row in a savepoint of its own. A `ValidationError` or
    `PermissionDenied` rolls that row back and is recorded under `label(row)`; other
    errors are bugs and end the whole request."""
    result: BulkResult[Row] = BulkResult()
    for row in rows:
        try:
            with transaction.atomic():
                action(row)
        except (ValidationError, PermissionDenied) as error:
            result.failed.append(BulkFailure(label(row), _reason(error)))
        else:
            result.done.append(row)
    return result


def bulk_report(request: HttpRequest, result: BulkResult, *, done: Callable[[int], str]) -> None:
    """Tell the person what happened: `done(count)` for the rows that worked (a translated
    ngettext), and one line naming each row that did not, with its reason."""
    if not result.done and not result.failed:
        messages.warning(request, _("Select at least one row first."))
        return
    if result.done:
        messages.success(request, done(len(result.done)))
    if result.failed:
        lines = "; ".join(f"{failure.label}: {failure.reason}" for failure in result.failed)
        messages.error(
            request,
            ngettext(
                "%(count)s row was not changed: %(rows)s",
                "%(count)s rows were not changed: %(rows)s",
                len(result.failed),
            )
            % {"count": len(result.failed), "rows": lines},
        )
