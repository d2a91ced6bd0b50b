"""Saving contacts queues one recomputation per site and month, not one per contact, and
the drain gives the figures a recomputation per contact gave."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hrnet.evidence.models import DataValue
from hrnet.evidence.reference import indicators_load
from hrnet.evidence.services.outreach import SOURCE, sites_recompute
from hrnet.outreach.models import PendingMonth
from hrnet.outreach.reference import commodities_load
from hrnet.outreach.services.contacts import contact_record
from hrnet.outreach.tasks import pending_months_drain, pending_months_drain_if_waiting
from hrnet.outreach.tests.factories import ClientFactory, SiteFactory, SiteStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(geography: None) -> Any:
    indicators_load()
    commodities_load()
    return SiteFactory.create()


def _save(site: Any, worker: Any, day: datetime.date, syringes: int = 10) -> None:
    contact_record(
        actor=worker,
        contact_id=uuid.uuid4(),
        site=site,
        client=ClientFactory.create(first_site=site),
        date=day,
        setting="outreach",
        items={"syringes": syringes},
    )


def _figures(site: Any) -> set[tuple[str, str, Any]]:
    return set(
        DataValue.objects.filter(site=site, source=SOURCE).values_list(
            "indicator__code", "period", "value"
        )
    )


def test_many_contacts_of_one_site_and_month_queue_one_drain(
    site, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = SiteStaffFactory.create(site=site).user

    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1, 21):
            _save(site, worker, datetime.date(2025, 3, day))

    drains = DBTaskResult.objects.filter(task_path=pending_months_drain.module_path)
    assert drains.count() == 1
    assert list(PendingMonth.objects.values_list("month", flat=True)) == ["2025-03"]

    # another month is a new pair: one more drain
    with django_capture_on_commit_callbacks(execute=True):
        _save(site, worker, datetime.date(2025, 4, 2))
        _save(site, worker, datetime.date(2025, 4, 3))

    assert drains.count() == 2


def test_the_drain_gives_the_figures_of_a_full_recomputation(
    site, django_capture_on_commit_callbacks
):
    worker = SiteStaffFactory.create(site=site).user

    # the immediate backend of the tests runs the drain at each commit
    with django_capture_on_commit_callbacks(execute=True):
        for day, syringes in ((3, 10), (9, 5), (20, 7)):
            _save(site, worker, datetime.date(2025, 3, day), syringes)
        _save(site, worker, datetime.date(2025, 5, 1), 4)

    drained = _figures(site)
    assert {period for _code, period, _value in drained} >= {"2025-03", "2025-05"}
    assert not PendingMonth.objects.exists()

    sites_recompute(site_ids=[site.pk])

    assert _figures(site) == drained
    assert drained


def test_months_saved_while_a_drain_runs_wait_for_the_next_one(site):
    worker = SiteStaffFactory.create(site=site).user
    # given a pair taken by a drain that is running
    _save(site, worker, datetime.date(2025, 3, 3))
    PendingMonth.objects.update(taken_by="running-drain", taken_at=timezone.now())

    # when a contact of the same month is saved, it waits as a new row
    _save(site, worker, datetime.date(2025, 3, 4))

    assert PendingMonth.objects.filter(taken_by="").count() == 1
    assert PendingMonth.objects.count() == 2


def test_housekeeping_queues_a_drain_for_months_left_waiting(site, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = SiteStaffFactory.create(site=site).user
    # given a save whose drain was never queued (no commit callbacks ran)
    _save(site, worker, datetime.date(2025, 3, 3))
    assert not pending_months_drain_if_waiting()  # still fresh: its drain may be on its way

    PendingMonth.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))

    assert pending_months_drain_if_waiting()
    assert DBTaskResult.objects.filter(task_path=pending_months_drain.module_path).count() == 1
