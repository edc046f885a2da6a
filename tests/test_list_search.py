"""geo list and geo search on the bundled routes.yaml, and --data on every reading command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROUTES = ROOT / "routes.yaml"


def test_list_events_since_a_date_at_a_place(geo):
    r = geo("list", "event", "--since", "2025", "--place", "Khasan", "--data", ROUTES)
    assert r.returncode == 0, r.stderr
    ids = [line.split("\t")[0] for line in r.stdout.splitlines()]
    # at Khasan, from or to it, or on a route through it (the Tumen road bridge)
    assert "2025-04-30-road-bridge-construction-starts" in ids
    assert all(line.split("\t")[1] >= "2025" for line in r.stdout.splitlines())
    assert r.stderr.strip() == f"{len(ids)} events"


def test_list_json_and_a_place_by_another_name(geo):
    r = geo("list", "route", "--place", "Port of Rajin", "--json", "--data", ROUTES)
    routes = json.loads(r.stdout)
    assert routes and all("rajin-port" in route["via"] for route in routes)
    assert {"id", "name", "mode", "via", "status"} <= set(routes[0])


def test_list_sources_by_date(geo):
    r = geo("list", "source", "--since", "2026-03", "--json", "--data", ROUTES)
    published = [s["published"] for s in json.loads(r.stdout)]
    # a date known only to the year may fall in March 2026 or later: it is kept
    assert published and all(p >= "2026-03" or p == "2026" for p in published)
    assert "2026-03~" in published and not any(p.startswith("2025") for p in published)


def test_list_refuses_an_unknown_place_in_one_line(geo):
    r = geo("list", "event", "--place", "Nowhereville", "--data", ROUTES)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "unknown place 'Nowhereville'" in r.stderr


def test_search_titles_summaries_names_ignoring_case_and_accents(geo):
    r = geo("search", "ROAD BRIDGE", "--data", ROUTES)
    assert r.returncode == 0, r.stderr
    hits = [line.split("\t") for line in r.stdout.splitlines()]
    kinds = {h[0] for h in hits}
    assert {"route", "event", "source"} <= kinds
    assert ["route", "tumen-road-bridge"] in [h[:2] for h in hits]
    r = geo("search", "khasan – tumangang", "--json", "--data", ROUTES)
    assert {"kind": "route", "id": "tumen-road-bridge", "field": "name",
            "text": "Tumen River road bridge (Khasan – Tumangang)"} in json.loads(r.stdout)


@pytest.mark.parametrize("command", [
    ["validate"], ["list", "event"], ["search", "bridge"], ["undo", "--dry-run"],
    ["build", "--check"],
])  # fmt: skip
def test_every_command_that_reads_the_file_takes_data(geo, command, tmp_path):
    r = geo(*command, "--data", tmp_path / "missing.yaml")
    assert "No such option" not in r.stderr
    assert r.returncode != 0 and "missing.yaml" in r.stderr


def test_validate_data_and_the_positional_file_agree(geo):
    a = geo("validate", "--data", ROUTES)
    b = geo("validate", ROUTES)
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout
