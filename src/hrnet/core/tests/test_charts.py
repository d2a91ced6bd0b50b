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


LONG = "Percentage of people who inject drugs tested for HIV who know their result"


def test_wrap_breaks_between_words_and_keeps_every_word():
    lines = charts.wrap(LONG, 200, 14)

    assert len(lines) > 1
    assert " ".join(lines) == LONG
    assert all(charts.text_width(line, 14) <= 200 for line in lines)


def test_a_word_longer_than_the_line_is_broken_not_cut():
    lines = charts.wrap("Antiretroviraltherapycoverage", 60, 14)

    assert "".join(line.rstrip("-") for line in lines) == "Antiretroviraltherapycoverage"


def _beyond_the_edge(root: Any, width: int) -> list[str]:
    """Texts whose estimated extent passes the chart's left or right edge."""
    out = []
    for text in root.iter(f"{SVG}text"):
        x = float(text.get("x"))
        extent = charts.text_width(
            text.text or "", float(text.get("font-size")), bold=text.get("font-weight") == "700"
        )
        start = {"end": x - extent, "middle": x - extent / 2}.get(text.get("text-anchor"), x)
        if start < 0 or start + extent > width:
            out.append(text.text)
    return out


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    return [text.text or "" for text in root.iter(f"{SVG}text")]


class _Line:
    def __init__(self, label: str, points: list[tuple[int, Decimal]]) -> None:
        self.label = label
        self.points = points


def test_line_chart_names_lines_in_full_in_a_legend_in_both_layouts():
    series = [
        _Line(LONG, [(2020, Decimal(30)), (2025, Decimal(40))]),
        _Line(LONG.replace("tested", "reached"), [(2020, Decimal(50)), (2025, Decimal(55))]),
    ]

    chart = charts.line_chart(series, title=LONG + ", Kazakhstan", slug="trend")

    for svg, width in ((chart.svg, 720), (chart.svg_narrow, 360)):
        root = ElementTree.fromstring(str(svg))  # noqa: S314 - our own output
        assert (root.get("viewBox") or "").startswith(f"0 0 {width} ")
        assert root.get("width") == "100%"
        texts = _texts(str(svg))
        assert not [text for text in texts if text.endswith(("…", "..."))]
        joined = " ".join(texts)
        assert LONG.split()[-1] in joined
        assert not _beyond_the_edge(root, width)
    # the two layouts carry their own ids, so both may sit on one page
    assert 'id="trend-title"' in chart.svg
    assert 'id="trend-narrow-title"' in chart.svg_narrow


def test_bar_labels_wrap_and_the_narrow_layout_is_360_wide():
    bars = [charts.Bar(label=LONG[:60], value=Decimal(100)), charts.Bar(label="Cured", value=20)]

    chart = charts.bar_chart(bars, title="Cascade", slug="c")

    assert str(chart.svg_narrow).count("<text") > str(chart.svg).count("<text")
    assert 'viewBox="0 0 360 ' in chart.svg_narrow
    assert not [text for text in _texts(str(chart.svg_narrow)) if text.endswith("…")]
    for svg, width in ((chart.svg, 720), (chart.svg_narrow, 360)):
        assert not _beyond_the_edge(ElementTree.fromstring(str(svg)), width)  # noqa: S314
