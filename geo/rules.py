"""The checks a schema cannot express, and the Dataset they build.

Calendar dates and dates in the future, date order, unique ids, references to sources, routes
and places (resolved through the gazetteer), invisible characters.  Every problem is collected
with its line; a value the schema pass already refused is skipped here, not reported twice.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re

from geo.dates import DateError, FuzzyDate, parse_date
from geo.errors import GeoError, Problem, ResolveError
from geo.gazetteer import Gazetteer
from geo.load import Document
from geo.model import (
    Amount,
    Dataset,
    Event,
    People,
    Place,
    ReportedLength,
    Route,
    Source,
    StatusChange,
    Waypoint,
    translations_of,
)
from geo.stories import StoryRules

# Invisible or direction-changing characters that make two names look alike or text
# display in a different order than it is stored (Trojan-source style spoofing).
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]"
)
_DATE_SHAPE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?%]?$")
_MAX_PLACE_REF = 200  # the schema's place_ref maxLength


def today() -> dt.date:
    """The date events may not be later than (GEO_TODAY overrides it, for reproducible tests)."""
    forced = os.environ.get("GEO_TODAY")
    if not forced:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(forced)
    except ValueError:
        raise GeoError(f"GEO_TODAY must be a date like 2024-02-05, not {forced!r}") from None


class Rules:
    """One pass of the rules over a document whose top level is a mapping."""

    def __init__(self, doc: Document, problems: list[Problem]):
        self.doc = doc
        self.problems = list(problems)
        self.data: dict = doc.data  # type: ignore[assignment]
        self.today = today()
        self.broken_places: set[str] = set()  # ids of local places the schema pass refused
        self.resolved: dict[str, Place | ResolveError] = {}  # a few places, named many times
        self.sources_mapping = isinstance(self.data.get("sources"), dict)
        # a date string's (FuzzyDate or None, problem or None), without and with future_ok
        self.dates: tuple[dict, dict] = ({}, {})
        self.citations: dict[tuple, tuple[str, ...]] = {}  # source id lists that all exist
        self.sources: dict[str, Source] = {}
        self.gazetteer: Gazetteer  # made in run(), from the file's own places
        self.used_places: dict[str, Place] = {}

    def add(self, path, message, key=False):
        self.problems.append(self.doc.problem(path, message, key=key))

    def run(self) -> Dataset | None:
        if _INVISIBLE.search(self.doc.text) or "\\" in self.doc.text:
            self.walk_text((), self.data)  # else no string can hold one (escapes need a \)
        self.sources = self.read_sources()
        local = self.read_places()
        self.gazetteer = Gazetteer(local)
        self.used_places = {p.id: p for p in local}
        routes = self.read_routes()
        route_ids = {r.id for r in routes} | _ids_declared(self.section("routes"))
        events = self.read_events(route_ids)
        self.check_originals()
        self.check_same_people()
        event_ids = _ids_declared(self.section("events"))
        stories = StoryRules(self, events, event_ids, route_ids).read(self.section("stories"))
        if self.problems:
            return None
        return Dataset(sources=self.sources, places=dict(sorted(self.used_places.items())),
                       routes=routes, events=events, file=self.doc.file, where=self.doc.where,
                       stories=stories)

    def section(self, name) -> list:
        v = self.data.get(name)
        return v if isinstance(v, list) else []

    def walk_text(self, path, value):
        if isinstance(value, str):
            m = _INVISIBLE.search(value)
            if m:
                code = f"U+{ord(m.group()):04X}"
                self.add(path, f"contains an invisible or control character {code}; "
                               "retype the text")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.walk_text(path + (i,), v)
        elif isinstance(value, dict):
            for k, v in value.items():
                self.walk_text(path + (k,), v)

    # -- values ------------------------------------------------------------------------

    def date(self, path, value, *, future_ok=False) -> FuzzyDate | None:
        if not isinstance(value, str):
            return None
        known = self.dates[future_ok]
        found = known.get(value)
        if found is None:
            found = known[value] = self.parse_date(value, future_ok)
        if found[1] is not None:
            self.add(path, found[1])
        return found[0]

    def parse_date(self, value: str, future_ok: bool) -> tuple[FuzzyDate | None, str | None]:
        """What date() gives for *value*: the date or None, and the problem or None."""
        try:
            d = parse_date(value)
        except DateError as exc:
            # other shapes were reported by the schema pass
            return None, str(exc) if _DATE_SHAPE.match(value) else None
        if not future_ok and d.start > self.today:
            return d, f"date {value} is in the future (today is {self.today.isoformat()})"
        return d, None

    def cite(self, path, ids) -> tuple[str, ...]:
        if not isinstance(ids, list):
            return ()
        if not self.sources_mapping:
            # the schema pass reported sources:, so every citation would be "unknown"
            return tuple(sid for sid in ids if isinstance(sid, str))
        cited = tuple(ids)
        try:
            known = self.citations.get(cited)
        except TypeError:  # an unhashable id (the schema pass reported it)
            known = None
        if known is not None:
            return known
        if all(isinstance(sid, str) and sid in self.sources for sid in cited):
            self.citations[cited] = cited
            return cited
        declared = set(self.data["sources"])
        out = []
        for i, sid in enumerate(ids):
            if not isinstance(sid, str):
                continue
            if sid not in self.sources and sid not in declared:
                close = difflib.get_close_matches(sid, list(declared), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else "; add it under sources:"
                self.add(path + (i,), f"unknown source '{sid}'{hint}")
            out.append(sid)
        return tuple(out)

    def resolve(self, path, ref) -> Place | None:
        if not isinstance(ref, str) or not ref or len(ref) > _MAX_PLACE_REF:
            return None  # reported by the schema pass
        if ref in self.broken_places:
            return None
        found = self.resolved.get(ref)
        if found is None:
            try:
                found = self.resolved[ref] = self.gazetteer.resolve(ref).place
            except ResolveError as exc:
                found = self.resolved[ref] = exc
        if isinstance(found, ResolveError):
            self.add(path, str(found))
            return None
        self.used_places.setdefault(found.id, found)
        return found

    def unique_ids(self, kind: str) -> None:
        items = self.section(kind)
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                iid = item["id"]
                if iid in seen:
                    line = self.doc.where((kind, seen[iid], "id"))[0]
                    self.add((kind, i, "id"), f"duplicate id '{iid}' (first used on line {line})")
                else:
                    seen[iid] = i

    # -- sections ----------------------------------------------------------------------

    def read_sources(self) -> dict[str, Source]:
        out: dict[str, Source] = {}
        raw = self.data.get("sources")
        if not isinstance(raw, dict):
            return out
        for sid, s in raw.items():
            if not isinstance(s, dict):
                continue
            published = self.date(("sources", sid, "published"), s.get("published"))
            if published is None or not _all_text(s.get("outlet"), s.get("title")):
                continue
            out[sid] = Source(id=sid, outlet=s["outlet"], title=s["title"], published=published,
                              url=s.get("url"), language=s.get("language"),
                              author=s.get("author"), notes=s.get("notes"), type=s.get("type"),
                              original=s.get("original"), carries=s.get("carries"))
        return out

    def check_originals(self) -> None:
        """A republisher names the source it copies, which must be another declared source."""
        raw = self.data.get("sources")
        declared = raw if isinstance(raw, dict) else {}
        for sid, s in declared.items():
            if not isinstance(s, dict):
                continue
            original = s.get("original")
            if s.get("type") == "republisher" and original is None:
                self.add(("sources", sid, "type"), "a republisher needs original: the id of the "
                                                   "source it copies (add that source if missing)")
            elif original == sid:
                self.add(("sources", sid, "original"), "original is the source itself; name "
                                                       "the source it copies")
            elif isinstance(original, str) and original not in declared:
                hint = self.near(original, declared, " (did you mean '{}'?)", "; add it first")
                self.add(("sources", sid, "original"), f"unknown source '{original}'{hint}")

    def check_same_people(self) -> None:
        events = self.section("events")
        ids = _ids_declared(events)
        for i, e in enumerate(events):
            if not isinstance(e, dict):
                continue
            for j, other in enumerate(_list_at(e, "same_people_as")):
                here = ("events", i, "same_people_as", j)
                if other == e.get("id"):
                    self.add(here, "an event cannot count the same people as itself")
                elif isinstance(other, str) and other not in ids:
                    hint = self.near(other, ids, " (did you mean '{}'?)", "")
                    self.add(here, f"unknown event '{other}'{hint}")

    @staticmethod
    def near(name: str, known, found: str, otherwise: str) -> str:
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        return found.format(close[0]) if close and close[0] != name else otherwise

    def read_places(self) -> list[Place]:
        out = []
        self.unique_ids("places")
        for i, p in enumerate(self.section("places")):
            if not isinstance(p, dict):
                continue
            cited = self.cite(("places", i, "sources"), p.get("sources"))
            if not _usable_place(p):
                # reported by the schema pass; references to it should not add "unknown place"
                if isinstance(p.get("id"), str):
                    self.broken_places.add(p["id"])
                continue
            out.append(Place(
                id=p["id"], name=p["name"], lat=float(p["lat"]), lon=float(p["lon"]),
                kind=p["kind"], country=p["country"], alt_names=tuple(p.get("alt_names") or ()),
                geonames_id=p.get("geonames_id"), iata=p.get("iata"), icao=p.get("icao"),
                precision=p.get("precision", "exact"), origin="local", sources=cited,
                notes=p.get("notes")))
        return out

    def read_routes(self) -> list[Route]:
        out = []
        self.unique_ids("routes")
        for i, r in enumerate(self.section("routes")):
            if isinstance(r, dict):
                route = self.read_route(("routes", i), r)
                if route is not None:
                    out.append(route)
        return out

    def read_route(self, path, r: dict) -> Route | None:
        stops = []
        for j, ref in enumerate(_list_at(r, "via")):
            place = self.resolve(path + ("via", j), ref)
            if place:
                stops.append(place)
        for j in range(1, len(stops)):
            if stops[j].id == stops[j - 1].id:
                self.add(path + ("via", j), f"stop '{stops[j].name}' is repeated back to back")
        waypoints = self.read_waypoints(path, r, stops)
        history = self.read_status(path, r)
        length = None
        rl = r.get("reported_length")
        if isinstance(rl, dict):
            cited = self.cite(path + ("reported_length", "sources"), rl.get("sources"))
            if isinstance(rl.get("km"), (int, float)):
                length = ReportedLength(float(rl["km"]), cited)
        named = _all_text(r.get("id"), r.get("name"), r.get("mode"))
        if len(stops) < 2 or not history or not named:
            return None
        return Route(id=r["id"], name=r["name"], mode=r["mode"], stops=tuple(stops),
                     status=tuple(history), waypoints=tuple(waypoints), operator=r.get("operator"),
                     service=r.get("service"), notes=r.get("notes"), reported_length=length)

    def read_waypoints(self, path, r: dict, stops: list[Place]) -> list[Waypoint]:
        stop_ids = {s.id for s in stops}
        out = []
        for j, w in enumerate(_list_at(r, "waypoints")):
            if not isinstance(w, dict):
                continue
            here = path + ("waypoints", j)
            after = self.resolve(here + ("after",), w.get("after"))
            cited = self.cite(here + ("sources",), w.get("sources"))
            if after and after.id not in stop_ids:
                self.add(here + ("after",),
                         f"'{w.get('after')}' is not one of this route's stops (via)")
            elif after and stops and after.id == stops[-1].id:
                self.add(here + ("after",), "a waypoint cannot follow the last stop")
            if after and _finite(w.get("lat"), w.get("lon")):
                out.append(Waypoint(after=after.id, lat=float(w["lat"]), lon=float(w["lon"]),
                                    sources=cited))
        return out

    def read_status(self, path, r: dict) -> list[StatusChange]:
        history = []
        previous: FuzzyDate | None = None
        for j, s in enumerate(_list_at(r, "status")):
            if not isinstance(s, dict):
                continue
            here = path + ("status", j)
            since = self.date(here + ("since",), s.get("since"),
                              future_ok=s.get("status") == "planned")
            cited = self.cite(here + ("sources",), s.get("sources"))
            if since and previous and since.start < previous.start:
                self.add(here + ("since",), f"status history out of date order: {since.text} "
                                            f"comes after {previous.text}")
            if since:
                previous = since
                if isinstance(s.get("status"), str):
                    history.append(StatusChange(since, s["status"], cited, s.get("notes")))
        return history

    def read_events(self, route_ids: set[str]) -> list[Event]:
        out = []
        self.unique_ids("events")
        for i, e in enumerate(self.section("events")):
            if isinstance(e, dict):
                event = self.read_event(("events", i), e, route_ids)
                if event is not None:
                    out.append(event)
        return out

    def read_event(self, path, e: dict, route_ids: set[str]) -> Event | None:
        get = e.get
        date = self.date(path + ("date",), get("date"))
        end = None
        if get("end_date") is not None:
            end = self.date(path + ("end_date",), get("end_date"))
            if date and end and end.end < date.start:
                self.add(path + ("end_date",), f"end_date {end.text} is before date {date.text}")
        cited = self.cite(path + ("sources",), get("sources"))
        place, origin, destination = (
            None if get(k) is None else self.resolve(path + (k,), get(k))
            for k in ("place", "from", "to"))
        route = get("route")
        if isinstance(route, str) and route not in route_ids:
            close = difflib.get_close_matches(route, sorted(route_ids), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.add(path + ("route",), f"unknown route '{route}'{hint}")
        if not (get("place") or get("to") or get("from") or route):
            self.add(path, "an event needs a place, a from/to pair or a route to be put on the map")
        if origin and destination and origin.id == destination.id:
            self.add(path + ("to",), "from and to are the same place")
        if get("kind") == "estimate" and (get("from") or get("to") or route):
            self.add(path + ("kind",), "an estimate is a figure, not a movement: put it at a "
                                       "place: (no from, to or route), or make it a movement")
        people = self.read_people(path, get("people"))
        if not date or not _all_text(get("id"), get("title"), get("summary"), get("kind"),
                                     get("confidence")):
            return None
        return Event(
            id=e["id"], date=date, title=e["title"], summary=e["summary"], kind=e["kind"],
            confidence=e["confidence"], sources=cited, end_date=end, place=place, origin=origin,
            destination=destination, route=route if isinstance(route, str) else None,
            people=people, amount=_amount(get("amount")), group=get("group"),
            direction=get("direction"), notes=get("notes"),
            reported_as=get("reported_as") or "happened",
            same_people_as=tuple(i for i in _list_at(e, "same_people_as") if isinstance(i, str)),
            translations=translations_of(get("translations")))

    def read_people(self, path, pp) -> People | None:
        if not isinstance(pp, dict):
            return None
        lo, hi = pp.get("min"), pp.get("max")
        lo_int, hi_int = isinstance(lo, int), isinstance(hi, int)
        if lo_int and hi_int and hi < lo:
            self.add(path + ("people", "max"), f"max {hi} is smaller than min {lo}")
        text = pp.get("text")
        if not isinstance(text, str):
            return None
        return People(text=text, min=lo if lo_int else None, max=hi if hi_int else None)


def _amount(am) -> Amount | None:
    if not isinstance(am, dict):
        return None
    value, currency = am.get("value"), am.get("currency")
    if not (isinstance(value, (int, float)) and isinstance(currency, str)):
        return None
    return Amount(value=float(value), currency=currency, text=str(am.get("text") or ""))


def _ids_declared(items: list) -> set[str]:
    return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def _all_text(*values) -> bool:
    return all(isinstance(v, str) for v in values)


def _list_at(mapping: dict, key: str) -> list:
    """mapping[key] if it is a list, else [] (the schema pass reports a wrong type)."""
    value = mapping.get(key)
    return value if isinstance(value, list) else []


def _finite(*values) -> bool:
    """Numbers a float can hold: NaN, infinities and integers of over 308 digits are not."""
    try:
        return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)
    except OverflowError:  # math.isfinite(10**400)
        return False


def _usable_place(p: dict) -> bool:
    """Whether a local place has the types a Place needs (the schema pass explains the rest)."""
    text = _all_text(p.get("id"), p.get("name"), p.get("kind"), p.get("country"))
    optional = all(p.get(k) is None or isinstance(p.get(k), str)
                   for k in ("iata", "icao", "precision", "notes"))
    alt_names = p.get("alt_names") or []
    return (text and optional and _finite(p.get("lat"), p.get("lon"))
            and isinstance(alt_names, list) and all(isinstance(a, str) for a in alt_names))
