from decimal import Decimal
from xml.etree import ElementTree

import pytest

from hrnet.core import charts
from hrnet.evidence.models import Indicator
from hrnet.evidence.selectors.dashboards import Cell, MapData, MapItem, TrendSeries
from hrnet.geo.models import Country
from hrnet.outreach.selectors.cascades import CascadeStep

SVG = "{http://www.w3.org/2000/svg}"
SHAPES = {
    "view_box": [0, 0, 100, 50],
    "context": "M0 0 L1 1",
    "countries": {"MD": {"d": "M10 10 L20 10 L20 20 Z"}, "GE": {"d": "M30 10 L40 10 L40 20 Z"}},
}


def parse(chart):
    return ElementTree.fromstring(str(chart.svg))  # noqa: S314 - our own output


def nsp_indicator():
    return Indicator(
        code="NSP_COVERAGE",
        names={"en": "Syringes <per> PWID & year"},
        low_below=Decimal(100),
        high_above=Decimal(200),
    )


def test_choropleth_is_valid_svg_with_a_title_per_country():
    indicator = nsp_indicator()
    cell = Cell(
        code="NSP_COVERAGE",
        label=indicator.name,
        unit="",
        period="2019",
        value=Decimal(250),
        band="high",
        source="UNAIDS GAM",
        origin="computed",
    )
    data = MapData(
        indicator=indicator,
        year=2019,
        items=[
            MapItem(country=Country(iso2="MD", names={"en": "Moldova"}), cell=cell),
            MapItem(country=Country(iso2="GE", names={"en": "Georgia"}), cell=None),
        ],
    )

    chart = charts.choropleth(data, SHAPES)

    root = parse(chart)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith("Syringes <per> PWID & year, 2019")
    assert "high: 1" in root.find(f"{SVG}desc").text
    titles = [
        path.find(f"{SVG}title").text
        for path in root.iter(f"{SVG}path")
        if path.get("data-country")
    ]
    assert titles == ["Moldova: 250, High", "Georgia: no data"]
    legend = [text.text for text in root.iter(f"{SVG}text")]
    assert {"Low", "Medium", "High", "no data"} <= set(legend)
    assert chart.rows[0][:3] == ["Moldova", "250", "High"]
    assert chart.rows[1][:3] == ["Georgia", "—", "no data"]


def test_line_chart_draws_each_series_with_its_own_dash_and_label():
    series = [
        TrendSeries(
            code="A", label="OST <coverage>", points=[(2018, Decimal(10)), (2019, Decimal(12))]
        ),
        TrendSeries(code="B", label="ART coverage", points=[(2019, Decimal("55.5"))]),
    ]

    chart = charts.line_chart(series, title="Coverage", slug="trend-coverage")

    root = parse(chart)
    assert root.find(f"{SVG}title").text == "Coverage"
    dashes = [
        path.get("stroke-dasharray")
        for path in root.iter(f"{SVG}path")
        if path.get("fill") == "none"
    ]
    assert dashes == [None, "10 5"]
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "OST <coverage>" in texts
    assert chart.headers == ["Year", "OST <coverage>", "ART coverage"]
    assert chart.rows == [["2018", "10", "—"], ["2019", "12", "55.5"]]


def test_bar_chart_says_the_share_of_the_step_before():
    bars = [
        CascadeStep(
            code="T",
            label="Tested",
            value=Decimal(1000),
            source="x",
            origin="imported",
            percent_of_previous=None,
        ),
        CascadeStep(
            code="P",
            label="Positive",
            value=Decimal(600),
            source="x",
            origin="imported",
            percent_of_previous=Decimal(60),
        ),
        CascadeStep(
            code="C", label="Cured", value=None, source="", origin="", percent_of_previous=None
        ),
    ]

    chart = charts.bar_chart(bars, title="HCV cascade, 2020", slug="cascade")

    root = parse(chart)
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "600 (60% of the step before)" in texts
    assert "not known" in texts
    assert chart.rows[1] == ["Positive", "600", "60%", "x"]


@pytest.mark.parametrize("value", [Decimal(0), Decimal("12345.67")])
def test_numbers_are_grouped_and_rounded(value):
    assert charts.number_text(value) in {"0", "12,345.7"}
