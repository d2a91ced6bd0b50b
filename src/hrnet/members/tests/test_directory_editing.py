"""Organisation admins edit their organisation's profile and staff links; nobody else but
the secretariat may."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry, IssueArea
from hrnet.members.models import Affiliation, Membership, Organisation, Person
from hrnet.members.services.profiles import (
    affiliation_add,
    affiliation_end,
    logo_check,
    organisation_profile_update,
)
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.usefixtures("geography")


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 122)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def organisation(db: None) -> Organisation:
    organisation: Organisation = OrganisationFactory.create(
        names={"en": "Harm Reduction Moldova", "ru": "Снижение вреда Молдова"},
        name_key="harm reduction moldova",
    )
    MembershipFactory(organisation=organisation)
    return organisation


def admin_of(organisation: Organisation, make_user: Any, **fields: Any) -> Any:
    user = make_user(Role.ORGADMIN)
    AffiliationFactory(
        organisation=organisation, person=PersonFactory(user=user), is_admin=True, **fields
    )
    return user


def profile_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "name_en": "Harm Reduction Moldova",
        "name_ru": "Снижение вреда Молдова",
        "name_original": "Reducerea Riscurilor Moldova",
        "kind": "ngo",
        "city": "Bălți",
        "website": "https://hr.example.md",
        "email": "Office@HR.example.md",
        "description_en": "Needle exchange and outreach.",
        "description_ru": "Обмен игл и аутрич.",
        "is_public": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["members:organisation_edit", "members:organisation_staff"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("admin_of_other", 403),
        ("former_admin", 403),
        ("staff_not_admin", 403),
        ("admin", 200),
        ("secretariat", 200),
    ],
)
def test_who_may_edit_an_organisation(client, make_user, organisation, page, who, status):
    other: Any = OrganisationFactory()
    users = {
        "member": lambda: make_user(Role.MEMBER),
        "admin_of_other": lambda: admin_of(other, make_user),
        "former_admin": lambda: admin_of(
            organisation, make_user, start_date=date(2020, 1, 1), end_date=date(2021, 1, 1)
        ),
        "staff_not_admin": lambda: make_user(Role.MEMBER),
        "admin": lambda: admin_of(organisation, make_user),
        "secretariat": lambda: make_user(Role.SECRETARIAT),
    }
    if who != "anonymous":
        user = users[who]()
        if who == "staff_not_admin":
            AffiliationFactory(organisation=organisation, person=PersonFactory(user=user))
        client.force_login(user)
    url = reverse(page, args=[organisation.pk])

    get = client.get(url)
    post = client.post(url, profile_post(name_en="Hijacked", full_name="Intruder"))

    assert get.status_code == status
    if status == 302:
        assert get["Location"].startswith("/en/accounts/login/")
    if status != 200:
        assert post.status_code == status
        organisation.refresh_from_db()
        assert organisation.names["en"] == "Harm Reduction Moldova"
        assert not Person.objects.filter(full_name="Intruder").exists()


def test_a_member_of_another_organisation_cannot_end_its_staff_links(
    client, make_user, organisation
):
    link: Any = AffiliationFactory(organisation=organisation)
    client.force_login(admin_of(OrganisationFactory.create(), make_user))

    response = client.post(
        reverse("members:organisation_staff_end", args=[organisation.pk, link.pk])
    )

    link.refresh_from_db()
    assert response.status_code == 403
    assert link.end_date is None


def test_the_services_refuse_people_who_may_not_edit(make_user, organisation):
    outsider = make_user(Role.MEMBER)

    with pytest.raises(PermissionDenied):
        organisation_profile_update(
            organisation=organisation, actor=outsider, names={"en": "X"}, kind="ngo"
        )
    with pytest.raises(PermissionDenied):
        affiliation_add(organisation=organisation, actor=outsider, full_name="Someone")


# --- the profile -----------------------------------------------------------------------


def test_an_admin_edits_the_profile_and_the_change_is_audited(client, make_user, organisation):
    hiv = IssueArea.objects.create(code="HIV", names={"en": "HIV"})
    admin = admin_of(organisation, make_user)
    client.force_login(admin)
    url = reverse("members:organisation_edit", args=[organisation.pk])

    form_page = client.get(url).content.decode()
    response = client.post(url, profile_post(issue_areas=[hiv.pk]))

    organisation.refresh_from_db()
    assert 'value="Снижение вреда Молдова"' in form_page
    assert response.status_code == 302
    assert response["Location"] == reverse("members:organisation_detail", args=[organisation.pk])
    assert organisation.city == "Bălți"
    assert organisation.email == "office@hr.example.md"
    assert organisation.descriptions == {
        "en": "Needle exchange and outreach.",
        "ru": "Обмен игл и аутрич.",
    }
    assert organisation.is_public
    assert list(organisation.issue_areas.values_list("code", flat=True)) == ["HIV"]
    entry = AuditEntry.objects.get(action="members.organisation.update")
    assert entry.actor == admin
    assert entry.object_id == str(organisation.pk)
    assert entry.changes["city"] == {"old": "Chișinău", "new": "Bălți"}
    assert entry.changes["issue_areas"] == {"old": [], "new": ["HIV"]}
    assert entry.changes["is_public"] == {"old": False, "new": True}
    assert "kind" not in entry.changes


def test_an_invalid_profile_keeps_what_was_typed_and_names_the_fields(
    client, make_user, organisation
):
    client.force_login(admin_of(organisation, make_user))
    url = reverse("members:organisation_edit", args=[organisation.pk])

    response = client.post(
        url,
        profile_post(name_en="", name_ru="", name_original="", website="not a url", kind="x"),
    )

    html = response.content.decode()
    organisation.refresh_from_db()
    assert response.status_code == 200
    assert "Give the organisation’s name in at least one language." in html
    assert "Enter a valid URL." in html
    assert "Select a valid choice." in html
    assert 'value="Bălți"' in html
    assert organisation.names["en"] == "Harm Reduction Moldova"
    assert not AuditEntry.objects.filter(action="members.organisation.update").exists()


def test_community_led_organisations_are_marked_community_led(make_user, organisation):
    organisation_profile_update(
        organisation=organisation,
        actor=admin_of(organisation, make_user),
        names={"en": "Peer Network"},
        kind=Organisation.Kind.COMMUNITY_LED,
    )

    organisation.refresh_from_db()
    assert organisation.is_community_led
    assert organisation.name_key == "peer network"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_logo_is_accepted_as_png_jpeg_or_webp(client, make_user, organisation, fmt):
    client.force_login(admin_of(organisation, make_user))
    url = reverse("members:organisation_edit", args=[organisation.pk])

    response = client.post(url, {**profile_post(), "logo": upload("logo.bin", image_bytes(fmt))})

    organisation.refresh_from_db()
    assert response.status_code == 302
    assert organisation.logo.name.startswith("members/logos/")
    assert organisation.logo.name.endswith({"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}[fmt])
    page = client.get(reverse("members:organisation_detail", args=[organisation.pk]))
    assert organisation.logo.url in page.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "is not a PNG, JPEG or WebP image"),
        (image_bytes("GIF"), "is not a PNG, JPEG or WebP image"),
        (image_bytes("PNG")[:60], "is not a PNG, JPEG or WebP image"),  # truncated
        (image_bytes("BMP", (600, 600)), "must be at most 1024 KB"),
    ],
)
def test_a_logo_that_is_not_a_small_real_image_is_refused(
    client, make_user, organisation, content, message
):
    client.force_login(admin_of(organisation, make_user))
    url = reverse("members:organisation_edit", args=[organisation.pk])

    response = client.post(url, {**profile_post(city="Kept"), "logo": upload("logo.png", content)})

    html = response.content.decode()
    organisation.refresh_from_db()
    assert response.status_code == 200
    assert message in html
    assert 'value="Kept"' in html
    assert not organisation.logo


def test_logo_check_refuses_huge_dimensions():
    content = image_bytes("PNG", (5000, 4000))

    with pytest.raises(ValidationError) as excinfo:
        logo_check(upload("big.png", content))

    assert "5000 × 4000" in excinfo.value.message_dict["logo"][0]


def test_a_logo_can_be_replaced_and_removed(
    client, make_user, organisation, django_capture_on_commit_callbacks
):
    client.force_login(admin_of(organisation, make_user))
    url = reverse("members:organisation_edit", args=[organisation.pk])
    client.post(url, {**profile_post(), "logo": upload("a.png", image_bytes())})
    organisation.refresh_from_db()
    first = organisation.logo.name
    storage = organisation.logo.storage

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**profile_post(), "logo": upload("b.jpg", image_bytes("JPEG"))})
    organisation.refresh_from_db()
    second = organisation.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**profile_post(), "logo-clear": "on"})
    organisation.refresh_from_db()

    assert second != first
    assert not storage.exists(first)
    assert not organisation.logo
    assert not storage.exists(second)


# --- staff links ----------------------------------------------------------------------


def test_an_admin_links_a_new_person_and_staff_inherit_the_membership(
    client, make_user, organisation
):
    admin = admin_of(organisation, make_user)
    client.force_login(admin)
    url = reverse("members:organisation_staff", args=[organisation.pk])

    response = client.post(
        url,
        {"full_name": "  Olena   Outreach ", "email": "Olena@Example.org", "role": "staff"},
    )

    person = Person.objects.get(email="olena@example.org")
    assert response.status_code == 302
    assert person.full_name == "Olena Outreach"
    assert person.country == organisation.country
    link = Affiliation.objects.get(person=person, organisation=organisation)
    assert link.role == "staff"
    assert not link.is_admin
    inherited = Membership.objects.get(person=person)
    assert inherited.inherited_from == organisation.memberships.get()
    entry = AuditEntry.objects.get(action="members.affiliation.create")
    assert entry.actor == admin
    assert entry.changes["role"] == {"old": None, "new": "staff"}
    page = client.get(url).content.decode()
    assert "Olena Outreach is now linked to Harm Reduction Moldova." in page  # the message
    assert "olena@example.org" in page


def test_the_secretariat_reuses_a_person_with_the_same_email(secretariat, organisation):
    existing: Any = PersonFactory(full_name="Registered Name", email="known@example.org")

    link = affiliation_add(
        organisation=organisation,
        actor=secretariat,
        full_name="Typed Differently",
        email="KNOWN@example.org",
        role=Affiliation.Role.DIRECTOR,
        is_admin=True,
    )

    existing.refresh_from_db()
    assert link.person == existing
    assert existing.full_name == "Registered Name"
    assert Person.objects.filter(email="known@example.org").count() == 1


def test_an_org_admin_reuses_only_a_person_already_linked_to_their_organisation(
    make_user, organisation
):
    former: Any = PersonFactory(full_name="Former Staff", email="former@example.org")
    AffiliationFactory(
        organisation=organisation, person=former, end_date=date(2020, 1, 1),
        start_date=date(2018, 1, 1),
    )  # fmt: skip
    stranger: Any = PersonFactory(full_name="Someone Else", email="stranger@example.org")
    admin = admin_of(organisation, make_user)

    back = affiliation_add(
        organisation=organisation, actor=admin, full_name="Former", email="former@example.org",
        start_date=date(2024, 1, 1),
    )  # fmt: skip
    new = affiliation_add(
        organisation=organisation, actor=admin, full_name="Typed Name", email="stranger@example.org"
    )

    assert back.person == former
    assert new.person != stranger
    assert new.person.full_name == "Typed Name"
    assert not stranger.affiliations.exists()


def test_a_person_already_linked_for_those_dates_is_refused(client, make_user, organisation):
    AffiliationFactory(
        organisation=organisation, person=PersonFactory(email="dup@example.org", full_name="Dup")
    )
    client.force_login(admin_of(organisation, make_user))

    response = client.post(
        reverse("members:organisation_staff", args=[organisation.pk]),
        {"full_name": "Dup", "email": "dup@example.org", "role": "staff"},
    )

    assert response.status_code == 200
    assert "is already linked to this organisation" in response.content.decode()
    assert organisation.affiliations.count() == 2


def test_staff_link_dates_must_be_in_order(client, make_user, organisation):
    client.force_login(admin_of(organisation, make_user))

    response = client.post(
        reverse("members:organisation_staff", args=[organisation.pk]),
        {"full_name": "Late", "role": "staff", "start_date": "2025-05-01",
         "end_date": "2025-01-01"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "The link cannot end before it starts." in response.content.decode()
    assert 'value="Late"' in response.content.decode()


def test_ending_a_link_ends_it_yesterday_and_takes_the_inherited_membership(
    client, make_user, organisation
):
    admin = admin_of(organisation, make_user)
    link = affiliation_add(
        organisation=organisation,
        actor=admin,
        full_name="Leaving Staff",
        start_date=date(2024, 1, 1),
    )
    assert Membership.objects.filter(person=link.person).exists()
    client.force_login(admin)

    response = client.post(
        reverse("members:organisation_staff_end", args=[organisation.pk, link.pk])
    )

    link.refresh_from_db()
    assert response.status_code == 302
    assert link.end_date == timezone.localdate() - timedelta(days=1)
    assert not Membership.objects.filter(person=link.person).exists()
    entry = AuditEntry.objects.get(action="members.affiliation.end")
    assert entry.changes == {"end_date": {"old": None, "new": link.end_date.isoformat()}}


def test_ending_a_link_that_has_not_started_removes_it(make_user, organisation):
    admin = admin_of(organisation, make_user)
    link = affiliation_add(
        organisation=organisation,
        actor=admin,
        full_name="Starts Later",
        start_date=timezone.localdate() + timedelta(days=10),
    )

    assert affiliation_end(affiliation=link, actor=admin) is None
    assert not Affiliation.objects.filter(pk=link.pk).exists()
    assert AuditEntry.objects.filter(action="members.affiliation.delete").exists()


def test_the_last_admin_cannot_end_their_own_link_but_the_secretariat_can(
    make_user, organisation, secretariat
):
    admin = admin_of(organisation, make_user)
    own = organisation.affiliations.get(is_admin=True)

    with pytest.raises(ValidationError, match="last person who manages"):
        affiliation_end(affiliation=own, actor=admin)
    affiliation_end(affiliation=own, actor=secretariat)

    own.refresh_from_db()
    assert own.end_date is not None


def test_an_admin_loses_editing_rights_once_their_link_is_ended(client, make_user, organisation):
    admin = admin_of(organisation, make_user)
    second = admin_of(organisation, make_user)
    link = organisation.affiliations.get(person__user=second)
    affiliation_end(affiliation=link, actor=admin)
    client.force_login(second)

    response = client.get(reverse("members:organisation_edit", args=[organisation.pk]))

    assert response.status_code == 403


def test_ending_an_already_ended_link_is_refused(client, make_user, organisation):
    link: Any = AffiliationFactory(
        organisation=organisation, start_date=date(2020, 1, 1), end_date=date(2021, 1, 1)
    )
    client.force_login(admin_of(organisation, make_user))

    response = client.post(
        reverse("members:organisation_staff_end", args=[organisation.pk, link.pk]), follow=True
    )

    assert "This link already ended on 2021-01-01." in response.content.decode()
