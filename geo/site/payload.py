"""What the page reads: the Dataset and the layers' features merged into one JSON document.

The Dataset is authoritative for text, sources and status histories; the layers' features
give the geometry, as their files have it (the page never resolves a place itself).  Dates
go to the page twice: as the first day they can stand for (``YYYY-MM-DD``, for the slider)
and as a label at the precision the source gave ("about September 2019").  Nothing depends
on the clock: the period ends with the newest date in the data, so a build is reproducible.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re

from geo.dates import FuzzyDate
from geo.geometry import format_number, latlon_distance_km
from geo.layers import EventPoint, Layers, Line, MovementLine, RouteLine
from geo.model import Dataset, Event, Place
from geo.site.localnames import event_translations, place_names
from geo.site.storydata import stories

PERIOD_START = dt.date(2013, 1, 1)
# The first view frames the places within CORE_RADIUS_KM of Pyongyang (see first_view).
PYONGYANG = (39.01944, 125.73806)
CORE_RADIUS_KM = 1500.0
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_HTTP = re.compile(r"^https?://\S+$", re.IGNORECASE)
# Characters that could end a <script> element or break a JS string if they appeared raw.
_JS_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def date_label(date: FuzzyDate) -> str:
    """A date at the precision it was written: '5 February 2024', 'about September 2019'."""
    d = date.start
    if date.precision == "day":
        text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    elif date.precision == "month":
        text = f"{MONTHS[d.month - 1]} {d.year}"
    else:
        text = str(d.year)
    if date.approximate:
        text = f"about {text}"
    if date.uncertain:
        text = f"{text} (uncertain)"
    return text


def js_assignment(name: str, value) -> str:
    """``window.NAME = <json>;`` safe to load as a script: no raw <, >, &, U+2028/2029."""
    return js_assignment_bytes(name, value).decode("utf-8")


def js_assignment_bytes(name: str, value) -> bytes:
    """js_assignment as UTF-8, the way it is written: 80 MB at 100,000 events, where each
    pass over a str (decoding, replacing, encoding again) costs a tenth of a second."""
    return b"".join((b"window.", name.encode("ascii"), b" = ", script_json(value), b";\n"))


def script_json(value) -> bytes:
    """*value* as JSON (UTF-8) safe inside a script: <, >, &, U+2028/2029 escaped.  The
    escapes replace single characters, so pieces escaped apart can be joined."""
    text = _json_bytes(value)
    for char, escaped in _JS_UNSAFE.items():
        encoded = char.encode("utf-8")
        if encoded in text:
            text = text.replace(encoded, escaped.encode("ascii"))
    return text


def data_js(payload: dict) -> bytes:
    """data.js: ``window.GEO_DATA = `` the payload."""
    return js_assignment_bytes("GEO_DATA", payload)


def _json_bytes(value) -> bytes:
    """Compact JSON in UTF-8, non-ASCII kept as is.  orjson writes it ten times faster than
    json.dumps; what it refuses (a lone surrogate, a key that is not a string) goes to
    json.dumps, which gives the error the caller would have had anyway."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - pinned in pyproject.toml
        orjson = None
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:
            pass
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def http_url(url: str | None) -> str | None:
    """*url* if it is an http(s) link, else None: javascript:, data: etc. never become links."""
    return url if url and _HTTP.match(url) else None


def payload(dataset: Dataset, layers: Layers) -> dict:
    """All the page reads: "meta" (what the page needs to be laid out), the sources, and the
    routes, places, movements and events to draw."""
    routes = _routes(layers.routes)
    places = _places(dataset, layers.places)
    located, located_count = _located_points(layers.events)
    movements = _movements(layers.movements)
    start, end = period(dataset)
    newest = newest_date(dataset)
    return {
        "meta": {
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "data_as_of": {"date": newest.start.isoformat(), "label": date_label(newest)}
            if newest
            else None,
            "histogram": histogram(dataset.events, start, end),
            "bounds": first_view(routes, places, located),
            "counts": {
                "routes": len(routes),
                "places": len(places),
                "events": located_count,
                "movements": len(movements),
                "listed_events": len(dataset.events),
                "sources": len(dataset.sources),
            },
        },
        "sources": _sources(dataset),
        "routes": routes,
        "places": places,
        "movements": movements,
        "events": _events(layers.events),
        "stories": stories(dataset.stories, date_label),
        "names": place_names(layers.places),
        "translations": event_translations(dataset.events),
    }


def _located_points(events: tuple[EventPoint, ...]) -> tuple[list[dict], int]:
    """{"lat", "lon"} of each point where the map shows events, each point once (what
    first_view needs of the events), and how many events the map shows."""
    places: dict[str, Place] = {}
    count = 0
    for point in events:
        if point.place is not None:
            count += 1
            places.setdefault(point.place.id, point.place)
    out = [
        {"lat": float(format_number(place.lat)), "lon": float(format_number(place.lon))}
        for place in places.values()
    ]
    return out, count


def period(dataset: Dataset) -> tuple[dt.date, dt.date]:
    """2013-01-01 to the end of the month of the newest date in the data."""
    newest = max(_all_dates(dataset), default=PERIOD_START, key=lambda d: d)
    newest = max(newest, PERIOD_START)
    last = calendar.monthrange(newest.year, newest.month)[1]
    return PERIOD_START, dt.date(newest.year, newest.month, last)


def newest_date(dataset: Dataset) -> FuzzyDate | None:
    """The newest event or source date: what "data as of" means, without reading the clock."""
    distinct = {e.date.text: e.date for e in dataset.events}  # 100,000 events, a few thousand dates
    distinct.update((e.end_date.text, e.end_date) for e in dataset.events if e.end_date)
    dates = list(distinct.values()) + [s.published for s in dataset.sources.values()]
    return max(
        dates, key=lambda d: (d.start, ("year", "month", "day").index(d.precision)), default=None
    )


def histogram(events: list[Event], start: dt.date, end: dt.date) -> dict:
    """Events per month from *start* to *end*, by the first day each event can stand for."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    counts = [0] * months
    for event in events:
        d = event.date.start
        i = (d.year - start.year) * 12 + d.month - start.month
        if 0 <= i < months:
            counts[i] += 1
    return {"first_month": start.isoformat()[:7], "counts": counts}


def _all_dates(dataset: Dataset):
    for event in dataset.events:
        yield event.date.start
        if event.end_date:
            yield event.end_date.start
    for route in dataset.routes:
        for change in route.status:
            yield change.since.start
    for source in dataset.sources.values():
        yield source.published.start


def _lines(line: Line) -> list[list[list[float]]]:
    """A line's parts, each a list of [lat, lon] (Leaflet's order)."""
    return [[[lat, lon] for lon, lat in part] for part in line]


def _routes(layer: tuple[RouteLine, ...]) -> list[dict]:
    out = []
    for feature in layer:
        route = feature.route
        out.append(
            {
                "id": route.id,
                "name": route.name,
                "mode": route.mode,
                "operator": route.operator,
                "service": route.service,
                "notes": route.notes,
                "stops": [p.name for p in route.stops],
                "length_km": feature.length_km,
                "reported_length_km": route.reported_length.km if route.reported_length else None,
                "history": [
                    {
                        "since": change.since.start.isoformat(),
                        "label": date_label(change.since),
                        "status": change.status,
                        "sources": list(change.sources),
                        "notes": change.notes,
                    }
                    for change in route.status
                ],
                "lines": _lines(feature.line),
            }
        )
    return out


def _place_uses(dataset: Dataset) -> dict[str, int]:
    """How many routes and events use each place: which label wins when two overlap."""
    uses: dict[str, int] = {}
    for route in dataset.routes:
        for stop in route.stops:
            uses[stop.id] = uses.get(stop.id, 0) + 1
    for event in dataset.events:
        for place in (event.place, event.origin, event.destination):
            if place:
                uses[place.id] = uses.get(place.id, 0) + 1
    return uses


def _places(dataset: Dataset, layer: tuple[Place, ...]) -> list[dict]:
    uses = _place_uses(dataset)
    return [
        {
            "id": place.id,
            "name": place.name,
            "alt_names": list(place.alt_names),
            "kind": place.kind,
            "country": place.country,
            "precision": place.precision,
            "uses": uses.get(place.id, 0),
            "lat": float(format_number(place.lat)),
            "lon": float(format_number(place.lon)),
        }
        for place in layer
    ]


def _events(layer: tuple[EventPoint, ...]) -> list[dict]:
    """The events, oldest first, each at the point the events layer draws it (at the
    layer's 6 decimals)."""
    rows = _EventRows()
    return [rows.row(point.event, point.place) for point in layer]


class _EventRows:
    """The page's record of each event.  Built for 100,000 events: what many events share
    (a date, a place, a head count) is converted once and the same object reused; orjson
    encodes tuples as arrays."""

    def __init__(self):
        self.dates: dict[tuple, tuple[str, str, str, str]] = {}
        self.points: dict[str | None, tuple] = {}
        self.wheres: dict[tuple, str | None] = {}
        self.people_objects: dict[tuple, dict] = {}

    def row(self, event: Event, place: Place | None) -> dict:
        start, end, label, precision = self.when(event)
        lat, lon, place_name = self.point(place)
        return {
            "id": event.id,
            "start": start,
            "end": end,
            "label": label,
            "precision": precision,
            "title": event.title,
            "summary": event.summary,
            "kind": event.kind,
            "group": event.group,
            "direction": event.direction,
            "confidence": event.confidence,
            "announced": event.reported_as == "announced",
            "people": self.people(event),
            "amount": event.amount.text if event.amount else None,
            "route": event.route,
            "where": self.where(event, place_name),
            "lat": lat,
            "lon": lon,
            "sources": event.sources,
        }

    def when(self, event: Event) -> tuple[str, str, str, str]:
        """(start, end, label, precision) of an event's date and end date."""
        key = (event.date.text, event.end_date.text if event.end_date else None)
        found = self.dates.get(key)
        if found is None:
            last = event.end_date or event.date
            label = date_label(event.date)
            if event.end_date:
                label += f" to {date_label(event.end_date)}"
            found = self.dates[key] = (
                event.date.start.isoformat(),
                last.end.isoformat(),
                label,
                event.date.precision,
            )
        return found

    def point(self, place: Place | None) -> tuple:
        """(lat, lon, the place's name) where the event is drawn; Nones when nowhere."""
        key = place.id if place else None
        found = self.points.get(key)
        if found is None:
            found = self.points[key] = (
                (float(format_number(place.lat)), float(format_number(place.lon)), place.name)
                if place
                else (None, None, None)
            )
        return found

    def where(self, event: Event, place_name: str | None) -> str | None:
        key = (_id(event.origin), _id(event.destination), _id(event.location), place_name)
        found = self.wheres.get(key, self.wheres)
        if found is self.wheres:
            found = self.wheres[key] = _where(event) or place_name
        return found

    def people(self, event: Event) -> dict | None:
        p = event.people
        if p is None:
            return None
        key = (p.text, p.min, p.max)
        found = self.people_objects.get(key)
        if found is None:
            found = self.people_objects[key] = {"text": p.text, "min": p.min, "max": p.max}
        return found


def _id(place) -> str | None:
    return place.id if place else None


def _where(event: Event) -> str | None:
    if event.origin and event.destination:
        return f"{event.origin.name} → {event.destination.name}"
    place = event.location
    return place.name if place else None


def _movements(layer: tuple[MovementLine, ...]) -> dict[str, list[list[list[float]]]]:
    """Event id -> the line travelled, as parts of [lat, lon], in the layer's (chronological)
    order; movements without a line (both ends at one point) are left out."""
    out = {}
    converted: dict[int, list] = {}  # many movements share a line: convert each line once
    for feature in layer:
        lines = converted.get(id(feature.line))
        if lines is None:
            lines = converted[id(feature.line)] = _lines(feature.line)
        if lines:
            out[feature.event.id] = lines
    return out


def _sources(dataset: Dataset) -> dict[str, dict]:
    return {
        sid: {
            "outlet": s.outlet,
            "title": s.title,
            "published": date_label(s.published),
            "url": http_url(s.url),
        }
        for sid, s in sorted(dataset.sources.items())
    }


def first_view(routes, places, events) -> list[list[float]] | None:
    """The first view: the places within CORE_RADIUS_KM of Pyongyang.

    Nearly everything happens around the Korea-Russia-China borders; a few far places
    (Moscow, Kuala Lumpur, the UN in New York) would zoom the map out until that region is a
    small cluster.  They stay reachable by zooming out.  When the core has fewer than two
    distinct points, all places, then the route lines, then the events are used instead.
    """
    tried = []
    for candidate in _view_candidates(routes, places, events):
        if len(set(candidate)) >= 2:
            points = candidate
            break
        tried.append(candidate)
    else:
        points = next((c for c in tried if c), None)
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _view_candidates(routes, places, events):
    """The points first_view may frame, in order of preference; each list made only if the
    ones before it do not do (the route lines of a large archive have 100,000s of points)."""
    everywhere = [(p["lat"], p["lon"]) for p in places]
    yield [p for p in everywhere if latlon_distance_km(PYONGYANG, p) <= CORE_RADIUS_KM]
    yield everywhere
    yield [(p[0], p[1]) for r in routes for line in r["lines"] for p in line]
    yield [(e["lat"], e["lon"]) for e in events if e["lat"] is not None]
