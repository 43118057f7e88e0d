"""Draw a story's places on a small world map, as inline SVG with no network.

The country outlines are Natural Earth 1:110m (public domain), converted once
by ``scripts/make_world_outlines.py`` into ``static/world-110m.json`` (about
100 KB, 0.1 degree resolution) and shipped with the package. A map shows only
the countries that meet its view, so the SVG in a page stays small.

The projection is equirectangular with longitudes shrunk by the cosine of the
view's middle latitude (so shapes near the view centre keep their
proportions), zoomed to the places with padding. Everything here is pure
apart from reading the packaged outline file once.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["MapView", "Marker", "Place", "View", "build_map", "clip_ring", "fit_view", "project"]

WIDTH = 800.0
MAX_HEIGHT = 460.0
MIN_HEIGHT = 260.0
MIN_SPAN = 8.0  # degrees shown around a single place
PAD = 0.25  # share of the places' span added on each side
MIN_STEP = 2.0  # pixels (Manhattan) between kept outline points


@dataclass(frozen=True, slots=True)
class Place:
    """One place to mark: an entity with coordinates."""

    id: str
    name: str
    lat: float
    lon: float
    kind: str = ""  # city, country, admin1…
    mentions: int = 0
    href: str | None = None


@dataclass(frozen=True, slots=True)
class View:
    """The lon/lat box a map shows and the SVG size it is drawn at."""

    west: float
    south: float
    east: float
    north: float
    width: float
    height: float

    @property
    def shrink(self) -> float:
        return max(math.cos(math.radians((self.south + self.north) / 2)), 0.2)


@dataclass(frozen=True, slots=True)
class Marker:
    place: Place
    x: float
    y: float
    r: float
    label_x: float
    anchor: str  # text-anchor of the label: start or end
    labelled: bool = True  # False when a busier place's label already sits there


@dataclass(frozen=True, slots=True)
class MapView:
    view: View
    paths: tuple[tuple[str, str], ...]  # (country name, SVG path data)
    markers: tuple[Marker, ...]
    source: str

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.view.width:g} {self.view.height:g}"


def is_coordinate(lat: object, lon: object) -> bool:
    """Whether ``lat``/``lon`` are finite numbers on the globe."""
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    return ok and -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180  # type: ignore[arg-type]


def fit_view(places: Sequence[Place]) -> View:
    """The box around ``places`` with padding, widened to a pleasant aspect ratio."""
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    west, east = min(lons), max(lons)
    south, north = min(lats), max(lats)
    pad_lon = max((east - west) * PAD, MIN_SPAN / 2)
    pad_lat = max((north - south) * PAD, MIN_SPAN / 2)
    west, east = max(west - pad_lon, -180.0), min(east + pad_lon, 180.0)
    south, north = max(south - pad_lat, -85.0), min(north + pad_lat, 85.0)
    shrink = max(math.cos(math.radians((south + north) / 2)), 0.2)
    span_x = (east - west) * shrink
    span_y = north - south
    ratio = span_y / span_x
    height = min(max(WIDTH * ratio, MIN_HEIGHT), MAX_HEIGHT)
    want = height / WIDTH
    if ratio < want:  # too wide: show more latitude
        extra = (span_x * want - span_y) / 2
        south, north = max(south - extra, -85.0), min(north + extra, 85.0)
    elif ratio > want:  # too tall: show more longitude
        extra = (span_y / want - span_x) / shrink / 2
        west, east = max(west - extra, -180.0), min(east + extra, 180.0)
    return View(west=west, south=south, east=east, north=north, width=WIDTH, height=height)


def project(view: View, lon: float, lat: float) -> tuple[float, float]:
    """SVG coordinates of a lon/lat point in ``view`` (y grows downwards)."""
    shrink = view.shrink
    span_x = (view.east - view.west) * shrink
    span_y = view.north - view.south
    scale = min(view.width / span_x, view.height / span_y)
    x = (lon - view.west) * shrink * scale + (view.width - span_x * scale) / 2
    y = (view.north - lat) * scale + (view.height - span_y * scale) / 2
    return x, y


def build_map(places: Sequence[Place]) -> MapView | None:
    """A map of ``places`` (None when there is nothing to place)."""
    good = [p for p in places if is_coordinate(p.lat, p.lon)]
    if not good:
        return None
    view = fit_view(good)
    outlines = _outlines()
    scale = outlines["scale"]
    paths = []
    for name, rings in outlines["countries"]:
        data = _path(view, rings, scale)
        if data:
            paths.append((str(name), data))
    markers = []
    radius = 5.0
    labels: list[tuple[float, float, float]] = []  # (left, right, baseline) of labels drawn
    for place in sorted(good, key=lambda p: (-p.mentions, p.name)):
        x, y = project(view, place.lon, place.lat)
        right = x < view.width * 0.75
        label_x = x + 8 if right else x - 8
        width = 8.0 * len(place.name)
        left_edge, right_edge = (label_x, label_x + width) if right else (label_x - width, label_x)
        free = all(abs(y - b) >= 15 or right_edge < lo or left_edge > hi for lo, hi, b in labels)
        if free:
            labels.append((left_edge, right_edge, y))
        markers.append(
            Marker(
                place=place,
                x=round(x, 1),
                y=round(y, 1),
                r=radius,
                label_x=round(label_x, 1),
                anchor="start" if right else "end",
                labelled=free,
            )
        )
    return MapView(view=view, paths=tuple(paths), markers=tuple(markers), source=outlines["source"])


def _path(view: View, rings: Sequence[Sequence[int]], scale: int) -> str:
    """SVG path data of the rings that meet the view, clipped to it, in whole pixels."""
    out = []
    margin = 2.0  # degrees: shapes just outside still count, so coasts at the edge are drawn
    for ring in rings:
        lons = ring[0::2]
        lats = ring[1::2]
        if (
            max(lons) / scale < view.west - margin
            or min(lons) / scale > view.east + margin
            or max(lats) / scale < view.south - margin
            or min(lats) / scale > view.north + margin
        ):
            continue
        projected = [
            project(view, lon / scale, lat / scale) for lon, lat in zip(lons, lats, strict=True)
        ]
        clipped = clip_ring(projected, -4.0, -4.0, view.width + 4.0, view.height + 4.0)
        kept: list[tuple[int, int]] = []
        for x, y in clipped:
            point = (round(x), round(y))
            if not kept or abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= MIN_STEP:
                kept.append(point)
        if len(kept) >= 3:
            # Absolute start, then relative steps ("l" repeats implicitly): about 40 % shorter.
            steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(kept))
            out.append(f"M{kept[0][0]} {kept[0][1]}l{steps}z")
    return "".join(out)


def clip_ring(
    points: Sequence[tuple[float, float]], x0: float, y0: float, x1: float, y1: float
) -> list[tuple[float, float]]:
    """Clip a closed polygon ring to a rectangle (Sutherland-Hodgman)."""
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    )
    result = list(points)
    for inside, cross in edges:
        if not result:
            break
        current, result = result, []
        previous = current[-1]
        for point in current:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
    return result


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


@lru_cache(maxsize=1)
def _outlines() -> dict[str, object]:
    text = resources.files("parallax.report").joinpath("static/world-110m.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
