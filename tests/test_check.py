"""`geo check`: deliberately wrong routes are each reported once, with the route's file:line.

The land mask (roaring-landmask) takes tens of seconds to load, once per test process.
"""

from __future__ import annotations

import re

import pytest

from geo.checks import check_routes
from geo.pathcache import PathCache
from geo.validate import load_dataset

HEAD = """version: 1
sources:
  ref:
    outlet: Reference notes
    title: Places and lengths (test fixture)
    published: "2026-11"
    type: reference
    language: en
places:
  - {id: x-rajin-port, name: Rajin Port, kind: port, country: KP, lat: 42.248, lon: 130.305}
  - {id: x-vvo-sea, name: VVO terminal, kind: port, country: RU, lat: 43.111, lon: 131.884}
  - {id: x-khasan, name: Khasan station, kind: station, country: RU, lat: 42.42806, lon: 130.64528}
  - {id: x-bridge, name: Rail bridge, kind: bridge, country: RU, lat: 42.41517, lon: 130.64106}
  - {id: x-tumangang, name: Tumangang, kind: station, country: KP, lat: 42.4214, lon: 130.6081}
  - {id: x-ussuriysk, name: Ussuriysk, kind: city, country: RU, lat: 43.8, lon: 131.967}
  - {id: x-khabarovsk, name: Khabarovsk, kind: city, country: RU, lat: 48.46204, lon: 135.0971}
routes:
"""
STATUS = """    status:
      - {since: "2020", status: operating, sources: [ref]}
"""
EVENTS = "events: []\n"


def route(route_id: str, mode: str, via: str, extra: str = "") -> str:
    head = f"  - id: {route_id}\n    name: {route_id}\n    mode: {mode}\n"
    return f"{head}    via: [{via}]\n{extra}{STATUS}"


def write(tmp_path, *routes: str):
    path = tmp_path / "routes.yaml"
    path.write_text(HEAD + "".join(routes) + EVENTS, encoding="utf-8")
    return path


def line_of(path, route_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if text == f"  - id: {route_id}")


def findings(path, paths: PathCache | None = None) -> list[str]:
    return [str(f) for f in check_routes(load_dataset(path), paths)]


def test_the_bundled_data_gives_no_warning(bundled_routes):
    assert findings(bundled_routes) == []


def test_a_ferry_across_a_peninsula_is_reported_with_its_line(tmp_path):
    """Drawn straight (no stored path), Rajin-Vladivostok crosses the Tumen delta and the
    Russian coast: about half of it on land."""
    path = write(tmp_path, route("x-ferry", "sea", "x-rajin-port, x-vvo-sea"))
    out = findings(path, PathCache(tmp_path / "empty.json"))
    line = line_of(path, "x-ferry")
    land = [m for m in out if "on land" in m]
    assert len(land) == 1, out
    assert land[0].startswith(f"{path}:{line}: route x-ferry: sea leg x-rajin-port -> x-vvo-sea:")
    share = int(re.search(r"(\d+)% of it on land", land[0]).group(1))
    assert 30 <= share <= 70
    assert any("drawn straight" in m for m in out), "the missing stored path is reported too"


def test_the_stored_sea_leg_stays_at_sea(tmp_path):
    path = write(tmp_path, route("x-ferry", "sea", "x-rajin-port, x-vvo-sea"))
    assert findings(path) == []


def test_a_train_through_a_third_country_is_reported_with_its_line(tmp_path):
    """The straight Ussuriysk-Khabarovsk chord is about half in China."""
    path = write(tmp_path, route("x-train", "rail", "x-ussuriysk, x-khabarovsk"))
    out = findings(path, PathCache(tmp_path / "empty.json"))
    line = line_of(path, "x-train")
    abroad = [m for m in out if "passes through" in m]
    assert abroad == [m for m in abroad if m.startswith(f"{path}:{line}: route x-train: ")]
    assert len(abroad) == 1 and "passes through CN" in abroad[0] and "(RU)" in abroad[0]


def test_the_same_train_on_the_stored_track_stays_in_russia(tmp_path):
    path = write(tmp_path, route("x-train", "rail", "x-ussuriysk, x-khabarovsk"))
    assert findings(path) == []


@pytest.mark.parametrize(("reported", "off"), [(108, r"-(49|5\d)%"), (27, r"\+(9\d|10\d)%")])
def test_a_length_off_by_half_is_reported_with_its_line(tmp_path, reported, off):
    """Khasan-Rajin on the stored track is about 54 km: 108 or 27 km reported is a typo."""
    extra = f"    reported_length: {{km: {reported}, sources: [ref]}}\n"
    via = "x-khasan, x-bridge, x-tumangang, x-rajin-port"
    flight = route("x-air", "air", "x-khasan, x-vvo-sea")
    path = write(tmp_path, flight, route("x-line", "rail", via, extra))
    out = findings(path)
    line = line_of(path, "x-line")
    assert len(out) == 1 and out[0].startswith(f"{path}:{line}: route x-line: drawn 5"), out
    assert re.search(rf"reported {reported} km \({off}; more than 15% off\)", out[0]), out[0]


def test_a_length_within_15_percent_gives_no_warning(tmp_path):
    extra = "    reported_length: {km: 54, sources: [ref]}\n"
    path = write(tmp_path, route("x-line", "rail", "x-khasan, x-bridge, x-tumangang, x-rajin-port",
                                 extra))
    assert findings(path) == []


def test_geo_check_prints_one_line_per_warning_and_exits_1(tmp_path, geo):
    path = write(tmp_path, route("x-train", "rail", "x-ussuriysk, x-khabarovsk"))
    r = geo("check", "--data", path, "--cache", tmp_path / "none.json")
    assert r.returncode == 1, r.stderr
    line = line_of(path, "x-train")
    lines = r.stdout.splitlines()
    assert lines and all(text.startswith(f"{path}:{line}: route x-train: ") for text in lines)
    assert "Traceback" not in r.stderr


def test_the_road_bridge_is_drawn_at_its_reported_site_downstream_of_the_rail_bridge(
    bundled_routes,
):
    """About 400 m downstream (south) of the 1959 rail bridge, about 1 km long (TASS)."""
    from pyproj import Geod

    from geo.geometry import route_path

    dataset = load_dataset(bundled_routes)
    rail_bridge = dataset.places["korea-russia-friendship-bridge"]
    bridge = route_path(dataset.route("tumen-road-bridge"))
    (part,) = bridge.parts()
    wgs84 = Geod(ellps="WGS84")
    (west, _), (east, _) = sorted(part)[0], sorted(part)[-1]
    assert west < rail_bridge.lon < east, "the line spans the river at the rail bridge's course"
    crossing_lat = part[0][1] + (part[-1][1] - part[0][1]) * (
        (rail_bridge.lon - part[0][0]) / (part[-1][0] - part[0][0])
    )
    south_m = wgs84.inv(rail_bridge.lon, rail_bridge.lat, rail_bridge.lon, crossing_lat)[2]
    assert crossing_lat < rail_bridge.lat and abs(south_m - 400) <= 1000
    assert 0.85 <= bridge.length_km() <= 1.15
