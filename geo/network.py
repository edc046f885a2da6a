"""Legs on real networks: OpenStreetMap rail and road graphs, and a sea grid off the land mask.

Only :mod:`geo.commands.paths` (and a test) calls into here: the build draws a leg from the
committed path cache (:mod:`geo.pathcache`) and never imports scgraph or roaring-landmask.

- rail: shortest path on ``scgraph_data.world_railways`` (OpenStreetMap railways, ODbL),
  routed with scgraph; the ends join the graph at its nearest node.
- road: the same on ``scgraph_data.world_highways`` for legs longer than
  :data:`ROAD_NETWORK_MIN_KM`; a shorter leg (a bridge between its banks) stays straight.
- sea: :func:`geo.seagrid.sea_leg`, a shortest path on a grid of sea cells of the GSHHG land
  mask (roaring-landmask), simplified to the fewest vertices that stay at sea.

A leg is returned as (lon, lat) vertices from exactly its first point to exactly its last.
"""

from __future__ import annotations

import contextlib
import io
import math
from functools import cache

from geo.errors import GeoError

ROAD_NETWORK_MIN_KM = 5.0
"""Road legs shorter than this are drawn straight: a bridge or an approach between its own
sourced points is better than the nearest highway node of a graph rounded to ~100 m."""

SIMPLIFY_DEG = 0.002
"""Graph legs are simplified to this tolerance (about 200 m; the graph's nodes are rounded to
0.001 degrees), part of their cache key."""

Point = tuple[float, float]  # (lon, lat)


def chord_km(a: Point, b: Point) -> float:
    """Great-circle distance on a sphere of radius 6371 km (good to 0.5 % for the checks)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def routed_mode(mode: str, a: Point, b: Point) -> bool:
    """Whether a leg of this mode between these points is drawn on a network (else straight)."""
    if mode in ("rail", "sea"):
        return a != b
    if mode == "road":
        return chord_km(a, b) >= ROAD_NETWORK_MIN_KM
    return False


def network_leg(mode: str, a: Point, b: Point) -> list[Point]:
    """The leg from *a* to *b* on the network of *mode* (see the module docstring)."""
    if mode == "sea":
        from geo.seagrid import sea_leg

        return sea_leg(a, b)
    if mode in ("rail", "road"):
        return _graph_leg(_graph(mode), a, b)
    raise GeoError(f"no network for mode {mode!r}")


@cache
def _graph(mode: str):
    try:
        if mode == "rail":
            from scgraph_data.world_railways import world_railways_geograph as graph
        else:
            from scgraph_data.world_highways import world_highways_geograph as graph
    except ImportError as exc:
        raise GeoError(
            f"routing a {mode} leg needs scgraph==2.15.0 and scgraph-data==2.0.0 ({exc}); "
            "hint: pip install scgraph==2.15.0 scgraph-data==2.0.0"
        ) from exc
    return graph


def _graph_leg(graph, a: Point, b: Point) -> list[Point]:
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # scgraph prints its errors
            found = graph.get_shortest_path(
                origin_node={"latitude": a[1], "longitude": a[0]},
                destination_node={"latitude": b[1], "longitude": b[0]},
                output_coordinate_path="list_of_lists_long_first",
                node_addition_type="kdclosest",
                destination_node_addition_type="kdclosest",
                silent=True,
            )
    except Exception as exc:  # scgraph raises a bare Exception when the nodes are not connected
        raise GeoError(
            f"no path on the OpenStreetMap graph from {a[1]:.5f},{a[0]:.5f} to "
            f"{b[1]:.5f},{b[0]:.5f} ({exc}); hint: the graph node nearest a stop may be on a "
            "disconnected piece of line: use a stop nearer the main line"
        ) from None
    inner = [(float(lon), float(lat)) for lon, lat in found["coordinate_path"][1:-1]]
    return _simplified(_without_repeats([a, *inner, b]))


def _simplified(points: list[Point]) -> list[Point]:
    """Douglas-Peucker to SIMPLIFY_DEG, ends kept: 40 % fewer vertices on the Trans-Siberian
    for 0.1 % of its length, and as many fewer bytes in every layer that draws it."""
    import shapely

    if len(points) < 3:
        return points
    line = shapely.simplify(shapely.LineString(points), SIMPLIFY_DEG, preserve_topology=False)
    return [(float(x), float(y)) for x, y in line.coords]


def _without_repeats(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for p in points:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) == 1:
        out.append(out[0])
    return out
