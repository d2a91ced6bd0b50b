import pytest
from django.core.exceptions import ValidationError

from hrnet.geo.models import normalize_name
from hrnet.geo.selectors import CountryIndex, country_resolve


def test_normalize_name_folds_case_spaces_punctuation_and_yo():
    assert normalize_name("  The former Yugoslav Republic of  Macedonia ") == (
        "the former yugoslav republic of macedonia"
    )
    assert normalize_name("Moldova, Republic of") == "moldova republic of"
    assert normalize_name("Лёгкий") == normalize_name("ЛЕГКИЙ")
    assert normalize_name("Türkiye") == "turkiye"


@pytest.mark.parametrize(
    ("query", "iso2"),
    [
        ("MD", "MD"),
        ("md", "MD"),
        ("MDA", "MD"),
        ("Moldova", "MD"),
        ("Republic of Moldova", "MD"),
        ("  republic   of moldova ", "MD"),
        ("Молдова", "MD"),
        ("Республика Молдова", "MD"),
        ("The former Yugoslav Republic of Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Российская Федерация", "RU"),
        ("XKX", "XK"),
        ("Kyrgyz Republic", "KG"),
        ("Bosnia and Hercegovina", "BA"),
    ],
)
def test_country_resolve_accepts_codes_names_and_aliases(geography, query, iso2):
    assert country_resolve(query).iso2 == iso2


def test_country_resolve_names_the_unknown_country(geography):
    with pytest.raises(ValidationError) as error:
        country_resolve("Atlantis")
    assert "Atlantis" in error.value.messages[0]


def test_country_index_resolves_many_names_with_two_queries(geography, django_assert_num_queries):
    with django_assert_num_queries(2):
        index = CountryIndex()
        for name in ["MD", "Ukraine", "Грузия", "Czech Republic"] * 100:
            index.resolve(name)
