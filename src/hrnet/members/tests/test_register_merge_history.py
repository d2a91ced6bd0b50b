"""Merges keep every dated record, the preview names everything that moves, and restoring
the merged record from the trash undoes the merge."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from hrnet.campaigns.models import Signature
from hrnet.campaigns.tests.factories import CampaignFactory, SignatureFactory
from hrnet.members.models import Affiliation, Membership, Organisation
from hrnet.members.services.register import organisation_merge
from hrnet.members.tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)


def _old_member_and_todays_import():
    old = OrganisationFactory.create(names={"en": "Hope Chisinau"}, city="Chișinău")
    MembershipFactory.create(
        organisation=old,
        status=Membership.Status.LAPSED,
        start_date=date(2013, 3, 1),
        end_date=date(2015, 2, 28),
    )
    imported = OrganisationFactory.create(names={"en": "Hope"}, city="")
    new = MembershipFactory.create(organisation=imported)
    return old, imported, new


def test_member_since_is_the_earliest_and_the_old_term_stays_in_the_history(
    client, geography, secretariat
):
    # given #4 (member since 2013) and #473 (a membership made by an import today)
    old, imported, new = _old_member_and_todays_import()

    # when #4 is merged into #473
    organisation_merge(keep=imported, merge=old, actor=secretariat)

    # then the membership reads "member since 2013" and keeps the 2013 term
    new.refresh_from_db()
    assert new.start_date == date(2013, 3, 1)
    client.force_login(secretariat)
    page = client.get(reverse("members:membership_detail", args=[new.pk])).content.decode()
    assert "Earlier memberships" in page
    assert "Lapsed" in page
    assert "Hope Chisinau" in page


def test_links_with_separate_periods_stay_two_links(geography, secretariat):
    keep, merge = OrganisationFactory.create(), OrganisationFactory.create()
    person = PersonFactory.create()
    AffiliationFactory.create(
        person=person,
        organisation=merge,
        role="staff",
        start_date=date(2010, 1, 1),
        end_date=date(2012, 12, 31),
    )
    AffiliationFactory.create(
        person=person, organisation=keep, role="staff", start_date=date(2020, 1, 1)
    )

    organisation_merge(keep=keep, merge=merge, actor=secretariat)

    periods = sorted(
        (a.start_date, a.end_date) for a in Affiliation.objects.filter(organisation=keep)
    )
    assert periods == [(date(2010, 1, 1), date(2012, 12, 31)), (date(2020, 1, 1), None)]


def test_the_preview_lists_signatures_campaigns_and_requests_that_move(
    client, geography, secretariat
):
    keep, merge = OrganisationFactory.create(), OrganisationFactory.create()
    SignatureFactory.create(organisation=merge)
    campaign = CampaignFactory.create()
    campaign.coordinators.add(merge)
    ApplicationFactory.create(organisation=merge)
    client.force_login(secretariat)

    page = client.get(
        reverse("members:register_merge"),
        {"kind": "organisation", "keep": keep.pk, "merge": merge.pk},
    ).content.decode()

    assert "Other records that move" in page
    assert "Signatures: 1" in page
    assert "Campaigns: 1" in page
    assert "Moves: application of" in page

    organisation_merge(keep=keep, merge=merge, actor=secretariat)
    assert Signature.objects.get().organisation == keep
    assert list(keep.coordinated_campaigns.all()) == [campaign]


def test_restoring_the_merged_record_from_the_trash_undoes_the_merge(
    client, geography, secretariat
):
    # given a merge that moved a membership, a link, a signature and filled a field
    old, imported, new = _old_member_and_todays_import()
    link = AffiliationFactory.create(organisation=old, role="director")
    signature = SignatureFactory.create(organisation=old)
    organisation_merge(keep=imported, merge=old, actor=secretariat)
    imported.refresh_from_db()
    assert imported.city == "Chișinău"

    # when the secretariat restores the merged record from the trash
    client.force_login(secretariat)
    content_type = ContentType.objects.get_for_model(Organisation)
    response = client.post(reverse("core:trash_restore", args=[content_type.pk, old.pk]))
    assert response.status_code in (200, 302)

    # then everything is back where it was
    assert Organisation.objects.filter(pk=old.pk).exists()
    old_membership = Membership.objects.get(organisation=old)
    assert (old_membership.start_date, old_membership.status) == (date(2013, 3, 1), "lapsed")
    new.refresh_from_db()
    assert new.organisation == imported
    assert new.start_date == date(timezone.localdate().year, 1, 1)
    assert not new.periods.exists()
    link.refresh_from_db()
    signature.refresh_from_db()
    assert link.organisation == old
    assert signature.organisation == old
    imported.refresh_from_db()
    assert imported.city == ""
