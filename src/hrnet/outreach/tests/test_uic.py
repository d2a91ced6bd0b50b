# ruff: noqa: RUF003  (Cyrillic letters that look Latin are the point)
"""Unique Identifier Codes: the Central Asia scheme from Cyrillic and Latin input, the
placeholders, and codes as workers type them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hrnet.outreach.uic import (
    UIC_PLACEHOLDER,
    UIC_SCHEMES,
    uic_build,
    uic_is_valid,
    uic_normalise,
    uic_scheme,
    uic_sex_and_year,
)


def build(sex="male", year=1985, mother="Анна", father="Иван", **kwargs):
    return uic_build(sex=sex, birth_year=year, mother_name=mother, father_name=father, **kwargs)


def test_the_central_asia_code_is_sex_year_and_two_letters_of_each_parent():
    assert build() == "M1985ANIV"
    assert build(sex="female", year=2001, mother="Maria", father="Nurlan") == "F2001MANU"


def test_cyrillic_and_latin_spellings_give_the_same_code():
    assert build(mother="Анна", father="Иван") == build(mother="anna", father="IVAN")
    assert build(mother="Ольга", father="Сергей") == build(mother="Olga", father="Sergei")


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("Жанна", "ZH"),  # two Latin letters from one Cyrillic: still two
        ("Zhanna", "ZH"),
        ("Юлия", "YU"),
        ("Яна", "YA"),
        ("Щукина", "SH"),
        ("Shchukina", "SH"),
        ("Хадижа", "KH"),
        ("Ёлка", "EL"),
        ("Йоганн", "IO"),
        ("Өмүр", "OM"),  # Kyrgyz
        ("Үмүт", "UM"),
        ("Ұлжан", "UL"),  # Kazakh
        ("Әсел", "AS"),
        ("Қайрат", "KA"),
        ("Ғалия", "GA"),
        ("Ҳусейн", "HU"),  # Tajik
        ("Ҷамшед", "JA"),
        ("Ӯлмас", "UL"),
        ("Ўктам", "OK"),  # Uzbek
        ("Їжак", "IZ"),  # Ukrainian
        ("Євген", "EV"),
        ("Ґанна", "GA"),
        ("Şahin", "SA"),  # diacritics stripped
        ("Ölmez", "OL"),
        ("Łukasz", "LU"),
        ("Anne-Marie", "AN"),
        ("  a-n 2 na", "AN"),  # digits, spaces and hyphens ignored
        ("Ь Ъ Ира", "IR"),  # hard and soft signs dropped
    ],
)
def test_name_parts_are_normalised_with_one_table(name, part):
    assert build(mother=name)[5:7] == part


def test_short_and_unknown_names_get_the_placeholder():
    assert UIC_PLACEHOLDER == "X"
    assert build(mother="Э", father="") == "M1985EXXX"
    assert build(mother="?", father="-") == "M1985XXXX"
    assert build(mother="5", father="Li") == "M1985XXLI"


def test_unknown_sex_and_year_have_placeholders():
    assert build(sex="unknown", year=None) == "U0000ANIV"
    assert build(sex="", year=None)[0] == "U"
    assert build(sex="other")[0] == "O"
    assert build(sex="F")[0] == "F"


def test_impossible_sex_or_year_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as sex_error:
        build(sex="robot")
    with pytest.raises(ValidationError) as year_error:
        build(year=1850)
    assert "sex" in sex_error.value.message_dict
    assert "birth_year" in year_error.value.message_dict


def test_a_typed_code_is_normalised():
    assert uic_normalise("m1985aniv") == "M1985ANIV"
    assert uic_normalise(" M-1985 AN-IV ") == "M1985ANIV"
    # typed on a Cyrillic keyboard: the letters are read as the names' first letters
    assert uic_normalise("М1985АНИВ") == "M1985ANIV"
    assert uic_normalise("ж 1990 жа юл") == build(
        sex="female", year=1990, mother="Жанна", father="Юлиан"
    )
    assert uic_normalise("Ж1990ХХИВ") == "F1990XXIV"  # Cyrillic Х as the placeholder
    assert uic_normalise("M1990ХАИВ") == "M1990KHIV"  # ...but a letter when with another


def test_a_code_that_does_not_fit_is_cleaned_but_not_refused():
    assert not uic_is_valid("M19AN")
    assert uic_normalise("m 19-ан") == "M19AN"
    assert uic_is_valid("m1985aniv")
    assert not uic_is_valid("Q1985ANIV")
    assert not uic_is_valid("M19X5ANIV")


def test_schemes_are_registered_and_chosen_by_setting(settings):
    assert {"central_asia", "central_asia_short"} <= set(UIC_SCHEMES)
    assert build(scheme="central_asia_short") == "MANIV"
    settings.HRNET_UIC_SCHEME = "central_asia_short"
    assert build() == "MANIV"
    assert uic_normalise("м ан ив") == "MANIV"
    assert uic_scheme().name == "central_asia_short"


def test_swapped_parents_are_found():
    assert uic_scheme("central_asia").swapped("M1985ANIV") == "M1985IVAN"
    assert uic_scheme("central_asia").swapped("M1985ANAN") is None


def test_a_typed_code_gives_back_the_sex_and_year_it_carries():
    assert uic_sex_and_year("F1990ANIV") == ("female", 1990)
    assert uic_sex_and_year("U0000XXXX") == ("unknown", None)
    assert uic_sex_and_year("not a code") == ("unknown", None)
