#!/usr/bin/env python3
"""Build the member map's country shapes from Natural Earth (via the world-atlas package).

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    uv run python tools/build_map_shapes.py /tmp/package/countries-50m.json

Writes src/hrnet/members/static/members/map/ceeca-shapes.json: SVG path data for the
network's countries (keyed by ISO2) and one grey path of their neighbours, already
projected (Albers equal-area conic) and simplified, so pages draw the map without any
JavaScript or tiles. Run it again only to change the projection, the detail or the set of
countries; the output is committed.

Natural Earth is in the public domain; world-atlas (TopoJSON of it) is ISC-licensed.
Standard library only, so it runs anywhere Python does.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path
from typing import Any

OUT = (
    Path(__file__).resolve().parent.parent
    / "src/hrnet/members/static/members/map/ceeca-shapes.json"
)

# ISO 3166-1 numeric codes (world-atlas ids) of the default CEECA countries. Kosovo has no
# ISO numeric code; world-atlas has it without an id, so it is matched by name.
NETWORK = {
    "EE": "233", "LV": "428", "LT": "440",
    "CZ": "203", "HU": "348", "PL": "616", "SK": "703", "SI": "705",
    "AL": "008", "BA": "070", "BG": "100", "HR": "191", "XK": "name:Kosovo", "MK": "807",
    "ME": "499", "RO": "642", "RS": "688",
    "BY": "112", "MD": "498", "UA": "804",
    "AM": "051", "AZ": "031", "GE": "268",
    "KZ": "398", "KG": "417", "TJ": "762", "TM": "795", "UZ": "860",
    "RU": "643",
}  # fmt: skip

WIDTH = 1000.0  # viewBox width; the height follows from the region's shape
MARGIN = 0.03  # of the width, around the network's countries
# Simplification tolerance in viewBox units: finest for the borders of the network's
# small countries (Kosovo is 15 units wide), coarsest for the grey neighbours.
TOLERANCE_SMALL = 0.25
TOLERANCE_LARGE = 0.6
TOLERANCE_CONTEXT = 1.5
LARGE_AREA = 20_000  # square viewBox units of a country's bounding box
MIN_RING_AREA_NETWORK = 0.5  # square viewBox units; smaller islands are dropped
MIN_RING_AREA_CONTEXT = 6.0


class Albers:
    """Albers equal-area conic: areas stay comparable, which a choropleth needs."""

    def __init__(self, lon0: float, lat0: float, lat1: float, lat2: float) -> None:
        r = math.radians
        self.lon0 = r(lon0)
        self.n = (math.sin(r(lat1)) + math.sin(r(lat2))) / 2
        self.c = math.cos(r(lat1)) ** 2 + 2 * self.n * math.sin(r(lat1))
        self.rho0 = math.sqrt(self.c - 2 * self.n * math.sin(r(lat0))) / self.n

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        # The region crosses the antimeridian (Chukotka): keep it east of 180°.
        if lon < -100:
            lon += 360
        rho = math.sqrt(self.c - 2 * self.n * math.sin(math.radians(lat))) / self.n
        theta = self.n * (math.radians(lon) - self.lon0)
        return rho * math.sin(theta), -(self.rho0 - rho * math.cos(theta))


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Quantised, delta-encoded TopoJSON arcs as absolute (lon, lat) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; the end points always stay, so shared borders still meet."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, worst_at = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs(dy * px - dx * py + bx * ay - by * ax) / length
            if distance > worst:
                worst, worst_at = distance, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def polygons_of(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def ring_points(
    ring: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def area(points: list[tuple[float, float]]) -> float:
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def bbox(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    """Relative SVG path commands; deltas between rounded points, so no rounding drift."""
    parts = []
    for ring in rings:
        rounded = [(round(x, 1), round(y, 1)) for x, y in ring]
        deduped = [rounded[0]]
        for point in rounded[1:]:
            if point != deduped[-1]:
                deduped.append(point)
        if deduped[-1] == deduped[0]:
            deduped.pop()
        if len(deduped) < 3:
            continue
        x0, y0 = deduped[0]
        steps = []
        for (xa, ya), (xb, yb) in itertools.pairwise(deduped):
            dx, dy = fmt(xb - xa), fmt(yb - ya)
            steps.append(dx + ("" if dy.startswith("-") else " ") + dy)
        parts.append(f"M{fmt(x0)} {fmt(y0)}l" + " ".join(steps) + "z")
    return "".join(parts)


def build(source: Path) -> dict[str, Any]:
    topology = json.loads(source.read_text())
    geometries = topology["objects"]["countries"]["geometries"]
    project = Albers(lon0=100, lat0=56, lat1=52, lat2=64)
    arcs_lonlat = decode_arcs(topology)
    projected = [[project(lon, lat) for lon, lat in arc] for arc in arcs_lonlat]

    def geometry_for(code: str) -> dict[str, Any]:
        key, _sep, name = code.partition(":")
        for geometry in geometries:
            if (key == "name" and geometry["properties"]["name"] == name) or (
                geometry.get("id") == code
            ):
                return geometry
        raise SystemExit(f"no shape for {code} in {source}")

    network = {iso2: geometry_for(code) for iso2, code in NETWORK.items()}

    # The view: the network's countries (without far islands), with a margin.
    boxes = [
        bbox(ring_points(polygon[0], projected))
        for geometry in network.values()
        for polygon in polygons_of(geometry)
        if area(ring_points(polygon[0], projected)) > 1e-4
    ]
    min_x, min_y = min(b[0] for b in boxes), min(b[1] for b in boxes)
    max_x, max_y = max(b[2] for b in boxes), max(b[3] for b in boxes)
    scale = WIDTH / (max_x - min_x) / (1 + 2 * MARGIN)
    offset_x = min_x - MARGIN * (max_x - min_x)
    offset_y = min_y - MARGIN * (max_x - min_x)
    height = (max_y - min_y) * scale + 2 * MARGIN * WIDTH / (1 + 2 * MARGIN)

    def to_view(point: tuple[float, float]) -> tuple[float, float]:
        return (point[0] - offset_x) * scale, (point[1] - offset_y) * scale

    in_view = [[to_view(p) for p in arc] for arc in projected]
    # An arc shared by several countries gets the finest tolerance of any of them.
    tolerance = [TOLERANCE_CONTEXT] * len(in_view)
    for geometry in network.values():
        points = [p for polygon in polygons_of(geometry) for p in ring_points(polygon[0], in_view)]
        x0, y0, x1, y1 = bbox(points)
        fine = TOLERANCE_LARGE if (x1 - x0) * (y1 - y0) > LARGE_AREA else TOLERANCE_SMALL
        for polygon in polygons_of(geometry):
            for ring in polygon:
                for index in ring:
                    arc = index if index >= 0 else ~index
                    tolerance[arc] = min(tolerance[arc], fine)
    simplified = [simplify(arc, tolerance[i]) for i, arc in enumerate(in_view)]

    def rings_of(geometry: dict[str, Any], min_area: float) -> list[list[tuple[float, float]]]:
        rings = []
        for polygon in polygons_of(geometry):
            outer = ring_points(polygon[0], simplified)
            x0, y0, x1, y1 = bbox(outer)
            if x1 < 0 or y1 < 0 or x0 > WIDTH or y0 > height or area(outer) < min_area:
                continue
            rings.append(outer)
            rings += [
                hole
                for hole in (ring_points(r, simplified) for r in polygon[1:])
                if area(hole) >= min_area
            ]
        return rings

    countries = {}
    for iso2, geometry in network.items():
        rings = rings_of(geometry, MIN_RING_AREA_NETWORK)
        largest = max(rings, key=area)
        x0, y0, x1, y1 = bbox(largest)
        countries[iso2] = {
            "d": path_data(rings),
            # Where a label or marker could go: the middle of the largest part.
            "centre": [round((x0 + x1) / 2, 1), round((y0 + y1) / 2, 1)],
        }
    network_ids = {id(g) for g in network.values()}
    context = "".join(
        path_data(rings_of(geometry, MIN_RING_AREA_CONTEXT))
        for geometry in geometries
        if id(geometry) not in network_ids
    )
    return {
        "source": (
            "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas "
            "countries-50m.json (ISC licence, (c) Michael Bostock); Albers equal-area conic "
            "(100E; 52N, 64N), simplified; built by tools/build_map_shapes.py"
        ),
        "licence": "Public domain (Natural Earth); world-atlas ISC",
        "view_box": [0, 0, round(WIDTH), round(height)],
        "countries": countries,
        "context": context,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    shapes = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(shapes, ensure_ascii=False, separators=(",", ":")) + "\n")
    size = args.out.stat().st_size
    print(f"{args.out}: {len(shapes['countries'])} countries, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
