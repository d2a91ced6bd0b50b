"""Status rules, overrides, renewals (with a principles change), reminders and the
memberships staff inherit from their organisation."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from hrnet.core.models import AuditEntry
from hrnet.members.models import Membership, MembershipType, RenewalReminder
from hrnet.members.services import memberships as services
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PrinciplesVersionFactory,
    membership_type,
)

pytestmark = pytest.mark.usefixtures("geography")

TODAY = date(2026, 6, 15)


def test_fixed_terms_end_with_the_calendar_year_and_rolling_terms_after_n_months():
    fixed = MembershipType(term=MembershipType.Term.FIXED)
    rolling = MembershipType(term=MembershipType.Term.ROLLING, term_months=12)

    assert services.term_end(fixed, date(2026, 3, 10)) == date(2026, 12, 31)
    assert services.term_end(rolling, date(2026, 3, 10)) == date(2027, 3, 9)
    assert services.term_end(rolling, date(2024, 1, 31)) == date(2025, 1, 30)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, "pending"),
        (date(2026, 7, 1), date(2026, 12, 31), "pending"),
        (date(2026, 1, 1), date(2026, 12, 31), "active"),
        (date(2026, 1, 1), date(2026, 6, 15), "active"),  # the last day still counts
        (date(2025, 1, 1), date(2026, 6, 14), "grace"),
        (date(2025, 1, 1), date(2026, 4, 16), "grace"),  # 60 days of grace
        (date(2025, 1, 1), date(2026, 4, 15), "lapsed"),
    ],
)
def test_status_from_dates(start, end, expected):
    membership = Membership(start_date=start, end_date=end, type=MembershipType(grace_days=60))

    assert services.status_from_dates(membership, TODAY) == expected


def test_daily_refresh_updates_statuses_and_audits_changes():
    lapsing = MembershipFactory.create(
        start_date=date(2024, 1, 1), end_date=date(2025, 12, 31), status="active"
    )
    fine = MembershipFactory.create(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))

    changed = services.membership_status_refresh(today=TODAY)

    lapsing.refresh_from_db()
    fine.refresh_from_db()
    assert changed == 1
    assert lapsing.status == "lapsed"
    assert fine.status == "active"
    entry = AuditEntry.objects.get(action="members.membership.change_status")
    assert entry.changes == {"status": {"old": "active", "new": "lapsed"}}


def test_override_wins_over_the_dates_records_who_and_why_and_can_be_cleared(secretariat):
    membership = MembershipFactory.create()

    services.membership_override(
        membership=membership,
        status="suspended",
        reason="Board decision 12/2026",
        actor=secretariat,
    )
    services.membership_status_refresh()
    membership.refresh_from_db()

    assert membership.status == "suspended"
    assert membership.override_by == secretariat
    assert membership.override_reason == "Board decision 12/2026"
    assert AuditEntry.objects.filter(action="members.membership.override").exists()

    services.membership_override(
        membership=membership, status="", reason="Suspension lifted", actor=secretariat
    )
    membership.refresh_from_db()
    assert membership.status == "active"


def test_override_needs_a_reason(secretariat):
    membership = MembershipFactory.create()

    with pytest.raises(ValidationError) as error:
        services.membership_override(
            membership=membership, status="left", reason=" ", actor=secretariat
        )

    assert "reason" in error.value.message_dict
    membership.refresh_from_db()
    assert membership.status == "active"


def test_renewal_adds_a_term_after_the_current_one(member):
    membership = MembershipFactory.create(start_date=date(2025, 1, 1), end_date=date(2026, 12, 31))

    services.membership_renew(membership=membership, actor=member, today=date(2026, 12, 1))

    membership.refresh_from_db()
    assert membership.end_date == date(2027, 12, 31)
    assert membership.start_date == date(2025, 1, 1)


def test_renewal_after_lapse_starts_a_new_term_today(member):
    membership = MembershipFactory.create(
        start_date=date(2020, 1, 1), end_date=date(2022, 12, 31), status="lapsed"
    )

    services.membership_renew(membership=membership, actor=member, today=TODAY)

    membership.refresh_from_db()
    assert membership.end_date == date(2026, 12, 31)
    assert membership.status == "active"


def test_renewal_after_a_principles_change_requires_accepting_the_new_version(member):
    first = PrinciplesVersionFactory.create(number=1)
    membership = MembershipFactory.create(principles_version=first)
    second = PrinciplesVersionFactory.create(number=2)

    with pytest.raises(ValidationError) as error:
        services.membership_renew(membership=membership, actor=member)
    assert "accept_principles" in error.value.message_dict
    assert "2" in error.value.message_dict["accept_principles"][0]

    services.membership_renew(membership=membership, actor=member, accepted_principles=second)
    membership.refresh_from_db()
    assert membership.principles_version == second


def test_renewal_without_a_principles_change_needs_no_acceptance(member):
    version = PrinciplesVersionFactory.create(number=1)
    membership = MembershipFactory.create(principles_version=version)

    services.membership_renew(membership=membership, actor=member)

    assert AuditEntry.objects.filter(action="members.membership.renew").count() == 1


def test_suspended_members_cannot_renew_themselves(member, secretariat):
    membership = MembershipFactory.create()
    services.membership_override(
        membership=membership, status="suspended", reason="x", actor=secretariat
    )

    with pytest.raises(ValidationError):
        services.membership_renew(membership=membership, actor=member)


def test_reminders_go_once_per_step_in_the_recipients_language(make_user, settings):
    settings.HRNET_RENEWAL_REMINDER_DAYS = [30, 7]
    user = make_user("orgadmin", preferred_language="ru")
    admin = PersonFactory.create(email="director@example.org", user=user)
    membership = MembershipFactory.create(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    AffiliationFactory.create(person=admin, organisation=membership.organisation, is_admin=True)

    assert services.renewal_reminders_send(today=date(2026, 11, 15)) == 0  # 46 days left
    assert services.renewal_reminders_send(today=date(2026, 12, 1)) == 1  # 30 days left
    assert services.renewal_reminders_send(today=date(2026, 12, 2)) == 0  # already sent
    assert services.renewal_reminders_send(today=date(2026, 12, 24)) == 1  # 7 days left
    assert services.renewal_reminders_send(today=date(2026, 12, 25)) == 0

    assert [m.to for m in mail.outbox] == [["director@example.org"]] * 2
    assert "членство" in mail.outbox[0].subject.lower()
    assert f"/members/memberships/{membership.pk}/" in mail.outbox[0].body
    assert RenewalReminder.objects.filter(membership=membership).count() == 2


def test_a_late_run_sends_only_the_most_urgent_reminder(settings):
    settings.HRNET_RENEWAL_REMINDER_DAYS = [30, 7]
    person = PersonFactory.create(email="ind@example.org")
    MembershipFactory.create(
        organisation=None,
        person=person,
        type=membership_type("individual"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )

    assert services.renewal_reminders_send(today=date(2026, 12, 26)) == 1
    assert services.renewal_reminders_send(today=date(2026, 12, 27)) == 0


def test_staff_inherit_the_organisations_membership_up_to_the_cap(settings):
    settings.HRNET_INHERITED_MEMBERSHIP_CAP = 2
    organisation = OrganisationFactory.create()
    admin = AffiliationFactory.create(organisation=organisation, is_admin=True).person
    staff = [AffiliationFactory.create(organisation=organisation).person for _ in range(3)]
    gone = AffiliationFactory.create(organisation=organisation, end_date=date(2020, 1, 1)).person

    source = MembershipFactory.create(organisation=organisation)
    services.inherited_memberships_recompute(organisation=organisation)

    inherited = Membership.objects.filter(inherited_from=source)
    assert set(inherited.values_list("person_id", flat=True)) == {admin.pk, staff[0].pk}
    assert not Membership.objects.filter(person=gone).exists()
    assert set(inherited.values_list("status", flat=True)) == {"active"}


def test_inherited_memberships_follow_the_organisations_status(secretariat):
    organisation = OrganisationFactory.create()
    person = AffiliationFactory.create(organisation=organisation).person
    source = MembershipFactory.create(organisation=organisation)
    services.inherited_memberships_recompute(organisation=organisation)
    assert Membership.objects.filter(person=person, inherited_from=source).exists()

    services.membership_override(
        membership=source, status="suspended", reason="unpaid", actor=secretariat
    )

    assert not Membership.objects.filter(person=person).exists()


def test_people_with_their_own_membership_do_not_take_an_inherited_place(settings):
    settings.HRNET_INHERITED_MEMBERSHIP_CAP = 1
    organisation = OrganisationFactory.create()
    individual = AffiliationFactory.create(organisation=organisation, is_admin=True).person
    MembershipFactory.create(
        organisation=None, person=individual, type=membership_type("individual")
    )
    staff = AffiliationFactory.create(organisation=organisation).person

    MembershipFactory.create(organisation=organisation)
    services.inherited_memberships_recompute(organisation=organisation)

    assert Membership.objects.get(person=staff).inherited_from is not None
    assert Membership.objects.get(person=individual).inherited_from is None


def test_membership_start_replaces_an_inherited_membership(secretariat):
    version = PrinciplesVersionFactory.create()
    organisation = OrganisationFactory.create()
    person = AffiliationFactory.create(organisation=organisation).person
    MembershipFactory.create(organisation=organisation, principles_version=version)
    services.inherited_memberships_recompute(organisation=organisation)

    own = services.membership_start(member=person, principles_version=version, actor=secretariat)

    assert own.inherited_from is None
    assert own.type.kind == "individual"
    assert Membership.objects.filter(person=person).count() == 1
