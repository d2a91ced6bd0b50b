"""Reporting forms: forms due, entry with its checks, lock and reopening, completeness, and
who may use them (secretariat, the organisation's admin, another organisation's admin, a
site worker, a member, anonymous)."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.campaigns.tests.conftest import org_admin
from hrnet.core.models import AuditEntry
from hrnet.evidence.models import AGGREGATED_SOURCE, DataValue, FormSubmission
from hrnet.evidence.selectors.reporting import deadline_of, last_month, month_add, months_between
from hrnet.evidence.services.reporting import reporting_form_default_create
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.evidence.views import reporting as reporting_views
from hrnet.members.tests.factories import country
from hrnet.outreach.models import SiteStaff
from hrnet.outreach.tests.factories import SiteFactory, SiteStaffFactory

pytestmark = pytest.mark.usefixtures("catalogue")
LAST = last_month()
OLD = month_add(LAST, -6)  # past any deadline below


@dataclass
class World:
    form: Any
    site: Any
    people: dict[str, Any]


@pytest.fixture
def world(catalogue) -> World:
    form = reporting_form_default_create()
    form.first_period = month_add(LAST, -8)
    form.deadline_days = 60  # last month is never locked, six months ago always
    form.save()
    admin = org_admin()
    site = SiteFactory.create(organisation=admin.organisation, country=country("MD"))
    worker = SiteStaffFactory.create(site=site, role=SiteStaff.Role.WORKER).user
    return World(
        form=form,
        site=site,
        people={
            "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
            "orgadmin": admin,
            "other_orgadmin": org_admin(),
            "worker": worker,
            "member": UserFactory.create(roles=[Role.MEMBER]),
            "anonymous": AnonymousUser(),
        },
    )


def client_for(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def entry_url(world, period=LAST):
    return reverse("evidence:reporting_entry", args=[world.form.code, world.site.pk, period])


VALID = {"NS_DISTRIBUTED": "1 200", "PWID_REACHED": "80", "NALOXONE_KITS__unknown": "on"}


@pytest.mark.parametrize(
    ("who", "due", "entry"),
    [
        ("secretariat", 200, 200),
        ("orgadmin", 200, 200),
        ("other_orgadmin", 403, 403),
        ("worker", 200, 200),
        ("member", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_who_may_open_the_reporting_pages(world, who, due, entry):
    client = client_for(world.people[who])
    assert client.get(reverse("evidence:reporting_due")).status_code == due
    assert client.get(entry_url(world)).status_code == entry


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretariat", 200), ("orgadmin", 403), ("worker", 403), ("anonymous", 302)],
)
def test_completeness_is_the_secretariats(world, who, status):
    response = client_for(world.people[who]).get(reverse("evidence:reporting_completeness"))
    assert response.status_code == status


def test_forms_due_shows_each_month_with_its_status(world):
    client = client_for(world.people["worker"])
    client.post(entry_url(world), {**VALID, "submit": "1"})

    page = client.get(reverse("evidence:reporting_due")).content.decode()

    assert "Submitted" in page
    assert "Locked" in page
    assert "overdue" in page  # the old months nobody reported


def test_a_worker_submits_the_months_values(world):
    client = client_for(world.people["worker"])

    response = client.post(entry_url(world), {**VALID, "submit": "1"})

    assert response.status_code == 302
    values = {
        v.indicator.code: v.value
        for v in DataValue.objects.filter(site=world.site, period=LAST, source=world.form.source)
    }
    assert values == {
        "NS_DISTRIBUTED": Decimal(1200),
        "PWID_REACHED": Decimal(80),
        "NALOXONE_KITS": None,
    }
    submission = FormSubmission.objects.get(form=world.form, site=world.site, period=LAST)
    assert submission.status == FormSubmission.Status.SUBMITTED
    assert submission.submitted_by == world.people["worker"]
    assert AuditEntry.objects.filter(action="evidence.form.submit").exists()
    # rolled up into the country's month
    assert DataValue.objects.get(
        indicator__code="NS_DISTRIBUTED", site=None, period=LAST, source=AGGREGATED_SOURCE
    ).value == Decimal(1200)


def test_errors_keep_what_was_typed(world):
    client = client_for(world.people["worker"])

    response = client.post(
        entry_url(world), {"PWID_REACHED": "-3", "CONDOMS_DISTRIBUTED": "abc", "submit": "1"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "abc is not a number" in page
    assert 'value="abc"' in page
    assert not DataValue.objects.filter(site=world.site).exists()

    response = client.post(entry_url(world), {"PWID_REACHED": "-3", "submit": "1"})
    page = response.content.decode()
    assert "cannot be negative: -3." in page
    assert 'value="-3"' in page


def test_a_draft_may_leave_required_fields_empty(world):
    client = client_for(world.people["worker"])
    response = client.post(entry_url(world), {"PWID_REACHED": "10", "draft": "1"})
    assert response.status_code == 302
    submission = FormSubmission.objects.get(form=world.form, site=world.site, period=LAST)
    assert submission.status == FormSubmission.Status.DRAFT


def test_an_outlier_is_a_warning_the_user_confirms(world, catalogue):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue["NS_DISTRIBUTED"],
                country=world.site.country,
                site=world.site,
                period=month_add(LAST, -offset),
                period_kind="month",
                source=world.form.source,
                value=Decimal(100),
            )
            for offset in (1, 2, 3)
        ],
        actor=None,
    )
    client = client_for(world.people["worker"])
    data = {"NS_DISTRIBUTED": "1000", "PWID_REACHED": "80", "submit": "1"}

    warned = client.post(entry_url(world), data)

    assert warned.status_code == 400
    assert "far from the median 100" in warned.content.decode()
    assert not DataValue.objects.filter(site=world.site, period=LAST).exists()
    confirmed = client.post(entry_url(world), {**data, "confirm_outliers": "on"})
    assert confirmed.status_code == 302
    assert DataValue.objects.get(
        site=world.site, period=LAST, indicator__code="NS_DISTRIBUTED", source=world.form.source
    ).value == Decimal(1000)


def test_a_locked_month_is_read_only_until_the_secretariat_reopens_it(world):
    worker = client_for(world.people["worker"])
    page = worker.get(entry_url(world, OLD)).content.decode()
    assert "This form is locked" in page
    assert worker.post(entry_url(world, OLD), {**VALID, "submit": "1"}).status_code == 403

    secretariat = client_for(world.people["secretariat"])
    reopen = reverse("evidence:reporting_reopen", args=[world.form.code, world.site.pk, OLD])
    assert worker.post(reopen, {"until": "2999-01-01"}).status_code == 403
    assert secretariat.post(reopen, {"until": "2999-01-01"}).status_code == 302
    assert AuditEntry.objects.filter(action="evidence.form.reopen").exists()

    assert worker.post(entry_url(world, OLD), {**VALID, "submit": "1"}).status_code == 302


def test_completeness_counts_submitted_sites_per_month(world):
    SiteFactory.create(organisation=world.site.organisation, country=country("MD"))
    client_for(world.people["worker"]).post(entry_url(world), {**VALID, "submit": "1"})

    page = (
        client_for(world.people["secretariat"])
        .get(reverse("evidence:reporting_completeness"))
        .content.decode()
    )

    assert f"{LAST}: 1 of 2 sites submitted (50%)" in page


# The forms-due page as the start page's queues: `?overdue=1` (past the deadline and not
# submitted) and `?waiting=1` (still open and not submitted), the oldest first, paged.


def _periods(response: Any) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="[^"]+">(\d{4}-\d{2})</a></th>', response.content.decode()
    )


def _months(world: Any) -> list[str]:
    return months_between(world.form.first_period, LAST)


def _overdue_months(world: Any) -> list[str]:
    today = timezone.localdate()
    return [period for period in _months(world) if deadline_of(world.form, period) < today]


def _submitted(world: Any, period: str) -> None:
    FormSubmission.objects.create(
        form=world.form, site=world.site, period=period, status=FormSubmission.Status.SUBMITTED
    )


def test_all_forms_show_the_newest_month_first(world):
    response = client_for(world.people["worker"]).get(reverse("evidence:reporting_due"))

    assert _periods(response) == list(reversed(_months(world)))


def test_overdue_forms_are_the_unsubmitted_past_their_deadline_oldest_first(world):
    _submitted(world, OLD)
    expected = [period for period in _overdue_months(world) if period != OLD]

    response = client_for(world.people["orgadmin"]).get(
        reverse("evidence:reporting_due"), {"overdue": "1"}
    )

    assert expected  # the world has months long past their deadline
    assert _periods(response) == expected
    assert LAST not in _periods(response)


def test_forms_to_fill_in_are_those_still_open_oldest_first(world):
    _submitted(world, LAST)
    overdue = set(_overdue_months(world))
    expected = [p for p in _months(world) if p not in overdue and p != LAST]

    response = client_for(world.people["worker"]).get(
        reverse("evidence:reporting_due"), {"waiting": "1"}
    )

    assert _periods(response) == expected


def test_the_overdue_queue_pages_and_keeps_its_filter(world, monkeypatch):
    monkeypatch.setattr(reporting_views, "DUE_PAGE_SIZE", 2)
    expected = _overdue_months(world)
    client = client_for(world.people["secretariat"])
    url = reverse("evidence:reporting_due")

    first = client.get(url, {"overdue": "1"})
    second = client.get(url, {"overdue": "1", "page": "2"})

    assert _periods(first) == expected[:2]
    assert "overdue=1&amp;page=2" in first.content.decode()
    assert _periods(second) == expected[2:4]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("orgadmin", 200),
        ("other_orgadmin", 403),
        ("worker", 200),
        ("member", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_overdue_queue(world, who, status):
    response = client_for(world.people[who]).get(
        reverse("evidence:reporting_due"), {"overdue": "1"}
    )
    assert response.status_code == status
