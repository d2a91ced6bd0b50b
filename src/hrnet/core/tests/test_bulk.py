"""core.bulk: a savepoint per row, failures named by row, the rest kept."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from hrnet.core.bulk import BulkFailure, BulkResult, bulk_apply, bulk_report, selected_ids
from hrnet.core.models import AuditEntry


def _write(n: int) -> None:
    AuditEntry.objects.create(action="core.test.bulk", object_repr=str(n))
    if n == 2:
        raise ValidationError("two is odd here")
    if n == 3:
        raise PermissionDenied


@pytest.mark.django_db
def test_a_failing_row_is_named_and_rolled_back_and_the_others_are_kept():
    result = bulk_apply([1, 2, 3, 4], _write, label=lambda n: f"row {n}")

    assert result.done == [1, 4]
    assert [(f.label, f.reason) for f in result.failed] == [
        ("row 2", "two is odd here"),
        ("row 3", "You may not do this."),
    ]
    written = AuditEntry.objects.filter(action="core.test.bulk")
    assert sorted(written.values_list("object_repr", flat=True)) == ["1", "4"]


def test_other_errors_are_not_swallowed():
    def boom(_: int) -> None:
        raise RuntimeError

    with pytest.raises(RuntimeError):
        bulk_apply([1], boom, label=str)


def test_selected_ids_ignores_what_is_not_a_number():
    request = RequestFactory().post("/", {"selected": ["3", "x", "1", "3", ""]})
    assert selected_ids(request) == [1, 3]


def _request():
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_the_report_says_how_many_worked_and_names_the_failures():
    request = _request()
    result: BulkResult[int] = BulkResult(done=[1], failed=[BulkFailure("#2", "no")])

    bulk_report(request, result, done=lambda count: f"{count} done")

    texts = [str(m) for m in get_messages(request)]
    assert texts == ["1 done", "1 row was not changed: #2: no"]


def test_an_empty_selection_asks_to_select_rows():
    request = _request()
    bulk_report(request, BulkResult(), done=lambda count: f"{count} done")
    assert [str(m) for m in get_messages(request)] == ["Select at least one row first."]
