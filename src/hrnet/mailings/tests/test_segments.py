from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hrnet.assistance.tests.factories import AssistanceRequestFactory
from hrnet.events.models import Attendance, Registration
from hrnet.events.tests.factories import EventFactory
from hrnet.mailings.models import Category, Unsubscription
from hrnet.mailings.selectors import SegmentFilters, segment_count, segment_recipients
from hrnet.mailings.services.segments import segment_create
from hrnet.mailings.tests.factories import individual_member, member_organisation
from hrnet.members.models import Affiliation, Membership, Organisation
from hrnet.members.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CAUCASUS_NGOS = {"subregion": "CAUCASUS", "type": "ngo"}


@pytest.fixture
def register(geography):
    # given: NGOs in Georgia and Armenia (Caucasus), a network in Georgia, an NGO in Moldova
    return {
        "ge": member_organisation("GE", contact_email="nino@example.org", language="ru"),
        "am": member_organisation("AM", contact_email="anna@example.org"),
        "network": member_organisation(
            "GE", kind=Organisation.Kind.NETWORK, contact_email="net@example.org"
        ),
        "md": member_organisation("MD", contact_email="ion@example.org"),
    }


def test_caucasus_ngos_count_and_recipients(register, secretariat):
    filters = SegmentFilters.from_dict(CAUCASUS_NGOS)

    count = segment_count(user=secretariat, filters=filters)
    recipients = segment_recipients(filters=filters)

    assert (count.organisations, count.individuals, count.recipients) == (2, 0, 2)
    assert sorted(r.email for r in recipients) == ["anna@example.org", "nino@example.org"]
    assert {r.email: r.language for r in recipients}["nino@example.org"] == "ru"


def test_lapsed_members_are_left_out_unless_asked_for(register, secretariat):
    Membership.objects.filter(organisation=register["am"]).update(status="lapsed")

    current = segment_recipients(filters=SegmentFilters.from_dict(CAUCASUS_NGOS))
    lapsed = segment_recipients(
        filters=SegmentFilters.from_dict({**CAUCASUS_NGOS, "membership_status": "lapsed"})
    )

    assert [r.email for r in current] == ["nino@example.org"]
    assert [r.email for r in lapsed] == ["anna@example.org"]


def test_recipients_exclude_erased_unsubscribed_and_no_email_and_are_deduplicated(
    register, secretariat
):
    ge = register["ge"]
    # an erased contact, a contact without an address, the same address twice
    erased = PersonFactory.create(email="gone@example.org", erased_at=timezone.now())
    AffiliationFactory.create(person=erased, organisation=ge, role=Affiliation.Role.CONTACT)
    no_email = PersonFactory.create(email="")
    AffiliationFactory.create(person=no_email, organisation=ge, is_admin=True)
    individual_member("NINO@example.org")  # the contact is also an individual member
    individual_member("unsub@example.org")
    Unsubscription.objects.create(email="unsub@example.org", category=Category.EVENTS)
    filters = SegmentFilters.from_dict({"subregion": "CAUCASUS"})

    for_events = [r.email.lower() for r in segment_recipients(filters=filters, category="events")]
    for_news = [
        r.email.lower() for r in segment_recipients(filters=filters, category="announcements")
    ]

    assert sorted(for_events) == ["anna@example.org", "net@example.org", "nino@example.org"]
    assert "unsub@example.org" in for_news  # unsubscribed from events only
    assert "gone@example.org" not in for_news
    assert len(for_news) == len(set(for_news))


def test_an_organisation_without_contacts_is_written_to_at_its_own_address(geography):
    member_organisation("AM", email="office@example.org")

    recipients = segment_recipients(filters=SegmentFilters.from_dict({"country": "AM"}))

    assert [r.email for r in recipients] == ["office@example.org"]


def test_open_assistance_and_language_filters(register, secretariat):
    AssistanceRequestFactory.create(organisation=register["am"])

    helped = segment_recipients(filters=SegmentFilters.from_dict({"open_assistance": True}))
    russian = segment_recipients(filters=SegmentFilters.from_dict({"language": "ru"}))

    assert [r.email for r in helped] == ["anna@example.org"]
    assert [r.email for r in russian] == ["nino@example.org"]


def test_a_segment_needs_a_unique_name_and_known_filters(secretariat, geography):
    segment_create(actor=secretariat, name="Caucasus, NGOs", filters=CAUCASUS_NGOS)

    with pytest.raises(ValidationError) as same_name:
        segment_create(actor=secretariat, name="caucasus,  NGOs", filters={})
    with pytest.raises(ValidationError) as bad_type:
        segment_create(actor=secretariat, name="Other", filters={"type": "club"})

    assert "name" in same_name.value.message_dict
    assert "type" in bad_type.value.message_dict


def test_the_form_page_counts_live_and_saves(client, secretariat, register):
    client.force_login(secretariat)

    counted = client.get(reverse("mailings:segment_count"), CAUCASUS_NGOS, HTTP_HX_REQUEST="true")
    saved = client.post(
        reverse("mailings:segment_create"),
        {"name": "Caucasus, NGOs", "membership_status": "current", **CAUCASUS_NGOS},
    )

    assert "2 members match" in counted.content.decode()
    assert saved.status_code == 302
    page = client.get(saved["Location"])
    assert "2 members match" in page.content.decode()


def test_the_recipients_export_as_csv_and_xlsx(client, secretariat, register):
    client.force_login(secretariat)
    saved = client.post(
        reverse("mailings:segment_create"),
        {"name": "Caucasus, NGOs", "membership_status": "current", **CAUCASUS_NGOS},
    )
    pk = int(saved["Location"].rstrip("/").rsplit("/", 1)[-1])

    csv_file = client.get(reverse("mailings:segment_export", args=[pk, "csv"]))
    xlsx_file = client.get(reverse("mailings:segment_export", args=[pk, "xlsx"]))

    text = csv_file.content.decode("utf-8-sig")
    assert "nino@example.org" in text
    assert "ion@example.org" not in text
    assert xlsx_file.content[:2] == b"PK"
    assert xlsx_file["Cache-Control"] == "no-store"


def test_event_attendance_filter(register, secretariat, make_user):
    event = EventFactory.create()
    session = event.sessions.get()
    account = make_user(email="visitor@example.org")
    person = individual_member("visitor@example.org")
    person.user = account
    person.save()
    registration = Registration.objects.create(
        event=event, user=account, status=Registration.Status.CONFIRMED
    )
    Attendance.objects.create(registration=registration, session=session, source="check_in")

    attended = segment_recipients(filters=SegmentFilters.from_dict({"event": str(event.pk)}))

    assert [r.email for r in attended] == ["visitor@example.org"]


def test_the_pages_speak_russian(client, secretariat, register):
    client.force_login(secretariat)

    page = client.get("/ru/mailings/segments/new/")

    html = page.content.decode()
    assert "Новый сегмент" in html
    assert "Подходят 4 члена сети" in html
