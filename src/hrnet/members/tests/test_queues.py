"""The renewals-due and lapsed queues: what they list, their bulk reminders and exports,
and who may use them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.members.models import Membership, MembershipType, RenewalReminder
from hrnet.members.selectors import lapsed_memberships, renewals_due
from hrnet.members.services.memberships import renewal_reminders_send
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    membership_type,
)

pytestmark = pytest.mark.usefixtures("geography")


def _ending_in(days: int, *, email: str = "office@example.org", name: str = "") -> Membership:
    today = timezone.localdate()
    organisation = OrganisationFactory.create(
        email=email, **({"names": {"en": name, "ru": name}} if name else {})
    )
    return MembershipFactory.create(
        organisation=organisation,
        # Rolling 12-month terms: a renewal moves the end a year on whatever today is.
        type=membership_type(code="rolling", term=MembershipType.Term.ROLLING),
        start_date=today - timedelta(days=300),
        end_date=today + timedelta(days=days),
    )


@pytest.fixture
def queue():
    today = timezone.localdate()
    later = _ending_in(20, name="Later Org")
    sooner = _ending_in(3, name="Sooner Org")
    _ending_in(90)  # not due yet
    lapsed = MembershipFactory.create(
        end_date=today - timedelta(days=400), status=Membership.Status.LAPSED
    )
    return {"sooner": sooner, "later": later, "lapsed": lapsed}


def test_the_queues_list_oldest_first_and_only_what_the_user_may_see(queue, secretariat, member):
    assert list(renewals_due(user=secretariat)) == [queue["sooner"], queue["later"]]
    assert list(renewals_due(user=secretariat, days=5)) == [queue["sooner"]]
    assert list(lapsed_memberships(user=secretariat)) == [queue["lapsed"]]
    assert not renewals_due(user=member).exists()


def test_an_organisation_admin_sees_only_its_own_renewal(queue, make_user):
    user = make_user(Role.ORGADMIN)
    person = PersonFactory.create(user=user)
    organisation = queue["later"].organisation
    AffiliationFactory.create(person=person, organisation=organisation, is_admin=True)
    assert list(renewals_due(user=user)) == [queue["later"]]


def test_the_dashboard_links_its_numbers_to_the_queue_pages(client, queue, secretariat):
    client.force_login(secretariat)
    content = client.get(reverse("members:dashboard")).content.decode()
    assert reverse("members:renewals_due") in content
    assert reverse("members:lapsed") in content
    assert "Sooner Org" not in content  # no giant table any more


def test_the_renewals_page_lists_rows_with_checkboxes_oldest_first(client, queue, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("members:renewals_due"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Sooner Org") < content.index("Later Org")
    assert f'name="selected" value="{queue["sooner"].pk}"' in content
    assert "Send renewal reminders" in content


def test_the_queue_pages_are_paged(client, secretariat):
    for _ in range(51):
        _ending_in(10)
    client.force_login(secretariat)
    content = client.get(reverse("members:renewals_due")).content.decode()
    assert content.count('name="selected"') == 50
    assert "Page 1 of 2" in content


def _remind(client, *memberships: Membership):
    return client.post(
        reverse("members:membership_bulk", args=["renewals_due"]),
        {"action": "remind", "selected": [m.pk for m in memberships]},
        follow=True,
    )


def test_reminders_go_to_every_selected_member_and_are_audited(client, queue, secretariat):
    client.force_login(secretariat)

    response = _remind(client, queue["sooner"], queue["later"])

    assert "Renewal reminders were sent to 2 members." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["office@example.org", "office@example.org"]
    entries = AuditEntry.objects.filter(action="members.membership.remind_renewal")
    assert {e.object_id for e in entries} == {str(queue["sooner"].pk), str(queue["later"].pk)}
    assert {e.actor for e in entries} == {secretariat}


def test_a_partial_failure_names_the_rows_and_keeps_the_others(client, queue, secretariat):
    nobody = _ending_in(5, email="", name="Silent Org")
    client.force_login(secretariat)

    content = _remind(client, queue["sooner"], nobody).content.decode()

    assert "A renewal reminder was sent to 1 member." in content
    assert "1 row was not changed: Silent Org: Nobody to write to" in content
    assert RenewalReminder.objects.filter(membership=queue["sooner"]).count() == 1
    assert not RenewalReminder.objects.filter(membership=nobody).exists()
    assert len(mail.outbox) == 1


def test_a_reminder_goes_once_per_term_by_hand_or_by_the_daily_task(client, queue, secretariat):
    client.force_login(secretariat)
    _remind(client, queue["sooner"])

    content = _remind(client, queue["sooner"]).content.decode()

    assert "Sooner Org: A reminder for this term was already sent." in content
    mail.outbox.clear()
    renewal_reminders_send()
    assert [m.to for m in mail.outbox] == [["office@example.org"]]  # the later one only


def test_the_selection_exports_as_csv_and_xlsx_and_is_audited(client, queue, secretariat):
    client.force_login(secretariat)
    url = reverse("members:membership_bulk", args=["renewals_due"])

    response = client.post(url, {"action": "csv", "selected": [queue["later"].pk]})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"].startswith('attachment; filename="memberships-')
    assert rows[0][:2] == ["id", "member"]
    assert [row[1] for row in rows[1:]] == ["Later Org"]
    xlsx = client.post(url, {"action": "xlsx", "selected": [queue["later"].pk]})
    assert xlsx.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="members.register.export").count() == 2


@pytest.mark.parametrize("who", ["member", "orgadmin"])
def test_others_may_not_use_the_queues(client, make_user, queue, who):
    client.force_login(make_user(Role.MEMBER if who == "member" else Role.ORGADMIN))
    assert client.get(reverse("members:renewals_due")).status_code == 403
    assert client.get(reverse("members:lapsed")).status_code == 403
    assert _remind(client, queue["sooner"]).status_code == 403
    assert not mail.outbox


def test_the_organisation_admin_sees_the_renewal_due_and_renews(client, make_user, queue):
    membership = queue["sooner"]
    old_end = membership.end_date
    user = make_user(Role.ORGADMIN)
    AffiliationFactory.create(
        person=PersonFactory.create(user=user), organisation=membership.organisation, is_admin=True
    )
    client.force_login(user)

    mine = client.get(reverse("members:membership_mine")).content.decode()
    assert "Renewal due" in mine
    assert "Renew the membership of Sooner Org" in mine
    client.post(reverse("members:membership_renew", args=[membership.pk]))

    membership.refresh_from_db()
    assert membership.end_date > old_end
    assert "Renewal due" not in client.get(reverse("members:membership_mine")).content.decode()
