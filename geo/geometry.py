"""Lines for routes and movements: great circles, waypoints, the antimeridian, rounding.

A line is first built as a :class:`Path` in *unwrapped* longitudes: consecutive vertices never
differ by more than 180 degrees, so a route from Anadyr (177.5 E) to Nome (165.4 W) runs
east through 180 instead of back across the whole globe.  Lengths and sub-lines are taken
on that continuous path; only :meth:`Path.parts` cuts it at the antimeridian into pieces
whose longitudes lie in [-180, 180], as RFC 7946 section 3.1.9 asks.

Air legs are geodesics on WGS84 (pyproj), densified every :data:`ARC_SPACING_KM` so they
look curved on a web map.  Rail, road and sea legs run between their stops and the waypoints
a source supports (a waypoint without ``sources`` is not drawn); each leg follows the network
path stored for it in the committed path cache (:mod:`geo.pathcache`, computed by ``geo
paths`` on OpenStreetMap's railways and highways or on the GSHHG land mask), and is straight
where no path is stored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, pairwise

import numpy as np

from geo.model import Place, Route
from geo.network import routed_mode
from geo.pathcache import PathCache, bundled

ARC_SPACING_KM = 50.0
DECIMALS = 6


@cache
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


@dataclass(frozen=True, eq=False)
class Path:
    """A line in unwrapped longitudes, with the vertex index of each stop it passes."""

    lons: np.ndarray
    lats: np.ndarray
    stop_index: tuple[int, ...]

    def length_km(self) -> float:
        """Geodesic length on WGS84 of the drawn line (sum of its vertex-to-vertex geodesics)."""
        if len(self.lons) < 2:
            return 0.0
        return float(_geod().line_length(self.lons, self.lats)) / 1000.0

    def between(self, first: int, last: int) -> Path:
        """The part from stop number *first* to stop number *last*, reversed if last < first."""
        i, j = self.stop_index[first], self.stop_index[last]
        if i <= j:
            return Path(self.lons[i : j + 1], self.lats[i : j + 1], (0, j - i))
        return Path(self.lons[j : i + 1][::-1], self.lats[j : i + 1][::-1], (0, i - j))

    def parts(self) -> list[list[tuple[float, float]]]:
        """The line cut at the antimeridian, rounded to 6 decimals, without repeated vertices.

        Each part is a list of (lon, lat) with -180 <= lon <= 180; a part that would have
        fewer than two distinct vertices is dropped.
        """
        lons, lats = self.lons, self.lats
        if len(lons) and -180.0 <= lons.min() and lons.max() < 180.0:  # the usual case: no cut
            coords = _dedupe(np.round(lons, DECIMALS), np.round(lats, DECIMALS))
            return [coords] if len(coords) >= 2 else []
        band = np.floor((lons + 180.0) / 360.0).astype(np.int64)
        cuts = np.flatnonzero(np.diff(band)) + 1
        pieces: list[tuple[np.ndarray, np.ndarray]] = []
        start = 0
        head_lon: float | None = None
        head_lat = 0.0
        for cut in cuts:
            lon_a, lon_b, lat_a, lat_b = lons[cut - 1], lons[cut], lats[cut - 1], lats[cut]
            east = band[cut] > band[cut - 1]
            boundary = -180.0 + 360.0 * (band[cut] if east else band[cut - 1])
            t = (boundary - lon_a) / (lon_b - lon_a)
            lat_x = float(lat_a + t * (lat_b - lat_a))
            seg_lons = lons[start:cut] - 360.0 * band[cut - 1]
            seg_lats = lats[start:cut]
            end_lon = 180.0 if east else -180.0
            pieces.append(_with_ends(seg_lons, seg_lats, head_lon, head_lat, end_lon, lat_x))
            head_lon, head_lat = -end_lon, lat_x
            start = cut
        tail_lons = lons[start:] - 360.0 * band[-1]
        pieces.append(_with_ends(tail_lons, lats[start:], head_lon, head_lat, None, 0.0))
        out = []
        for plons, plats in pieces:
            coords = _dedupe(np.round(plons, DECIMALS), np.round(plats, DECIMALS))
            if len(coords) >= 2:
                out.append(coords)
        return out


def _with_ends(lons, lats, head_lon, head_lat, tail_lon, tail_lat):
    if head_lon is not None:
        lons, lats = np.concatenate(([head_lon], lons)), np.concatenate(([head_lat], lats))
    if tail_lon is not None:
        lons, lats = np.concatenate((lons, [tail_lon])), np.concatenate((lats, [tail_lat]))
    return lons, lats


def _dedupe(lons: np.ndarray, lats: np.ndarray) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True):
        if not out or out[-1] != (lon, lat):
            out.append((lon, lat))
    return out


def _arc(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[list[float], list[float]]:
    """Geodesic from point 1 to point 2, both ends included, a vertex every ARC_SPACING_KM."""
    distance = _geod().inv(lon1, lat1, lon2, lat2, return_back_azimuth=True)[2]
    inner = max(0, math.ceil(distance / 1000.0 / ARC_SPACING_KM) - 1)
    if inner == 0:
        return [lon1, lon2], [lat1, lat2]
    arc = _geod().inv_intermediate(
        lon1,
        lat1,
        lon2,
        lat2,
        npts=inner + 2,
        initial_idx=0,
        terminus_idx=0,
        return_back_azimuth=True,
    )
    return list(arc.lons), list(arc.lats)


def _vertices(route: Route) -> tuple[list[tuple[float, float]], list[int]]:
    """Stops and their sourced waypoints in travel order, and the position of each stop.

    A waypoint that cites no source is not drawn: the line never bends through track or
    a sea lane that nobody reported.
    """
    following: dict[str, list[tuple[float, float]]] = {}
    for w in route.waypoints:
        if w.sources:
            following.setdefault(w.after, []).append((w.lon, w.lat))
    points: list[tuple[float, float]] = []
    stop_at: list[int] = []
    for stop in route.stops:
        stop_at.append(len(points))
        points.append((stop.lon, stop.lat))
        points.extend(following.pop(stop.id, ()))
    return points, stop_at


def _build(points: list[tuple[float, float]], stop_at: list[int], curved: bool) -> Path:
    lons: list[float] = [points[0][0]]
    lats: list[float] = [points[0][1]]
    index_of_point = [0]
    for (lon1, lat1), (lon2, lat2) in pairwise(points):
        if curved:
            leg_lons, leg_lats = _arc(lon1, lat1, lon2, lat2)
        else:
            leg_lons, leg_lats = [lon1, lon2], [lat1, lat2]
        lons.extend(leg_lons[1:])
        lats.extend(leg_lats[1:])
        index_of_point.append(len(lons) - 1)
    lons_array = np.asarray(lons, dtype=float)
    if any(abs(b - a) > 180.0 for a, b in pairwise(lons)):  # np.unwrap changes nothing otherwise
        lons_array = np.unwrap(lons_array, period=360.0)
    return Path(
        lons_array, np.asarray(lats, dtype=float), tuple(index_of_point[i] for i in stop_at)
    )


def route_path(route: Route, paths: PathCache | None = None) -> Path:
    """The drawn line of a route: geodesic arcs for air; for rail, road and sea, each leg as
    the network path stored in *paths* (default: the committed geo/data/paths.json), and
    straight where none is stored (a short road leg, or a leg ``geo paths`` has not run on)."""
    points, stop_at = _vertices(route)
    if route.mode != "air":
        points, stop_at = _along_network(route.mode, points, stop_at, paths or bundled())
    return _build(points, stop_at, curved=route.mode == "air")


def network_legs(route: Route) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The legs of a route that are drawn on a network, as (from, to) (lon, lat) pairs."""
    if route.mode == "air":
        return []
    points, _ = _vertices(route)
    return [(a, b) for a, b in pairwise(points) if routed_mode(route.mode, a, b)]


def _along_network(mode, points, stop_at, paths: PathCache):
    """*points* with each routed leg replaced by its stored vertices; stop positions moved."""
    out = [points[0]]
    position = [0]
    for a, b in pairwise(points):
        stored = paths.leg(mode, a, b) if routed_mode(mode, a, b) else None
        out.extend(stored[1:-1] if stored else ())
        out.append(b)
        position.append(len(out) - 1)
    return out, [position[i] for i in stop_at]


def geodesic_path(origin: Place, destination: Place) -> Path:
    """The shortest line on WGS84 between two places, densified like an air route."""
    return _build(
        [(origin.lon, origin.lat), (destination.lon, destination.lat)], [0, 1], curved=True
    )


SNAP_KM = 20.0
"""A movement's end within this distance of a route stop counts as that stop: a source that
says "arrived in Vladivostok" by train means the city's station."""


def stop_positions(route: Route, origin: Place, destination: Place) -> tuple[int, int] | None:
    """Positions of origin and destination among the route's stops; None unless both are stops
    (or within SNAP_KM of one).

    When a stop repeats (a loop), the closest pair wins, and between equally close pairs the
    one travelling in the order the stops are listed.
    """
    firsts = _matching_stops(route, origin)
    lasts = _matching_stops(route, destination)
    pairs = [(abs(j - i), j < i, i, j) for i in firsts for j in lasts if i != j]
    if not pairs:
        return None
    *_, i, j = min(pairs)
    return i, j


def _matching_stops(route: Route, place: Place) -> list[int]:
    exact = [i for i, stop in enumerate(route.stops) if stop.id == place.id]
    if exact:
        return exact
    near = [(distance_km(place, stop), i) for i, stop in enumerate(route.stops)]
    near = [(d, i) for d, i in near if d <= SNAP_KM]
    if not near:
        return []
    closest = min(near)[0]
    return [i for d, i in near if d == closest]


def distance_km(a: Place, b: Place) -> float:
    """Geodesic distance on WGS84 between two places, in km."""
    return latlon_distance_km((a.lat, a.lon), (b.lat, b.lon))


def latlon_distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """distance_km between two (lat, lon) points."""
    return float(_geod().inv(a[1], a[0], b[1], b[0])[2]) / 1000.0


@lru_cache(maxsize=1 << 16)  # coordinates repeat: every event at a place, every vertex of a route
def format_number(value: float) -> str:
    """Shortest fixed-point text with at most 6 decimals (130.64528, 54, -0.5)."""
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_TRAILING_ZEROS = re.compile(r"\.?0+(?=[,\]])")  # "54.500000]" -> "54.5]", "54.000000," -> "54,"
_NEGATIVE_ZERO = re.compile(r"(?<=[\[,])-0(?=[,\]])")


def _positions_json(part: list[tuple[float, float]]) -> str:
    """'[x,y],[x,y],…' with each number as format_number writes it: one %-format and two
    regular-expression passes for a whole line instead of two calls per vertex (a large
    archive has 200,000 vertices in its movement lines)."""
    flat = tuple(chain.from_iterable(part))
    text = (_POSITION * len(part))[:-1] % flat
    text = _TRAILING_ZEROS.sub("", text)
    return _NEGATIVE_ZERO.sub("0", text) if "-0" in text else text


_POSITION = f"[%.{DECIMALS}f,%.{DECIMALS}f],"


def point_json(lon: float, lat: float) -> str:
    return f'{{"type":"Point","coordinates":[{format_number(lon)},{format_number(lat)}]}}'


def line_json(parts: list[list[tuple[float, float]]]) -> str:
    """LineString for one part, MultiLineString for a line cut at the antimeridian, null for
    a line with no length (two stops at the same coordinates)."""
    if not parts:
        return "null"
    texts = ["[" + _positions_json(part) + "]" for part in parts]
    if len(texts) == 1:
        return f'{{"type":"LineString","coordinates":{texts[0]}}}'
    return f'{{"type":"MultiLineString","coordinates":[{",".join(texts)}]}}'
