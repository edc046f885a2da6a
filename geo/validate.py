"""Check a loaded routes.yaml and turn it into a resolved Dataset.

Two passes: the JSON Schema (``geo/data/routes.schema.json``, published as
``docs/routes.schema.json``) checks shape, types and enumerations; then the checks a schema
cannot express: calendar dates, dates in the future, date order, unique ids, references to
sources, routes and places (resolved through the gazetteer), invisible characters.  Every
problem is collected, located to its line, and returned at once; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import os
import re
import unicodedata
from functools import cache
from importlib import resources

from geo.dates import DateError, FuzzyDate, parse_date
from geo.errors import DataError, GeoError, Problem, ResolveError
from geo.gazetteer import Gazetteer
from geo.gcpause import paused_gc
from geo.load import Document, format_path, parse_document, read_text
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
    positional_constructor,
)

# Invisible or direction-changing characters that make two names look alike or text
# display in a different order than it is stored (Trojan-source style spoofing).
_INVISIBLE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_DATE_SHAPE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?%]?$")
_MAX_PLACE_REF = 200  # the schema's place_ref maxLength
_TYPE_NAMES = {"string": "text", "number": "a number", "integer": "a whole number",
               "array": "a list", "object": "a mapping", "boolean": "true or false", "null": "empty"}


def today() -> dt.date:
    """The date events may not be later than (GEO_TODAY overrides it, for reproducible tests)."""
    forced = os.environ.get("GEO_TODAY")
    if not forced:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(forced)
    except ValueError:
        raise GeoError(f"GEO_TODAY must be a date like 2024-02-05, not {forced!r}") from None


@cache
def schema() -> dict:
    return json.loads(resources.files("geo").joinpath("data/routes.schema.json").read_text("utf-8"))


@cache
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


def load_dataset(path: str | os.PathLike, display: str | None = None) -> Dataset:
    """Load, validate and resolve a routes.yaml file; raise DataError listing every problem."""
    name = display or str(path)
    return validate_text(read_text(path, name), name)


def check_document(doc: Document) -> Dataset:
    problems = schema_problems(doc)
    if not isinstance(doc.data, dict):
        raise DataError(problems)
    checker = _Checker(doc, problems)
    dataset = checker.run()
    if checker.problems:
        raise DataError(checker.problems)
    return dataset


def validate_text(text: str, name: str = "routes.yaml") -> Dataset:
    with paused_gc():  # see geo.gcpause
        dataset = _fast_dataset(text, name)
        if dataset is not None:
            return dataset
        return check_document(parse_document(text, name))


def _fast_dataset(text: str, name: str) -> Dataset | None:
    """The Dataset of a plain, valid file read the fast way (geo.fastpath), or None: then the
    careful path reads the file again and reports every problem with its line."""
    from geo import fastpath

    reading = fastpath.read_valid(text)
    if reading is None:
        return None
    doc = fastpath.FastDocument(file=name, data=reading.data, text=text, positions=None,
                                sections=reading.sections)
    doc.invisible_free = reading.invisible_free
    checker = _Checker(doc, [], fail_fast=True)
    try:
        dataset = checker.run()
    except _Bail:  # a problem: the careful path finds it again, and every other one
        return None
    return None if checker.problems else dataset


# ---------------------------------------------------------------- schema pass


def schema_problems(doc: Document) -> list[Problem]:
    if not isinstance(doc.data, dict):
        return [doc.problem((), "the top level must be a mapping with sources:, places:, routes: and events:")]
    problems: list[Problem] = []
    for err in _schema_errors(doc.data):
        problems.extend(_explain(doc, err))
    return _dedupe(problems)


def _schema_errors(data: dict):
    """jsonschema's errors for *data*.  Explaining an error needs jsonschema, but finding the
    items that have one does not: a compiled validator (geo.fastpath) picks out the sources,
    places, routes and events that fail, and only those go through jsonschema."""
    from geo import fastpath

    if fastpath.schema_valid(data):
        return
    yield from _shallow_validator().iter_errors(data)
    for section, where, definition in fastpath.failing_items(data):
        item = data[section][where]
        for err in _item_validator(definition).iter_errors(item):
            err.path.extendleft((where, section))  # as if found in the whole document
            yield err


@cache
def _shallow_validator():
    """The schema with every item of sources/places/routes/events accepted as it is."""
    import copy

    import jsonschema

    shallow = copy.deepcopy(schema())
    for section in fastpath_sections():
        entry = shallow["properties"][section]
        entry["additionalProperties" if section == "sources" else "items"] = True
    return jsonschema.Draft202012Validator(shallow)


@cache
def _item_validator(definition: str):
    import jsonschema

    root = schema()
    item = {"$defs": root["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(item)


def fastpath_sections() -> tuple[str, ...]:
    from geo.fastpath import SECTION_DEFINITIONS

    return tuple(SECTION_DEFINITIONS)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if (p.line, p.col, p.field, p.message) not in seen:
            seen.add((p.line, p.col, p.field, p.message))
            out.append(p)
    return out


def _explain(doc: Document, err) -> list[Problem]:
    path = tuple(err.absolute_path)
    kind = err.validator
    value = err.instance
    sub = err.schema if isinstance(err.schema, dict) else {}
    if kind in ("anyOf", "oneOf") and err.context:
        best = min(err.context, key=lambda e: len(e.absolute_path))
        return _explain(doc, best)
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = list((sub.get("properties") or {}).keys())
        if not allowed and isinstance(sub.get("additionalProperties"), dict):
            return []  # mapping of id -> object: handled by propertyNames
        out = []
        for k in value:
            if k not in allowed:
                close = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(allowed)}"
                out.append(doc.problem(path + (k,), f"unknown field '{k}'{hint}", key=True))
        return out
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        name = missing[0] if missing else "?"
        what = "sources (cite at least one source id)" if name == "sources" else name
        return [Problem(doc.file, *doc.where(path), format_path(path + (name,)), f"missing required field: {what}")]
    if kind == "type":
        want = sub.get("type")
        want_s = _TYPE_NAMES.get(want, want) if isinstance(want, str) else " or ".join(_TYPE_NAMES.get(w, w) for w in want)
        got = _describe_value(value)
        hint = ""
        if want in ("number", "integer") and isinstance(value, str):
            hint = " (write it without quotes, as a decimal number)" if _looks_numeric(value) else ""
            if value.strip().lower().lstrip("+-").lstrip(".") in ("nan", "inf", "infinity"):
                return [doc.problem(path, f"{value} is not a finite number")]
            if hint and not math.isfinite(float(value)):
                return [doc.problem(path, f"{_clip(value)} is too large to be a number")]
        return [doc.problem(path, f"must be {want_s}, not {got}{hint}")]
    if kind == "enum":
        options = [str(o) for o in sub.get("enum", [])]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return [doc.problem(path, f"'{_clip(value)}' is not one of: {', '.join(options)}{hint}")]
    if kind == "const":
        return [doc.problem(path, f"unsupported value {value!r}; this tool reads version {sub.get('const')}")]
    if kind == "pattern":
        if "propertyNames" in err.schema_path:  # a mapping key, e.g. a source id
            message = _pattern_message(path, value, sub.get("pattern", ""))
            return [doc.problem(path + (value,), message, key=True)]
        return [doc.problem(path, _pattern_message(path, value, sub.get("pattern", "")))]
    if kind == "propertyNames":
        return [doc.problem(path + (err.instance,), _pattern_message(path, err.instance, r"^[a-z0-9]"), key=True)]
    if kind == "minItems":
        field = path[-1] if path else ""
        if field == "via":
            return [doc.problem(path, f"a route needs at least 2 stops in via (found {len(value)})")]
        if field == "sources":
            return [doc.problem(path, "cite at least one source id")]
        return [doc.problem(path, f"needs at least {sub.get('minItems')} item(s)")]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        field = path[-1] if path else ""
        if field == "lat":
            return [doc.problem(path, f"latitude {value} is out of range (-90 to 90)")]
        if field == "lon":
            return [doc.problem(path, f"longitude {value} is out of range (-180 to 180)")]
        bound = sub.get(kind)
        return [doc.problem(path, f"{value} is out of range ({kind} {bound})")]
    if kind in ("minLength", "maxLength"):
        if kind == "minLength":
            return [doc.problem(path, "must not be empty")]
        return [doc.problem(path, f"is too long ({len(value)} characters, at most {sub.get('maxLength')})")]
    return [doc.problem(path, err.message)]


def _pattern_message(path, value, pattern: str) -> str:
    field = path[-1] if path else ""
    v = _clip(value)
    if "[0-9]{4}" in pattern:
        try:
            parse_date(value)
        except DateError as exc:
            return str(exc)
        return f"'{v}' is not a date"
    if pattern.lower().startswith("^[h]") or "[Hh][Tt]" in pattern:
        return f"'{v}' is not an http(s) URL; links must start with http:// or https://"
    if field == "country":
        return f"'{v}' is not a two-letter ISO country code (e.g. RU, KP, CN)"
    if field in ("iata", "icao", "currency", "language"):
        return f"'{v}' is not a valid {field} code"
    return (f"'{v}' is not a valid id{_id_flaw(value)}: use lower-case letters, digits and hyphens "
            "(e.g. 'air-koryo-fnj-vvo')")


def _id_flaw(value) -> str:
    """Why *value* is not an id, for the characters a reader cannot see or tell apart."""
    if not isinstance(value, str):
        return ""
    for c in value:
        if c in "abcdefghijklmnopqrstuvwxyz0123456789-":
            continue
        if c == " ":
            return " (it contains a space)"
        if c.isascii() and c.isprintable():
            return f" (it contains '{c}')"
        return f" (it contains U+{ord(c):04X} {unicodedata.name(c, 'an unnamed character')})"
    if len(value) > 80:
        return f" (it is {len(value)} characters long, at most 80)"
    if value.startswith("-"):
        return " (it starts with a hyphen)"
    return ""


def _looks_numeric(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _describe_value(v) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, str):
        return f"the text '{_clip(v)}'"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def _clip(v, n: int = 50) -> str:
    s = str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


# ---------------------------------------------------------------- semantic pass


class _Bail(Exception):
    """A _Checker with fail_fast found a problem (the fast path then gives up)."""


_make_event = positional_constructor(Event)
_make_people = positional_constructor(People)
_make_amount = positional_constructor(Amount)
_make_source = positional_constructor(Source)


class _Checker:
    """The checks a schema cannot express.  With *fail_fast* (the fast path, which reads the
    file again the careful way at the first problem), the first problem raises _Bail instead
    of being located and collected."""

    def __init__(self, doc: Document, problems: list[Problem], fail_fast: bool = False):
        self.doc = doc
        self.problems = list(problems)
        self.fail_fast = fail_fast
        self.data: dict = doc.data  # type: ignore[assignment]
        self.today = today()
        self.broken_places: set[str] = set()  # ids of local places the schema pass rejected
        self._resolved: dict[str, Place | ResolveError] = {}
        self._places_ok: dict[str, Place] = {}  # references resolved without a problem
        self._sources_mapping = isinstance(self.data.get("sources"), dict)
        # a date string's FuzzyDate (or None) and problem (or None), without and with future_ok
        self._dates: tuple[dict, dict] = ({}, {})
        self._citations: dict[tuple, tuple[str, ...]] = {}  # source ids that all exist

    def add(self, path, message, key=False):
        if self.fail_fast:
            raise _Bail
        self.problems.append(self.doc.problem(path, message, key=key))

    # -- helpers ---------------------------------------------------------
    def _list(self, name) -> list:
        v = self.data.get(name)
        return v if isinstance(v, list) else []

    def _date(self, path, value, *, future_ok=False) -> FuzzyDate | None:
        if not isinstance(value, str):
            return None
        known = self._dates[future_ok]
        found = known.get(value)
        if found is None:
            found = known[value] = self._parse_date(value, future_ok)
        if found[1] is not None:
            self.add(path, found[1])
        return found[0]

    def _parse_date(self, value: str, future_ok: bool) -> tuple[FuzzyDate | None, str | None]:
        """What _date gives for *value*: the date or None, and the problem or None."""
        try:
            d = parse_date(value)
        except DateError as exc:
            # other shapes were reported by the schema pass
            return None, str(exc) if _DATE_SHAPE.match(value) else None
        if not future_ok and d.start > self.today:
            return d, f"date {value} is in the future (today is {self.today.isoformat()})"
        return d, None

    def _text(self, path, value):
        if isinstance(value, str):
            m = _INVISIBLE.search(value)
            if m:
                self.add(path, f"contains an invisible or control character U+{ord(m.group()):04X}; retype the text")

    def _walk_text(self, path, value):
        if isinstance(value, str):
            self._text(path, value)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self._walk_text(path + (i,), v)
        elif isinstance(value, dict):
            for k, v in value.items():
                self._walk_text(path + (k,), v)

    # -- run -------------------------------------------------------------
    def run(self) -> Dataset | None:
        if not getattr(self.doc, "invisible_free", False):  # the fast path may know there are none
            self._walk_text((), self.data)
        sources = self._sources()
        local = self._places(sources)
        self.gazetteer = Gazetteer(local)
        self.used_places: dict[str, Place] = {p.id: p for p in local}
        routes = self._routes(sources)
        events = self._events(sources, {r.id for r in routes} | self._route_ids_declared())
        if self.problems:
            return None
        return Dataset(sources=sources, places=dict(sorted(self.used_places.items())), routes=routes,
                       events=events, file=self.doc.file, lines=self._lines())

    def _lines(self) -> dict[str, int]:
        """"routes/<id>" (and events/, places/) -> the line of the item."""
        lines = {}
        sections = getattr(self.doc, "sections", None) or {}  # the fast path's item lines
        for kind in ("routes", "events", "places"):
            items = self._list(kind)
            found = sections.get(kind)
            if found is not None and len(found) == len(items):
                for item, (line, _) in zip(items, found):
                    if isinstance(item, dict):
                        iid = item.get("id")
                        if isinstance(iid, str):
                            lines[f"{kind}/{iid}"] = line
                continue
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    lines[f"{kind}/{item['id']}"] = self.doc.where((kind, i))[0]
        return lines

    def _route_ids_declared(self) -> set[str]:
        return {r.get("id") for r in self._list("routes") if isinstance(r, dict) and isinstance(r.get("id"), str)}

    def _cite(self, path, ids, sources) -> tuple[str, ...]:
        if not isinstance(ids, list):
            return ()
        if not self._sources_mapping:
            # the schema pass reported sources:, so every citation would be "unknown"
            return tuple(sid for sid in ids if isinstance(sid, str))
        cited = tuple(ids)
        try:
            known = self._citations.get(cited)
        except TypeError:  # an unhashable id (the schema pass reported it)
            known = None
        if known is not None:
            return known
        if _all_known(cited, sources):  # the usual case
            self._citations[cited] = cited
            return cited
        out = []
        for i, sid in enumerate(ids):
            if not isinstance(sid, str):
                continue
            if sid not in sources and sid not in self._source_ids_declared():
                close = difflib.get_close_matches(sid, list(self._source_ids_declared()), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else "; add it under sources:"
                self.add(path + (i,), f"unknown source '{sid}'{hint}")
            out.append(sid)
        return tuple(out)

    def _source_ids_declared(self) -> set[str]:
        s = self.data.get("sources")
        return set(s) if isinstance(s, dict) else set()

    def _sources(self) -> dict[str, Source]:
        out: dict[str, Source] = {}
        raw = self.data.get("sources")
        if not isinstance(raw, dict):
            return out
        for sid, s in raw.items():
            if not isinstance(s, dict):
                continue
            published = self._date(("sources", sid, "published"), s.get("published"))
            if not (isinstance(s.get("outlet"), str) and isinstance(s.get("title"), str)) or published is None:
                continue
            out[sid] = _make_source(sid, s["outlet"], s["title"], published, s.get("url"),
                                    s.get("language"), s.get("author"), s.get("notes"))
        return out

    def _ids(self, kind: str) -> None:
        items = self._list(kind)
        ids = [item.get("id") for item in items if isinstance(item, dict)]
        ids = [iid for iid in ids if isinstance(iid, str)]
        if len(set(ids)) == len(ids):  # no duplicate (the usual case)
            return
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                iid = item["id"]
                if iid in seen:
                    if self.fail_fast:
                        raise _Bail
                    line = self.doc.where((kind, seen[iid], "id"))[0]
                    self.add((kind, i, "id"), f"duplicate id '{iid}' (first used on line {line})")
                else:
                    seen[iid] = i
        return seen

    def _places(self, sources) -> list[Place]:
        out = []
        self._ids("places")
        for i, p in enumerate(self._list("places")):
            path = ("places", i)
            if not isinstance(p, dict):
                continue
            cited = self._cite(path + ("sources",), p.get("sources"), sources)
            if not _usable_place(p):
                # reported by the schema pass; references to it should not add "unknown place"
                if isinstance(p.get("id"), str):
                    self.broken_places.add(p["id"])
                continue
            out.append(Place(id=p["id"], name=p["name"], lat=float(p["lat"]), lon=float(p["lon"]),
                             kind=p["kind"], country=p["country"],
                             alt_names=tuple(p.get("alt_names") or ()), geonames_id=p.get("geonames_id"), iata=p.get("iata"), icao=p.get("icao"),
                             precision=p.get("precision", "exact"), origin="local", sources=cited,
                             notes=p.get("notes")))
        return out

    def _resolve(self, path, ref) -> Place | None:
        if not isinstance(ref, str) or not ref or len(ref) > _MAX_PLACE_REF:
            return None  # reported by the schema pass
        known = self._places_ok.get(ref)
        if known is not None:
            return known
        if ref in self.broken_places:
            return None
        found = self._resolved.get(ref)  # the same few places are named thousands of times
        if found is None:
            try:
                found = self._resolved[ref] = self.gazetteer.resolve(ref).place
            except ResolveError as exc:
                found = self._resolved[ref] = exc
        if isinstance(found, ResolveError):
            self.add(path, str(found))
            return None
        self.used_places.setdefault(found.id, found)
        self._places_ok[ref] = found  # nothing more to do for this reference
        return found

    def _routes(self, sources) -> list[Route]:
        out = []
        self._ids("routes")
        for i, r in enumerate(self._list("routes")):
            path = ("routes", i)
            if not isinstance(r, dict):
                continue
            stops = []
            for j, ref in enumerate(_list_at(r, "via")):
                place = self._resolve(path + ("via", j), ref)
                if place:
                    stops.append(place)
            for j in range(1, len(stops)):
                if stops[j].id == stops[j - 1].id:
                    self.add(path + ("via", j), f"stop '{stops[j].name}' is repeated back to back")
            stop_ids = {s.id for s in stops}
            waypoints = []
            for j, w in enumerate(_list_at(r, "waypoints")):
                if not isinstance(w, dict):
                    continue
                after = self._resolve(path + ("waypoints", j, "after"), w.get("after"))
                cited = self._cite(path + ("waypoints", j, "sources"), w.get("sources"), sources)
                if after and after.id not in stop_ids:
                    self.add(path + ("waypoints", j, "after"),
                             f"'{w.get('after')}' is not one of this route's stops (via)")
                elif after and stops and after.id == stops[-1].id:
                    self.add(path + ("waypoints", j, "after"), "a waypoint cannot follow the last stop")
                if after and _finite(w.get("lat"), w.get("lon")):
                    waypoints.append(Waypoint(after=after.id, lat=float(w["lat"]), lon=float(w["lon"]),
                                              sources=cited))
            history = []
            previous: FuzzyDate | None = None
            for j, s in enumerate(_list_at(r, "status")):
                if not isinstance(s, dict):
                    continue
                spath = path + ("status", j)
                since = self._date(spath + ("since",), s.get("since"), future_ok=s.get("status") == "planned")
                cited = self._cite(spath + ("sources",), s.get("sources"), sources)
                if since and previous and since.start < previous.start:
                    self.add(spath + ("since",),
                             f"status history out of date order: {since.text} comes after {previous.text}")
                if since:
                    previous = since
                    if isinstance(s.get("status"), str):
                        history.append(StatusChange(since, s["status"], cited, s.get("notes")))
            length = None
            rl = r.get("reported_length")
            if isinstance(rl, dict):
                cited = self._cite(path + ("reported_length", "sources"), rl.get("sources"), sources)
                if isinstance(rl.get("km"), (int, float)):
                    length = ReportedLength(float(rl["km"]), cited)
            if len(stops) >= 2 and history and all(isinstance(r.get(k), str) for k in ("id", "name", "mode")):
                out.append(Route(id=r["id"], name=r["name"], mode=r["mode"], stops=tuple(stops),
                                 status=tuple(history), waypoints=tuple(waypoints), operator=r.get("operator"),
                                 service=r.get("service"), notes=r.get("notes"), reported_length=length))
        return out

    def _events(self, sources, route_ids) -> list[Event]:
        """One Event per event.  The loop runs 100,000 times for an archive: each check is
        the one of _date, _cite and _resolve, first looked up in their caches, and a
        problem's path is only made when there is a problem."""
        out = []
        self._ids("events")
        dates = self._dates[False]
        citations = self._citations
        places_ok = self._places_ok
        date_of, cite, resolve, add = self._date, self._cite, self._resolve, self.add
        for i, e in enumerate(self._list("events")):
            if not isinstance(e, dict):
                continue
            get = e.get
            raw = get("date")
            found = dates.get(raw) if isinstance(raw, str) else None
            if found is not None and found[1] is None:
                date = found[0]
            else:
                date = date_of(("events", i, "date"), raw)
            raw = get("end_date")
            if raw is None:
                end = None
            else:
                found = dates.get(raw) if isinstance(raw, str) else None
                if found is not None and found[1] is None:
                    end = found[0]
                else:
                    end = date_of(("events", i, "end_date"), raw)
                if date and end and end.end < date.start:
                    add(("events", i, "end_date"), f"end_date {end.text} is before date {date.text}")
            ids = get("sources")
            cited = None
            if isinstance(ids, list):
                try:
                    cited = citations.get(tuple(ids))
                except TypeError:  # an unhashable id
                    pass
            if cited is None:
                cited = cite(("events", i, "sources"), ids, sources)
            raw_place, raw_from, raw_to = get("place"), get("from"), get("to")
            place = origin = dest = None
            if raw_place is not None:
                place = (places_ok.get(raw_place) if isinstance(raw_place, str) else None) or resolve(
                    ("events", i, "place"), raw_place)
            if raw_from is not None:
                origin = (places_ok.get(raw_from) if isinstance(raw_from, str) else None) or resolve(
                    ("events", i, "from"), raw_from)
            if raw_to is not None:
                dest = (places_ok.get(raw_to) if isinstance(raw_to, str) else None) or resolve(
                    ("events", i, "to"), raw_to)
            route = get("route")
            if isinstance(route, str):
                if route not in route_ids:
                    close = difflib.get_close_matches(route, sorted(route_ids), n=1, cutoff=0.6)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    add(("events", i, "route"), f"unknown route '{route}'{hint}")
            if not (raw_place or raw_to or raw_from or route):
                add(("events", i), "an event needs a place, a from/to pair or a route to be put on the map")
            if origin and dest and origin.id == dest.id:
                add(("events", i, "to"), "from and to are the same place")
            people = None
            pp = get("people")
            if isinstance(pp, dict):
                lo, hi = pp.get("min"), pp.get("max")
                lo_int, hi_int = isinstance(lo, int), isinstance(hi, int)
                if lo_int and hi_int and hi < lo:
                    add(("events", i, "people", "max"), f"max {hi} is smaller than min {lo}")
                text = pp.get("text")
                if isinstance(text, str):
                    people = _make_people(text, lo if lo_int else None, hi if hi_int else None)
            amount = None
            am = get("amount")
            if isinstance(am, dict):
                value, currency = am.get("value"), am.get("currency")
                if isinstance(value, (int, float)) and isinstance(currency, str):
                    amount = _make_amount(float(value), currency, str(am.get("text") or ""))
            if date:
                eid, title, summary, kind, confidence = (
                    get("id"), get("title"), get("summary"), get("kind"), get("confidence"))
                if _all_text(eid, title, summary, kind, confidence):
                    out.append(_make_event(eid, date, title, summary, kind, confidence, cited, end, place,
                                           origin, dest, route if isinstance(route, str) else None,
                                           people, amount, get("group"), get("direction"), get("notes")))
        return out


def _all_known(ids: tuple, sources: dict) -> bool:
    """Whether every id is text and names a source."""
    for sid in ids:
        if not isinstance(sid, str) or sid not in sources:
            return False
    return True


def _all_text(*values) -> bool:
    for v in values:
        if not isinstance(v, str):
            return False
    return True


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
    text = all(isinstance(p.get(k), str) for k in ("id", "name", "kind", "country"))
    optional = all(p.get(k) is None or isinstance(p.get(k), str)
                   for k in ("iata", "icao", "precision", "notes"))
    alt_names = p.get("alt_names") or []
    return (text and optional and _finite(p.get("lat"), p.get("lon"))
            and isinstance(alt_names, list) and all(isinstance(a, str) for a in alt_names))
