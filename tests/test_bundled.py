"""The bundled routes.yaml: valid, every claim sourced, every place resolved, the required content present."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.gazetteer import Gazetteer
from geo.validate import load_dataset


@pytest.fixture(scope="module")
def dataset(bundled_routes):
    return load_dataset(bundled_routes)


def test_bundled_file_validates(geo, bundled_routes):
    r = geo("validate", bundled_routes)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"{bundled_routes}: OK:")


def test_every_event_and_status_cites_sources_that_exist(dataset):
    assert dataset.events
    for event in dataset.events:
        assert event.sources, event.id
        for sid in event.sources:
            assert sid in dataset.sources, f"{event.id} cites unknown source {sid}"
    for route in dataset.routes:
        for change in route.status:
            assert change.sources and all(s in dataset.sources for s in change.sources), route.id


def test_every_place_used_resolves_to_coordinates(dataset):
    gazetteer = Gazetteer([p for p in dataset.places.values() if p.origin == "local"])
    used = set()
    for route in dataset.routes:
        used.update(s.id for s in route.stops)
    for event in dataset.events:
        used.update(p.id for p in (event.place, event.origin, event.destination) if p)
        assert event.location or event.route, f"{event.id} cannot be put on the map"
    for place_id in used:
        place = gazetteer.by_id(place_id)
        assert place is not None, place_id
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


@pytest.mark.parametrize("name", ["Vladivostok", "Khasan", "Tumangang", "Rajin", "Pyongyang", "Dandong"])
def test_required_places_are_known(name):
    assert Gazetteer().resolve(name).place.name


def _route(dataset, mode, *stop_words):
    for route in dataset.routes:
        ids = " ".join(s.id for s in route.stops)
        if route.mode == mode and all(w in ids for w in stop_words):
            return route
    raise AssertionError(f"no {mode} route via {stop_words}")


def test_required_routes_with_dated_history(dataset):
    on = dt.date.fromisoformat
    air = _route(dataset, "air", "pyongyang", "vladivostok")
    assert air.status_on(on("2021-06-01")) == "suspended" and air.status_on(on("2024-01-01")) == "operating"
    rail = _route(dataset, "rail", "khasan", "tumangang", "rajin")
    assert rail.reported_length and rail.reported_length.km == 54
    assert rail.status_on(on("2014-01-01")) == "operating"
    _route(dataset, "rail", "khasan", "vladivostok")
    ferry = _route(dataset, "sea", "rajin", "vladivostok")
    assert ferry.status_on(on("2016-01-01")) is None and ferry.status_on(on("2017-06-01")) == "operating"
    bridge = _route(dataset, "road", "tumen-road-bridge-russian-end", "tumen-road-bridge-korean-end")
    assert bridge.status_on(on("2016-01-01")) is None
    assert bridge.status_on(on("2025-06-01")) == "under_construction"
    _route(dataset, "rail", "dandong", "sinuiju", "pyongyang")


@pytest.mark.parametrize(
    "date, words",
    [
        ("2017-12-22", "2397"),          # UN resolution adopted
        ("2019-12-22", "deadline"),      # its repatriation deadline
        ("2019-04-25", "summit"),        # Vladivostok summit
        ("2024-06-19", "treaty"),        # partnership treaty
        ("2018-11", "192,300"),          # cash seized at Vladivostok airport
        ("2024-02-05", "300"),           # workers arrive by rail
        ("2019-09-02", "airport"),       # hundreds of workers fly home
        ("2023-08-25", "Air Koryo"),     # flights resume
    ],
)
def test_key_events_from_the_articles_are_present(dataset, date, words):
    found = [e for e in dataset.events if e.date.text.startswith(date)
             and words.lower() in (e.title + " " + e.summary + " " + (e.amount.text if e.amount else "")).lower()]
    assert found, f"no event on {date} mentioning {words!r}"


def test_people_counts_keep_the_sources_words(dataset):
    arrival = next(e for e in dataset.events if e.date.text == "2024-02-05" and e.people)
    assert arrival.people.min == 300 and "300" in arrival.people.text
