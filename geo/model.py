"""Typed objects passed between the pipeline stages (load -> validate -> geometry -> layers ->
site)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from geo.dates import FuzzyDate

MODES = ("air", "rail", "sea", "road")
STATUSES = ("planned", "under_construction", "operating", "suspended", "closed")
CONFIDENCES = ("confirmed", "reported", "rumoured")
SOURCE_TYPES = ("official", "wire", "press", "republisher", "research", "reference")
REPORTED_AS = ("happened", "announced")
ESTIMATE = "estimate"  # the event kind of figures that are not movements


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    title: str
    published: FuzzyDate
    url: str | None = None
    language: str | None = None
    author: str | None = None
    notes: str | None = None
    type: str | None = None  # one of SOURCE_TYPES
    original: str | None = None  # a republisher's original: a source id
    carries: str | None = None  # the news agency whose copy it runs


@dataclass(frozen=True)
class Place:
    """A named point. ``origin`` says where it came from: curated, geonames or local
    (routes.yaml)."""

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str
    alt_names: tuple[str, ...] = ()
    geonames_id: int | None = None
    iata: str | None = None
    icao: str | None = None
    precision: str = "exact"
    origin: str = "curated"
    sources: tuple[str, ...] = ()
    notes: str | None = None
    population: int | None = None
    admin1: str | None = None


@dataclass(frozen=True)
class Waypoint:
    after: str  # id of the stop this point follows
    lat: float
    lon: float
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusChange:
    since: FuzzyDate
    status: str
    sources: tuple[str, ...]
    notes: str | None = None


@dataclass(frozen=True)
class ReportedLength:
    km: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    id: str
    name: str
    mode: str
    stops: tuple[Place, ...]
    status: tuple[StatusChange, ...]
    waypoints: tuple[Waypoint, ...] = ()
    operator: str | None = None
    service: str | None = None
    notes: str | None = None
    reported_length: ReportedLength | None = None

    @property
    def latest_status(self) -> str:
        return self.status[-1].status

    def status_on(self, day) -> str | None:
        """Status in force on *day* (a datetime.date); None before the first entry."""
        current = None
        for change in self.status:
            if change.since.start <= day:
                current = change.status
        return current


@dataclass(frozen=True)
class People:
    text: str
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str
    text: str


@dataclass(frozen=True)
class Event:
    id: str
    date: FuzzyDate
    title: str
    summary: str
    kind: str
    confidence: str
    sources: tuple[str, ...]
    end_date: FuzzyDate | None = None
    place: Place | None = None
    origin: Place | None = None  # "from" in routes.yaml
    destination: Place | None = None  # "to" in routes.yaml
    route: str | None = None
    people: People | None = None
    amount: Amount | None = None
    group: str | None = None
    direction: str | None = None
    notes: str | None = None
    reported_as: str = "happened"  # or "announced": reported in advance, not since
    same_people_as: tuple[str, ...] = ()  # event ids counting the same people
    # language code -> {"title": ..., "summary": ...} (either may be missing), sorted by code
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @property
    def location(self) -> Place | None:
        """Where the event is drawn: its place, else its destination, else its origin."""
        return self.place or self.destination or self.origin

    @property
    def is_movement(self) -> bool:
        """Whether it may be drawn as a movement and counted in flows (an estimate never is)."""
        return self.kind != ESTIMATE


@dataclass(frozen=True)
class MapView:
    """A map centre and zoom, as a story step asks for it."""

    lat: float
    lon: float
    zoom: float


@dataclass(frozen=True)
class StoryStep:
    """One step of a story: the map at *date*, framing ``view`` (None: fit the events)."""

    date: FuzzyDate
    text: str
    sources: tuple[str, ...]
    events: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    view: MapView | None = None
    title: str | None = None


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    steps: tuple[StoryStep, ...]
    summary: str | None = None


@dataclass
class Dataset:
    """A validated routes.yaml with every reference resolved."""

    sources: dict[str, Source]
    places: dict[str, Place]  # every place that a route or event uses, plus local places
    routes: list[Route]
    events: list[Event]
    file: str = "routes.yaml"
    # line and column (1-based) of a path into the file, ("events", 3, "date"), or with True of
    # its key: the loaded document's, asked only when a message needs a position
    where: Callable[[tuple, bool], tuple[int, int]] | None = field(default=None, repr=False,
                                                             compare=False)
    stories: list[Story] = field(default_factory=list)

    def route(self, route_id: str) -> Route:
        return next(r for r in self.routes if r.id == route_id)

    def locate(self, section: str, entry_id: str, *fields: str) -> tuple[int, int]:
        """Line and column of an entry of *section* (sources, routes, events), or of one of
        its fields; (0, 0) when the dataset was not read from a file."""
        if self.where is None:
            return 0, 0
        if section == "sources":  # the id, a mapping key, unless a field is asked for
            return self.where((section, entry_id, *fields), not fields)
        index = self._indices[section].get(entry_id)
        if index is None:
            return 0, 0
        return self.where((section, index, *fields), False)

    @cached_property
    def _indices(self) -> dict[str, dict[str, int]]:
        """Each route's and event's index in its section (a valid file's order)."""
        return {"routes": {r.id: i for i, r in enumerate(self.routes)},
                "events": {e.id: i for i, e in enumerate(self.events)}}


def translations_of(value) -> tuple:
    """An event's ``translations:`` as sorted (language, ((field, text), ...)) pairs (the schema
    has checked the languages and fields)."""
    if not isinstance(value, dict):
        return ()
    return tuple(
        (lang, tuple(sorted((k, v) for k, v in fields.items() if isinstance(v, str))))
        for lang, fields in sorted(value.items())
        if isinstance(fields, dict)
    )
