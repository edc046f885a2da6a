"""`geo export`: GeoPackage with real Date fields, CSV with lon/lat or WKT, KML.
(tests/test_export_formats.py: stable ids, ogrinfo, spreadsheets, kepler.gl, --as-of.)"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from geo.export import export
from geo.fields import GEOMETRY
from geo.layers import FIELDS, render_layers
from geo.validate import load_dataset

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "layers_golden.yaml"


@pytest.fixture(scope="module")
def layers():
    return render_layers(load_dataset(FIXTURE))


def features(layers, name) -> list[dict]:
    return json.loads(layers.texts[f"{name}.geojson"])["features"]


def field_types(path, layer=None) -> dict[str, str]:
    info = pyogrio.read_info(path, layer=layer)
    return dict(zip(info["fields"], info["ogr_types"], strict=True))


# ---------------------------------------------------------------- GeoPackage


def test_geopackage_has_four_layers_with_their_geometry_types(layers, tmp_path):
    (path,) = export(layers, "gpkg", tmp_path)
    assert path == tmp_path / "layers.gpkg"
    assert {name: kind for name, kind in pyogrio.list_layers(path)} == {
        name: "Point" if GEOMETRY[name] == "Point" else "MultiLineString" for name in FIELDS
    }
    for name in FIELDS:
        info = pyogrio.read_info(path, layer=name)
        assert info["features"] == layers.counts[name]
        assert list(info["fields"]) == [f for f, _ in FIELDS[name]]
        assert info["crs"] == "EPSG:4326"
    assert [p.name for p in tmp_path.iterdir()] == ["layers.gpkg"], "no temporary files left"


def test_geopackage_dates_are_date_fields_even_where_geojson_would_guess_text(tmp_path):
    """The GeoPackage has Date fields whatever GDAL would guess from the GeoJSON."""
    small = render_layers(load_dataset(DATA / "small.yaml"))
    (path,) = export(small, "gpkg", tmp_path)
    for name in ("routes", "events", "movements"):
        types = field_types(path, name)
        assert (types["start"], types["end"]) == ("OFTDate", "OFTDate"), name
    assert field_types(path, "routes")["length_km"] == "OFTReal"
    assert field_types(path, "events")["people_min"] == "OFTInteger64"


def test_geopackage_values_round_trip(layers, tmp_path):
    (path,) = export(layers, "gpkg", tmp_path)
    meta, _, geometry, values = pyogrio.raw.read(path, layer="routes")
    rows = dict(zip(meta["fields"], values, strict=True))
    index = list(rows["id"]).index("l-ferry-rajin-vvo")
    assert rows["start"][index] == np.datetime64("2017-05-17")
    assert rows["end"][index] == np.datetime64("2025-01-02"), "the day after the data version"
    planned = list(rows["id"]).index("l-road-tumen")
    assert rows["start"][planned] == np.datetime64("2024-06-19"), "no null date"
    assert json.loads(rows["via"][index]) == ["l-rajin", "l-vvo-sea"]
    assert json.loads(rows["status_periods"][index])[0] == {
        "status": "operating",
        "start": "2017-05-17",
        "end": "2017-07-31",
    }
    by_id = {f["id"]: shape(f["geometry"]) for f in features(layers, "routes")}
    for fid, wkb in zip(rows["id"], geometry, strict=True):
        assert shapely.equals(shapely.from_wkb(wkb), by_id[fid]), fid

    meta, _, _, values = pyogrio.raw.read(path, layer="events")
    rows = dict(zip(meta["fields"], values, strict=True))
    cash = list(rows["id"]).index("l-2019-03-cash")
    assert rows["amount_value"][cash] == 1000000 and rows["amount_currency"][cash] == "USD"
    assert rows["uncertain"][cash] == 1 and rows["approximate"][cash] == 0
    ferry = list(rows["id"]).index("l-2017-05-ferry")
    assert (rows["people_min"][ferry], rows["people_max"][ferry]) == (80, 100)
    assert rows["end"][ferry] == np.datetime64("2017-05-19"), "exclusive"
    assert rows["final_day"][ferry] == np.datetime64("2017-05-18")
    assert json.loads(rows["sources"][ferry])[0]["outlet"] == "Test fixture"


def test_geopackage_dates_are_the_layers_dates(layers, tmp_path):
    (path,) = export(layers, "gpkg", tmp_path)
    for name, fields in FIELDS.items():
        meta, _, _, values = pyogrio.raw.read(path, layer=name)
        rows = dict(zip(meta["fields"], values, strict=True))
        for field in (f for f, kind in fields if kind == "date"):
            expected = {f["id"]: f["properties"][field] for f in features(layers, name)}
            got = [None if np.isnat(v) else str(v) for v in rows[field]]
            assert dict(zip(rows["id"], got, strict=True)) == expected, (name, field)


# ---------------------------------------------------------------- CSV


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_csv_points_have_lon_lat_columns_and_lines_a_wkt_column(layers, tmp_path):
    written = export(layers, "csv", tmp_path)
    assert sorted(p.name for p in written) == sorted(
        ["README.txt"] + [f"{name}.{ext}" for name in FIELDS for ext in ("csv", "csvt")]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)

    places = {row["id"]: row for row in read_csv(tmp_path / "places.csv")}
    assert len(places) == layers.counts["places"]
    assert (float(places["l-nome"]["lon"]), float(places["l-nome"]["lat"])) == (-165.4064, 64.5011)
    assert json.loads(places["l-tumangang"]["alt_names"]) == ["두만강역"]
    assert "WKT" not in places["l-nome"]

    movements = {row["id"]: row for row in read_csv(tmp_path / "movements.csv")}
    line = shapely.from_wkt(movements["l-2018-11-workers"]["WKT"])
    assert list(line.coords)[0] == (130.28308, 42.25559), "lines keep the direction of travel"
    assert (
        shapely.from_wkt(movements["l-1995-07-anadyr-nome"]["WKT"]).geom_type == "MultiLineString"
    )


def test_csv_dates_are_iso_days_and_nulls_are_empty(layers, tmp_path):
    export(layers, "csv", tmp_path)
    events = {row["id"]: row for row in read_csv(tmp_path / "events.csv")}
    row = events["l-2018-11-workers"]
    assert (row["date"], row["start"], row["end"], row["final_day"], row["end_date"]) == (
        "2018-11",
        "2018-11-01",
        "2018-12-01",
        "2018-11-30",
        "",
    )
    assert row["people_min"] == "300" and row["people_max"] == ""
    for name, fields in FIELDS.items():
        rows = read_csv(tmp_path / f"{name}.csv")
        for field in (f for f, kind in fields if kind == "date"):
            expected = [f["properties"][field] or "" for f in features(layers, name)]
            assert [r[field] for r in rows] == expected, (name, field)


# ---------------------------------------------------------------- KML


def test_kml_has_one_placemark_per_feature_labelled_by_name_or_title(layers, tmp_path):
    written = export(layers, "kml", tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{name}.kml" for name in FIELDS)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    for name in FIELDS:
        root = ET.parse(tmp_path / f"{name}.kml").getroot()
        marks = root.findall(".//k:Placemark", ns)
        assert len(marks) == layers.counts[name]
        labels = sorted(m.findtext("k:name", namespaces=ns) for m in marks)
        key = "title" if "title" in dict(FIELDS[name]) else "name"
        assert labels == sorted(f["properties"][key] for f in features(layers, name))
    root = ET.parse(tmp_path / "routes.kml").getroot()
    assert root.findall(".//k:MultiGeometry", ns), (
        "the split Anadyr-Nome lines are multi-geometries"
    )


# ---------------------------------------------------------------- the command


def test_cli_exports_and_lists_the_files(geo, layers, tmp_path):
    result = geo("export", "--data", FIXTURE, "--format", "gpkg", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    counts = ", ".join(f"{n} {name}" for name, n in layers.counts.items())
    assert result.stdout.splitlines() == [f"wrote {tmp_path / 'out' / 'layers.gpkg'}", f"({counts})"]
    assert counts == "10 places, 6 routes, 9 events, 7 movements, 13 route_status"


def test_cli_rejects_an_unknown_format(geo, tmp_path):
    result = geo("export", "--data", FIXTURE, "--format", "shp", "--out", tmp_path)
    assert result.returncode == 2
    assert "'shp' is not one of 'gpkg', 'csv', 'kml', 'fgb', 'parquet', 'kepler'" in result.stderr


def test_cli_output_into_a_file_is_a_one_line_error(geo, tmp_path):
    (tmp_path / "taken").write_text("x")
    result = geo(
        "export", "--data", FIXTURE, "--format", "csv", "--out", tmp_path / "taken" / "out"
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'taken' / 'out'}:")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
