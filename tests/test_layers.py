"""The four GeoJSON layers: content, RFC 7946 validity, GDAL types, honest lengths, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from itertools import pairwise
from pathlib import Path

import geojson_validator
import pyogrio
import pytest
import shapely
from pyproj import Geod

from geo.layers import FIELDS, render_layers
from geo.validate import load_dataset

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "layers_golden.yaml"
GOLDEN = Path(__file__).parent / "golden" / "layers"
WGS84 = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(FIXTURE)


@pytest.fixture(scope="module")
def texts(dataset) -> dict[str, str]:
    return render_layers(dataset).texts


@pytest.fixture(scope="module")
def layers(texts) -> dict[str, dict]:
    """layer name -> {feature id: feature}"""
    return {
        name.removesuffix(".geojson"): {f["id"]: f for f in json.loads(text)["features"]}
        for name, text in texts.items()
    }


@pytest.fixture(scope="module")
def layer_files(texts, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layers")
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name.removesuffix(".geojson"): folder / name for name in texts}


def props(layers, layer, fid) -> dict:
    return layers[layer][fid]["properties"]


def ends(feature) -> tuple[list[float], list[float]]:
    """First and last coordinate of a (Multi)LineString feature."""
    geometry = feature["geometry"]
    parts = (
        [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    )
    return parts[0][0], parts[-1][-1]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return WGS84.inv(a[0], a[1], b[0], b[1])[2] / 1000


# ---------------------------------------------------------------- golden files


def test_fixture_renders_exactly_the_golden_files(texts):
    """tests/data/layers_golden.yaml -> tests/golden/layers/*.geojson, byte for byte.

    After an intended change, regenerate them and review the diff:
        GEO_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_layers.py -k golden
    """
    if os.environ.get("GEO_UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(texts)
    for name, text in texts.items():
        assert (GOLDEN / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from its golden file"
        )


def test_counts(dataset):
    assert render_layers(dataset).counts == {
        "places": 10,
        "routes": 6,
        "events": 9,
        "movements": 7,
        "route_status": 13,
    }


# ---------------------------------------------------------------- format


def test_layout_one_feature_per_line_sorted_with_all_properties_in_fixed_order(texts):
    for name, text in texts.items():
        layer = name.removesuffix(".geojson")
        assert text.endswith("]}\n") and "\r" not in text
        lines = text.splitlines()
        assert lines[0].startswith('{"type":"FeatureCollection","name":"' + layer + '",')
        assert lines[0].endswith('"features":[')
        features = [json.loads(line.rstrip(",")) for line in lines[1:-1]]
        assert json.loads(text)["features"] == features
        assert "crs" not in json.loads(text)
        ids = [f["id"] for f in features]
        assert len(set(ids)) == len(ids)
        for f in features:
            assert list(f) == ["type", "id", "geometry", "properties"]
            assert list(f["properties"]) == [field for field, _ in FIELDS[layer]]
            assert f["properties"]["id"] == f["id"]
        if layer in ("places", "routes"):
            assert ids == sorted(ids)
        elif layer == "route_status":
            keys = [(f["properties"]["route"], f["properties"]["start"]) for f in features]
            assert keys == sorted(keys)
            assert ids == [f"{route}/{start}" for route, start in keys]
        else:
            starts = [(f["properties"]["start"], f["id"]) for f in features]
            assert starts == sorted(starts)


def test_coordinates_have_at_most_6_decimals(texts):
    for text in texts.values():
        for number in re.findall(
            r"-?\d+\.\d+", "".join(re.findall(r'"coordinates":\[[^a-z]*?\]\}', text))
        ):
            assert len(number.split(".")[1]) <= 6, number


def test_every_layer_is_valid_rfc7946_by_an_independent_validator(layer_files, layers):
    for name, path in layer_files.items():
        assert geojson_validator.validate_structure(str(path), check_crs=True) == {}, name
        result = geojson_validator.validate_geometries(str(path))
        assert result["invalid"] == {}, name
        flagged = result["problematic"]
        assert set(flagged) <= {"crosses_antimeridian"}, (name, flagged)
        features = list(layers[name].values())
        for hit in flagged.get("crosses_antimeridian", []):
            (index,) = hit if isinstance(hit, int) else hit.keys()
            parts = features[index]["geometry"]["coordinates"]
            # only the RFC 7946 3.1.9 form: parts that meet at exactly 180 and -180
            assert features[index]["geometry"]["type"] == "MultiLineString"
            for a, b in pairwise(parts):
                assert abs(a[-1][0]) == 180 and b[0][0] == -a[-1][0] and a[-1][1] == b[0][1]


def test_the_validator_flags_rfc7946s_own_antimeridian_example_too():
    """Why a 'crosses_antimeridian' hint is tolerated above: it is a heuristic that also fires on
    the split line RFC 7946 section 3.1.9 gives as the correct form."""
    example = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "MultiLineString",
            "coordinates": [[[170.0, 45.0], [180.0, 45.0]], [[-180.0, 45.0], [-170.0, 45.0]]],
        },
    }
    assert "crosses_antimeridian" in geojson_validator.validate_geometries(example)["problematic"]


# ---------------------------------------------------------------- read back with GDAL


def test_gdal_reads_the_geometry_types_and_start_end_as_date_fields(layer_files):
    expected_geometry = {
        "places": {"Point"},
        "events": {"Point"},
        "routes": {"LineString", "MultiLineString"},
        "movements": {"LineString", "MultiLineString"},
        "route_status": {"LineString", "MultiLineString"},
    }
    for name, path in layer_files.items():
        info = pyogrio.read_info(path)
        types = dict(zip(info["fields"], info["ogr_types"], strict=True))
        subtypes = dict(zip(info["fields"], info["ogr_subtypes"], strict=True))
        assert list(info["fields"]) == [field for field, _ in FIELDS[name]]
        _, _, geometry, _ = pyogrio.raw.read(path)
        kinds = {g.geom_type for g in shapely.from_wkb(geometry)}
        assert kinds == expected_geometry[name], (name, kinds)
        if name in ("places", "events"):
            assert info["geometry_type"] == "Point"
        if name != "places":
            for field in ("start", "end", "final_day"):
                assert types[field] == "OFTDate", (name, field, types[field])
        if name in ("events", "movements"):
            assert (types["approximate"], subtypes["approximate"]) == ("OFTInteger", "OFSTBoolean")
            assert types["date"] == "OFTString", "the date as written mixes precisions"
    routes = pyogrio.read_info(layer_files["routes"])
    types = dict(zip(routes["fields"], routes["ogr_types"], strict=True))
    assert types["via"] == "OFTStringList"
    assert types["length_km"] == "OFTReal"
    assert types["status_history"] == "OFTString"


def test_no_date_is_null_so_gdal_keeps_date_type_and_can_filter_on_it(layer_files):
    """Null dates made GDAL 3.6 fail ("Failed to parse date ''") in QGIS's time filter."""
    for name in ("routes", "events", "movements", "route_status"):
        meta, _, _, values = pyogrio.raw.read(layer_files[name])
        column = dict(zip(meta["fields"], values, strict=True))
        for field in ("start", "end", "final_day"):
            assert str(column[field].dtype) == "datetime64[D]", (name, field)
            assert not any(str(d) == "NaT" for d in column[field]), (name, field)
    meta, _, _, values = pyogrio.raw.read(layer_files["routes"])
    column = dict(zip(meta["fields"], values, strict=True))
    assert sorted(str(d) for d in column["start"]) == [
        "1991-01-01",
        "1995-06-01",
        "2008-10-01",
        "2017-05-17",
        "2018-01-01",
        "2024-06-19",
    ]


# ---------------------------------------------------------------- honest lengths


def test_flight_arc_is_within_2_percent_of_the_airport_geodesic(layers, dataset):
    fnj, vvo = dataset.places["l-fnj"], dataset.places["l-vvo"]
    direct = km((fnj.lon, fnj.lat), (vvo.lon, vvo.lat))
    route = layers["routes"]["l-air-fnj-vvo"]
    assert route["properties"]["length_km"] == pytest.approx(direct, rel=0.02)
    coords = route["geometry"]["coordinates"]
    drawn = sum(km(a, b) for a, b in pairwise(coords))
    assert drawn == pytest.approx(direct, rel=0.02)
    assert len(coords) > 2


def test_khasan_rajin_carries_its_cited_54_km_and_an_honest_drawn_line(layers, dataset):
    p = props(layers, "routes", "l-rail-khasan-rajin")
    assert p["reported_length_km"] == 54
    assert [s["id"] for s in p["reported_length_sources"]] == ["railway-gazette"]
    assert p["reported_length_sources"][0]["outlet"] == "Railway Gazette"
    khasan, rajin = dataset.places["l-khasan"], dataset.places["l-rajin"]
    straight = km((khasan.lon, khasan.lat), (rajin.lon, rajin.lat))
    coords = layers["routes"]["l-rail-khasan-rajin"]["geometry"]["coordinates"]
    drawn = sum(km(a, b) for a, b in pairwise(coords))
    assert straight <= drawn <= 54 * 1.15
    assert p["length_km"] == pytest.approx(drawn, abs=0.05)
    stations = {(s.lon, s.lat) for s in dataset.route("l-rail-khasan-rajin").stops}
    assert {tuple(c) for c in coords} == stations, (
        "drawn through its stations only: no invented track"
    )


def test_sourced_waypoint_is_drawn_and_an_unsourced_one_is_refused(layers, tmp_path):
    coords = layers["routes"]["l-ferry-rajin-vvo"]["geometry"]["coordinates"]
    assert [131.1, 42.35] in coords
    from geo.errors import DataError
    from geo.validate import validate_text

    text = (Path(__file__).parent / "data" / "layers_golden.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        sources: [fixture]\n    status:",
        "        sources: [fixture]\n"
        "      - after: l-rajin\n        lat: 40.0\n        lon: 140.0\n    status:",
        1,
    )
    with pytest.raises(DataError, match=r"waypoints\[1\]\.sources: missing required field"):
        validate_text(text)


# ---------------------------------------------------------------- routes: status and dates


@pytest.mark.parametrize(
    ("route", "status", "start"),
    [
        ("l-air-fnj-vvo", "operating", "2018-01-01"),
        ("l-rail-khasan-rajin", "operating", "2008-10-01"),  # under construction from 2008-10
        ("l-ferry-rajin-vvo", "suspended", "2017-05-17"),
        ("l-road-tumen", "planned", "2024-06-19"),
        ("l-air-anadyr-nome", "closed", "1991-01-01"),
    ],
)
def test_route_is_dated_from_its_first_status_to_the_data_version(layers, route, status, start):
    """As on the map: a route is drawn from its first status on, whatever its status; the
    current one holds until the data's as-of date (the fixture's newest source: 2025-01)."""
    p = props(layers, "routes", route)
    assert (p["status"], p["start"], p["end"], p["final_day"]) == (
        status,
        start,
        "2025-01-02",
        "2025-01-01",
    )


def test_route_status_has_one_feature_per_period_with_the_maps_style(layers):
    periods = {fid: f["properties"] for fid, f in layers["route_status"].items()}
    fnj = [p for p in periods.values() if p["route"] == "l-air-fnj-vvo"]
    assert [(p["status"], p["start"], p["end"], p["final_day"], p["current"]) for p in fnj] == [
        ("operating", "2018-01-01", "2020-02-01", "2020-01-31", False),
        ("suspended", "2020-02-01", "2023-08-25", "2023-08-24", False),
        ("operating", "2023-08-25", "2025-01-02", "2025-01-01", True),
    ]
    assert [(p["color"], p["dash"], p["width"], p["opacity"]) for p in fnj[:2]] == [
        ("#591967", None, 3.0, 0.9),
        ("#8b1a1a", "1 7", 3.0, 0.8),
    ]
    assert periods["l-road-tumen/2024-06-19"]["dash"] == "4 6"
    assert layers["route_status"]["l-air-fnj-vvo/2020-02-01"]["geometry"] == (
        layers["routes"]["l-air-fnj-vvo"]["geometry"]
    )


def test_every_layer_carries_its_licence_attribution_and_data_version(texts):
    for name, text in texts.items():
        collection = json.loads(text)
        assert collection["name"] == name.removesuffix(".geojson")
        assert collection["license"] == "CC-BY-4.0"
        assert "GeoNames" in collection["attribution"]
        assert "OpenStreetMap contributors" in collection["attribution"]
        assert collection["data_version"] == "2025-01"


def test_route_status_history_and_periods(layers):
    p = props(layers, "routes", "l-air-fnj-vvo")
    assert p["status_since"] == "2023-08-25"
    assert p["via"] == ["l-fnj", "l-vvo"]
    assert [(h["since"], h["status"], h["sources"]) for h in p["status_history"]] == [
        ("2018", "operating", ["fixture"]),
        ("2020-02", "suspended", ["fixture"]),
        ("2023-08-25", "operating", ["fixture"]),
    ]
    assert p["status_periods"] == [
        {"status": "operating", "start": "2018-01-01", "end": "2020-01-31"},
        {"status": "suspended", "start": "2020-02-01", "end": "2023-08-24"},
        {"status": "operating", "start": "2023-08-25", "end": None},
    ]
    assert props(layers, "routes", "l-road-tumen")["status_periods"] == [
        {"status": "planned", "start": "2024-06-19", "end": None}
    ]


# ---------------------------------------------------------------- events


@pytest.mark.parametrize(
    ("event", "date", "precision", "approximate", "uncertain", "start", "final_day"),
    [
        ("l-2018-11-workers", "2018-11", "month", False, False, "2018-11-01", "2018-11-30"),
        ("l-2019-workers-home", "2019~", "year", True, False, "2019-01-01", "2019-12-31"),
        ("l-2019-03-cash", "2019-03?", "month", False, True, "2019-03-01", "2019-03-31"),
        (
            "l-2017-05-ferry",
            "2017-05-17",
            "day",
            False,
            False,
            "2017-05-17",
            "2017-05-18",
        ),  # end_date
        ("l-2017-12-22-policy", "2017-12-22", "day", False, False, "2017-12-22", "2017-12-22"),
    ],
)
def test_event_dates_span_their_precision(
    layers, event, date, precision, approximate, uncertain, start, final_day
):
    """final_day is the last day, inclusive; end the day after it (QGIS excludes the end)."""
    p = props(layers, "events", event)
    end = (dt.date.fromisoformat(final_day) + dt.timedelta(days=1)).isoformat()
    assert (
        p["date"],
        p["date_precision"],
        p["approximate"],
        p["uncertain"],
        p["start"],
        p["final_day"],
        p["end"],
    ) == (date, precision, approximate, uncertain, start, final_day, end)


@pytest.mark.parametrize(
    ("event", "location"),
    [
        ("l-2017-12-22-policy", "l-pyongyang"),  # its place
        ("l-2018-11-workers", "l-khasan"),  # a movement with no place: its destination
        ("l-2013-09-22-opening", "l-khasan"),  # only a route: the route's first stop
    ],
)
def test_event_point_location(layers, dataset, event, location):
    feature = layers["events"][event]
    place = dataset.places[location]
    assert feature["geometry"] == {"type": "Point", "coordinates": [place.lon, place.lat]}
    assert feature["properties"]["location"] == location
    assert feature["properties"]["location_name"] == place.name


def test_event_properties_carry_counts_and_sources(layers):
    p = props(layers, "events", "l-2017-05-ferry")
    assert (p["people_min"], p["people_max"], p["people_text"]) == (80, 100, "about 80 to 100")
    assert (p["end_date"], p["group"], p["direction"], p["kind"]) == (
        "2017-05-18",
        "passengers",
        "to_russia",
        "movement",
    )
    assert (p["route"], p["from"], p["to"], p["place"]) == (
        "l-ferry-rajin-vvo",
        "l-rajin",
        "l-vvo-sea",
        None,
    )
    assert p["sources"] == [
        {
            "id": "fixture",
            "outlet": "Test fixture",
            "title": "Places, routes and dates for the layer tests",
            "date": "2025-01",
            "url": "https://example.org/fixture",
        }
    ]
    cash = props(layers, "events", "l-2019-03-cash")
    assert (cash["amount_value"], cash["amount_currency"], cash["amount_text"]) == (
        1000000,
        "USD",
        "about US$1 million",
    )
    policy = props(layers, "events", "l-2017-12-22-policy")
    assert [s["id"] for s in policy["sources"]] == ["fixture", "railway-gazette"]
    assert policy["notes"] == "Two sources."


def test_places_properties(layers):
    p = props(layers, "places", "l-tumangang")
    assert (p["name"], p["alt_names"], p["kind"], p["country"], p["origin"]) == (
        "Tumangang station",
        ["두만강역"],
        "station",
        "KP",
        "local",
    )
    assert props(layers, "places", "l-fnj")["iata"] == "FNJ"
    assert props(layers, "places", "l-dandong")["geonames_id"] == 2037886
    assert props(layers, "places", "l-vvo-sea")["precision"] == "approximate"


# ---------------------------------------------------------------- movements


def test_movements_are_the_events_that_go_from_one_place_to_another(layers, dataset):
    expected = {e.id for e in dataset.events if e.origin and e.destination}
    assert set(layers["movements"]) == expected
    assert "l-2013-09-22-opening" not in layers["movements"]


@pytest.mark.parametrize(
    ("event", "drawn_along", "vertices"),
    [
        (
            "l-2018-11-workers",
            "route",
            [[130.28308, 42.25559], [130.6081, 42.4214], [130.64528, 42.42806]],
        ),
        ("l-2024-06-partial", "route", [[130.6081, 42.4214], [130.28308, 42.25559]]),
        ("l-2017-05-ferry", "route", [[130.28308, 42.25559], [131.1, 42.35], [131.884, 43.111]]),
    ],
)
def test_movement_follows_its_route_between_from_and_to_in_travel_order(
    layers, event, drawn_along, vertices
):
    feature = layers["movements"][event]
    assert feature["properties"]["drawn_along"] == drawn_along
    assert feature["geometry"] == {"type": "LineString", "coordinates": vertices}


def test_every_movement_starts_at_its_origin_and_ends_at_its_destination(layers, dataset):
    for fid, feature in layers["movements"].items():
        event = next(e for e in dataset.events if e.id == fid)
        first, last = ends(feature)
        assert first == [event.origin.lon, event.origin.lat], fid
        assert last == [event.destination.lon, event.destination.lat], fid


def test_movement_off_route_or_without_route_is_the_geodesic(layers, dataset):
    for fid in ("l-2020-02-off-route", "l-2019-03-cash"):
        p = props(layers, "movements", fid)
        assert p["drawn_along"] == "geodesic"
        origin, destination = dataset.places[p["from"]], dataset.places[p["to"]]
        direct = km((origin.lon, origin.lat), (destination.lon, destination.lat))
        assert p["length_km"] == pytest.approx(direct, abs=0.1)


def test_reverse_air_movement_is_the_route_arc_backwards(layers):
    forward = layers["routes"]["l-air-fnj-vvo"]["geometry"]["coordinates"]
    movement = layers["movements"]["l-2019-workers-home"]
    assert movement["geometry"]["coordinates"] == forward[::-1]
    assert (
        movement["properties"]["length_km"] == props(layers, "routes", "l-air-fnj-vvo")["length_km"]
    )


def test_movement_across_the_antimeridian_is_split(layers):
    feature = layers["movements"]["l-1995-07-anadyr-nome"]
    assert feature["geometry"]["type"] == "MultiLineString"
    first, second = feature["geometry"]["coordinates"]
    assert first[-1][0] == 180 and second[0][0] == -180
    assert feature["properties"]["length_km"] < 1000


# ---------------------------------------------------------------- determinism


def test_same_input_in_any_order_gives_the_same_bytes(dataset, texts):
    shuffled = dataclasses.replace(
        dataset,
        routes=list(reversed(dataset.routes)),
        events=list(reversed(dataset.events)),
        places=dict(reversed(list(dataset.places.items()))),
    )
    assert render_layers(shuffled).texts == texts
    assert render_layers(dataset).texts == texts


def test_bundled_data_layers_are_valid(bundled_routes):
    """Whatever routes.yaml holds, its layers parse, validate and keep GDAL's Date typing."""
    if not bundled_routes.exists():
        pytest.skip("routes.yaml is not written yet")
    layers = render_layers(load_dataset(bundled_routes))
    for name, text in layers.texts.items():
        collection = json.loads(text)
        assert len(collection["features"]) == layers.counts[name.removesuffix(".geojson")]
        assert geojson_validator.validate_structure(collection, check_crs=True) == {}
        assert geojson_validator.validate_geometries(collection)["invalid"] == {}
        for feature in collection["features"]:
            for key in ("start", "end", "final_day") if name != "places.geojson" else ():
                value = feature["properties"][key]
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (
                    name,
                    feature["id"],
                    value,
                )


# ---------------------------------------------------------------- the data dictionary


def test_docs_describe_every_property_of_every_layer(repo_root):
    doc = (repo_root / "docs" / "layers.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", doc, flags=re.M)
    for layer, fields in FIELDS.items():
        section = next((s for s in sections if s.startswith(f"`{layer}.geojson`")), None)
        assert section is not None, f"docs/layers.md has no '## `{layer}.geojson`' section"
        documented = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
        assert documented == [f for f, _ in fields], (
            f"{layer}: the table must list every property, in order"
        )


def test_the_features_handed_on_are_those_the_files_hold(dataset):
    """The site draws Layers' typed features instead of reading the files back: each feature
    must be the one its file holds, in the file's order, with the same coordinates."""
    layers = render_layers(dataset)
    files = {name: json.loads(text)["features"] for name, text in layers.texts.items()}

    def parts(geometry):
        if geometry is None:
            return []
        coords = geometry["coordinates"]
        return [coords] if geometry["type"] == "LineString" else coords

    assert [p.id for p in layers.places] == [f["id"] for f in files["places.geojson"]]
    routes = files["routes.geojson"]
    assert [r.route.id for r in layers.routes] == [f["id"] for f in routes]
    assert [r.line for r in layers.routes] == [parts(f["geometry"]) for f in routes]
    assert [r.length_km for r in layers.routes] == [f["properties"]["length_km"] for f in routes]
    events = files["events.geojson"]
    assert [e.event.id for e in layers.events] == [f["id"] for f in events]
    assert [e.place.id if e.place else None for e in layers.events] == [
        f["properties"]["location"] for f in events
    ]
    movements = files["movements.geojson"]
    assert [m.event.id for m in layers.movements] == [f["id"] for f in movements]
    assert [m.line for m in layers.movements] == [parts(f["geometry"]) for f in movements]
    assert [m.drawn_along for m in layers.movements] == [
        f["properties"]["drawn_along"] for f in movements
    ]
    periods = files["route_status.geojson"]
    assert [f"{p.route.id}/{p.start}" for p in layers.route_status] == [f["id"] for f in periods]
    assert [(p.status, p.end.isoformat(), p.current) for p in layers.route_status] == [
        (f["properties"]["status"], f["properties"]["end"], f["properties"]["current"])
        for f in periods
    ]
    assert list(layers) == [
        f"{name}.geojson" for name in ("places", "routes", "events", "movements", "route_status")
    ]
    assert sorted(layers.styles) == sorted(f"{name}.qml" for name in FIELDS)
