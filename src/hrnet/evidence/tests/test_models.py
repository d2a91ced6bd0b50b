from decimal import Decimal

import pytest

from hrnet.core.periods import period_parse
from hrnet.evidence.formats import disaggregation_key, disaggregation_parse, number_parse
from hrnet.evidence.models import Band, Indicator


def nsp() -> Indicator:
    return Indicator(code="NSP_COVERAGE", low_below=Decimal(100), high_above=Decimal(200))


def ost() -> Indicator:
    return Indicator(code="OST_COVERAGE", low_below=Decimal(20), high_above=Decimal(40))


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (Decimal("99.9999"), Band.LOW),
        (Decimal(100), Band.MEDIUM),
        (Decimal(150), Band.MEDIUM),
        (Decimal(200), Band.MEDIUM),
        (Decimal("200.0001"), Band.HIGH),
        (0, Band.LOW),
    ],
)
def test_nsp_band_edges_are_medium(value, band):
    assert nsp().band(value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(19.99, Band.LOW), (20, Band.MEDIUM), (40, Band.MEDIUM), (40.01, Band.HIGH)],
)
def test_ost_band_edges_are_medium(value, band):
    assert ost().band(value) == band


def test_no_band_without_limits_or_value():
    assert Indicator(code="PREVENTION_COVERAGE").band(Decimal(50)) is None
    assert nsp().band(None) is None


def test_band_with_only_a_low_limit():
    indicator = Indicator(code="X", low_below=Decimal(10))
    assert indicator.band(9) == Band.LOW
    assert indicator.band(1000) == Band.MEDIUM


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", ("2019", "year")),
        (" 2019 ", ("2019", "year")),
        ("2019Q1", ("2019Q1", "quarter")),
        ("2019q4", ("2019Q4", "quarter")),
        ("2019-Q2", ("2019Q2", "quarter")),
        ("201901", ("2019-01", "month")),
        ("2019-01", ("2019-01", "month")),
        ("2019-1", ("2019-01", "month")),
        ("201912", ("2019-12", "month")),
    ],
)
def test_period_parse(text, expected):
    assert period_parse(text) == expected


@pytest.mark.parametrize("text", ["", "19", "2019Q5", "201913", "2019-00", "1800", "next year"])
def test_period_parse_rejects(text):
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the input
        period_parse(text)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1234", Decimal(1234)),
        ("1 234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("12,25", Decimal("12.25")),
        ("0.123456", Decimal("0.1235")),
    ],
)
def test_number_parse(text, number):
    assert number_parse(text) == number


@pytest.mark.parametrize("text", ["abc", "1.2.3", "inf", "NaN"])
def test_number_parse_rejects(text):
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the input
        number_parse(text)


def test_disaggregation_key_is_canonical():
    assert disaggregation_key({"sex": "female", "age": "<25"}) == "age=<25;sex=female"
    assert disaggregation_key({}) == ""
    assert disaggregation_parse("Sex:Female, age=<25") == {"sex": "female", "age": "<25"}
    assert disaggregation_parse("total") == {}


def test_a_disaggregation_key_reads_back_into_its_disaggregation():
    from hrnet.evidence.formats import disaggregation_from_key, disaggregation_key

    split = {"sex": "female", "age": "<25"}

    assert disaggregation_from_key(disaggregation_key(split)) == split
    assert disaggregation_from_key("") == {}
