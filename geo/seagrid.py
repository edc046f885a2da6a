"""Sea legs: a shortest path over a grid of sea cells of the GSHHG land mask.

The marine networks that ship with Python packages do not reach small ports such as Rajin,
so a ferry leg is routed here: the leg's box (with a margin) is cut into cells of
:data:`GRID_STEP_DEG`; a cell whose centre the land mask (roaring-landmask, GSHHG) calls sea
is open; A* finds the shortest chain of open cells between the cells nearest each port; the
chain is then cut down to the fewest vertices whose straight segments stay at sea.  A port
itself usually lies on the quay, on land: its first and last few hundred metres are drawn
straight and are exempt within :data:`PORT_REACH_KM` (the same allowance ``geo check`` uses).
"""

from __future__ import annotations

import heapq
import math
from functools import cache

import numpy as np

from geo.errors import GeoError

GRID_STEP_DEG = 0.005  # about 550 m of latitude: narrow enough for Vladivostok's Golden Horn
PORT_REACH_KM = 3.0
SAMPLE_KM = 0.1  # spacing of the land-mask samples along a straight segment

Point = tuple[float, float]  # (lon, lat)


@cache
def landmask():
    try:
        from roaring_landmask import RoaringLandmask
    except ImportError as exc:
        raise GeoError(
            f"routing a sea leg needs roaring-landmask==0.11.0 ({exc}); "
            "hint: pip install roaring-landmask==0.11.0"
        ) from exc
    return RoaringLandmask.new()


def on_land(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """True where the GSHHG land mask has land (arrays of equal shape, any shape)."""
    lons = np.ascontiguousarray(lons, dtype=float)
    lats = np.ascontiguousarray(lats, dtype=float)
    flat = landmask().contains_many(lons.ravel(), lats.ravel())
    return np.asarray(flat, dtype=bool).reshape(lons.shape)


def km_between(a: Point, b: Point) -> float:
    """Equirectangular distance at the mean latitude: exact enough below 100 km."""
    kx = 111.32 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * 110.57)


def samples(a: Point, b: Point) -> tuple[np.ndarray, np.ndarray]:
    """Points every SAMPLE_KM or closer along the straight segment a-b, both ends included."""
    n = max(2, math.ceil(km_between(a, b) / SAMPLE_KM) + 1)
    t = np.linspace(0.0, 1.0, n)
    return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])


class Grid:
    """Cell centres lon0 + i*step, lat0 + j*step over a box; ``sea[j, i]`` is open water."""

    def __init__(self, a: Point, b: Point):
        extent = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
        margin = max(0.25, 0.3 * extent)
        self.lon0 = math.floor((min(a[0], b[0]) - margin) / GRID_STEP_DEG) * GRID_STEP_DEG
        self.lat0 = math.floor((min(a[1], b[1]) - margin) / GRID_STEP_DEG) * GRID_STEP_DEG
        self.nx = int(round((max(a[0], b[0]) + margin - self.lon0) / GRID_STEP_DEG)) + 1
        self.ny = int(round((max(a[1], b[1]) + margin - self.lat0) / GRID_STEP_DEG)) + 1
        lons, lats = np.meshgrid(self.lons(np.arange(self.nx)), self.lats(np.arange(self.ny)))
        self.sea = ~on_land(lons, lats)

    def lons(self, i):
        return np.round(self.lon0 + i * GRID_STEP_DEG, 6)

    def lats(self, j):
        return np.round(self.lat0 + j * GRID_STEP_DEG, 6)

    def point(self, cell: int) -> Point:
        j, i = divmod(cell, self.nx)
        return float(self.lons(i)), float(self.lats(j))

    def nearest_sea(self, p: Point) -> int:
        """The open cell closest to *p*; an error if none is within PORT_REACH_KM."""
        j_sea, i_sea = np.nonzero(self.sea)
        kx = 111.32 * math.cos(math.radians(p[1]))
        d = np.hypot((self.lons(i_sea) - p[0]) * kx, (self.lats(j_sea) - p[1]) * 110.57)
        if not len(d) or d.min() > PORT_REACH_KM:
            raise GeoError(
                f"no open sea within {PORT_REACH_KM:g} km of {p[1]:.5f},{p[0]:.5f} on the land "
                "mask; hint: end the sea leg at the port's quay or add a sourced waypoint"
            )
        k = int(np.argmin(d))
        return int(j_sea[k]) * self.nx + int(i_sea[k])


def sea_leg(a: Point, b: Point) -> list[Point]:
    """The sea leg from port *a* to port *b* (see the module docstring)."""
    grid = Grid(a, b)
    start, goal = grid.nearest_sea(a), grid.nearest_sea(b)
    cells = _shortest_cells(grid, start, goal)
    chain = [a, *(grid.point(c) for c in cells), b]
    return simplify(chain, a, b)


def _shortest_cells(grid: Grid, start: int, goal: int) -> list[int]:
    """A* over the 8-connected open cells, with distances in km."""
    nx, sea = grid.nx, grid.sea.ravel()
    goal_point = grid.point(goal)
    ky = GRID_STEP_DEG * 110.57
    came: dict[int, int] = {start: start}
    best = {start: 0.0}
    queue = [(0.0, 0.0, start)]
    while queue:
        _, cost, cell = heapq.heappop(queue)
        if cell == goal:
            break
        if cost > best[cell]:
            continue
        j, i = divmod(cell, nx)
        kx = GRID_STEP_DEG * 111.32 * math.cos(math.radians(grid.lat0 + j * GRID_STEP_DEG))
        for dj, di in _STEPS:
            jj, ii = j + dj, i + di
            if not (0 <= jj < grid.ny and 0 <= ii < nx):
                continue
            nxt = jj * nx + ii
            if not sea[nxt]:
                continue
            new = cost + math.hypot(di * kx, dj * ky)
            if new < best.get(nxt, math.inf):
                best[nxt], came[nxt] = new, cell
                guess = new + 0.99 * km_between(grid.point(nxt), goal_point)
                heapq.heappush(queue, (guess, new, nxt))
    if goal not in came:
        raise GeoError("the two ports are not connected by sea on the land mask's grid")
    path = [goal]
    while path[-1] != start:
        path.append(came[path[-1]])
    return path[::-1]


_STEPS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def simplify(chain: list[Point], a: Point, b: Point) -> list[Point]:
    """The fewest vertices of *chain* whose straight segments stay at sea, greedily from *a*:
    each vertex jumps to the farthest later one it can see without crossing land (land
    within PORT_REACH_KM of either port does not count)."""
    out = [chain[0]]
    i = 0
    while i < len(chain) - 1:
        j = i + 1
        while j + 1 < len(chain) and _clear(chain[i], chain[j + 1], a, b):
            j += 1
        out.append(chain[j])
        i = j
    return out


def _clear(p: Point, q: Point, a: Point, b: Point) -> bool:
    lons, lats = samples(p, q)
    land = on_land(lons, lats)
    if not land.any():
        return True
    return not (land & ~near_ports(lons, lats, a, b)).any()


def near_ports(lons: np.ndarray, lats: np.ndarray, a: Point, b: Point) -> np.ndarray:
    """True for the points within PORT_REACH_KM of *a* or of *b*."""
    out = np.zeros(lons.shape, dtype=bool)
    for lon, lat in (a, b):
        kx = 111.32 * math.cos(math.radians(lat))
        out |= np.hypot((lons - lon) * kx, (lats - lat) * 110.57) <= PORT_REACH_KM
    return out
