"""Finding records that are probably the same member."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hrnet.core.trash import trash_move
from hrnet.members.selectors.register import duplicate_pairs, duplicates_find
from hrnet.members.services.register import duplicates_check, organisation_create, person_create
from hrnet.members.tests.factories import OrganisationFactory, PersonFactory, country


@pytest.fixture
def moldova(geography):
    return country("MD")


def test_same_email_whatever_its_case_is_a_duplicate(moldova):
    person = PersonFactory.create(email="olena@example.org")

    found = duplicates_find(kind="person", email=" Olena@Example.ORG ")

    assert found == [person]


def test_same_normalised_name_in_the_same_country_is_a_duplicate(moldova):
    organisation = organisation_create(
        names={"en": "Positive Initiative"}, kind="ngo", country=moldova
    )

    assert duplicates_find(kind="organisation", name="  POSITIVE-initiative ", country=moldova) == [
        organisation
    ]
    # The same name in another country is another organisation.
    assert (
        duplicates_find(kind="organisation", name="Positive Initiative", country=country("UA"))
        == []
    )


def test_accents_and_cyrillic_case_do_not_hide_a_duplicate(moldova):
    person = person_create(full_name="Алёна Петрова", country=moldova)

    assert duplicates_find(kind="person", name="АЛЕНА петрова", country=moldova) == [person]


def test_the_record_itself_trashed_records_and_erased_people_are_not_duplicates(moldova):
    person = PersonFactory.create(email="a@example.org")
    trashed = PersonFactory.create(email="a@example.org")
    trash_move(obj=trashed, actor=None)
    PersonFactory.create(email="a@example.org", erased_at="2024-01-01T00:00:00Z")

    assert duplicates_find(kind="person", email="a@example.org", exclude_pk=person.pk) == []


def test_nothing_to_compare_finds_nothing(moldova):
    PersonFactory.create(email="")

    assert duplicates_find(kind="person") == []
    assert duplicates_find(kind="person", name="Someone") == []  # a name needs a country


def test_duplicates_check_refuses_with_a_message_naming_the_field_and_the_record(moldova):
    PersonFactory.create(full_name="Ion Popescu", name_key="ion popescu", email="ion@example.org")

    with pytest.raises(ValidationError) as by_email:
        duplicates_check(kind="person", email="ION@example.org", name="Other", country=moldova)
    with pytest.raises(ValidationError) as by_name:
        duplicates_check(kind="person", name="Ion  Popescu", country=moldova)

    assert "Ion Popescu" in by_email.value.message_dict["email"][0]
    assert "Ion Popescu" in by_name.value.message_dict["full_name"][0]
    duplicates_check(kind="person", name="Ion Popescu", country=country("UA"))  # no error


def test_create_services_still_create_duplicates_when_asked(moldova):
    # Callers that must refuse duplicates call duplicates_check first.
    person_create(full_name="Ion Popescu", country=moldova)
    person_create(full_name="Ion Popescu", country=moldova)

    assert len(duplicates_find(kind="person", name="Ion Popescu", country=moldova)) == 2


def test_pairs_in_the_whole_register_with_their_reasons(moldova):
    a = OrganisationFactory.create(names={"en": "Alpha"}, name_key="alpha", email="x@example.org")
    b = OrganisationFactory.create(names={"en": "Alpha"}, name_key="alpha", email="X@example.org")
    c = OrganisationFactory.create(names={"en": "Gamma"}, name_key="gamma", email="x@example.org")
    OrganisationFactory.create(names={"en": "Alpha"}, name_key="alpha", country=country("UA"))

    pairs = duplicate_pairs(kind="organisation")

    found = {(p.first.pk, p.second.pk): (p.same_email, p.same_name) for p in pairs}
    assert found == {
        (a.pk, b.pk): (True, True),
        (a.pk, c.pk): (True, False),
        (b.pk, c.pk): (True, False),
    }


def test_duplicates_page_lists_pairs_for_the_secretariat(
    client, secretariat, moldova, django_assert_max_num_queries
):
    first = PersonFactory.create(full_name="Maria Ionescu", name_key="maria ionescu")
    second = PersonFactory.create(full_name="Maria  Ionescu", name_key="maria ionescu")
    OrganisationFactory.create_batch(5)
    client.force_login(secretariat)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("members:register_duplicates"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "same name and country" in content
    assert f"keep={first.pk}&amp;merge={second.pk}" in content
    assert "No possible duplicates." in content  # no organisation pair


@pytest.mark.parametrize("role", [None, "member", "orgadmin"])
def test_only_the_secretariat_sees_the_duplicates(client, make_user, geography, role):
    if role:
        client.force_login(make_user(role))

    response = client.get(reverse("members:register_duplicates"))

    assert response.status_code == (403 if role else 302)
