"""The demo technical assistance: every status, on the real demo register; run twice,
nothing doubles."""

from __future__ import annotations

import pytest

from hrnet.accounts.roles import Role
from hrnet.assistance.demo import REQUESTS, assistance_demo_create
from hrnet.assistance.models import AssistanceRequest, Deliverable, Expert, WorkLogEntry
from hrnet.core.demo import demo_email, demo_users_create
from hrnet.core.reference import issue_areas_load
from hrnet.members.demo import members_demo_logins_create


@pytest.mark.django_db
def test_the_demo_has_every_status_and_doubles_nothing(settings, geography, client):
    settings.DEBUG = True
    issue_areas_load()
    demo_users_create()
    members_demo_logins_create()
    assistance_demo_create()
    counts = (
        AssistanceRequest.objects.count(),
        Expert.objects.count(),
        WorkLogEntry.objects.count(),
        Deliverable.objects.count(),
    )
    assistance_demo_create()  # idempotent
    assert (
        AssistanceRequest.objects.count(),
        Expert.objects.count(),
        WorkLogEntry.objects.count(),
        Deliverable.objects.count(),
    ) == counts
    assert counts[0] == len(REQUESTS)
    assert set(AssistanceRequest.objects.values_list("status", flat=True)) == set(
        AssistanceRequest.Status.values
    )
    assert AssistanceRequest.objects.values("country").distinct().count() >= 5
    # the demo orgadmin sees their organisation's requests
    orgadmin = AssistanceRequest.objects.filter(filed_by__email=demo_email(Role.ORGADMIN))
    assert orgadmin.count() >= 3
    expert = Expert.objects.get(user__email=demo_email(Role.EXPERT))
    assert expert.requests.exists()
    # only the demo logins may sign in
    others = Expert.objects.exclude(user__email=demo_email(Role.EXPERT))
    assert others.count() >= 4
    assert not any(e.user.has_usable_password() for e in others)
    declined = AssistanceRequest.objects.get(status="declined")
    assert declined.decline_reason
    for finished in AssistanceRequest.objects.filter(status__in=["delivered", "closed"]):
        assert finished.deliverables.exists()
        assert finished.work_log.exists()
        assert finished.delivered_at is not None
        assert finished.delivered_at > finished.created_at
    assert AssistanceRequest.objects.filter(rating__isnull=False).count() >= 2
    assert Deliverable.objects.exclude(file="").exists()
    for status in ("closed", "in_progress"):
        request = AssistanceRequest.objects.filter(status=status).first()
        assert request is not None
        client.force_login(request.filed_by)
        assert client.get(f"/ru/assistance/{request.pk}/").status_code == 200
