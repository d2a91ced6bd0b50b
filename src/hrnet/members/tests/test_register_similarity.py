"""Near-duplicates: alike names in one country (a typo, a prefix, Cyrillic beside Latin)
are caught on import, on applications and on the duplicates page; "not a duplicate" is
remembered; the threshold is a setting."""

import csv
import io

import pytest
from django.urls import reverse

from hrnet.members.imports import OrganisationImporter
from hrnet.members.models import Organisation
from hrnet.members.selectors.register import duplicate_pairs, duplicates_find
from hrnet.members.similarity import alike, match_key, similarity
from hrnet.members.tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    PrinciplesVersionFactory,
    country,
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("New Wey Dnipro", "New Way Dnipro"),
        ("PF Street Outreach Almaty", "Street Outreach Almaty"),
        ("Альянс Здоровья Днипро", "Alyans Zdorovya Dnipro"),
        ("Надежда Кишинёв", "Nadezhda Kishinev"),
    ],
)
def test_alike_names_are_caught(first, second):
    assert alike(match_key(first), match_key(second))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Harm Reduction Centre 1", "Harm Reduction Centre 2"),
        ("Hope Chisinau", "Hope Balti"),
        ("Street Outreach Almaty", "Positive Women Almaty"),
    ],
)
def test_different_names_are_not(first, second):
    assert not alike(match_key(first), match_key(second))


def test_the_threshold_is_a_setting(settings):
    score = similarity(match_key("New Wey Dnipro"), match_key("New Way Dnipro"))
    settings.HRNET_DUPLICATE_SIMILARITY = score + 0.01
    assert not alike(match_key("New Wey Dnipro"), match_key("New Way Dnipro"))
    settings.HRNET_DUPLICATE_SIMILARITY = score
    assert alike(match_key("New Wey Dnipro"), match_key("New Way Dnipro"))


def _organisation(name, iso2="UA"):
    return OrganisationFactory.create(names={"en": name}, country=country(iso2))


def test_the_duplicates_page_suggests_alike_names_until_marked_not_a_duplicate(
    client, geography, secretariat
):
    # given near-duplicates in one country, and a like name in another country
    way = _organisation("New Way Dnipro")
    wey = _organisation("New Wey Dnipro")
    _organisation("New Way Dnipro", iso2="MD")
    street = _organisation("Street Outreach Almaty", iso2="KZ")
    pf = _organisation("PF Street Outreach Almaty", iso2="KZ")
    client.force_login(secretariat)

    # then the page suggests both pairs, and says why
    page = client.get(reverse("members:register_duplicates")).content.decode()
    assert "similar name, same country" in page
    pairs = {(p.first.pk, p.second.pk) for p in duplicate_pairs(kind="organisation")}
    assert (way.pk, wey.pk) in pairs
    assert (street.pk, pf.pk) in pairs
    assert len(pairs) == 2

    # when one pair is marked "not a duplicate"
    response = client.post(
        reverse("members:register_not_duplicate"),
        {"kind": "organisation", "first": wey.pk, "second": way.pk},
    )

    # then it is not suggested again
    assert response.status_code == 302
    pairs = {(p.first.pk, p.second.pk) for p in duplicate_pairs(kind="organisation")}
    assert pairs == {(street.pk, pf.pk)}


def test_an_application_shows_an_alike_organisation(client, geography, secretariat):
    PrinciplesVersionFactory.create(number=1)
    existing = _organisation("Street Outreach Almaty", iso2="KZ")
    applicant = _organisation("PF Street Outreach Almaty", iso2="KZ")
    application = ApplicationFactory.create(organisation=applicant)
    client.force_login(secretariat)

    content = client.get(f"/en/members/applications/{application.pk}/").content.decode()

    assert "Possibly already in the register" in content
    assert f"?kind=organisation&amp;keep={existing.pk}&amp;merge={applicant.pk}" in content


def test_a_cyrillic_name_finds_its_latin_spelling(geography):
    existing = _organisation("Nadezhda Kishinev", iso2="MD")
    found = duplicates_find(kind="organisation", name="Надежда Кишинёв", country=country("MD"))
    assert found == [existing]


def test_an_import_refuses_alike_names(geography, secretariat):
    _organisation("New Way Dnipro")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name_en", "type", "country"])
    writer.writerows(
        [
            ["New Wey Dnipro", "ngo", "UA"],
            ["Street Outreach Almaty", "ngo", "KZ"],
            ["PF Street Outreach Almaty", "ngo", "KZ"],
            ["Harm Reduction Centre 7", "ngo", "KZ"],
        ]
    )

    report = OrganisationImporter().run(buffer.getvalue().encode(), fmt="csv")

    messages = {(e.line, e.column): e.message for e in report.errors}
    assert "New Way Dnipro" in messages[(2, "name_en")]
    assert "line 3" in messages[(4, "name_en")]
    assert (5, "name_en") not in messages
    assert Organisation.objects.count() == 1
