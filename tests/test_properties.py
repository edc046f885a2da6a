"""Property-based tests (hypothesis) for the loader, the gazetteer matcher, date parsing and the
GeoJSON writer.

Two kinds of property: on any input, hostile or random, each of them either succeeds or raises
its own error (DataError, ResolveError, DateError), never anything else; and a valid
routes.yaml keeps its ids, dates, texts and counts through validation and the layers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geo.dates import DateError, FuzzyDate, parse_date
from geo.errors import DataError, Problem, ResolveError
from geo.gazetteer import Gazetteer
from geo.layers import render_layers
from geo.load import decode
from geo.model import Place
from geo.validate import validate_text

SMALL = (Path(__file__).parent / "data" / "small.yaml").read_text(encoding="utf-8")
BASE = yaml.safe_load(SMALL)
LAST_DAY = dt.date(2025, 12, 31)  # every generated date is in the past, whatever today is

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND_TRIP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def validate_or_explain(text: str, name: str = "fuzz.yaml"):
    """validate_text, asserting that a refusal is a list of well-formed one-line problems."""
    try:
        return validate_text(text, name)
    except DataError as exc:
        assert exc.problems, "a DataError must carry at least one problem"
        lines = max(1, text.count("\n") + text.count("\r") + 1)
        for problem in exc.problems:
            assert isinstance(problem, Problem)
            assert problem.file == name
            assert 1 <= problem.line <= lines + 1, str(
                problem
            )  # +1: the end of a file without a final newline
            assert problem.col >= 1, str(problem)
            assert "\n" not in str(problem) and "\r" not in str(problem), repr(str(problem))
            assert problem.message.strip(), str(problem)
        return None


# ------------------------------------------------------- loader: anything in, DataError out

YAML_ALPHABET = st.sampled_from(
    list("-:?[]{},&*!|>'\"%@`# \n\t~.0123456789abcxyz<=\\\ufeff\u2028é한")
)


@FUZZ
@given(st.text())
def test_loader_survives_any_text(text):
    validate_or_explain(text)


@FUZZ
@given(st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_loader_survives_yaml_punctuation_soup(text):
    validate_or_explain(text)


@FUZZ
@given(st.binary(max_size=400))
def test_loader_survives_any_bytes(raw):
    try:
        text = decode(raw, "fuzz.yaml")
    except DataError as exc:
        assert all(p.line >= 1 for p in exc.problems)
        return
    validate_or_explain(text)


@FUZZ
@given(st.integers(0, SMALL.count("\n")), st.text(alphabet=YAML_ALPHABET, min_size=1, max_size=40))
def test_validator_survives_text_spliced_into_a_valid_file(line, junk):
    lines = SMALL.split("\n")
    lines.insert(line, junk)
    validate_or_explain("\n".join(lines))


def _paths(value, path=()):
    """Every path to a node of a plain YAML value: ("events", 0, "date"), ..."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, path + (index,))


BASE_PATHS = [p for p in _paths(BASE) if p]

# Values a careless or hostile editor might put anywhere.
ODD_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**18, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "2024-02-30",
            "2099-01-01",
            "0000",
            "t-fnj",
            "t-rail",
            "ref-facts",
            "Test Rajin",
            "Moscow, RU",
            "Springfield",
            "",
            " ",
            "~",
            ".nan",
            "-.inf",
            "1e400",
            "planned",
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "\u202e",
            "a\u200bb",
            "<<",
        ]
    ),
)
ODD_VALUES = st.recursive(
    ODD_SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _set(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _delete(data, path):
    for key in path[:-1]:
        data = data[key]
    del data[path[-1]]


@st.composite
def mutated_documents(draw):
    """small.yaml with one to three of its nodes replaced, deleted or given an extra key."""
    data = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "extra-key"]))
        if action == "replace":
            _set(data, path, draw(ODD_VALUES))
        elif action == "delete":
            _delete(data, path)
        else:
            parent = data
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=12))] = draw(ODD_VALUES)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FUZZ
@given(mutated_documents())
def test_validator_survives_any_mutation_of_a_valid_file(text):
    validate_or_explain(text)


# ---------------------------------------------------------------- valid documents: the round trip

IDS = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
# Any text a reader could see: no control, format (zero-width, bidi), private or unassigned
# characters, which the validator refuses on purpose.
VISIBLE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn"))
TEXT = st.text(alphabet=VISIBLE, min_size=1, max_size=60)


@st.composite
def fuzzy_dates(draw):
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=LAST_DAY))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    qualifier = draw(st.sampled_from(["", "~", "?", "%"]))
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": f"{day:%Y-%m-%d}"}[
        precision
    ] + qualifier


@st.composite
def valid_documents(draw):
    """A random valid routes.yaml as plain data: local places only, every reference resolvable."""
    n_places = draw(st.integers(2, 6))
    ids = draw(st.lists(IDS, min_size=n_places + 8, max_size=n_places + 8, unique=True))
    place_ids, route_ids, source_ids = (
        ids[:n_places],
        ids[n_places : n_places + 3],
        ids[n_places + 3 : n_places + 5],
    )
    event_ids = ids[n_places + 5 :]
    sources = {
        sid: {"outlet": draw(TEXT), "title": draw(TEXT), "published": draw(fuzzy_dates())}
        for sid in source_ids
    }
    coordinate = st.floats(-89.5, 89.5).map(lambda v: round(v, 6))
    longitude = st.floats(-180, 180).map(lambda v: round(v, 6))
    places = [
        {
            "id": pid,
            "name": draw(TEXT),
            "kind": draw(st.sampled_from(["city", "station", "airport", "port"])),
            "country": draw(st.sampled_from(["KP", "RU", "CN", "NO"])),
            "lat": draw(coordinate),
            "lon": draw(longitude),
        }
        for pid in place_ids
    ]
    routes = []
    for rid in route_ids[: draw(st.integers(0, 3))]:
        via = draw(
            st.lists(st.sampled_from(place_ids), min_size=2, max_size=4).filter(
                lambda v: all(a != b for a, b in zip(v, v[1:], strict=False))
            )
        )
        since = sorted(
            draw(st.lists(st.dates(dt.date(1950, 1, 1), LAST_DAY), min_size=1, max_size=3))
        )
        status = [
            {
                "since": d.isoformat(),
                "status": draw(st.sampled_from(["operating", "suspended", "closed"])),
                "sources": [draw(st.sampled_from(source_ids))],
            }
            for d in since
        ]
        routes.append(
            {
                "id": rid,
                "name": draw(TEXT),
                "mode": draw(st.sampled_from(["air", "rail", "sea", "road"])),
                "via": via,
                "status": status,
            }
        )
    events = []
    for eid in event_ids[: draw(st.integers(0, 3))]:
        event = {
            "id": eid,
            "date": draw(fuzzy_dates()),
            "title": draw(TEXT),
            "summary": draw(TEXT),
            "kind": draw(st.sampled_from(["movement", "policy", "observation"])),
            "confidence": draw(st.sampled_from(["confirmed", "reported", "rumoured"])),
            "sources": draw(
                st.lists(st.sampled_from(source_ids), min_size=1, max_size=2, unique=True)
            ),
        }
        where = draw(
            st.sampled_from(["place", "from-to", "route"] if routes else ["place", "from-to"])
        )
        if where == "place":
            event["place"] = draw(st.sampled_from(place_ids))
        elif where == "from-to":
            event["from"], event["to"] = draw(
                st.lists(st.sampled_from(place_ids), min_size=2, max_size=2, unique=True)
            )
        if where == "route" or (routes and where == "from-to" and draw(st.booleans())):
            event["route"] = draw(st.sampled_from([r["id"] for r in routes]))
        if draw(st.booleans()):
            low = draw(st.integers(0, 10**6))
            event["people"] = {
                "min": low,
                "max": low + draw(st.integers(0, 1000)),
                "text": draw(TEXT),
            }
        events.append(event)
    return {"version": 1, "sources": sources, "places": places, "routes": routes, "events": events}


def dump(doc: dict) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@ROUND_TRIP
@given(valid_documents())
def test_valid_document_keeps_ids_dates_texts_and_counts(doc):
    ds = validate_text(dump(doc), "routes.yaml")
    assert sorted(ds.sources) == sorted(doc["sources"])
    assert {p.id for p in ds.places.values() if p.origin == "local"} == {
        p["id"] for p in doc["places"]
    }
    assert [r.id for r in ds.routes] == [r["id"] for r in doc["routes"]]
    assert [e.id for e in ds.events] == [e["id"] for e in doc["events"]]
    for event, raw in zip(ds.events, doc["events"], strict=True):
        assert event.date.text == raw["date"]
        assert (event.title, event.summary) == (raw["title"], raw["summary"])
        assert event.sources == tuple(raw["sources"])
    for route, raw in zip(ds.routes, doc["routes"], strict=True):
        assert [c.since.text for c in route.status] == [s["since"] for s in raw["status"]]
        assert [s.id for s in route.stops] == raw["via"]
    for raw in doc["places"]:
        place = ds.places[raw["id"]]
        assert (place.name, place.lat, place.lon) == (raw["name"], raw["lat"], raw["lon"])


def _coordinates(geometry):
    if geometry is None:
        return
    if geometry["type"] == "Point":
        yield geometry["coordinates"]
    elif geometry["type"] == "LineString":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiLineString":
        for part in geometry["coordinates"]:
            yield from part
    else:
        raise AssertionError(f"unexpected geometry {geometry['type']}")


@ROUND_TRIP
@given(valid_documents())
def test_layers_keep_ids_dates_and_counts(doc):
    ds = validate_text(dump(doc), "routes.yaml")
    texts = render_layers(ds).texts
    assert render_layers(ds).texts == texts, "the same data must give the same bytes"
    layers = {name.removesuffix(".geojson"): json.loads(text) for name, text in texts.items()}
    features = {name: {f["id"]: f for f in layer["features"]} for name, layer in layers.items()}
    for name, layer in layers.items():
        assert len(features[name]) == len(layer["features"]), f"duplicate ids in {name}"

    assert set(features["places"]) == set(ds.places)
    assert set(features["routes"]) == {r.id for r in ds.routes}
    assert set(features["events"]) == {e.id for e in ds.events}
    assert set(features["movements"]) == {e.id for e in ds.events if e.origin and e.destination}

    for event in ds.events:
        props = features["events"][event.id]["properties"]
        assert props["date"] == event.date.text
        assert props["start"] == event.date.start.isoformat()
        last_day = (event.end_date or event.date).end
        assert props["final_day"] == last_day.isoformat()
        assert props["end"] == (last_day + dt.timedelta(days=1)).isoformat(), "exclusive end"
        assert props["title"] == event.title
        assert [s["id"] for s in props["sources"]] == list(event.sources)
    for route in ds.routes:
        props = features["routes"][route.id]["properties"]
        assert [h["since"] for h in props["status_history"]] == [c.since.text for c in route.status]
        assert props["via"] == [s.id for s in route.stops]
        assert props["start"] == route.status[0].since.start.isoformat()
        assert props["start"] < props["end"], "no null date, never an empty span"
    starts = {(r.id, c.since.start.isoformat()) for r in ds.routes for c in r.status}
    assert {tuple(fid.rsplit("/", 1)) for fid in features["route_status"]} <= starts

    for layer in layers.values():
        for feature in layer["features"]:
            for lon, lat in _coordinates(feature["geometry"]):
                assert math.isfinite(lon) and math.isfinite(lat)
                assert -180 <= lon <= 180 and -90 <= lat <= 90
                assert round(lon, 6) == lon and round(lat, 6) == lat
    for place in ds.places.values():
        lon, lat = features["places"][place.id]["geometry"]["coordinates"]
        assert abs(lon - place.lon) <= 5e-7 and abs(lat - place.lat) <= 5e-7


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents())
def test_gdal_reads_back_the_same_ids_and_dates(doc):
    """The files as QGIS sees them: GDAL (pyogrio) reads every event id and its start/end days."""
    import pyogrio

    ds = validate_text(dump(doc), "routes.yaml")
    assume(ds.events)
    texts = render_layers(ds).texts
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.geojson"
        path.write_text(texts["events.geojson"], encoding="utf-8")
        frame = pyogrio.read_dataframe(path)
    assert sorted(frame["id"]) == sorted(e.id for e in ds.events)
    by_id = {row["id"]: row for row in frame.to_dict("records")}
    for event in ds.events:
        assert (
            str(by_id[event.id]["date"])[:10] == event.date.text[:10]
        )  # a Date column when all are full days
        assert str(by_id[event.id]["start"])[:10] == event.date.start.isoformat()
        last_day = (event.end_date or event.date).end
        assert str(by_id[event.id]["final_day"])[:10] == last_day.isoformat()
        assert str(by_id[event.id]["end"])[:10] == (last_day + dt.timedelta(days=1)).isoformat()


# ---------------------------------------------------------------- gazetteer matcher


@pytest.fixture(scope="module")
def world() -> Gazetteer:
    """Curated places and GeoNames behind them, plus small.yaml's local places."""
    return Gazetteer(validate_text(SMALL).places.values())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(max_size=60), country=st.none() | st.text(max_size=3))
def test_resolve_answers_a_match_or_a_resolve_error(world, name, country):
    try:
        match = world.resolve(name, country)
    except ResolveError as exc:
        assert str(exc)
        return
    assert match.place.id and math.isfinite(match.place.lat) and math.isfinite(match.place.lon)


def test_a_megabyte_name_is_refused_quickly(world):
    """The 'Name, CC' split once backtracked for minutes on a long run of spaces."""
    import time

    start = time.process_time()
    for name in ("a" + " " * 1_000_000 + "b", "x, " * 300_000, "," * 1_000_000 + "RU"):
        with pytest.raises(ResolveError, match="too long"):
            world.resolve(name)
    assert time.process_time() - start < 1.0


LATIN_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12)
ACCENTS = [
    "\u0301",
    "\u0300",
    "\u0306",
    "\u0308",
    "\u030c",
]  # combining acute, grave, breve, diaeresis, caron


@st.composite
def spelling_variants(draw, name: str) -> str:
    """*name* as someone else might type it: other case, accents, spaces and punctuation."""
    out = []
    for c in name:
        c = c.upper() if draw(st.booleans()) else c
        if draw(st.integers(0, 4)) == 0:
            c = unicodedata.normalize(
                draw(st.sampled_from(["NFC", "NFD"])), c + draw(st.sampled_from(ACCENTS))
            )
        out.append(c)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from([" ", "-", "'", ".", "ʼ"])))
    return "".join(out)


@settings(max_examples=100, deadline=None)
@given(st.lists(LATIN_NAMES, min_size=1, max_size=5, unique_by=lambda n: n), st.data())
def test_local_place_resolves_by_id_and_by_any_spelling_of_its_name(names, data):
    places = [
        Place(
            id=f"zq-{i}",
            name=f"Zq {name}",
            lat=40.0 + i,
            lon=130.0,
            kind="site",
            country="KP",
            origin="local",
        )
        for i, name in enumerate(names)
    ]
    gaz = Gazetteer(places, use_geonames=False)
    for place, name in zip(places, names, strict=True):
        assert gaz.resolve(place.id).place == place
        variant = "Zq " + data.draw(spelling_variants(name))
        assert gaz.resolve(variant).place == place, variant
        assert gaz.resolve(f"{variant}, kp").place == place
        with pytest.raises(ResolveError):
            gaz.resolve(variant, country="RU")


# ---------------------------------------------------------------- dates

DATE_SHAPES = st.from_regex(r"\A[0-9\u0660-\u0669\uff10-\uff19]{1,5}(-[0-9]{0,3}){0,3}[~?%x]?\Z")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), DATE_SHAPES))
def test_parse_date_answers_a_date_or_a_date_error(text):
    try:
        d = parse_date(text)
    except DateError as exc:
        assert str(exc)
        return
    assert isinstance(d, FuzzyDate) and d.start <= d.end
    assert d.text.isascii(), "only ASCII digits are dates"


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["year", "month", "day"]),
    st.sampled_from(["", "~", "?", "%"]),
)
def test_date_spans_its_whole_precision_and_round_trips(day, precision, qualifier):
    text = {
        "year": f"{day.year:04d}",
        "month": f"{day.year:04d}-{day.month:02d}",
        "day": f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
    }[precision] + qualifier
    d = parse_date(text)
    assert parse_date(d.text) == d and str(d) == text
    assert d.precision == precision
    assert d.approximate == (qualifier in "~%" and qualifier != "")
    assert d.uncertain == (qualifier in "?%" and qualifier != "")
    assert d.start <= day <= d.end
    if precision == "year":
        assert (d.start, d.end) == (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    elif precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        assert (d.start, d.end) == (day.replace(day=1), day.replace(day=last))
    else:
        assert d.start == d.end == day


@given(st.dates(), st.dates())
def test_full_dates_sort_as_text_and_as_days(a, b):
    """What the site relies on: ISO strings of one shape sort like the days they stand for."""
    x, y = parse_date(a.isoformat()), parse_date(b.isoformat())
    assert (x.text < y.text) == (x.start < y.start)


@given(st.integers(1, 9999), st.integers(1, 12), st.integers(29, 99))
def test_days_past_the_end_of_the_month_are_refused(year, month, day):
    last = calendar.monthrange(year, month)[1]
    assume(day > last)
    with pytest.raises(
        DateError, match=rf"is not a calendar day \({year:04d}-{month:02d} has {last} days\)"
    ):
        parse_date(f"{year:04d}-{month:02d}-{day:02d}")
