"""geo import: a CSV of events, every row checked before anything is written; and what
add-event says about a row: people ranges by the header's rule, possible duplicates, ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.load import parse_document
from geo.people import read_people

ROOT = Path(__file__).resolve().parent.parent
HEADER = "date,title,summary,place,route,people,group,direction,source,source_url,source_outlet,source_title,source_date\n"  # noqa: E501
GOOD = (
    "2025-05-02,Workers board the Rajin ferry,In our own words: a group boarded.,,"
    "rajin-vladivostok-ferry,about 1500,workers,to_russia,,https://example.org/ferry,"
    "Example News,Ferry carries workers,2025-05-03\n"
    "2025-05-04,Officials visit Khasan station,In our own words: a delegation visited.,"
    "Khasan,,,officials,none,,https://example.org/ferry,Example News,Ferry carries workers,"
    "2025-05-03\n"
)


@pytest.fixture()
def routes(tmp_path) -> Path:
    dst = tmp_path / "routes.yaml"
    shutil.copyfile(ROOT / "routes.yaml", dst)
    return dst


def events(routes: Path) -> dict:
    data = parse_document(routes.read_text(encoding="utf-8"), "r").data
    return {e["id"]: e for e in data["events"]}


def test_import_adds_every_row_sharing_a_new_source(geo, routes, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text(HEADER + GOOD, encoding="utf-8")
    r = geo("import", csv, "--data", routes)
    assert r.returncode == 0, r.stderr
    assert f"Added 2 event(s) from {csv}" in r.stdout
    added = events(routes)
    ferry = added["2025-05-02-workers-board-the-rajin-ferry"]
    visit = added["2025-05-04-officials-visit-khasan-station"]
    assert ferry["people"] == {"min": 1350, "max": 1650, "text": "about 1500"}
    assert ferry["sources"] == visit["sources"] == ["example-news-2025-05-03"]
    assert visit["place"] == "khasan"
    assert geo("validate", "--data", routes).returncode == 0


def test_import_dry_run_prints_the_diff_and_writes_nothing(geo, routes, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text(HEADER + GOOD, encoding="utf-8")
    before = routes.read_bytes()
    r = geo("import", csv, "--dry-run", "--data", routes)
    assert r.returncode == 0, r.stderr
    assert "+  - id: 2025-05-02-workers-board-the-rajin-ferry" in r.stdout
    assert "+  example-news-2025-05-03:" in r.stdout
    assert routes.read_bytes() == before


def test_import_reports_every_bad_row_at_once_and_writes_nothing(geo, routes, tmp_path):
    csv = tmp_path / "events.csv"
    rows = ("2024-02-30,T,S,Khasan,,,,,tass-2025-04-road-bridge-economy,,,,\n"
            "2024-02-03,T2,S2,Nowhereville,,,,,tass-2025-04-road-bridge-economy,,,,\n"
            "2024-02-03,T3,S3,Khasan,,,,,nosuch,,,,\n")  # fmt: skip
    csv.write_text(HEADER + GOOD + rows, encoding="utf-8")
    before = routes.read_bytes()
    r = geo("import", csv, "--data", routes)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"{csv}:4:1: date: '2024-02-30' is not a calendar day")
    assert lines[1] == f"{csv}:5:4: place: unknown place 'Nowhereville'"
    assert lines[2].startswith(f"{csv}:6:9: source: unknown source 'nosuch'")
    assert lines[3] == "3 problems found"
    assert routes.read_bytes() == before


def test_import_names_an_unknown_column(geo, routes, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("date,title,summary,colour\n2024,a,b,red\n", encoding="utf-8")
    r = geo("import", csv, "--data", routes)
    assert r.returncode == 2
    assert f"{csv}:1:4: colour: unknown column 'colour'; the columns are: id, date" in r.stderr


# ---------------------------------------------------------------- what add-event says


@pytest.mark.parametrize(("words", "low", "high"), [
    ("about 1,500", 1350, 1650),      # the header: the figure -10 % / +10 %
    ("some 50", 45, 55),
    ("more than 300", 300, None),
    ("over 300 workers", 300, None),
    ("fewer than 10,000", None, 10000),
    ("hundreds", 200, None),
    ("Five North Korean workers", 5, 5),
    ("several", None, None),
])  # fmt: skip
def test_people_ranges_follow_the_rule_in_the_header(words, low, high):
    reading = read_people(words)
    got = (reading.min, reading.max) if reading else (None, None)
    assert got == (low, high)
    header = (ROOT / "routes.yaml").read_text(encoding="utf-8")
    assert '"hundreds"                   -> min: 200' in header
    assert '"about 100", "some 50"       -> min/max = the figure -10 % / +10 %' in header


def test_add_event_shows_the_people_range_it_read(geo, routes):
    r = geo("add-event", "--date", "2025-05-02", "--title", "Workers cross at Khasan",
            "--summary", "Our words.", "--place", "Khasan", "--people", "about 1,500",
            "--source", "tass-2025-04-road-bridge-economy", "--data", routes)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "people: 'about 1,500' -> 1,350 to 1,650" in r.stdout
    assert events(routes)["2025-05-02-workers-cross-at-khasan"]["people"]["min"] == 1350


def test_add_event_warns_of_a_possible_duplicate(geo, routes):
    r = geo("add-event", "--date", "2024-06-19", "--title", "Tumen road bridge agreed",
            "--summary", "Our words.", "--route", "tumen-road-bridge",
            "--source", "tass-2025-04-road-bridge-economy", "--data", routes)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert ("possible duplicate: event '2024-06-19-road-bridge-agreement' (line 1891) has the "
            "same date and route tumen-road-bridge") in r.stdout
    r = geo("add-event", "--date", "2025-07-01", "--title",
            "Construction of the Tumen road bridge begins", "--summary", "Our words.",
            "--route", "tumen-road-bridge", "--source", "tass-2025-04-road-bridge-economy",
            "--data", routes)  # fmt: skip
    assert "'2025-04-30-road-bridge-construction-starts'" in r.stdout
    assert "has a similar title" in r.stdout


def test_auto_ids_are_never_cut_mid_word(geo, routes):
    title = ("More than three hundred North Korean construction workers arrive by rail at "
             "Vladivostok station")  # fmt: skip
    r = geo("add-event", "--date", "2024-02-05", "--title", title, "--summary", "Our words.",
            "--place", "Vladivostok", "--source", "tass-2025-04-road-bridge-economy",
            "--json", "--data", routes)  # fmt: skip
    assert r.returncode == 0, r.stderr
    made = "2024-02-05-more-than-three-hundred-north-korean-construction-workers-arrive-by"
    assert made in events(routes)
