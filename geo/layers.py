"""The four GeoJSON layers (places, routes, events, movements), written byte for byte the same
for the same routes.yaml.

Each layer is a FeatureCollection with one feature per line (for readable git diffs), features
sorted, properties in the fixed order of :data:`FIELDS`, every property present in every
feature (null when unknown), coordinates at 6 decimals.  The JSON is written here rather
than by geopandas because GeoDataFrame.to_json() writes full float precision and its own
key order.

Property values are chosen for GDAL (hence QGIS): ``start``/``end`` are always full
``YYYY-MM-DD`` dates or null, so GDAL types them as Date; lists of ids are JSON arrays of
strings (GDAL StringList); nested records (sources, status history) are arrays of objects,
which GDAL reads as a JSON text field.  docs/layers.md is the data dictionary.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from geo.dates import FuzzyDate
from geo.forked import Forked
from geo.gcpause import paused_gc
from geo.geometry import Path, geodesic_path, line_json, point_json, route_path, stop_positions
from geo.model import Dataset, Event, Place, Route, Source

# Field types, as GDAL reads them back: string, integer, real, boolean, date (YYYY-MM-DD),
# string_list (JSON array of strings) and json (array of objects, read as JSON text).
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "places": (
        ("id", "string"),
        ("name", "string"),
        ("alt_names", "string_list"),
        ("kind", "string"),
        ("country", "string"),
        ("geonames_id", "integer"),
        ("iata", "string"),
        ("icao", "string"),
        ("precision", "string"),
        ("origin", "string"),
        ("sources", "string_list"),
        ("notes", "string"),
    ),
    "routes": (
        ("id", "string"),
        ("name", "string"),
        ("mode", "string"),
        ("operator", "string"),
        ("service", "string"),
        ("via", "string_list"),
        ("length_km", "real"),
        ("reported_length_km", "real"),
        ("reported_length_sources", "json"),
        ("status", "string"),
        ("status_since", "string"),
        ("start", "date"),
        ("end", "date"),
        ("status_history", "json"),
        ("status_periods", "json"),
        ("notes", "string"),
    ),
    "events": (
        ("id", "string"),
        ("date", "string"),
        ("date_precision", "string"),
        ("approximate", "boolean"),
        ("uncertain", "boolean"),
        ("start", "date"),
        ("end", "date"),
        ("end_date", "string"),
        ("title", "string"),
        ("summary", "string"),
        ("kind", "string"),
        ("confidence", "string"),
        ("group", "string"),
        ("direction", "string"),
        ("people_min", "integer"),
        ("people_max", "integer"),
        ("people_text", "string"),
        ("amount_value", "real"),
        ("amount_currency", "string"),
        ("amount_text", "string"),
        ("route", "string"),
        ("place", "string"),
        ("from", "string"),
        ("to", "string"),
        ("location", "string"),
        ("location_name", "string"),
        ("notes", "string"),
        ("sources", "json"),
    ),
    "movements": (
        ("id", "string"),
        ("date", "string"),
        ("date_precision", "string"),
        ("approximate", "boolean"),
        ("uncertain", "boolean"),
        ("start", "date"),
        ("end", "date"),
        ("title", "string"),
        ("kind", "string"),
        ("confidence", "string"),
        ("group", "string"),
        ("direction", "string"),
        ("people_min", "integer"),
        ("people_max", "integer"),
        ("people_text", "string"),
        ("amount_value", "real"),
        ("amount_currency", "string"),
        ("amount_text", "string"),
        ("route", "string"),
        ("from", "string"),
        ("from_name", "string"),
        ("to", "string"),
        ("to_name", "string"),
        ("drawn_along", "string"),
        ("length_km", "real"),
    ),
}
GEOMETRY = {"places": "Point", "routes": "LineString", "events": "Point", "movements": "LineString"}
LAYER_NAMES = tuple(FIELDS)
LAYER_FILES = tuple(f"{name}.geojson" for name in LAYER_NAMES)


class LayerTexts(Mapping[str, str]):
    """The layers' GeoJSON text by file name, decoded from their UTF-8 on first use.

    At 100,000 events the events layer is 107 MB of text with a few non-ASCII characters,
    which Python stores two bytes per character: decoding it and encoding it again for
    the file cost half a second that geo build, which writes and copies the bytes, never
    needs to spend."""

    def __init__(self, encoded: dict[str, bytes]):
        self._encoded = encoded
        self._texts: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        text = self._texts.get(name)
        if text is None:
            text = self._texts[name] = self._encoded[name].decode("utf-8")
        return text

    def __contains__(self, name: object) -> bool:  # Mapping's would decode the layer
        return name in self._encoded

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)

    def __repr__(self) -> str:
        return f"LayerTexts({', '.join(self._encoded)})"


@dataclass(frozen=True, eq=False)
class Layers:
    encoded: dict[str, bytes]  # file name ("routes.geojson") -> the file's bytes (UTF-8)
    counts: dict[str, int]  # layer name ("routes") -> number of features
    # event id -> the geometry of its movement feature, decoded from the layer's text
    # (features with the same line share one object: do not modify).  The site draws the
    # movements from it instead of reading the 60 MB layer of a large archive back.
    # None when the movements layer was written by a worker: see movements_extra
    movement_geometry: dict[str, dict | None] | None = field(default_factory=dict)
    # route id -> (the geometry of its feature, decoded; its length_km), in the layer's order
    route_geometry: dict[str, tuple[dict | None, float]] = field(default_factory=dict)
    movements_extra: bytes | None = None  # see render_layers

    @cached_property
    def texts(self) -> LayerTexts:
        """file name -> GeoJSON text."""
        return LayerTexts(self.encoded)


PARALLEL_FROM = 5000  # events from which their layer is written on a second core


def render_layers(
    dataset: Dataset,
    movements_extra: Callable[[dict[str, dict | None]], bytes] | None = None,
    while_waiting: Callable[[], object] | None = None,
) -> Layers:
    """All four layers of a dataset, as the exact bytes of their files.

    With many events, the events layer and the movements layer (two thirds of the work) are
    written in forked processes while this one writes the others (see geo.forked).
    *movements_extra* turns the movements' decoded geometry into bytes another stage needs
    (the site's lines), where that geometry is: Layers.movements_extra.  *while_waiting* is
    work for this process while the workers run.
    """
    with paused_gc():  # see geo.gcpause
        writer = _Writer(dataset)
        parallel = len(dataset.events) >= PARALLEL_FROM
        events = Forked(lambda: _collection(writer.events()).encode("utf-8"), worth_it=parallel)
        ran_here: list[bool] = []

        def movements_work() -> bytes:
            ran_here.append(True)  # in a worker, this changes the worker's list only
            layer = _collection(writer.movements()).encode("utf-8")
            extra = movements_extra(writer.movement_geometry) if movements_extra else b""
            return struct.pack("<Q", len(layer)) + layer + extra

        movements = Forked(movements_work, worth_it=parallel)
        try:
            encoded = {
                f"{name}.geojson": _collection(lines).encode("utf-8")
                for name, lines in (("places", writer.places()), ("routes", writer.routes()))
            }
            if while_waiting is not None:
                while_waiting()
        finally:
            packed = movements.result()
            encoded["events.geojson"] = events.result()
    size = struct.unpack_from("<Q", packed)[0]
    encoded["movements.geojson"] = packed[8 : 8 + size]
    encoded = {name: encoded[name] for name in LAYER_FILES}  # in the order of FIELDS
    return Layers(
        encoded=encoded,
        counts={name[: -len(".geojson")]: _count(data) for name, data in encoded.items()},
        movement_geometry=writer.movement_geometry if ran_here else None,
        route_geometry=writer.route_geometry,
        movements_extra=packed[8 + size :] if movements_extra else None,
    )


def _count(collection: bytes) -> int:
    """Features in a collection _collection wrote: one per line (JSON escapes newlines)."""
    return collection.count(b"\n") - 2


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_encode_string = json.encoder.encode_basestring  # JSON string literal, non-ASCII kept as is


def _collection(lines: list[str]) -> str:
    if not lines:
        return '{"type":"FeatureCollection","features":[\n]}\n'
    return "".join(('{"type":"FeatureCollection","features":[\n', ",\n".join(lines), "\n]}\n"))


def _text(value: str | None) -> str:
    return "null" if value is None else _encode_string(value)


def _line(fid: str, geometry: str, members: str) -> str:
    """One feature on one line; *members* is the properties object without its braces."""
    return (
        f'{{"type":"Feature","id":{_text(fid)},"geometry":{geometry},"properties":{{{members}}}}}'
    )


def _id(place: Place | None) -> str | None:
    return place.id if place else None


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _km(value: float) -> float:
    return round(value, 1)


def status_periods(route: Route) -> list[tuple[str, dt.date, dt.date | None]]:
    """(status, first day, last day or None while current) for each status a route had.

    A period runs from the first day its ``since`` can mean to the day before the next change;
    a status replaced on the day it began has no period.
    """
    periods = []
    for k, change in enumerate(route.status):
        begins = change.since.start
        following = route.status[k + 1].since.start if k + 1 < len(route.status) else None
        if following is not None and following <= begins:
            continue
        ends = following - dt.timedelta(days=1) if following else None
        periods.append((change.status, begins, ends))
    return periods


def operating_span(route: Route) -> tuple[dt.date | None, dt.date | None]:
    """First day the route was operating and, if it has stopped, its last operating day."""
    operating = [p for p in status_periods(route) if p[0] == "operating"]
    if not operating:
        return None, None
    return operating[0][1], operating[-1][2]


class _Writer:
    """Writes each layer's features as lines of JSON.

    Built to stay fast at 100,000 events: a route's line is computed once, a movement's once
    per (route, from, to), and property groups many events share (dates, tags, counts,
    places, sources) are JSON-encoded once and spliced in as text.
    """

    def __init__(self, dataset: Dataset):
        self.ds = dataset
        self.routes_by_id = {r.id: r for r in dataset.routes}
        self._paths: dict[str, Path] = {}
        self._movement_lines: dict[tuple, tuple[str, float, str, dict | None]] = {}
        self._geodesic_lines: dict[tuple, tuple[str, float, str, dict | None]] = {}
        self.movement_geometry: dict[str, dict | None] = {}  # filled by movements()
        self.route_geometry: dict[str, tuple[dict | None, float]] = {}  # filled by routes()
        self._points: dict[str, str] = {}
        self._sources: dict[tuple[str, ...], list[dict]] = {}
        self._sources_json: dict[tuple[str, ...], str] = {}
        self._source_json: dict[str, str] = {}
        self._fragments: dict[tuple, str] = {}
        self.chronological = sorted(dataset.events, key=lambda e: (e.date.start, e.id))

    # -- shared pieces ------------------------------------------------------
    def path(self, route: Route) -> Path:
        if route.id not in self._paths:
            self._paths[route.id] = route_path(route)
        return self._paths[route.id]

    def point(self, place: Place) -> str:
        if place.id not in self._points:
            self._points[place.id] = point_json(place.lon, place.lat)
        return self._points[place.id]

    def sources(self, ids: tuple[str, ...]) -> list[dict]:
        if ids not in self._sources:
            self._sources[ids] = [_source(sid, self.ds.sources.get(sid)) for sid in ids]
        return self._sources[ids]

    def sources_json(self, ids: tuple[str, ...]) -> str:
        """The JSON array of the sources *ids*, joined from each source's JSON, encoded once.

        Events cite many different combinations of sources, but each source is encoded once."""
        text = self._sources_json.get(ids)
        if text is None:
            one = self._source_json
            for sid in ids:
                if sid not in one:
                    one[sid] = _encode(_source(sid, self.ds.sources.get(sid)))
            text = self._sources_json[ids] = "[" + ",".join([one[sid] for sid in ids]) + "]"
        return text

    # -- layers ---------------------------------------------------------------
    def places(self) -> list[str]:
        out = []
        for place in sorted(self.ds.places.values(), key=lambda p: p.id):
            props = {
                "id": place.id,
                "name": place.name,
                "alt_names": list(place.alt_names),
                "kind": place.kind,
                "country": place.country,
                "geonames_id": place.geonames_id,
                "iata": place.iata,
                "icao": place.icao,
                "precision": place.precision,
                "origin": place.origin,
                "sources": list(place.sources),
                "notes": place.notes,
            }
            out.append(_line(place.id, self.point(place), _encode(props)[1:-1]))
        return out

    def routes(self) -> list[str]:
        out = []
        for route in sorted(self.ds.routes, key=lambda r: r.id):
            path = self.path(route)
            start, end = operating_span(route)
            latest = route.status[-1]
            reported = route.reported_length
            props = {
                "id": route.id,
                "name": route.name,
                "mode": route.mode,
                "operator": route.operator,
                "service": route.service,
                "via": [s.id for s in route.stops],
                "length_km": _km(path.length_km()),
                "reported_length_km": reported.km if reported else None,
                "reported_length_sources": self.sources(reported.sources) if reported else [],
                "status": latest.status,
                "status_since": latest.since.text,
                "start": _day(start),
                "end": _day(end),
                "status_history": [
                    {
                        "since": c.since.text,
                        "status": c.status,
                        "sources": list(c.sources),
                        "notes": c.notes,
                    }
                    for c in route.status
                ],
                "status_periods": [
                    {"status": s, "start": _day(a), "end": _day(b)}
                    for s, a, b in status_periods(route)
                ],
                "notes": route.notes,
            }
            geometry = line_json(path.parts())
            self.route_geometry[route.id] = (json.loads(geometry), props["length_km"])
            out.append(_line(route.id, geometry, _encode(props)[1:-1]))
        return out

    def events(self) -> list[str]:
        out = []
        for e in self.chronological:
            place = self.location(e)
            fid = _text(e.id)
            members = ",".join(
                (
                    '"id":' + fid,
                    self.when(e, with_end_date=True),
                    '"title":' + _text(e.title),
                    '"summary":' + _text(e.summary),
                    self.tags_and_counts(e),
                    self.where(e, place),
                    '"notes":' + _text(e.notes),
                    '"sources":' + self.sources_json(e.sources),
                )
            )
            point = self.point(place) if place else "null"
            out.append(
                f'{{"type":"Feature","id":{fid},"geometry":{point},"properties":{{{members}}}}}'
            )
        return out

    def movements(self) -> list[str]:
        out = []
        for e in self.chronological:
            if not (e.origin and e.destination):
                continue
            geometry, length, drawn_along, decoded = self.movement_line(e)
            self.movement_geometry[e.id] = decoded
            fid = _text(e.id)
            members = ",".join(
                (
                    '"id":' + fid,
                    self.when(e, with_end_date=False),
                    '"title":' + _text(e.title),
                    self.tags_and_counts(e),
                    self.fragment(
                        ("path", e.route, e.origin.id, e.destination.id),
                        lambda e=e, drawn_along=drawn_along, length=length: {
                            "route": e.route,
                            "from": e.origin.id,
                            "from_name": e.origin.name,
                            "to": e.destination.id,
                            "to_name": e.destination.name,
                            "drawn_along": drawn_along,
                            "length_km": length,
                        },
                    ),
                )
            )
            out.append(
                f'{{"type":"Feature","id":{fid},"geometry":{geometry},"properties":{{{members}}}}}'
            )
        return out

    # -- property groups shared by many events, each encoded once ---------------
    def fragment(self, key: tuple, make: Callable[[], dict]) -> str:
        """The members of the object *make* returns ('"a":1,"b":2'), cached under *key*."""
        text = self._fragments.get(key)
        if text is None:
            text = self._fragments[key] = _encode(make())[1:-1]
        return text

    def when(self, e: Event, with_end_date: bool) -> str:
        return self.fragment(
            ("when", e.date.text, e.end_date.text if e.end_date else None, with_end_date),
            lambda: _when(e.date, e.end_date, with_end_date),
        )

    def tags(self, e: Event) -> str:
        return self.fragment(
            ("tags", e.kind, e.confidence, e.group, e.direction),
            lambda: {
                "kind": e.kind,
                "confidence": e.confidence,
                "group": e.group,
                "direction": e.direction,
            },
        )

    def tags_and_counts(self, e: Event) -> str:
        """tags(e) and counts(e), which follow each other in both event layers."""
        people, amount = e.people, e.amount
        key = (
            "tags+counts",
            e.kind,
            e.confidence,
            e.group,
            e.direction,
            (people.text, people.min, people.max) if people else None,
            (amount.value, amount.currency, amount.text) if amount else None,
        )
        text = self._fragments.get(key)
        if text is None:
            text = self._fragments[key] = self.tags(e) + "," + self.counts(e)
        return text

    def where(self, e: Event, place: Place | None) -> str:
        """The route and places of an event (its location follows from them)."""
        return self.fragment(
            ("where", e.route, _id(e.place), _id(e.origin), _id(e.destination)),
            lambda: {
                "route": e.route,
                "place": _id(e.place),
                "from": _id(e.origin),
                "to": _id(e.destination),
                "location": _id(place),
                "location_name": place.name if place else None,
            },
        )

    def counts(self, e: Event) -> str:
        people, amount = e.people, e.amount
        key = (
            "counts",
            (people.text, people.min, people.max) if people else None,
            (amount.value, amount.currency, amount.text) if amount else None,
        )
        return self.fragment(key, lambda: _counts(e))

    # -- geometry per event ----------------------------------------------------
    def location(self, event: Event) -> Place | None:
        return event_location(event, self.routes_by_id)

    def movement_line(self, event: Event) -> tuple[str, float, str, dict | None]:
        """(geometry, length_km, drawn_along, the geometry decoded): along the route between
        the two stops, in the direction of travel, or the geodesic when they are not both
        stops of the route."""
        origin, destination = event.origin, event.destination
        key = (event.route, origin.id, destination.id)
        if key not in self._movement_lines:
            route = self.routes_by_id.get(event.route or "")
            positions = stop_positions(route, origin, destination) if route else None
            if positions:
                path = self.path(route).between(*positions)
                text = line_json(path.parts())
                line = (text, _km(path.length_km()), "route", json.loads(text))
            else:  # the same line whatever the route: computed once per pair of places
                pair = (origin.id, destination.id)
                line = self._geodesic_lines.get(pair)
                if line is None:
                    path = geodesic_path(origin, destination)
                    text = line_json(path.parts())
                    line = (text, _km(path.length_km()), "geodesic", json.loads(text))
                    self._geodesic_lines[pair] = line
            self._movement_lines[key] = line
        return self._movement_lines[key]


def event_location(event: Event, routes_by_id: dict[str, Route]) -> Place | None:
    """Where an event is drawn: its place, else its destination, else its origin, else its
    route's first stop."""
    if event.location:
        return event.location
    route = routes_by_id.get(event.route or "")
    return route.stops[0] if route else None


def _when(date: FuzzyDate, end_date: FuzzyDate | None, with_end_date: bool) -> dict:
    props = {
        "date": date.text,
        "date_precision": date.precision,
        "approximate": date.approximate,
        "uncertain": date.uncertain,
    }
    props["start"] = date.start.isoformat()
    props["end"] = (end_date or date).end.isoformat()
    if with_end_date:  # after start/end: QGIS pre-selects the first Date field named like "end"
        props["end_date"] = end_date.text if end_date else None
    return props


def _counts(event: Event) -> dict:
    people, amount = event.people, event.amount
    return {
        "people_min": people.min if people else None,
        "people_max": people.max if people else None,
        "people_text": people.text if people else None,
        "amount_value": amount.value if amount else None,
        "amount_currency": amount.currency if amount else None,
        "amount_text": amount.text if amount else None,
    }


def _source(sid: str, source: Source | None) -> dict:
    if source is None:
        return {"id": sid, "outlet": None, "title": None, "date": None, "url": None}
    return {
        "id": sid,
        "outlet": source.outlet,
        "title": source.title,
        "date": source.published.text,
        "url": source.url,
    }
