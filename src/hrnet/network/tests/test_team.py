"""Team members: phones in international format, emails, languages, photos, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrnet.core.models import AuditEntry
from hrnet.network import contact_details
from hrnet.network.selectors import team as team_selectors
from hrnet.network.services import team
from hrnet.network.tests.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db


def _create(actor: Any, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "full_name": "Alex Example",
        "roles": {"en": "Coordinator", "ru": "Координатор"},
        "languages": "en, ru",
    }
    fields.update(overrides)
    return team.team_member_create(actor=actor, **fields)


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("+380 44 123 4567", "+380441234567", "+380 44 123 4567"),
        ("+7 (727) 250-12-34", "+77272501234", "+7 7272 50 12 34"),
        ("+373 22 123456", "+37322123456", "+373 22 123 456"),
    ],
)
def test_a_phone_is_stored_in_e164_and_shown_international(
    secretariat: Any, typed: str, stored: str, shown: str
) -> None:
    member = _create(secretariat, phone=typed, publish_phone=True)

    member.refresh_from_db()
    assert member.phone == stored
    assert contact_details.phone_display(member.phone) == shown


@pytest.mark.parametrize("typed", ["044 123 4567", "+380 12", "call me", "+999 123 456 789"])
def test_an_invalid_phone_is_refused_naming_the_field(secretariat: Any, typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, phone=typed)

    assert "phone" in caught.value.message_dict
    assert typed in caught.value.message_dict["phone"][0]
    assert not team.TeamMember.objects.exists()


def test_an_invalid_email_is_refused(secretariat: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, email="alex@", publish_email=True)

    assert "alex@" in caught.value.message_dict["email"][0]


def test_publishing_needs_the_detail(secretariat: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, publish_email=True, publish_phone=True)

    assert set(caught.value.message_dict) >= {"email", "phone"}


def test_unknown_language_codes_are_refused(secretariat: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, languages="en, klingon")

    assert "klingon" in caught.value.message_dict["languages"][0]


def test_a_photo_that_is_not_an_image_is_refused(secretariat: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("me.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, photo=upload, photo_alt="Alex smiling")

    assert "photo" in caught.value.message_dict


def test_changes_are_audited(secretariat: Any) -> None:
    member = _create(secretariat, phone="+380441234567")
    team.team_member_update(
        member=member,
        actor=secretariat,
        full_name="Alex Example",
        roles={"en": "Head of communication"},
        languages=["en"],
        phone="+380441234567",
    )

    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("pk"))
    assert actions == ["network.team_member.create", "network.team_member.update"]


def test_only_the_secretariat_edits_the_team(member: Any) -> None:
    with pytest.raises(PermissionDenied):
        _create(member)


def test_a_topic_needs_a_recipient_with_an_email(secretariat: Any) -> None:
    no_email = TeamMemberFactory.create(email="")

    with pytest.raises(ValidationError) as caught:
        team.contact_topic_create(actor=secretariat, names={"en": "Media"}, recipient=no_email)

    assert "recipient" in caught.value.message_dict


def test_public_members_carry_only_published_details(db: None) -> None:
    TeamMemberFactory.create(full_name="Hidden", is_published=False)
    shown = TeamMemberFactory.create(
        full_name="Shown", email="shown@example.org", phone="+380441234567", publish_phone=True
    )

    members = team_selectors.team_members_public(user=None)

    assert [m.full_name for m in members] == ["Shown"]
    assert members[0].pk == shown.pk
    assert members[0].phone == "+380441234567"
    assert members[0].email_encoded == ""


def test_the_demo_team_is_fictional_and_idempotent(make_user: Any) -> None:
    from hrnet.accounts.roles import Role
    from hrnet.core.demo import demo_email
    from hrnet.network.demo import network_demo_team_create
    from hrnet.network.models import ContactTopic

    make_user(Role.SECRETARIAT, email=demo_email(Role.SECRETARIAT))

    network_demo_team_create()
    network_demo_team_create()

    contact = team.TeamMember.objects.get(
        roles__en="Head of network and community capacity development"
    )
    assert contact.phone.startswith("+")
    assert team.TeamMember.objects.count() == 3
    topics = {topic.names["en"]: topic.recipient for topic in ContactTopic.objects.all()}
    assert set(topics) == {"Membership", "Technical assistance", "Media"}
    assert topics["Membership"] == contact
