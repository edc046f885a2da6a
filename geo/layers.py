"""The four GeoJSON layers (places, routes, events, movements), written byte for byte the same
for the same routes.yaml, and the typed features they hold (what the site draws).

Each layer is a FeatureCollection with one feature per line (for readable git diffs), features
sorted, properties in the fixed order of :data:`geo.fields.FIELDS`, every property present in every
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
from collections.abc import Callable

from geo.attribution import ATTRIBUTION, DATA_LICENSE
from geo.features import EventPoint, Layers, Line, MovementLine, RouteLine, RoutePeriod
from geo.fields import FIELDS, GEOMETRY, LAYER_FILES, LAYER_NAMES
from geo.geometry import Path, geodesic_path, line_json, point_json, route_path, stop_positions
from geo.model import Dataset, Event, Place, Route
from geo.properties import (
    count_properties,
    data_version,
    event_location,
    exclusive_end,
    open_end,
    source_properties,
    status_periods,
    when_properties,
)
from geo.qml import layer_styles
from geo.symbols import STATUS_STYLES, route_color

__all__ = [
    "FIELDS",
    "GEOMETRY",
    "LAYER_FILES",
    "LAYER_NAMES",
    "EventPoint",
    "Layers",
    "Line",
    "MovementLine",
    "RouteLine",
    "RoutePeriod",
    "render_layers",
]


def render_layers(dataset: Dataset) -> Layers:
    """All layers of a dataset: their features, the exact bytes of their files, their styles."""
    writer = _Writer(dataset)
    version = data_version(dataset)
    lines = {
        "places": writer.places(),
        "routes": writer.routes(),
        "events": writer.events(),
        "movements": writer.movements(),
        "route_status": writer.route_status(),
    }
    encoded = {
        f"{name}.geojson": _collection(name, version.text if version else None, lines[name])
        .encode("utf-8")
        for name in LAYER_NAMES
    }
    assert tuple(encoded) == LAYER_FILES
    return Layers(
        places=tuple(writer.sorted_places),
        routes=tuple(writer.route_lines),
        events=tuple(writer.event_points),
        movements=tuple(writer.movement_lines),
        route_status=tuple(writer.route_periods),
        encoded=encoded,
        styles=layer_styles(),
    )


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_encode_string = json.encoder.encode_basestring  # JSON string literal, non-ASCII kept as is


def _collection(name: str, version: str | None, lines: list[str]) -> str:
    """The FeatureCollection, with its name (GDAL's layer name), licence, attribution and
    data version (RFC 7946 foreign members) on its first line."""
    members = {
        "type": "FeatureCollection",
        "name": name,
        "license": DATA_LICENSE,
        "attribution": ATTRIBUTION,
        "data_version": version,
    }
    head = _encode(members)[:-1] + ',"features":[\n'
    if not lines:
        return head + "]}\n"
    return "".join((head, ",\n".join(lines), "\n]}\n"))


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
        self._movement_lines: dict[tuple, tuple[str, float, str, Line]] = {}
        self._geodesic_lines: dict[tuple, tuple[str, float, str, Line]] = {}
        # the features, in file order, filled by the layer methods below
        self.sorted_places = sorted(dataset.places.values(), key=lambda p: p.id)
        self.route_lines: list[RouteLine] = []
        self.event_points: list[EventPoint] = []
        self.movement_lines: list[MovementLine] = []
        self.route_periods: list[RoutePeriod] = []
        self.open_end = open_end(dataset)
        self._route_geometry: dict[str, str] = {}
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
            self._sources[ids] = [source_properties(sid, self.ds.sources.get(sid)) for sid in ids]
        return self._sources[ids]

    def sources_json(self, ids: tuple[str, ...]) -> str:
        """The JSON array of the sources *ids*, joined from each source's JSON, encoded once.

        Events cite many different combinations of sources, but each source is encoded once."""
        text = self._sources_json.get(ids)
        if text is None:
            one = self._source_json
            for sid in ids:
                if sid not in one:
                    one[sid] = _encode(source_properties(sid, self.ds.sources.get(sid)))
            text = self._sources_json[ids] = "[" + ",".join([one[sid] for sid in ids]) + "]"
        return text

    # -- layers ---------------------------------------------------------------
    def places(self) -> list[str]:
        out = []
        for place in self.sorted_places:
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
            periods = status_periods(route)
            end = exclusive_end(periods[-1][2], self.open_end)
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
                "start": _day(periods[0][1]),
                "end": _day(end),
                "final_day": _day(end - dt.timedelta(days=1)),
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
                    for s, a, b in periods
                ],
                "notes": route.notes,
            }
            geometry = self._route_geometry[route.id] = line_json(path.parts())
            self.route_lines.append(RouteLine(route, _coordinates(geometry), props["length_km"]))
            out.append(_line(route.id, geometry, _encode(props)[1:-1]))
        return out

    def route_status(self) -> list[str]:
        """One feature per route per status period, drawn as on the map then; after routes()."""
        out = []
        for route in sorted(self.ds.routes, key=lambda r: r.id):
            for status, first, last in status_periods(route):
                end = exclusive_end(last, self.open_end)
                self.route_periods.append(RoutePeriod(route, status, first, end, last is None))
                style = STATUS_STYLES[status]
                fid = f"{route.id}/{first.isoformat()}"
                since = [c.since.text for c in route.status if c.since.start == first][-1]
                props = {
                    "id": fid,
                    "route": route.id,
                    "name": route.name,
                    "mode": route.mode,
                    "status": status,
                    "status_since": since,
                    "start": first.isoformat(),
                    "end": end.isoformat(),
                    "final_day": (end - dt.timedelta(days=1)).isoformat(),
                    "current": last is None,
                    "color": route_color(route.mode, status),
                    "dash": style.dash,
                    "width": float(style.width),
                    "opacity": float(style.opacity),
                }
                geometry = self._route_geometry[route.id]
                out.append(_line(fid, geometry, _encode(props)[1:-1]))
        return out

    def events(self) -> list[str]:
        out = []
        for e in self.chronological:
            place = self.location(e)
            self.event_points.append(EventPoint(e, place))
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
            geometry, length, drawn_along, line = self.movement_line(e)
            self.movement_lines.append(MovementLine(e, line, length, drawn_along))
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
            lambda: when_properties(e.date, e.end_date, with_end_date),
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
        return self.fragment(key, lambda: count_properties(e))

    # -- geometry per event ----------------------------------------------------
    def location(self, event: Event) -> Place | None:
        return event_location(event, self.routes_by_id)

    def movement_line(self, event: Event) -> tuple[str, float, str, Line]:
        """(geometry, length_km, drawn_along, the line's coordinates): along the route between
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
                line = (text, _km(path.length_km()), "route", _coordinates(text))
            else:  # the same line whatever the route: computed once per pair of places
                pair = (origin.id, destination.id)
                line = self._geodesic_lines.get(pair)
                if line is None:
                    path = geodesic_path(origin, destination)
                    text = line_json(path.parts())
                    line = (text, _km(path.length_km()), "geodesic", _coordinates(text))
                    self._geodesic_lines[pair] = line
            self._movement_lines[key] = line
        return self._movement_lines[key]


def _coordinates(geometry: str) -> Line:
    """The parts of a line from its GeoJSON text: the numbers exactly as the layer has them."""
    decoded = json.loads(geometry, parse_int=float)
    if decoded is None:
        return []
    if decoded["type"] == "LineString":
        return [decoded["coordinates"]]
    return decoded["coordinates"]
