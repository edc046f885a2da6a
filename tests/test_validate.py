"""`geo validate`: every broken variant gets FILE:LINE: field: message, exit 2, no traceback."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from geo.errors import DataError
from geo.validate import load_dataset, validate_text

SMALL = (Path(__file__).parent / "data" / "small.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the *occurrence*-th line containing *needle*."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in fixture"
    return hits[occurrence - 1]


# (id, old, new, anchor of the expected line in the *new* text, field, message regex)
CASES = [
    ("yaml-syntax", "title: Workers arrive by rail", "title: [Workers arrive by rail", "title: [Workers", None,
     r"YAML syntax error"),
    ("tab-indent", "    title: A policy event", "\ttitle: A policy event", "\ttitle", None, r"tab character"),
    ("unknown-key", "    title: A policy event", "    titel: A policy event", "titel:", "events[2].titel",
     r"unknown field 'titel' \(did you mean 'title'\?\)"),
    ("unknown-top-key", "version: 1", "version: 1\nroutez: []", "routez", "routez", r"unknown field 'routez'"),
    ("wrong-type-lat", "    lat: 42.4214", "    lat: north", "lat: north", "places[1].lat", r"must be a number"),
    ("quoted-number", "    lat: 42.4214", '    lat: "42.4214"', 'lat: "42.4214"', "places[1].lat",
     r"must be a number.*without quotes"),
    ("wrong-type-via", "    via: [t-fnj, t-vvo]", "    via: t-fnj", "via: t-fnj", "routes[0].via", r"must be a list"),
    ("impossible-date", '    date: "2024-02-05"', '    date: "2024-02-30"', "2024-02-30", "events[0].date",
     r"not a calendar day"),
    ("bad-month", '    date: "2017-12-22"', '    date: "2017-13-22"', "2017-13-22", "events[2].date", r"month 13"),
    ("not-a-date", '    date: "2017-12-22"', "    date: last week", "last week", "events[2].date",
     r"not a date; write YYYY"),
    ("future-event", '    date: "2017-12-22"', '    date: "2099-01-01"', "2099-01-01", "events[2].date",
     r"in the future"),
    ("lat-out-of-range", "    lat: 42.4214", "    lat: 95", "lat: 95", "places[1].lat", r"latitude 95 is out of range"),
    ("lon-out-of-range", "    lon: 130.6081", "    lon: 190.5", "lon: 190.5", "places[1].lon", r"longitude 190.5"),
    ("nan-coordinate", "    lat: 42.4214", "    lat: .nan", "lat: .nan", "places[1].lat", r"not a finite number"),
    ("duplicate-place-id", "  - id: t-tumangang", "  - id: t-khasan", ("id: t-khasan", 2), "places[1].id",
     r"duplicate id 't-khasan' \(first used on line \d+\)"),
    ("duplicate-event-id", "  - id: t-2017-12-22-policy", "  - id: t-2024-02-05-rail", ("id: t-2024-02-05-rail", 2),
     "events[2].id", r"duplicate id"),
    ("unknown-place", "    place: t-fnj", "    place: Vladivostock", "place: Vladivostock", "events[2].place",
     r"unknown place 'Vladivostock'.*did you mean"),
    ("unknown-route", "    route: t-rail", "    route: t-rial", "route: t-rial", "events[0].route",
     r"unknown route 't-rial' \(did you mean 't-rail'\?\)"),
    ("unknown-source", "    sources: [ref-facts]\n  - id: t-2019", "    sources: [ref-fact]\n  - id: t-2019",
     "sources: [ref-fact]", "events[0].sources[0]", r"unknown source 'ref-fact' \(did you mean 'ref-facts'\?\)"),
    ("one-stop-route", "    via: [t-fnj, t-vvo]", "    via: [t-fnj]", "via: [t-fnj]", "routes[0].via",
     r"at least 2 stops"),
    ("status-out-of-order", '      - since: "2020-02"', '      - since: "2017-02"', '"2017-02"', "routes[0].status[1].since",
     r"out of date order"),
    ("event-without-source", "    place: t-fnj\n    confidence: confirmed\n    sources: [ref-facts]",
     "    place: t-fnj\n    confidence: confirmed\n    sources: []", "sources: []", "events[2].sources",
     r"cite at least one source"),
    ("event-missing-sources", "    place: t-fnj\n    confidence: confirmed\n    sources: [ref-facts]",
     "    place: t-fnj\n    confidence: confirmed", "id: t-2017-12-22-policy", "events[2].sources",
     r"missing required field: sources"),
    ("ftp-url", "    url: https://en.wikipedia.org", "    url: ftp://en.wikipedia.org", "ftp://", "sources.ref-facts.url",
     r"not an http\(s\) URL"),
    ("javascript-url", "    url: https://en.wikipedia.org", "    url: javascript:alert(1)//en.wikipedia.org",
     "javascript:", "sources.ref-facts.url", r"not an http\(s\) URL"),
    ("bad-mode", "    mode: rail", "    mode: train", "mode: train", "routes[1].mode",
     r"'train' is not one of: air, rail, sea, road"),
    ("bad-status", "        status: under_construction", "        status: building", "status: building",
     "routes[1].status[0].status", r"not one of"),
    ("bad-confidence", "    confidence: confirmed", "    confidence: sure", "confidence: sure", "events[2].confidence",
     r"not one of"),
    ("id-with-space", "  - id: t-2017-12-22-policy", "  - id: t 2017 policy", "id: t 2017 policy", "events[2].id",
     r"not a valid id"),
    ("id-with-html", "  - id: t-2017-12-22-policy", '  - id: "<b>x</b>"', "<b>x</b>", "events[2].id",
     r"not a valid id"),
    ("duplicate-key", "    title: A policy event", "    title: A policy event\n    title: Again", "title: Again",
     "events[2].title", r"duplicate key 'title'"),
    ("python-tag", "    title: A policy event", "    title: !!python/object/apply:os.system ['true']",
     "!!python", "events[2].title", r"tag !!python/object/apply:os.system is not allowed"),
    ("alias", "    title: A policy event", "    title: *anchor", "*anchor", None, r"YAML syntax error|alias"),
    ("min-greater-than-max", '    people: {min: 200, text: "hundreds"}', '    people: {min: 200, max: 100, text: "hundreds"}',
     "max: 100", "events[1].people.max", r"max 100 is smaller than min 200"),
    ("waypoint-after-unknown-stop", "    via: [t-fnj, t-vvo]",
     "    via: [t-fnj, t-vvo]\n    waypoints:\n      - {after: t-rajin, lat: 40, lon: 128, sources: [ref-facts]}", "after: t-rajin",
     "routes[0].waypoints[0].after", r"not one of this route's stops"),
    ("event-nowhere", "    place: t-fnj\n", "", "id: t-2017-12-22-policy", "events[2]", r"needs a place"),
    ("zero-width-in-name", "    name: Test Rajin", "    name: Test Ra\u200bjin", "Ra\u200bjin", "places[2].name",
     r"invisible or control character U\+200B"),
    ("rtl-override-in-title", "    title: A policy event", "    title: A policy \u202eevent", "policy \u202e",
     "events[2].title", r"U\+202E"),
    ("end-before-start", '    date: "2024-02-05"', '    date: "2024-02-05"\n    end_date: "2024-02-01"',
     "end_date", "events[0].end_date", r"end_date 2024-02-01 is before date 2024-02-05"),
    ("bad-country", "    country: KP\n    lat: 42.4214", "    country: North Korea\n    lat: 42.4214", "North Korea",
     "places[1].country", r"two-letter ISO country code"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_variant_reports_line_field_and_message(case):
    _id, old, new, anchor, field, pattern = case
    assert old in SMALL, f"fixture changed: {old!r} not found"
    text = SMALL.replace(old, new, 1)
    with pytest.raises(DataError) as info:
        validate_text(text, "routes.yaml")
    problems = info.value.problems
    rendered = "\n".join(map(str, problems))
    matching = [p for p in problems if re.search(pattern, p.message)]
    assert matching, rendered
    p = matching[0]
    assert p.file == "routes.yaml"
    needle, occurrence = anchor if isinstance(anchor, tuple) else (anchor, 1)
    assert p.line == line_of(text, needle, occurrence), rendered
    if field is not None:
        assert p.field == field, rendered
    assert re.match(r"^routes\.yaml:\d+:\d+: ", str(p)), str(p)
    assert "\n" not in str(p)


def test_at_least_25_broken_variants():
    assert len(CASES) >= 25


def test_all_errors_reported_at_once():
    text = SMALL.replace("    mode: rail", "    mode: train").replace("    lat: 42.4214", "    lat: 95")
    text = text.replace("    title: A policy event", "    titel: A policy event")
    with pytest.raises(DataError) as info:
        validate_text(text)
    messages = " | ".join(p.message for p in info.value.problems)
    assert "'train'" in messages and "latitude 95" in messages and "unknown field 'titel'" in messages


def test_small_fixture_is_valid_and_resolved():
    ds = validate_text(SMALL)
    assert [r.id for r in ds.routes] == ["t-air", "t-rail"]
    assert [s.id for s in ds.route("t-rail").stops] == ["t-khasan", "t-tumangang", "t-rajin"]
    assert ds.events[0].people.min == 300 and ds.events[0].people.text == "more than 300"
    assert ds.events[1].date.precision == "month" and ds.events[1].date.approximate
    assert ds.route("t-air").status_on(__import__("datetime").date(2021, 1, 1)) == "suspended"


def test_yaml_traps_do_not_bite():
    """Unquoted dates stay the string written; Norway's code is not False; 1:20 is not 80."""
    text = SMALL.replace('    date: "2024-02-05"', "    date: 2024-02-05")
    text = text.replace("    country: KP\n    lat: 42.4214", "    country: NO\n    lat: 42.4214")
    text = text.replace("    title: A policy event", "    title: 1:20")
    ds = validate_text(text)
    assert ds.events[0].date.text == "2024-02-05"
    assert next(e for e in ds.events if e.id == "t-2017-12-22-policy").title == "1:20"


def test_alias_bomb_rejected_fast():
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    with pytest.raises(DataError) as info:
        validate_text("\n".join(bomb) + "\n")
    assert time.perf_counter() - started < 2
    assert "aliases" in str(info.value)


def test_planned_status_may_be_in_the_future():
    text = SMALL.replace(
        '      - since: "2013-09-22"\n        status: operating',
        '      - since: "2013-09-22"\n        status: operating\n'
        '        sources: [ref-facts]\n      - since: "2099-01"\n        status: planned',
    )
    validate_text(text)


def test_crlf_bom_and_unicode_names_are_accepted(tmp_path):
    text = SMALL.replace("    name: Test Rajin", "    name: Test Rajin\n    alt_names: [라진, Раджин, 羅津, Rāǰin]")
    path = tmp_path / "routes.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    ds = load_dataset(path)
    assert "라진" in ds.places["t-rajin"].alt_names


def test_cli_validate_ok(geo, small_routes):
    r = geo("validate", small_routes)
    assert r.returncode == 0, r.stderr
    assert "OK: 1 sources, 5 places, 2 routes, 3 events" in r.stdout


def test_cli_validate_errors_exit_2_without_traceback(geo, small_routes):
    small_routes.write_text(SMALL.replace("    mode: rail", "    mode: train"), encoding="utf-8")
    r = geo("validate", small_routes)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    first = r.stderr.splitlines()[0]
    assert re.match(rf"^{re.escape(str(small_routes))}:\d+:\d+: routes\[1\]\.mode: 'train' is not one of", first), first
    assert r.stderr.strip().endswith("1 problem found")


def test_cli_validate_missing_file(geo, tmp_path):
    r = geo("validate", tmp_path / "nope.yaml")
    assert r.returncode == 2 and "file not found" in r.stderr and "Traceback" not in r.stderr


def test_cli_validate_binary_and_empty(geo, tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\x00\x01\x02binary")
    r = geo("validate", junk)
    assert r.returncode == 2 and "binary data" in r.stderr
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    r = geo("validate", empty)
    assert r.returncode == 2 and "file is empty" in r.stderr
