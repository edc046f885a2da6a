"""Prompt mode, fed through stdin with click's CliRunner: every field asked, defaults shown
and explained, the same messages as the options (with the expected format), < to go back,
a preview of the YAML block and a confirm before anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.load import parse_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def routes(tmp_path) -> Path:
    dst = tmp_path / "routes.yaml"
    shutil.copyfile(ROOT / "routes.yaml", dst)
    return dst


def answer(command: str, routes: Path, lines: list[str]):
    result = CliRunner().invoke(cli, [command, "--interactive", "--data", str(routes)],
                                input="\n".join(lines) + "\n")  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def entries(routes: Path, section: str) -> dict:
    data = parse_document(routes.read_text(encoding="utf-8"), "r").data
    return {e["id"]: e for e in data[section]}


PLACE = ["Test crossing", "", "", "border_crossing", "RU", "42.41", "130.64", "approximate",
         "", ""]  # fmt: skip


def test_add_place_asks_kind_and_precision_and_explains_the_coordinate_format(routes):
    lines = PLACE[:5] + ["42.73N"] + PLACE[5:] + ["y"]
    r = answer("add-place", routes, lines)
    out = r.output
    assert "Kind:" in out and "Precision:" in out
    assert "'42.73N' is not a number: give decimal degrees, e.g. 42.73" in out
    assert "exact: a source confirms the coordinates" in out
    assert "This goes into" in out and "  - id: test-crossing" in out
    place = entries(routes, "places")["test-crossing"]
    assert place["kind"] == "border_crossing" and place["precision"] == "approximate"


def test_declining_the_preview_writes_nothing(routes):
    before = routes.read_bytes()
    r = answer("add-place", routes, PLACE + ["n"])
    assert "Nothing written" in r.output
    assert routes.read_bytes() == before


def test_less_than_goes_back_one_question(routes):
    # Kind answered 'bridge', then '<' at Country goes back to Kind, answered again
    lines = PLACE[:3] + ["bridge", "<", "border_crossing"] + PLACE[4:] + ["y"]
    answer("add-place", routes, lines)
    assert entries(routes, "places")["test-crossing"]["kind"] == "border_crossing"


def test_add_route_asks_the_status_and_its_date_never_assuming_operating(routes):
    lines = ["Test line", "", "rail", "Khasan", "Rajinn", "Rajin", "", "", "", "", "",
             "tass-2025-04-road-bridge-economy", "", "planned", ""]  # fmt: skip
    r = answer("add-route", routes, lines + ["y"])
    assert "did you mean Rajin?" in r.output
    assert "Status:" in r.output and "There is no default" in r.output
    assert "Since [2025-04-30]:" in r.output  # the source's date, shown as the default
    route = entries(routes, "routes")["test-line"]
    assert route["status"] == [{"since": "2025-04-30", "status": "planned",
                                "sources": ["tass-2025-04-road-bridge-economy"]}]  # fmt: skip


def test_add_event_asks_every_field_and_proposes_a_people_range(routes):
    lines = ["2025-05-02", "", "Workers arrive at Khasan", "In our own words.", "", "",
             "Pyongyang", "Khasan", "", "about 1,500", "", "", "workers", "to_russia", "", "",
             "tass-2025-04-road-bridge-economy", "", "y"]  # fmt: skip
    r = answer("add-event", routes, lines)
    for label in ("End date", "Kind [movement]", "From", "To", "Route", "Group", "Direction",
                  "Confidence [reported]", "Note", "Id [2025-05-02-workers-arrive-at-khasan]"):
        assert label in r.output, label
    assert "At least [1350]" in r.output and "At most [1650]" in r.output
    assert "'about 1,500' -> 1,350 to 1,650" in r.output
    event = entries(routes, "events")["2025-05-02-workers-arrive-at-khasan"]
    assert event["people"] == {"min": 1350, "max": 1650, "text": "about 1,500"}
    assert (event["from"], event["to"]) == ("pyongyang", "khasan")
