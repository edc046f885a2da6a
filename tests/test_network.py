"""Network legs (OpenStreetMap rail graph, GSHHG sea grid) and the committed path cache."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from geo.checks import along
from geo.dates import parse_date
from geo.geometry import Path, network_legs, route_path
from geo.model import Place, Route, StatusChange
from geo.network import ROAD_NETWORK_MIN_KM, routed_mode
from geo.pathcache import BUNDLED, PathCache, leg_key

KHASAN = Place("khasan-station", "Khasan", 42.42806, 130.64528, "station", "RU")
BRIDGE = Place("bridge", "Friendship Bridge", 42.41517, 130.64106, "bridge", "RU")
TUMANGANG = Place("tumangang-station", "Tumangang", 42.4214, 130.6081, "station", "KP")
RAJIN_PORT = Place("rajin-port", "Rajin Port", 42.248, 130.305, "port", "KP")
VVO_SEA = Place("vladivostok-sea-terminal", "Sea terminal", 43.111, 131.884, "port", "RU")
FNJ = Place("fnj", "Sunan", 39.2241, 125.67, "airport", "KP")


def route(mode, *stops):
    status = (StatusChange(parse_date("2019"), "operating", ("s",)),)
    return Route(id="r", name="r", mode=mode, stops=tuple(stops), status=status)


def at(p: Place) -> tuple[float, float]:
    return (p.lon, p.lat)


def line(points) -> Path:
    return Path(np.array([p[0] for p in points]), np.array([p[1] for p in points]), (0,))


def test_a_rail_route_follows_its_stored_legs_through_every_stop(tmp_path):
    cache = PathCache(tmp_path / "paths.json")
    bend = [at(KHASAN), (130.643, 42.42), at(BRIDGE)]
    cache.put("rail", at(KHASAN), at(BRIDGE), bend)
    path = route_path(route("rail", KHASAN, BRIDGE, TUMANGANG), cache)
    assert path.parts() == [[at(KHASAN), (130.643, 42.42), at(BRIDGE), at(TUMANGANG)]]
    assert path.stop_index == (0, 2, 3), "each stop keeps its own vertex"
    back = path.between(1, 0)
    assert list(zip(back.lons, back.lats, strict=True)) == bend[::-1]


def test_a_leg_stored_in_the_other_direction_is_used_reversed(tmp_path):
    cache = PathCache(tmp_path / "paths.json")
    cache.put("rail", at(BRIDGE), at(KHASAN), [at(BRIDGE), (130.643, 42.42), at(KHASAN)])
    path = route_path(route("rail", KHASAN, BRIDGE), cache)
    assert path.parts() == [[at(KHASAN), (130.643, 42.42), at(BRIDGE)]]


def test_a_leg_missing_from_the_cache_and_air_and_short_road_legs_are_not_routed(tmp_path):
    empty = PathCache(tmp_path / "none.json")
    rail = route_path(route("rail", KHASAN, TUMANGANG), empty)
    assert rail.parts() == [[at(KHASAN), at(TUMANGANG)]]
    assert network_legs(route("air", FNJ, KHASAN)) == []
    assert not routed_mode("road", at(KHASAN), at(TUMANGANG)), "3 km: drawn straight"
    assert ROAD_NETWORK_MIN_KM <= 10 and routed_mode("road", at(KHASAN), at(RAJIN_PORT))
    assert network_legs(route("sea", RAJIN_PORT, VVO_SEA)) == [(at(RAJIN_PORT), at(VVO_SEA))]


def test_a_leg_key_holds_mode_ends_at_6_decimals_and_data_version():
    key = leg_key("rail", (130.645281234, 42.42806), (130.305, 42.248))
    versions = "scgraph-data=2.0.0,scgraph=2.15.0,simplify=0.002"
    assert key == f"rail 130.645281,42.42806 130.305,42.248 {versions}"
    assert leg_key("sea", (1, 2), (3, 4)).endswith("roaring-landmask=0.11.0,grid=0.005")


def test_the_cache_file_is_written_deterministically_and_atomically(tmp_path):
    file = tmp_path / "paths.json"
    first = PathCache(file)
    vertices = [(131.0, 42.5), (130.12345678, 42.2), (130.0, 42.0)]
    first.put("sea", (131.0, 42.5), (130.0, 42.0), vertices)
    first.put("rail", (1.0, 2.0), (3.0, 4.0), [(1.0, 2.0), (3.0, 4.0)])
    first.write()
    text = file.read_text(encoding="utf-8")
    assert "[130.123457,42.2]" in text, "6 decimals"
    assert text.index('"rail ') < text.index('"sea '), "sorted keys"
    second = PathCache.read(file)
    second.write()
    assert file.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["paths.json"], "no temporary file left"
    assert json.loads(text)["legs"][leg_key("rail", (1.0, 2.0), (3.0, 4.0))] == [[1, 2], [3, 4]]


def test_the_committed_cache_holds_every_leg_of_the_bundled_routes(geo, bundled_routes):
    r = geo("paths", "--data", bundled_routes, "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert BUNDLED.read_text(encoding="utf-8") == PathCache.read(BUNDLED).text()


def test_drawing_the_bundled_routes_loads_neither_graph_nor_land_mask(bundled_routes):
    code = (
        "import sys; from geo.validate import load_dataset; from geo.layers import render_layers;"
        f"render_layers(load_dataset({str(bundled_routes)!r}));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('scgraph', 'scgraph_data', 'roaring_landmask', 'geo.seagrid')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_geo_paths_routes_a_rail_leg_on_the_osm_graph_and_stores_it_once(geo, tmp_path):
    """Khasan station to Rajin port on OpenStreetMap's railways: within 15 % of the reported
    54 km (the graph's simplified curves make the drawn line a few km short)."""
    data = tmp_path / "routes.yaml"
    data.write_text(_RAIL_FIXTURE, encoding="utf-8")
    cache = tmp_path / "paths.json"
    first = geo("paths", "--data", data, "--cache", cache, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "1 legs computed" in first.stdout
    text = cache.read_text(encoding="utf-8")
    again = geo("paths", "--data", data, "--cache", cache)
    assert "0 legs computed" in again.stdout and cache.read_text(encoding="utf-8") == text
    leg = PathCache.read(cache).leg("rail", at(KHASAN), at(RAJIN_PORT))
    assert leg[0] == at(KHASAN) and leg[-1] == at(RAJIN_PORT) and len(leg) > 5
    km = line(leg).length_km()
    assert 54 * 0.85 <= km <= 54 * 1.15


def test_the_stored_ferry_leg_stays_at_sea():
    """The committed Rajin-Vladivostok leg: under 2 % on the GSHHG mask beyond 3 km of the ports."""
    from geo.seagrid import near_ports, on_land

    leg = PathCache.read(BUNDLED).leg("sea", at(RAJIN_PORT), at(VVO_SEA))
    assert leg is not None
    lons, lats = along(line(leg), 0.1)
    land = on_land(lons, lats) & ~near_ports(lons, lats, at(RAJIN_PORT), at(VVO_SEA))
    assert land.mean() <= 0.02


def test_a_sea_leg_is_routed_around_the_coast():
    """Straight, Rajin-Vladivostok is half on land; routed on the sea grid it stays at sea."""
    from geo.seagrid import near_ports, on_land, sea_leg

    a, b = at(RAJIN_PORT), at(VVO_SEA)
    leg = sea_leg(a, b)
    assert leg[0] == a and leg[-1] == b
    lons, lats = along(line(leg), 0.1)
    assert (on_land(lons, lats) & ~near_ports(lons, lats, a, b)).mean() <= 0.02
    straight = along(line([a, b]), 0.1)
    assert (on_land(*straight) & ~near_ports(*straight, a, b)).mean() > 0.3


_RAIL_FIXTURE = """version: 1
sources:
  ref: {outlet: Reference notes, title: Test fixture, published: "2026-11", language: en}
places:
  - {id: x-khasan, name: Khasan station, kind: station, country: RU, lat: 42.42806, lon: 130.64528}
  - {id: x-rajin-port, name: Rajin Port, kind: port, country: KP, lat: 42.248, lon: 130.305}
routes:
  - id: x-rail
    name: Khasan - Rajin
    mode: rail
    via: [x-khasan, x-rajin-port]
    status:
      - {since: "2013", status: operating, sources: [ref]}
events: []
"""


def test_a_leg_with_no_path_on_the_graph_is_one_line_naming_the_route(tmp_path, monkeypatch):
    """scgraph raises a bare Exception (and prints) when the stops' nearest nodes are on two
    pieces of line that do not connect."""
    import geo.network
    from geo.errors import GeoError
    from geo.legs import fill
    from geo.validate import load_dataset

    class Disconnected:
        def get_shortest_path(self, **kwargs):
            print("An error occurred while calculating the shortest path")
            raise Exception("the origin and destination nodes are not connected.")

    monkeypatch.setattr(geo.network, "_graph", lambda mode: Disconnected())
    data = tmp_path / "routes.yaml"
    data.write_text(_RAIL_FIXTURE, encoding="utf-8")
    dataset = load_dataset(data)
    cache = PathCache(tmp_path / "paths.json")
    with pytest.raises(GeoError) as info:
        fill(dataset, cache)
    message = str(info.value)
    assert message.startswith(f"{data}:{dataset.locate('routes', 'x-rail')[0]}: route x-rail: no path")
    assert "hint:" in message and "\n" not in message
    assert cache.legs == {} and not cache.file.exists()
