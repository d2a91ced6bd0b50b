"""Merging two records of the same member: no link is lost, the audit log says what moved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hrnet.core.models import AuditEntry, IssueArea
from hrnet.members.models import Affiliation, Application, Membership, Organisation, Person
from hrnet.members.services.register import organisation_merge, person_merge
from hrnet.members.tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    membership_type,
)


@pytest.fixture
def areas(db):
    return [
        IssueArea.objects.create(code=code, names={"en": code}) for code in ("HIV", "HCV", "OST")
    ]


def _links(organisations):
    return sorted(
        (a.person_id, a.role) for a in Affiliation.objects.filter(organisation__in=organisations)
    )


def test_organisation_merge_moves_every_link_and_trashes_the_merged_record(
    geography, secretariat, areas
):
    # given two records of one organisation, each with links of its own
    keep = OrganisationFactory.create(names={"en": "Hope"}, city="", website="", email="")
    merge = OrganisationFactory.create(
        names={"en": "Hope", "ru": "Надежда"},
        city="Bălți",
        website="https://hope.example.org",
        email="hope@example.org",
        descriptions={"ru": "Описание"},
        is_community_led=True,
    )
    keep.issue_areas.set(areas[:1])
    merge.issue_areas.set(areas)
    shared = PersonFactory.create()
    AffiliationFactory.create(
        person=shared, organisation=keep, role="staff", start_date=date(2020, 1, 1)
    )
    AffiliationFactory.create(
        person=shared, organisation=merge, role="staff", is_admin=True, start_date=date(2018, 1, 1)
    )
    AffiliationFactory.create(person=shared, organisation=merge, role="board")
    only_merged = AffiliationFactory.create(organisation=merge, role="director")
    application = ApplicationFactory.create(organisation=merge)
    links_before = set(_links([keep, merge]))

    # when
    organisation_merge(keep=keep, merge=merge, actor=secretariat)

    # then no link is lost, and the duplicate link became one
    assert set(_links([keep])) == links_before
    assert Affiliation.objects.filter(organisation=merge).count() == 0
    combined = Affiliation.objects.get(organisation=keep, person=shared, role="staff")
    assert combined.start_date == date(2018, 1, 1)
    assert combined.is_admin
    assert Affiliation.objects.get(pk=only_merged.pk).organisation == keep
    application.refresh_from_db()
    assert application.organisation == keep
    keep.refresh_from_db()
    assert set(keep.issue_areas.values_list("code", flat=True)) == {"HIV", "HCV", "OST"}
    assert keep.names == {"en": "Hope", "ru": "Надежда"}
    assert keep.descriptions == {"ru": "Описание"}
    assert (keep.city, keep.website, keep.email) == (
        "Bălți",
        "https://hope.example.org",
        "hope@example.org",
    )
    assert keep.is_community_led
    # the merged record is in the trash, restorable
    assert not Organisation.objects.filter(pk=merge.pk).exists()
    assert Organisation.all_objects.get(pk=merge.pk).deleted_by == secretariat
    entry = AuditEntry.objects.get(action="members.organisation.merge")
    assert entry.object_id == str(keep.pk)
    assert entry.changes["merged"] == {"id": merge.pk, "name": "Hope"}
    assert entry.changes["applications_moved"] == [application.pk]
    assert only_merged.pk in entry.changes["affiliations_moved"]
    assert len(entry.changes["affiliations_combined"]) == 1
    assert set(entry.changes["issue_areas_added"]) == {"HCV", "OST"}
    assert "city" in entry.changes["fields_filled"]


def test_the_current_membership_is_kept_and_the_other_becomes_an_earlier_membership(
    geography, secretariat
):
    keep = OrganisationFactory.create()
    merge = OrganisationFactory.create()
    lapsed = MembershipFactory.create(
        organisation=keep,
        status=Membership.Status.LAPSED,
        start_date=date(2015, 1, 1),
        end_date=date(2019, 12, 31),
    )
    active = MembershipFactory.create(organisation=merge)

    organisation_merge(keep=keep, merge=merge, actor=secretariat)

    assert list(Membership.objects.filter(organisation=keep)) == [active]
    assert not Membership.objects.filter(pk=lapsed.pk).exists()
    active.refresh_from_db()
    # the earliest "member since" wins, and the lapsed term is kept as history
    assert active.start_date == date(2015, 1, 1)
    period = active.periods.get()
    assert (period.start_date, period.end_date, period.status) == (
        date(2015, 1, 1),
        date(2019, 12, 31),
        "lapsed",
    )
    changes = AuditEntry.objects.get(action="members.organisation.merge").changes
    assert changes["membership"]["folded"]["id"] == lapsed.pk
    assert changes["membership"]["folded"]["status"] == "lapsed"
    assert changes["membership"]["moved"] == active.pk


def test_a_membership_only_the_merged_record_has_moves(geography, secretariat):
    keep = OrganisationFactory.create()
    merge = OrganisationFactory.create()
    membership = MembershipFactory.create(organisation=merge)

    organisation_merge(keep=keep, merge=merge, actor=secretariat)

    membership.refresh_from_db()
    assert membership.organisation == keep


def test_staff_moved_to_the_kept_organisation_inherit_its_membership(geography, secretariat):
    keep = OrganisationFactory.create()
    merge = OrganisationFactory.create()
    MembershipFactory.create(organisation=keep)
    staff = AffiliationFactory.create(organisation=merge).person

    organisation_merge(keep=keep, merge=merge, actor=secretariat)

    inherited = Membership.objects.select_related("inherited_from").get(person=staff)
    assert inherited.inherited_from is not None
    assert inherited.inherited_from.organisation == keep
    assert inherited.status == Membership.Status.ACTIVE


def test_person_merge_moves_links_membership_applications_and_account(
    geography, secretariat, make_user, areas
):
    keep = PersonFactory.create(email="", city="", languages=["ru"])
    user = make_user("member")
    merge = PersonFactory.create(
        email="dup@example.org", city="Tbilisi", languages=["en", "ru"], expertise="OST", user=user
    )
    merge.issue_areas.set(areas[1:])
    organisation = OrganisationFactory.create()
    AffiliationFactory.create(person=keep, organisation=organisation, role="staff")
    AffiliationFactory.create(person=merge, organisation=organisation, role="staff")
    other = AffiliationFactory.create(person=merge, role="board")
    membership = MembershipFactory.create(
        organisation=None, person=merge, type=membership_type("individual")
    )
    application = ApplicationFactory.create(kind="individual", organisation=None, person=merge)

    person_merge(keep=keep, merge=merge, actor=secretariat)

    keep.refresh_from_db()
    assert keep.affiliations.count() == 2
    assert Affiliation.objects.get(pk=other.pk).person == keep
    assert Membership.objects.get(pk=membership.pk).person == keep
    assert Application.objects.get(pk=application.pk).person == keep
    assert keep.user == user
    assert keep.email == "dup@example.org"
    assert keep.languages == ["ru", "en"]
    assert keep.expertise == "OST"
    assert set(keep.issue_areas.values_list("code", flat=True)) == {"HCV", "OST"}
    merged = Person.all_objects.get(pk=merge.pk)
    assert merged.deleted_at is not None
    assert merged.user is None
    assert AuditEntry.objects.get(action="members.person.merge").changes["account_moved"] == user.pk


def test_an_own_membership_beats_an_inherited_one(geography, secretariat):
    organisation = OrganisationFactory.create()
    source = MembershipFactory.create(organisation=organisation)
    keep = PersonFactory.create()
    AffiliationFactory.create(person=keep, organisation=organisation)
    inherited = MembershipFactory.create(
        organisation=None, person=keep, inherited_from=source, type=source.type
    )
    merge = PersonFactory.create()
    own = MembershipFactory.create(
        organisation=None, person=merge, type=membership_type("individual")
    )

    person_merge(keep=keep, merge=merge, actor=secretariat)

    assert list(Membership.objects.filter(person=keep)) == [own]
    assert not Membership.objects.filter(pk=inherited.pk).exists()


@pytest.mark.parametrize("problem", ["same", "both_accounts", "erased"])
def test_merges_that_would_lose_something_are_refused(geography, secretariat, make_user, problem):
    keep = PersonFactory.create()
    merge = keep if problem == "same" else PersonFactory.create()
    if problem == "both_accounts":
        keep.user, merge.user = make_user(), make_user()
        keep.save()
        merge.save()
    if problem == "erased":
        merge.erased_at = "2024-01-01T00:00:00Z"
        merge.save()

    with pytest.raises(ValidationError):
        person_merge(keep=keep, merge=merge, actor=secretariat)

    assert Person.objects.filter(pk=merge.pk).exists()
    assert not AuditEntry.objects.filter(action="members.person.merge").exists()


def test_merge_page_previews_then_merges(client, secretariat, geography):
    keep = OrganisationFactory.create(names={"en": "Kept Org"})
    merge = OrganisationFactory.create(names={"en": "Merged Org"}, city="Orhei")
    staff = AffiliationFactory.create(organisation=merge, person__full_name="Staff Person")
    client.force_login(secretariat)
    params = {"kind": "organisation", "keep": keep.pk, "merge": merge.pk}

    preview = client.get(reverse("members:register_merge"), params)

    content = preview.content.decode()
    assert preview.status_code == 200
    assert "Staff Person" in content
    assert "Orhei" in content
    assert Affiliation.objects.get(pk=staff.pk).organisation == merge  # nothing yet

    response = client.post(reverse("members:register_merge"), params)

    assert response.status_code == 302
    assert response["Location"] == reverse("members:register_duplicates")
    assert Affiliation.objects.get(pk=staff.pk).organisation == keep
    assert not Organisation.objects.filter(pk=merge.pk).exists()


def test_merge_page_names_a_missing_record(client, secretariat, geography):
    keep = OrganisationFactory.create()
    client.force_login(secretariat)

    response = client.get(
        reverse("members:register_merge"),
        {"kind": "organisation", "keep": keep.pk, "merge": 999999},
    )

    assert response.status_code == 200
    assert "No record with the number 999999." in response.content.decode()


@pytest.mark.parametrize("role", [None, "member", "orgadmin", "expert"])
def test_only_the_secretariat_may_merge(client, make_user, geography, role):
    keep, merge = OrganisationFactory.create(), OrganisationFactory.create()
    if role:
        client.force_login(make_user(role))

    response = client.post(
        reverse("members:register_merge"),
        {"kind": "organisation", "keep": keep.pk, "merge": merge.pk},
    )

    assert response.status_code == (403 if role else 302)
    assert Organisation.objects.filter(pk=merge.pk).exists()
