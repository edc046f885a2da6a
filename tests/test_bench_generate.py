"""The benchmark's synthetic routes.yaml: the same bytes every time, and a valid file."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import LAST_DAY, Scale, curated_place_ids, generate  # noqa: E402
from geo.validate import validate_text  # noqa: E402

TINY = Scale(events=120, places=40, routes=25)


def test_generator_is_deterministic():
    assert generate(TINY) == generate(TINY)
    assert generate(TINY, seed=1) != generate(TINY)


def test_generated_file_validates_with_the_asked_counts(monkeypatch):
    monkeypatch.setenv("GEO_TODAY", LAST_DAY.isoformat())  # every generated date is on or before it
    dataset = validate_text(generate(TINY), "bench.yaml")
    assert len(dataset.events) == TINY.events
    assert len(dataset.routes) == TINY.routes
    assert len(dataset.sources) == TINY.sources
    local = [p for p in dataset.places.values() if p.origin == "local"]
    assert len(local) == max(0, TINY.places - len(curated_place_ids()))


def test_generated_events_look_like_an_archive(monkeypatch):
    monkeypatch.setenv("GEO_TODAY", LAST_DAY.isoformat())
    dataset = validate_text(generate(Scale(events=2000, places=60, routes=50)), "bench.yaml")
    events = dataset.events
    precisions = {e.date.precision for e in events}
    assert precisions == {"day", "month", "year"}
    assert any(e.date.approximate for e in events) and any(e.date.uncertain for e in events)
    movements = [e for e in events if e.origin and e.destination]
    assert 0.4 < len(movements) / len(events) < 0.8
    assert any(e.route for e in movements) and any(not e.route for e in movements)
    assert any(e.people and e.people.min for e in events) and any(e.amount for e in events)
    assert all(1 <= len(e.sources) <= 3 for e in events)
    assert {r.mode for r in dataset.routes} == {"air", "rail", "sea", "road"}
    assert any(r.waypoints for r in dataset.routes)
    assert (
        min(e.date.start for e in events).year >= 2013
        and max(e.date.start for e in events) <= LAST_DAY
    )
