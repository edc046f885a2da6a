"""The layers in the analyst's real clients: Debian's QGIS 3.22 (tests/qgis/probe.py, run by
/usr/bin/python3, which has its bindings) and GDAL's ogrinfo.

QGIS loads each layer with the temporal fields it pre-selects, and its Temporal Controller must
show, on a one-day frame, what the website shows on that day: the routes that have a status
then (Route.status_on, the logic of the site's statusAt), one route_status feature per such route
with that status, and the events and movements whose span holds the day.  With the .qml styles
beside the layers, a render on 2024-02-10 must draw the map's route colours.

In CI (the CI environment variable set) a missing QGIS or ogrinfo fails these tests; elsewhere
they are skipped.

    GEO_WRITE_SCREENSHOTS=1 … pytest tests/test_qgis.py   # rewrite docs/qgis-2024-02-10.png
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.fields import LAYER_NAMES
from geo.layers import render_layers
from geo.properties import open_end
from geo.symbols import MODE_COLORS, STATUS_STYLES, route_color
from geo.validate import load_dataset

ROOT = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).parent / "qgis" / "probe.py"
QGIS_PYTHON = "/usr/bin/python3"
SCREENSHOT = ROOT / "docs" / "qgis-2024-02-10.png"
BACKGROUND = "#f4f1ea"  # the site's land colour (BASEMAP_STYLE), under the routes
SEA = "#dce6ea"
BASEMAP = ROOT / "geo" / "site" / "data" / "basemap.json"
EXTENT = [121.0, 37.6, 135.2, 45.0]  # from Pyongyang and Dandong to Vladivostok
DATES = [
    "1959-08-09",
    "2013-09-22",
    "2017-05-17",
    "2020-01-31",
    "2020-06-01",
    "2024-02-10",
    "2025-06-17",
    "2025-07-28",
    "2026-03-13",  # the data version: the last day a current status is shown
    "2026-03-14",  # nothing is claimed after it (the site still draws the last statuses)
]


def _has_qgis() -> bool:
    if not Path(QGIS_PYTHON).exists():
        return False
    found = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True)
    return found.returncode == 0


def _require(available: bool, what: str) -> None:
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: CI must install it (see .ci/run)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(ROOT / "routes.yaml")


@pytest.fixture(scope="module")
def layer_dir(dataset, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("layers")
    for name, data in render_layers(dataset).files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def qgis(layer_dir) -> dict:
    """The probe's report on every layer, and a render of 2024-02-10 (into docs/ when asked)."""
    _require(_has_qgis(), "QGIS (python3-qgis for /usr/bin/python3)")
    png = SCREENSHOT if os.environ.get("GEO_WRITE_SCREENSHOTS") else layer_dir / "shot.png"
    order = ["events", "places", "movements", "route_status"]  # the first is drawn on top
    planned = _blend(STATUS_STYLES["planned"].color, STATUS_STYLES["planned"].opacity)
    colors = sorted(set(_route_colors("2024-02-10")) | {BACKGROUND, SEA, planned})
    args = {
        "layers": [str(layer_dir / f"{name}.geojson") for name in order + ["routes"]],
        "dates": DATES,
        "png": {"path": str(png), "date": "2024-02-10", "width": 900, "height": 640},
    }
    args["png"].update(
        colors=colors,
        extent=EXTENT,
        background=SEA,
        basemap=str(BASEMAP),
        land_style={
            "color": BACKGROUND,
            "outline_color": "#9c978c",
            "outline_width": "0.8",
            "outline_width_unit": "Pixel",
        },
    )
    args["png"]["layers"] = len(order)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [QGIS_PYTHON, str(PROBE), json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    report["stderr"] = done.stderr
    report["layers"] = {Path(k).stem: v for k, v in report["layers"].items()}
    return report


def _route_colors(iso: str) -> dict[str, str]:
    """The colour each status drawn on *iso* has once blended with the background, as the
    map's opacity makes it: {blended colour: what it is}."""
    day = dt.date.fromisoformat(iso)
    out = {}
    for route in load_dataset(ROOT / "routes.yaml").routes:
        status = route.status_on(day)
        if status:
            style = STATUS_STYLES[status]
            out[_blend(route_color(route.mode, status), style.opacity)] = f"{route.id} {status}"
    return out


def _blend(color: str, opacity: float) -> str:
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    bg = [int(BACKGROUND[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(opacity * c + (1 - opacity) * b) for c, b in zip(rgb, bg, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)


def _website(dataset, day: dt.date) -> dict[str, int]:
    """What the site shows on *day*: routes with a status then, events whose span holds it."""
    routes = sum(1 for r in dataset.routes if r.status_on(day) is not None)
    if day >= open_end(dataset):  # the layers end at the data version (docs/layers.md)
        routes = 0
    events = [e for e in dataset.events if e.date.start <= day <= (e.end_date or e.date).end]
    return {
        "routes": routes,
        "route_status": routes,
        "events": len(events),
        "movements": sum(1 for e in events if e.origin and e.destination),
    }


def test_qgis_logs_no_gdal_error(qgis):
    assert "ERROR" not in qgis["stderr"], qgis["stderr"]
    assert not [m for m in qgis["messages"] if "rror" in m], qgis["messages"]


def test_qgis_reads_every_dated_layer_with_start_and_end_pre_selected(qgis, dataset):
    for name in ("routes", "route_status", "events", "movements"):
        layer = qgis["layers"][name]
        assert layer["valid"], name
        assert (layer["start_field"], layer["end_field"]) == ("start", "end"), name
        assert layer["mode"] == 2, "Separate Fields for Start and End Date/Time"
        for field in ("start", "end", "final_day"):
            assert layer["fields"][field] == "Date", (name, field)
    assert qgis["layers"]["route_status"]["features"] == sum(
        len({c.since.start for c in r.status}) for r in dataset.routes
    )


@pytest.mark.parametrize("iso", DATES)
def test_qgis_shows_on_each_day_what_the_website_shows(qgis, dataset, iso):
    expected = _website(dataset, dt.date.fromisoformat(iso))
    shown = {name: qgis["layers"][name]["counts"][iso] for name in expected}
    assert shown == expected


def test_the_day_after_the_data_version_shows_no_route(qgis, dataset):
    assert open_end(dataset) == dt.date(2026, 3, 14)
    for name in ("routes", "route_status"):
        assert qgis["layers"][name]["counts"]["2026-03-13"] == len(dataset.routes), name
        assert qgis["layers"][name]["counts"]["2026-03-14"] == 0, name


def test_qgis_applies_the_style_beside_each_layer(qgis):
    expected = {
        "places": "singleSymbol",
        "routes": "RuleRenderer",
        "route_status": "RuleRenderer",
        "events": "RuleRenderer",
        "movements": "singleSymbol",
    }
    assert {name: qgis["layers"][name]["renderer"] for name in LAYER_NAMES} == expected
    for name in ("routes", "route_status", "events", "movements"):
        style = qgis["layers"][name]["style"]
        assert (style["start_field"], style["end_field"], style["mode"]) == ("start", "end", 2)


def test_qgis_render_on_2024_02_10_draws_the_routes_in_the_maps_colours(qgis):
    shot = qgis["png"]
    assert shot["errors"] == []
    pixels = shot["pixels"]
    assert pixels[BACKGROUND] > 0.3 * 900 * 640, "mostly land"
    assert pixels[SEA] > 0.1 * 900 * 640, "and some sea"
    rail = _blend(MODE_COLORS["rail"], STATUS_STYLES["operating"].opacity)
    air = _blend(MODE_COLORS["air"], STATUS_STYLES["operating"].opacity)
    suspended = _blend(STATUS_STYLES["suspended"].color, STATUS_STYLES["suspended"].opacity)
    drawn = _route_colors("2024-02-10")
    assert {rail, air, suspended} <= set(drawn)
    for color in (rail, air, suspended):  # the 3 km bridge under construction is too small
        assert pixels[color] >= 100, (drawn[color], color, pixels)
    unused = _blend(STATUS_STYLES["planned"].color, STATUS_STYLES["planned"].opacity)
    assert unused not in drawn and pixels.get(unused, 0) == 0, "no planned route on that day"
    assert Path(shot["path"]).stat().st_size > 10_000


def test_ogrinfo_opens_every_layer_without_a_warning(layer_dir):
    _require(shutil.which("ogrinfo") is not None, "ogrinfo (gdal-bin)")
    for name in LAYER_NAMES:
        done = subprocess.run(
            ["ogrinfo", "-ro", "-al", "-so", str(layer_dir / f"{name}.geojson")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", (name, done.stderr)
        assert "Warning" not in done.stdout, name
        assert f"Layer name: {name}" in done.stdout
        assert "end: Date" in done.stdout or name == "places"


def test_ogrinfo_filters_on_end_without_a_date_error(layer_dir):
    """The filter of issue 14: GDAL 3.6 failed on null dates and returned no route."""
    _require(shutil.which("ogrinfo") is not None, "ogrinfo (gdal-bin)")
    done = subprocess.run(
        [
            "ogrinfo",
            "-ro",
            "-so",
            str(layer_dir / "routes.geojson"),
            "routes",
            "-where",
            "(\"end\" > '2024/02/10 00:00:00' OR \"end\" IS NULL)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "ERROR" not in done.stderr, done.stderr
    assert "Feature Count: 10" in done.stdout
