"""The public report form: anonymous, lands as an unreviewed case with the organisation
chosen (or the secretariat), asks nothing identifying unless contact is wanted (then
kept encrypted), refuses floods and bots, never runs a script typed into it, is never
cached or logged."""

from __future__ import annotations

import logging
from typing import Any, cast

import pytest
from django.core.cache import cache
from django.db import connection
from django.forms import ChoiceField
from django.test import Client
from django.urls import reverse

from hrnet.core.models import AuditEntry
from hrnet.members.models import Organisation
from hrnet.members.tests.factories import MembershipFactory, OrganisationFactory, country
from hrnet.rights.forms.intake import SECRETARIAT, IntakeForm
from hrnet.rights.models import Case
from hrnet.rights.tests.factories import ViolationTypeFactory, use_test_keys

pytestmark = pytest.mark.usefixtures("geography")

SCRIPT = '<script>alert("x")</script>'
STORY = "Two officers stopped me near the pharmacy and took my syringes and my money."


@pytest.fixture(autouse=True)
def _keys_and_clean_throttle(settings: Any) -> Any:
    use_test_keys(settings)
    cache.clear()
    yield
    cache.clear()


def public_member(iso2: str = "MD", **fields: Any) -> Organisation:
    organisation = OrganisationFactory.create(country=country(iso2), is_public=True, **fields)
    MembershipFactory(organisation=organisation)
    return organisation


def report(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "what_happened": STORY,
        "date": "2024-05-02",
        "country": str(country("MD").pk),
        "locality": "Bălți",
        "organisation": SECRETARIAT,
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post(client: Client, data: dict[str, Any], address: str = "203.0.113.7") -> Any:
    return client.post(reverse("rights:intake"), data, REMOTE_ADDR=address)


def test_anyone_sees_the_form_without_identifying_fields(client: Client, db: None) -> None:
    response = client.get(reverse("rights:intake"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    names = set(IntakeForm().fields)
    assert not names & {"name", "email", "phone", "full_name"}
    # The contact field is not on the page until the box is ticked.
    assert 'name="contact"' not in response.content.decode()
    assert 'name="wants_contact"' in response.content.decode()


def test_report_lands_unreviewed_with_the_chosen_organisation(client: Client, db: None) -> None:
    organisation = public_member()
    police = ViolationTypeFactory.create(code="police-abuse")

    response = post(
        client,
        report(organisation=str(organisation.pk), violation_types=[str(police.pk)]),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("rights:intake_thanks")
    case = Case.objects.get()
    assert case.organisation == organisation
    assert case.status == Case.Status.UNREVIEWED
    assert case.source == Case.Source.PUBLIC_INTAKE
    assert case.narrative == STORY
    assert case.locality == "Bălți"
    assert str(case.date_from) == "2024-05-02"
    assert list(case.violation_types.all()) == [police]
    assert case.consent_to_record
    assert not case.wants_contact
    assert case.contact_details == ""
    assert case.documenter is None


def test_report_goes_to_the_secretariat_when_no_organisation_is_chosen(
    client: Client, db: None
) -> None:
    # Nothing identifying and no violation type: the shortest report that is accepted.
    response = post(client, report(locality=None, date=None, month="3", year="2023"))

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.organisation is None
    assert case.status == Case.Status.UNREVIEWED
    assert str(case.date_from) == "2023-03-01"


def test_wants_contact_keeps_the_contact_encrypted(client: Client, db: None) -> None:
    contact = "Signal: @safe-contact-4711, evenings only"

    post(client, report(wants_contact="on", contact=contact))

    case = Case.objects.get()
    assert case.wants_contact
    assert case.contact_details == contact
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_details, narrative FROM rights_case WHERE id = %s", [case.pk]
        )
        stored_contact, stored_narrative = cursor.fetchone()
    assert "safe-contact" not in stored_contact
    assert "officers" not in stored_narrative


def test_ticking_the_box_without_a_contact_shows_the_field(client: Client, db: None) -> None:
    response = post(client, report(wants_contact="on"))

    assert response.status_code == 200
    assert not Case.objects.exists()
    page = response.content.decode()
    assert 'name="contact"' in page
    assert "Say how we can reach you" in page
    assert STORY in page  # kept


def test_a_contact_without_the_box_ticked_is_not_kept(client: Client, db: None) -> None:
    post(client, report(contact="+373 600 00000"))

    case = Case.objects.get()
    assert not case.wants_contact
    assert case.contact_details == ""


def test_the_contact_fragment_appears_only_when_ticked(client: Client, db: None) -> None:
    url = reverse("rights:intake_contact")

    assert 'name="contact"' in client.get(url, {"wants_contact": "on"}).content.decode()
    assert 'name="contact"' not in client.get(url).content.decode()


def test_organisations_are_the_public_members_of_the_country(client: Client, db: None) -> None:
    listed = public_member("MD")
    public_member("GE")
    hidden = OrganisationFactory.create(country=country("MD"), is_public=False)
    MembershipFactory(organisation=hidden)
    not_a_member = OrganisationFactory.create(country=country("MD"), is_public=True)

    page = client.get(
        reverse("rights:intake_organisations"), {"country": country("MD").pk}
    ).content.decode()

    assert listed.name in page
    assert SECRETARIAT in page
    assert hidden.name not in page
    assert not_a_member.name not in page
    assert "Georgia" not in page
    form_choices = str(cast(ChoiceField, IntakeForm().fields["organisation"]).choices)
    assert hidden.name not in form_choices


def test_an_organisation_of_another_country_is_refused(client: Client, db: None) -> None:
    georgian = public_member("GE")

    response = post(client, report(organisation=str(georgian.pk)))

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "does not work in" in response.content.decode()


def test_a_non_public_organisation_cannot_be_chosen(client: Client, db: None) -> None:
    hidden = OrganisationFactory.create(country=country("MD"), is_public=False)
    MembershipFactory(organisation=hidden)

    response = post(client, report(organisation=str(hidden.pk)))

    assert response.status_code == 200
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"what_happened": ""}, "what_happened"),
        ({"date": None}, "date"),
        ({"date": None, "month": "4"}, "year"),
        ({"date": "2999-01-01"}, "date"),
        ({"country": ""}, "country"),
    ],
)
def test_incomplete_reports_say_why(
    client: Client, db: None, fields: dict[str, Any], field: str
) -> None:
    response = post(client, report(**fields))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_flood_from_one_address_is_refused_keeping_what_was_typed(
    client: Client, db: None, settings: Any
) -> None:
    settings.HRNET_RIGHTS_INTAKE_PER_HOUR = 2
    post(client, report())
    post(client, report())

    response = post(client, report(what_happened="A third report, typed with care."))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Too many reports from your network address" in page
    assert "A third report, typed with care." in page
    assert "no-store" in response["Cache-Control"]
    assert Case.objects.count() == 2
    # Another address is not held back.
    assert post(client, report(), address="198.51.100.9").status_code == 302
    assert Case.objects.count() == 3


def test_the_address_is_not_stored_with_the_report(client: Client, db: None) -> None:
    post(client, report(), address="203.0.113.77")

    assert not AuditEntry.objects.filter(ip_address="203.0.113.77").exists()
    assert "203.0.113.77" not in str(list(cache._cache.keys()))  # type: ignore[attr-defined]


def test_a_filled_honeypot_stores_nothing_and_thanks_all_the_same(client: Client, db: None) -> None:
    response = post(client, report(website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == reverse("rights:intake_thanks")
    assert not Case.objects.exists()


def test_scripts_typed_into_the_form_never_run(client: Client, db: None) -> None:
    # An invalid report (no country) shows every field again.
    response = post(
        client,
        report(
            what_happened=SCRIPT,
            locality=SCRIPT,
            country="",
            wants_contact="on",
            contact=SCRIPT,
            month=SCRIPT,
            year=SCRIPT,
            date=SCRIPT,
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # Stored as typed, shown nowhere on the thank-you page.
    post(client, report(what_happened=SCRIPT, locality="<b>x</b>"))
    assert Case.objects.get().narrative == SCRIPT
    thanks = client.get(reverse("rights:intake_thanks"))
    assert SCRIPT not in thanks.content.decode()
    assert "no-store" in thanks["Cache-Control"]


def test_the_thank_you_page_does_not_repeat_the_report(client: Client, db: None) -> None:
    response = post(client, report(wants_contact="on", contact="ask for Dina"), address="1.2.3.4")

    thanks = client.get(response["Location"]).content.decode()
    assert "pharmacy" not in thanks
    assert "Dina" not in thanks
    assert "Bălți" not in thanks


def test_what_was_typed_is_never_logged(
    client: Client, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    post(client, report(wants_contact="on", contact="ask for Dina"))
    post(client, report(country=""))

    logged = caplog.text
    assert "pharmacy" not in logged
    assert "Dina" not in logged
    audit = str(list(AuditEntry.objects.values_list("changes", "object_repr")))
    assert "pharmacy" not in audit
    assert "Dina" not in audit
