"""Lines: great-circle arcs, straight legs via sourced waypoints, antimeridian cuts, rounding."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.dates import parse_date
from geo.geometry import (
    ARC_SPACING_KM,
    Path,
    format_number,
    geodesic_path,
    line_json,
    route_path,
    stop_positions,
)
from geo.model import Place, Route, StatusChange, Waypoint

WGS84 = Geod(ellps="WGS84")
FNJ = Place("fnj", "Sunan", 39.2241, 125.67, "airport", "KP")
VVO = Place("vvo", "Vladivostok airport", 43.399, 132.148, "airport", "RU")
KHASAN = Place("khasan", "Khasan", 42.42806, 130.64528, "station", "RU")
TUMANGANG = Place("tumangang", "Tumangang", 42.4214, 130.6081, "station", "KP")
RAJIN = Place("rajin", "Rajin", 42.25559, 130.28308, "port", "KP")
ANADYR = Place("anadyr", "Anadyr", 64.7337, 177.5089, "city", "RU")
NOME = Place("nome", "Nome", 64.5011, -165.4064, "city", "US")


def route(mode, *stops, waypoints=()):
    status = (StatusChange(parse_date("2019"), "operating", ("s",)),)
    return Route(
        id="r", name="r", mode=mode, stops=tuple(stops), status=status, waypoints=tuple(waypoints)
    )


def geodesic_km(a: Place, b: Place) -> float:
    return WGS84.inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000


def test_air_route_is_a_densified_great_circle_with_exact_ends():
    path = route_path(route("air", FNJ, VVO))
    (part,) = path.parts()
    assert part[0] == (FNJ.lon, FNJ.lat) and part[-1] == (VVO.lon, VVO.lat)
    assert len(part) >= 10, "an arc needs intermediate points to look curved on a web map"
    steps = [WGS84.inv(*a, *b)[2] / 1000 for a, b in pairwise(part)]
    assert max(steps) <= ARC_SPACING_KM + 0.01
    assert path.length_km() == pytest.approx(geodesic_km(FNJ, VVO), rel=0.02)
    # every vertex lies on the geodesic: its distances from both ends add up to the whole
    whole = geodesic_km(FNJ, VVO)
    for lon, lat in part:
        via = (
            WGS84.inv(FNJ.lon, FNJ.lat, lon, lat)[2] / 1000
            + WGS84.inv(lon, lat, VVO.lon, VVO.lat)[2] / 1000
        )
        assert via == pytest.approx(whole, abs=0.01)


def test_rail_route_runs_straight_through_its_stops_and_nothing_else():
    path = route_path(route("rail", KHASAN, TUMANGANG, RAJIN))
    assert path.parts() == [
        [(KHASAN.lon, KHASAN.lat), (TUMANGANG.lon, TUMANGANG.lat), (RAJIN.lon, RAJIN.lat)]
    ]
    assert path.stop_index == (0, 1, 2)
    straight = geodesic_km(KHASAN, RAJIN)
    assert (
        straight
        <= path.length_km()
        <= geodesic_km(KHASAN, TUMANGANG) + geodesic_km(TUMANGANG, RAJIN) + 1e-6
    )


def test_only_sourced_waypoints_are_drawn_after_their_stop():
    sourced = Waypoint(after="rajin", lat=42.35, lon=131.1, sources=("fixture",))
    unsourced = Waypoint(after="rajin", lat=40.0, lon=140.0)
    port = Place("vvo-sea", "Vladivostok sea terminal", 43.111, 131.884, "port", "RU")
    path = route_path(route("sea", RAJIN, port, waypoints=[sourced, unsourced]))
    assert path.parts() == [[(RAJIN.lon, RAJIN.lat), (131.1, 42.35), (port.lon, port.lat)]]
    assert path.stop_index == (0, 2)


@pytest.mark.parametrize("mode", ["air", "sea"])
@pytest.mark.parametrize("eastward", [True, False])
def test_a_line_over_the_antimeridian_is_cut_there_into_two_parts(mode, eastward):
    stops = (ANADYR, NOME) if eastward else (NOME, ANADYR)
    path = route_path(route(mode, *stops))
    assert path.length_km() < 1500, (
        "must take the short way across the date line, not round the globe"
    )
    parts = path.parts()
    assert len(parts) == 2
    first, second = parts
    assert first[0] == (stops[0].lon, stops[0].lat) and second[-1] == (stops[1].lon, stops[1].lat)
    assert first[-1][0] == (180 if eastward else -180)
    assert second[0][0] == -first[-1][0]
    assert first[-1][1] == second[0][1], "both parts meet at the same latitude"
    for part in parts:
        lons = [lon for lon, _ in part]
        assert all(-180 <= lon <= 180 for lon in lons)
        assert max(lons) - min(lons) < 180
    assert line_json(parts).startswith('{"type":"MultiLineString"')


def test_a_line_that_does_not_cross_is_one_linestring():
    parts = route_path(route("air", FNJ, VVO)).parts()
    assert len(parts) == 1
    assert line_json(parts).startswith('{"type":"LineString"')


def test_sub_path_between_stops_follows_the_direction_of_travel():
    path = route_path(route("rail", KHASAN, TUMANGANG, RAJIN))
    back = path.between(2, 0)
    assert back.parts() == [
        [(RAJIN.lon, RAJIN.lat), (TUMANGANG.lon, TUMANGANG.lat), (KHASAN.lon, KHASAN.lat)]
    ]
    part = path.between(1, 2)
    assert part.parts() == [[(TUMANGANG.lon, TUMANGANG.lat), (RAJIN.lon, RAJIN.lat)]]
    assert part.length_km() == pytest.approx(geodesic_km(TUMANGANG, RAJIN))


def test_sub_path_of_an_air_route_keeps_its_arc():
    path = route_path(route("air", FNJ, VVO, KHASAN))
    leg = path.between(1, 0)
    (coords,) = leg.parts()
    assert coords[0] == (VVO.lon, VVO.lat) and coords[-1] == (FNJ.lon, FNJ.lat)
    assert len(coords) > 2
    assert leg.length_km() == pytest.approx(geodesic_km(FNJ, VVO), rel=1e-4)


def test_stop_positions_pick_the_closest_pair_and_reject_places_off_the_route():
    loop = route("rail", KHASAN, TUMANGANG, RAJIN, TUMANGANG, KHASAN)
    assert stop_positions(loop, RAJIN, KHASAN) == (2, 4)
    assert stop_positions(loop, KHASAN, TUMANGANG) == (0, 1)
    assert stop_positions(loop, FNJ, KHASAN) is None


def test_geodesic_path_between_two_places():
    path = geodesic_path(NOME, ANADYR)
    assert path.length_km() == pytest.approx(geodesic_km(NOME, ANADYR), rel=1e-6)
    assert len(path.parts()) == 2


def test_coordinates_are_rounded_to_6_decimals_and_repeats_dropped():
    path = Path(np.array([1.23456789, 1.2345681, 2.0]), np.array([3.0, 3.0, 4.0000004]), (0, 2))
    assert path.parts() == [[(1.234568, 3.0), (2.0, 4.0)]]


def test_a_line_of_two_identical_points_has_null_geometry():
    twin = Place("twin", "Khasan twin", KHASAN.lat, KHASAN.lon, "station", "RU")
    parts = route_path(route("rail", KHASAN, twin)).parts()
    assert parts == [] and line_json(parts) == "null"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (130.64528, "130.64528"),
        (54.0, "54"),
        (-0.0000001, "0"),
        (-165.4064, "-165.4064"),
        (180.0, "180"),
        (0.12345649, "0.123456"),
        (42.00000051, "42.000001"),
        (1e-7, "0"),
    ],
)
def test_number_format_is_fixed_point_with_at_most_6_decimals(value, text):
    assert format_number(value) == text
    assert float(text) == round(value, 6)


def test_a_city_next_to_a_terminal_counts_as_that_stop_but_a_far_place_does_not():
    """'Arrived in Vladivostok by train' is drawn along the railway to the city's station."""
    station = Place("vvo-station", "Vladivostok station", 43.1112, 131.8818, "station", "RU")
    city = Place("vladivostok", "Vladivostok", 43.115, 131.88528, "city", "RU")
    rail = route("rail", KHASAN, station)
    assert stop_positions(rail, KHASAN, city) == (0, 1)
    assert stop_positions(rail, city, KHASAN) == (1, 0)
    assert stop_positions(rail, KHASAN, VVO) is None  # the airport is 33 km away: not the station


@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=False, allow_infinity=False),
            st.one_of(
                st.floats(min_value=-90, max_value=90),
                st.sampled_from([0.0, -0.0, 5e-7, -5e-7, 4.9999999e-7, 54.0, -0.5, 1e-7]),
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=500)
def test_a_line_is_written_with_the_numbers_format_number_gives(part):
    """line_json formats a whole line at once; each number must read as format_number's."""
    expected = ",".join(f"[{format_number(x)},{format_number(y)}]" for x, y in part)
    text = line_json([part])
    assert text == '{"type":"LineString","coordinates":[' + expected + "]}"
