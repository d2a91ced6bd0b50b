"""Server-rendered SVG charts: a choropleth map by band, trend lines and horizontal bars
(the evidence dashboards, the outreach cascades, the rights statistics). They need no
JavaScript, read in black and white (bands by pattern and by name, lines by dash and
marker, each named in full in a legend) and by screen readers (role="img" with a title
and a description). Each chart carries the rows of its data table, which the page shows
beside it and the CSV download writes, from the same data.

Text is never cut: titles, labels and legends wrap at estimated widths. Line and bar
charts are drawn twice, wide (`Chart.svg`) and for phones (`Chart.svg_narrow`, 360 units
wide), so their text stays readable at 360 px; a page shows one of them by a media query
(evidence's `dashboards.css`). Both scale to their column (viewBox, width 100%).

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


NO_SVG = mark_safe("")


@dataclass(frozen=True)
class Chart:
    """A chart and its data: `rows` under `headers` are the table behind it and its CSV."""

    slug: str  # unique on a page; names the download files
    title: str
    description: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]
    # The same chart laid out for a phone (360 units wide, so its text stays readable at
    # 360 px); empty for the map. A page shows one or the other by a media query.
    svg_narrow: SafeString = NO_SVG


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
    # width="100%" with the viewBox: the chart fills its column and keeps its proportions.
    return (
        f"<svg {_attrs(xmlns='http://www.w3.org/2000/svg', viewBox=f'0 0 {width} {height}')} "
        f'width="100%" role="img" {_attrs(aria_labelledby=f"{slug}-title {slug}-desc")} '
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
    width = int(map_width)
    # The map is drawn 1000 units wide: its words are large so that they stay readable
    # when the page shows it narrow (the page caps its width on large screens).
    title_size, legend_size = 26, 34
    title_lines = wrap(title, width - 24, title_size, bold=True)
    top = 16 + _lines_height(len(title_lines), title_size)
    # The legend flows into as many rows as its entries need.
    legend: list[tuple[float, int, str, str]] = []
    x, row = 12.0, 0
    for band in BAND_STYLES:
        label = band_name(band)
        entry = 48 + text_width(label, legend_size) + 32
        if x > 12 and x + entry > width - 12:
            x, row = 12.0, row + 1
        legend.append((x, row, band, label))
        x += entry
    legend_row = legend_size * 1.6
    legend_height = 24 + legend_row * (row + 1)
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
    parts.append(
        _lines(
            title_lines,
            x=12,
            y=8 + title_size,
            size=title_size,
            bold=True,
            css_class="chart__heading",
        )
    )
    # The legend, inside the SVG so a downloaded map keeps it.
    legend_top = top + map_height + 16
    parts.append(
        f'<rect x="0" y="{_num(legend_top - 8)}" width="{width}" '
        f'height="{_num(legend_height)}" fill="#fff"/>'
    )
    for x, row, band, label in legend:
        entry_y = legend_top + row * legend_row
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(entry_y)}" width="40" height="{legend_size}" '
            f'{_attrs(fill=_band_fill(slug, band))} stroke="#1b1f24" stroke-width="1"/>'
            + _lines([label], x=x + 48, y=entry_y + legend_size * 0.8, size=legend_size)
        )
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


# Widths of text are estimated, not measured (the server has no fonts): an average glyph of
# system sans-serif fonts is about 0.6 em, bold a little more; we reckon with more than
# that, so a line never runs past the edge.
GLYPH = 0.64
GLYPH_BOLD = 0.68


@dataclass(frozen=True)
class Layout:
    """Sizes of one layout of a chart: wide for screens from tablets up, narrow for
    phones (drawn 360 units wide so that, shown at about 330 px, text stays >= 11 px)."""

    width: int
    title: int  # font sizes
    text: int
    tick: int


WIDE = Layout(width=720, title=20, text=15, tick=14)
NARROW = Layout(width=360, title=16, text=14, tick=13)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return len(text) * size * (GLYPH_BOLD if bold else GLYPH)


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """`text` broken into lines no wider than `width` at font `size`: between words, and
    inside a word only when the word alone is too wide. Nothing is cut off."""
    limit = max(4, int(width / (size * (GLYPH_BOLD if bold else GLYPH))))
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > limit:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: limit - 1] + "-")
            word = word[limit - 1 :]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= limit:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def _lines(
    lines: Sequence[str],
    *,
    x: float,
    y: float,
    size: int,
    fill: str = INK,
    bold: bool = False,
    anchor: str = "",
    css_class: str = "",
) -> str:
    """One <text> per line, the first baseline at `y`, lines 1.25 em apart."""
    weight = ' font-weight="700"' if bold else ""
    return "".join(
        f'<text x="{_num(x)}" y="{_num(y + index * size * 1.25)}" font-size="{size}"{weight} '
        f"{_attrs(fill=fill, text_anchor=anchor, class_=css_class)}>{escape(line)}</text>"
        for index, line in enumerate(lines)
    )


def _lines_height(count: int, size: int) -> float:
    return count * size * 1.25


def _heading(title: str, layout: Layout) -> tuple[str, float]:
    """The chart's title, wrapped; returns its markup and the y below it."""
    lines = wrap(title, layout.width - 24, layout.title, bold=True)
    top = 12 + layout.title
    return (
        _lines(lines, x=12, y=top, size=layout.title, bold=True, css_class="chart__heading"),
        top + _lines_height(len(lines) - 1, layout.title) + layout.title * 0.6,
    )


def line_chart(series: Sequence[Series], *, title: str, slug: str) -> Chart:
    """Trend lines over years, one dash style and marker each, named in full in a legend
    below (names wrap, never cut). Drawn twice: wide, and narrow for phones."""
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
    years = sorted({year for item in series for year, _value in item.points})
    by_year = [dict(item.points) for item in series]
    rows = [
        [str(year), *[number_text(values[year]) if year in values else "—" for values in by_year]]
        for year in years
    ]
    return Chart(
        slug=slug,
        title=title,
        description=description,
        svg=_line_svg(series, title, slug, description, WIDE),
        svg_narrow=_line_svg(series, title, f"{slug}-narrow", description, NARROW),
        headers=[_("Year"), *[item.label for item in series]],
        rows=rows,
    )


def _line_svg(
    series: Sequence[Series], title: str, slug: str, description: str, layout: Layout
) -> SafeString:
    years = sorted({year for item in series for year, _value in item.points})
    peak = max((float(value) for item in series for _year, value in item.points), default=0)
    y_max = _nice_max(peak)
    width = layout.width
    heading, top = _heading(title, layout)
    top += layout.tick  # room for the top tick's label
    tick_labels = [number_text(y_max * tick / 4) for tick in range(5)]
    left = 12 + max(text_width(label, layout.tick) for label in tick_labels)
    right = 12 + text_width("2000", layout.tick) / 2
    plot_width = width - left - right
    plot_height = 260 if layout is WIDE else 200
    legend_top = top + plot_height + layout.tick * 2.2 + layout.text * 1.4
    legend: list[tuple[float, list[str]]] = []
    y = legend_top
    for item in series:
        lines = wrap(item.label, width - 62 - 12, layout.text)
        legend.append((y, lines))
        y += _lines_height(len(lines), layout.text) + 8
    height = int(y + 8)
    first, last = (years[0], years[-1]) if years else (0, 0)

    def x_of(year: int) -> float:
        if last == first:
            return left + plot_width / 2
        return left + (year - first) / (last - first) * plot_width

    def y_of(value: Decimal) -> float:
        return top + plot_height - float(value) / y_max * plot_height

    parts = [_svg_open(slug, width, height, title, description), heading]
    # Axes and grid lines
    for tick, label in enumerate(tick_labels):
        y = top + plot_height - plot_height * tick / 4
        parts.append(
            f'<line x1="{_num(left)}" x2="{_num(left + plot_width)}" y1="{_num(y)}" '
            f'y2="{_num(y)}" stroke="#c9d1da" stroke-width="1"/>'
            f'<text x="{_num(left - 8)}" y="{_num(y + layout.tick * 0.35)}" '
            f'font-size="{layout.tick}" text-anchor="end" {_attrs(fill=MUTED)}>'
            f"{escape(label)}</text>"
        )
    # As many year labels as fit side by side, the last year always among them.
    fits = max(1, int(plot_width // (text_width("2000", layout.tick) + 14)))
    step = max(1, math.ceil(len(years) / fits))
    shown = years[::-1][::step][::-1]
    for year in shown:
        parts.append(
            f'<text x="{_num(x_of(year))}" y="{_num(top + plot_height + layout.tick * 1.6)}" '
            f'font-size="{layout.tick}" text-anchor="middle" {_attrs(fill=MUTED)}>{year}</text>'
        )
    parts.append(
        f'<line x1="{_num(left)}" x2="{_num(left + plot_width)}" y1="{top + plot_height}" '
        f'y2="{top + plot_height}" {_attrs(stroke=INK)} stroke-width="1.2"/>'
    )
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
    # Legend: a sample of each line with its full name, wrapped.
    for index, (y, lines) in enumerate(legend):
        mid = y - layout.text * 0.35
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        parts.append(
            f'<line x1="12" x2="52" y1="{_num(mid)}" y2="{_num(mid)}" '
            f"{_attrs(stroke=colour, stroke_dasharray=LINE_DASHES[index % len(LINE_DASHES)])} "
            f'stroke-width="2.5"/>{_marker(MARKERS[index % len(MARKERS)], 32, mid, colour)}'
            + _lines(lines, x=62, y=y, size=layout.text)
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_chart(
    bars: Sequence[BarData],
    *,
    title: str,
    slug: str,
    hatch_unknown: bool = False,
    headers: Sequence[str] | None = None,
) -> Chart:
    """Horizontal bars, each labelled with its value and its share of the bar before (or
    with its own `text`, see `Bar`). With `hatch_unknown`, a bar without a value (e.g. a
    suppressed count) is a short hatched stub rather than no bar at all. Labels wrap,
    never cut; drawn twice: wide, and narrow for phones. `headers` name the data table's
    four columns (label, value, share of the bar before, source)."""

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

    notes = [note(bar) for bar in bars]
    description = " ".join(f"{bar.label}: {text}." for bar, text in zip(bars, notes, strict=True))
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
        svg=_bar_svg(bars, notes, title, slug, description, WIDE, hatch_unknown=hatch_unknown),
        svg_narrow=_bar_svg(
            bars, notes, title, f"{slug}-narrow", description, NARROW, hatch_unknown=hatch_unknown
        ),
        headers=list(headers)
        if headers
        else [_("Step"), _("People"), _("Share of the step before"), _("Source")],
        rows=rows,
    )


def _bar_svg(
    bars: Sequence[BarData],
    notes: Sequence[str],
    title: str,
    slug: str,
    description: str,
    layout: Layout,
    *,
    hatch_unknown: bool,
) -> SafeString:
    width, left, right, bar_height = layout.width, 12, 12, 24
    size = layout.text
    heading, top = _heading(title, layout)
    # The words beside a bar get at most 45% of the width; longer ones wrap there.
    note_space = min(
        max((text_width(text, size) for text in notes), default=0), (width - 24) * 0.45
    )
    peak = max((float(bar.value) for bar in bars if bar.value is not None), default=0)
    scale = max(width - left - right - note_space - 8, 40) / peak if peak else 0
    laid_out = []
    y = top + 4
    for bar, text in zip(bars, notes, strict=True):
        label_lines = wrap(bar.label, width - left - right, size)
        label_y = y + size
        bar_y = y + _lines_height(len(label_lines), size) + 4
        length = float(bar.value) * scale if bar.value is not None and bar.value > 0 else 0
        # `scale` leaves at least `note_space` beside the longest bar.
        note_lines = wrap(text, width - right - left - length - 8, size)
        block = max(bar_height, _lines_height(len(note_lines), size))
        laid_out.append((bar, text, label_lines, label_y, bar_y, length, note_lines))
        y = bar_y + block + 14
    height = int(y)
    parts = [_svg_open(slug, width, height, title, description)]
    # Outlined bars when a stub may be drawn, so the stub reads as a bar.
    outline = ' stroke="#1b1f24" stroke-width="0.8"' if hatch_unknown else ""
    if hatch_unknown:
        parts.append(
            f'<defs><pattern {_attrs(id=f"{slug}-hatch")} patternUnits="userSpaceOnUse" '
            'width="6" height="6"><rect width="6" height="6" fill="#ffffff"/>'
            f'<path d="M0 6 L6 0" {_attrs(stroke=INK)} stroke-width="1.2"/></pattern></defs>'
        )
    parts.append(heading)
    for bar, text, label_lines, label_y, bar_y, length, note_lines in laid_out:
        parts.append(_lines(label_lines, x=left, y=label_y, size=size))
        fill = "#0b5c7a"
        if bar.value is None and hatch_unknown:
            length, fill = 14, f"url(#{slug}-hatch)"
        if length:
            parts.append(
                f'<rect x="{left}" y="{_num(bar_y)}" width="{_num(max(length, 1))}" '
                f'height="{bar_height}" {_attrs(fill=fill)}{outline}><title>'
                f"{escape(bar.label)}: {escape(text)}</title></rect>"
            )
        note_y = bar_y + bar_height / 2 + size * 0.35
        parts.append(_lines(note_lines, x=left + length + 8, y=note_y, size=size))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
