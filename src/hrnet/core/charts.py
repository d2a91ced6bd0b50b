"""Server-rendered SVG charts: a choropleth map by band, trend lines and horizontal bars
(the evidence dashboards, the outreach cascades, the rights statistics). They need no
JavaScript, read in black and white (bands by pattern and by name, lines by dash and
marker, each labelled directly) and by screen readers (role="img" with a title and a
description). Each chart carries the rows of its data table, which the page shows beside
it and the CSV download writes, from the same data.

Every text is escaped here; the markup is built from our own constants and numbers only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
INK = "#1b1f24"
MUTED = "#4a5563"
# The bands of a value (the values of evidence's `Band` choices).
LOW = "low"
MEDIUM = "medium"
HIGH = "high"
BAND_LABELS = {LOW: gettext_lazy("Low"), MEDIUM: gettext_lazy("Medium"), HIGH: gettext_lazy("High")}
NO_BAND = "none"  # a value of an indicator without bands
NO_DATA = "nodata"
# Fill and pattern per band: lightness rises with the band and each has its own texture,
# so a grey print still tells them apart; the legend and every title name the band too.
BAND_STYLES: dict[str, tuple[str, str]] = {
    LOW: ("#deebf7", "lines"),
    MEDIUM: ("#9ecae1", "dots"),
    HIGH: ("#2f6f9f", "cross"),
    NO_BAND: ("#e6e6e6", "horizontal"),
    NO_DATA: ("#ffffff", "plain"),
}
LINE_COLOURS = ("#0b5c7a", "#a23b00", "#1d6b2f", "#5b3f8c", "#1b1f24")
LINE_DASHES = ("", "10 5", "3 4", "12 4 3 4", "6 3")
MARKERS = ("circle", "square", "triangle", "diamond", "circle")


class MapCell(Protocol):
    """A country's value on a map (evidence's `Cell`)."""

    @property
    def value(self) -> Decimal | None: ...
    @property
    def band(self) -> str | None: ...
    @property
    def source_label(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def origin_label(self) -> str: ...


class MapCountry(Protocol):
    @property
    def iso2(self) -> str: ...
    @property
    def name(self) -> str: ...


class MapItem(Protocol):
    @property
    def country(self) -> MapCountry: ...
    @property
    def cell(self) -> MapCell | None: ...


class MapIndicator(Protocol):
    @property
    def name(self) -> str: ...


class MapData(Protocol):
    """What a choropleth shows: one indicator in one year, an item per country."""

    @property
    def indicator(self) -> MapIndicator: ...
    @property
    def year(self) -> int: ...
    @property
    def items(self) -> Sequence[MapItem]: ...


class Series(Protocol):
    """One line of a line chart: (year, value) points under a label."""

    @property
    def label(self) -> str: ...
    @property
    def points(self) -> Sequence[tuple[int, Decimal]]: ...


class BarData(Protocol):
    """One bar of a bar chart (evidence's `CascadeStep`, or a `Bar`)."""

    @property
    def label(self) -> str: ...
    @property
    def value(self) -> Decimal | int | None: ...
    @property
    def percent_of_previous(self) -> Decimal | None: ...
    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class Bar:
    """A bar for `bar_chart`. `text` is what the bar says beside it (and in its title);
    empty, it says its value and its share of the bar before."""

    label: str
    value: Decimal | int | None
    percent_of_previous: Decimal | None = None
    source: str = ""
    text: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart and its data: `rows` under `headers` are the table behind it and its CSV."""

    slug: str  # unique on a page; names the download files
    title: str
    description: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]


def number_text(value: Decimal | float | int | None) -> str:
    """A number as the dashboards show it: grouped digits, at most one decimal."""
    if value is None:
        return _("not known")
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number_format(int(number), force_grouping=True)
    return number_format(number.quantize(Decimal("0.1")), decimal_pos=1, force_grouping=True)


def band_name(band: str | None) -> str:
    if band in BAND_LABELS:
        return str(BAND_LABELS[band])
    if band == NO_BAND:
        return _("no band")
    return _("no data")


def _attrs(**attributes: Any) -> str:
    """Escaped attributes; a trailing underscore is dropped, other underscores become
    hyphens (stroke_width= -> stroke-width=)."""
    parts = []
    for name, value in attributes.items():
        if value is None or value == "":
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(f'{key}="{escape(str(value))}"')
    return " ".join(parts)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_open(slug: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f"<svg {_attrs(xmlns='http://www.w3.org/2000/svg', viewBox=f'0 0 {width} {height}')} "
        f'role="img" {_attrs(aria_labelledby=f"{slug}-title {slug}-desc")} '
        f'class="chart__svg" {_attrs(font_family=FONT)}>'
        f"<title {_attrs(id=f'{slug}-title')}>{escape(title)}</title>"
        f"<desc {_attrs(id=f'{slug}-desc')}>{escape(description)}</desc>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
    )


def _pattern_defs(slug: str) -> str:
    """One <pattern> per band: its fill plus its texture."""
    textures = {
        "lines": '<path d="M0 8 L8 0 M-2 2 L2 -2 M6 10 L10 6" stroke="#1b1f24" '
        'stroke-width="1.2"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#1b1f24"/>',
        "cross": '<path d="M0 0 L8 8 M8 0 L0 8" stroke="#ffffff" stroke-width="1.4"/>',
        "horizontal": '<path d="M0 4 L8 4" stroke="#6b7785" stroke-width="1"/>',
        "plain": "",
    }
    parts = ["<defs>"]
    for band, (fill, texture) in BAND_STYLES.items():
        parts.append(
            f"<pattern {_attrs(id=f'{slug}-band-{band}')} "
            'patternUnits="userSpaceOnUse" width="8" height="8">'
            f'<rect width="8" height="8" {_attrs(fill=fill)}/>{textures[texture]}</pattern>'
        )
    parts.append("</defs>")
    return "".join(parts)


def _band_fill(slug: str, band: str) -> str:
    return f"url(#{slug}-band-{band})"


def choropleth(data: MapData, shapes: dict[str, Any], *, slug: str = "map") -> Chart:
    """The region's countries shaded by the band of `data.indicator` in `data.year`."""
    indicator = data.indicator
    title = _("%(indicator)s, %(year)s: countries by band") % {
        "indicator": indicator.name,
        "year": data.year,
    }
    counts = dict.fromkeys(BAND_STYLES, 0)
    for item in data.items:
        counts[_item_band(item)] += 1
    description = _(
        "Map of the region. Low: %(low)s countries; medium: %(medium)s; high: %(high)s; "
        "value without a band: %(none)s; no data: %(nodata)s. The table after the map "
        "lists every country."
    ) % {
        "low": counts[LOW],
        "medium": counts[MEDIUM],
        "high": counts[HIGH],
        "none": counts[NO_BAND],
        "nodata": counts[NO_DATA],
    }
    box = [float(v) for v in shapes.get("view_box", [0, 0, 1000, 587])]
    map_width, map_height = box[2], box[3]
    top = 44.0
    legend_height = 56.0
    width = int(map_width)
    height = int(map_height + top + legend_height)
    parts = [_svg_open(slug, width, height, title, description), _pattern_defs(slug)]
    parts.append(f'<g transform="translate({_num(-box[0])} {_num(top - box[1])})">')
    if shapes.get("context"):
        parts.append(
            f'<path {_attrs(d=shapes["context"])} fill="#f3f5f7" stroke="#c9d1da" '
            'stroke-width="0.6"/>'
        )
    countries = shapes.get("countries", {})
    for item in data.items:
        shape = countries.get(item.country.iso2)
        if not shape:
            continue
        band = _item_band(item)
        parts.append(
            f"<path {_attrs(d=shape['d'], fill=_band_fill(slug, band))} "
            f'stroke="#1b1f24" stroke-width="0.7" stroke-linejoin="round" '
            f"{_attrs(data_country=item.country.iso2, data_band=band)}>"
            f"<title>{escape(_map_item_title(item, band))}</title></path>"
        )
    parts.append("</g>")
    # The title over a plain band, drawn after the map so neighbouring land never covers it.
    parts.append(f'<rect x="0" y="0" width="{width}" height="{_num(top)}" fill="#fff"/>')
    # A long title is squeezed into the width rather than cut off (about 0.6 em a letter).
    fit = (
        f' textLength="{width - 24}" lengthAdjust="spacingAndGlyphs"'
        if 22 * 0.6 * len(title) > width - 24
        else ""
    )
    parts.append(
        f'<text x="12" y="30" font-size="22" font-weight="700"{fit} {_attrs(fill=INK)}>'
        f"{escape(title)}</text>"
    )
    # The legend, inside the SVG so a downloaded map keeps it.
    x = 12.0
    y = top + map_height + 14
    for band in BAND_STYLES:
        label = band_name(band)
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="32" height="24" '
            f'{_attrs(fill=_band_fill(slug, band))} stroke="#1b1f24" stroke-width="1"/>'
            f'<text x="{_num(x + 40)}" y="{_num(y + 18)}" font-size="18" {_attrs(fill=INK)}>'
            f"{escape(label)}</text>"
        )
        x += 40 + 11 * len(label) + 36
    parts.append("</svg>")
    rows = [
        [
            item.country.name,
            number_text(item.cell.value) if item.cell else "—",
            band_name(_item_band(item)),
            item.cell.source_label if item.cell else "",
            item.cell.period if item.cell else "",
            item.cell.origin_label if item.cell else "",
        ]
        for item in data.items
    ]
    return Chart(
        slug=slug,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped
        headers=[_("Country"), _("Value"), _("Band"), _("Source"), _("Year"), _("Origin")],
        rows=rows,
    )


def _item_band(item: MapItem) -> str:
    if item.cell is None or item.cell.value is None:
        return NO_DATA
    return str(item.cell.band) if item.cell.band else NO_BAND


def _map_item_title(item: MapItem, band: str) -> str:
    if band == NO_DATA:
        return _("%(country)s: no data") % {"country": item.country.name}
    return _("%(country)s: %(value)s, %(band)s") % {
        "country": item.country.name,
        "value": number_text(item.cell.value if item.cell else None),
        "band": band_name(band),
    }


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return (
            f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" '
            f"{_attrs(fill=colour)}/>"
        )
    if kind == "triangle":
        return (
            f'<path d="M{_num(x)} {_num(y - 5)} L{_num(x + 5)} {_num(y + 4)} '
            f'L{_num(x - 5)} {_num(y + 4)} Z" {_attrs(fill=colour)}/>'
        )
    if kind == "diamond":
        return (
            f'<path d="M{_num(x)} {_num(y - 5)} L{_num(x + 5)} {_num(y)} L{_num(x)} '
            f'{_num(y + 5)} L{_num(x - 5)} {_num(y)} Z" {_attrs(fill=colour)}/>'
        )
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" {_attrs(fill=colour)}/>'


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def line_chart(series: Sequence[Series], *, title: str, slug: str) -> Chart:
    """Trend lines over years, one dash style and marker each, labelled at their end and
    in a legend below."""
    years = sorted({year for item in series for year, _value in item.points})
    peak = max((float(value) for item in series for _year, value in item.points), default=0)
    y_max = _nice_max(peak)
    width, left, right, top, plot_height = 720, 70, 210, 48, 260
    legend_top = top + plot_height + 44
    height = legend_top + 26 * len(series) + 8
    plot_width = width - left - right
    first, last = (years[0], years[-1]) if years else (0, 0)

    def x_of(year: int) -> float:
        if last == first:
            return left + plot_width / 2
        return left + (year - first) / (last - first) * plot_width

    def y_of(value: Decimal) -> float:
        return top + plot_height - float(value) / y_max * plot_height

    description = " ".join(
        _("%(series)s: %(first)s in %(first_year)s, %(last)s in %(last_year)s.")
        % {
            "series": item.label,
            "first": number_text(item.points[0][1]),
            "first_year": item.points[0][0],
            "last": number_text(item.points[-1][1]),
            "last_year": item.points[-1][0],
        }
        for item in series
        if item.points
    )
    parts = [_svg_open(slug, width, height, title, description)]
    parts.append(
        f'<text x="12" y="28" font-size="18" font-weight="700" {_attrs(fill=INK)}>'
        f"{escape(_short(title, 70))}</text>"
    )
    # Axes and grid lines
    for tick in range(5):
        value = y_max * tick / 4
        y = top + plot_height - plot_height * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="#c9d1da" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{_num(y + 5)}" font-size="13" text-anchor="end" '
            f"{_attrs(fill=MUTED)}>{escape(number_text(value))}</text>"
        )
    step = max(1, math.ceil(len(years) / 8))
    for year in years[::step]:
        x = x_of(year)
        parts.append(
            f'<text x="{_num(x)}" y="{top + plot_height + 22}" font-size="13" '
            f'text-anchor="middle" {_attrs(fill=MUTED)}>{year}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_width}" y1="{top + plot_height}" '
        f'y2="{top + plot_height}" {_attrs(stroke=INK)} stroke-width="1.2"/>'
    )
    # Lines, markers, and labels at the end of each line, nudged apart.
    ends: list[tuple[float, int]] = []
    for index, item in enumerate(series):
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        dash = LINE_DASHES[index % len(LINE_DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        points = [(x_of(year), y_of(value)) for year, value in item.points]
        if not points:
            continue
        path = " ".join(
            f"{'M' if n == 0 else 'L'}{_num(x)} {_num(y)}" for n, (x, y) in enumerate(points)
        )
        parts.append(
            f"<g><title>{escape(item.label)}</title>"
            f'<path {_attrs(d=path, stroke=colour, stroke_dasharray=dash)} fill="none" '
            f'stroke-width="2.5"/>'
        )
        parts.extend(_marker(marker, x, y, colour) for x, y in points)
        parts.append("</g>")
        ends.append((points[-1][1], index))
    placed: list[float] = []
    for y, index in sorted(ends):
        label_y = max(y + 5, (placed[-1] + 17) if placed else y + 5)
        placed.append(label_y)
        parts.append(
            f'<text x="{left + plot_width + 10}" y="{_num(label_y)}" font-size="13" '
            f"{_attrs(fill=LINE_COLOURS[index % len(LINE_COLOURS)])}>"
            f"{escape(_short(series[index].label))}</text>"
        )
    # Legend: a sample of each line with its full name.
    for index, item in enumerate(series):
        y = legend_top + 26 * index
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        parts.append(
            f'<line x1="12" x2="52" y1="{y}" y2="{y}" '
            f"{_attrs(stroke=colour, stroke_dasharray=LINE_DASHES[index % len(LINE_DASHES)])} "
            f'stroke-width="2.5"/>{_marker(MARKERS[index % len(MARKERS)], 32, y, colour)}'
            f'<text x="62" y="{y + 5}" font-size="13" {_attrs(fill=INK)}>'
            f"{escape(_short(item.label, 90))}</text>"
        )
    parts.append("</svg>")
    by_year = [dict(item.points) for item in series]
    rows = [
        [str(year), *[number_text(values[year]) if year in values else "—" for values in by_year]]
        for year in years
    ]
    return Chart(
        slug=slug,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped
        headers=[_("Year"), *[item.label for item in series]],
        rows=rows,
    )


def bar_chart(
    bars: Sequence[BarData], *, title: str, slug: str, hatch_unknown: bool = False
) -> Chart:
    """Horizontal bars, each labelled with its value and its share of the bar before (or
    with its own `text`, see `Bar`). With `hatch_unknown`, a bar without a value (e.g. a
    suppressed count) is a short hatched stub rather than no bar at all."""
    width, left, right, top, row = 720, 12, 12, 48, 58
    height = top + row * len(bars) + 12
    peak = max((float(bar.value) for bar in bars if bar.value is not None), default=0)
    scale = (width - left - right - 220) / peak if peak else 0

    def note(bar: BarData) -> str:
        text = str(getattr(bar, "text", ""))  # a `Bar`'s own words
        if text:
            return text
        if bar.value is None:
            return _("not known")
        if bar.percent_of_previous is None:
            return number_text(bar.value)
        return _("%(value)s (%(percent)s%% of the step before)") % {
            "value": number_text(bar.value),
            "percent": number_text(bar.percent_of_previous),
        }

    description = " ".join(f"{bar.label}: {note(bar)}." for bar in bars)
    parts = [_svg_open(slug, width, height, title, description)]
    # Outlined bars when a stub may be drawn, so the stub reads as a bar.
    outline = ' stroke="#1b1f24" stroke-width="0.8"' if hatch_unknown else ""
    if hatch_unknown:
        parts.append(
            f'<defs><pattern {_attrs(id=f"{slug}-hatch")} patternUnits="userSpaceOnUse" '
            'width="6" height="6"><rect width="6" height="6" fill="#ffffff"/>'
            f'<path d="M0 6 L6 0" {_attrs(stroke=INK)} stroke-width="1.2"/></pattern></defs>'
        )
    parts.append(
        f'<text x="12" y="28" font-size="18" font-weight="700" {_attrs(fill=INK)}>'
        f"{escape(_short(title, 70))}</text>"
    )
    for index, bar in enumerate(bars):
        y = top + row * index
        parts.append(
            f'<text x="{left}" y="{y + 14}" font-size="14" {_attrs(fill=INK)}>'
            f"{escape(_short(bar.label, 90))}</text>"
        )
        length = float(bar.value) * scale if bar.value is not None else 0
        fill = "#0b5c7a"
        if bar.value is None and hatch_unknown:
            length, fill = 14, f"url(#{slug}-hatch)"
        if length:
            parts.append(
                f'<rect x="{left}" y="{y + 22}" width="{_num(max(length, 1))}" height="24" '
                f"{_attrs(fill=fill)}{outline}><title>{escape(bar.label)}: "
                f"{escape(note(bar))}</title></rect>"
            )
        parts.append(
            f'<text x="{_num(left + length + 8)}" y="{y + 40}" font-size="14" '
            f"{_attrs(fill=INK)}>{escape(note(bar))}</text>"
        )
    parts.append("</svg>")
    rows = [
        [
            bar.label,
            number_text(bar.value),
            f"{number_text(bar.percent_of_previous)}%" if bar.percent_of_previous else "—",
            bar.source,
        ]
        for bar in bars
    ]
    return Chart(
        slug=slug,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped
        headers=[_("Step"), _("People"), _("Share of the step before"), _("Source")],
        rows=rows,
    )
