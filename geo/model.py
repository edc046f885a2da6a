"""Typed objects passed between the pipeline stages (load -> validate -> geometry -> layers ->
site)."""

from __future__ import annotations

from dataclasses import dataclass

from geo.dates import FuzzyDate

MODES = ("air", "rail", "sea", "road")
STATUSES = ("planned", "under_construction", "operating", "suspended", "closed")
CONFIDENCES = ("confirmed", "reported", "rumoured")


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
    # language code -> {"title": ..., "summary": ...} (either may be missing), sorted by code
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @property
    def location(self) -> Place | None:
        """Where the event is drawn: its place, else its destination, else its origin."""
        return self.place or self.destination or self.origin


@dataclass
class Dataset:
    """A validated routes.yaml with every reference resolved."""

    sources: dict[str, Source]
    places: dict[str, Place]  # every place that a route or event uses, plus local places
    routes: list[Route]
    events: list[Event]
    file: str = "routes.yaml"

    def route(self, route_id: str) -> Route:
        return next(r for r in self.routes if r.id == route_id)
