"""core.charts: the bar chart's own words and hatched stubs (the rights statistics), and
valid, escaped SVG."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from hrnet.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> Any:
    return ElementTree.fromstring(str(chart.svg))  # noqa: S314 - our own output


def test_bars_say_their_own_text_and_a_missing_value_is_a_hatched_stub():
    bars = [
        charts.Bar(label="Police <abuse>", value=10, text="10"),
        charts.Bar(label="Eviction", value=None, text="<5"),
    ]

    chart = charts.bar_chart(bars, title="Cases & more", slug="rights", hatch_unknown=True)

    root = parse(chart)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Cases & more"
    assert root.find(f"{SVG}desc").text == "Police <abuse>: 10. Eviction: <5."
    assert root.find(f".//{SVG}pattern").get("id") == "rights-hatch"
    fills = [
        rect.get("fill") for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None
    ]
    assert fills == ["#0b5c7a", "url(#rights-hatch)"]
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "<5" in texts
    assert "Police <abuse>" in texts


def test_without_the_option_a_missing_value_has_no_bar():
    bars = [charts.Bar(label="Tested", value=Decimal(10)), charts.Bar(label="Cured", value=None)]

    root = parse(charts.bar_chart(bars, title="Cascade", slug="c"))

    assert root.find(f".//{SVG}pattern") is None
    assert len([r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]) == 1
    assert "not known" in [text.text for text in root.iter(f"{SVG}text")]


def test_band_names():
    assert [charts.band_name(b) for b in ("low", "medium", "high", "none", None)] == [
        "Low",
        "Medium",
        "High",
        "no band",
        "no data",
    ]
