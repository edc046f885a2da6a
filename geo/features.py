"""The typed features the layers hold (what the site draws instead of reading the files back),
and :class:`Layers`, the layers' files with those features."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from geo.fields import LAYER_NAMES
from geo.model import Event, Place, Route

# A line as its layer writes it: its parts (more than one when cut at the antimeridian), each
# a list of [lon, lat] (floats) at 6 decimals; empty for a line of no length.  Features drawn along
# the same line share one list: do not modify.
Line = list[list[list[float]]]


@dataclass(frozen=True, slots=True)
class RouteLine:
    """A feature of the routes layer."""

    route: Route
    line: Line
    length_km: float  # as written: rounded to 0.1 km


@dataclass(frozen=True, slots=True)
class RoutePeriod:
    """A feature of the route_status layer: a route during one status period."""

    route: Route
    status: str
    start: dt.date
    end: dt.date  # exclusive: the day after the last day
    current: bool  # the route's status now (end is then the data's open end)


@dataclass(frozen=True, slots=True)
class EventPoint:
    """A feature of the events layer."""

    event: Event
    place: Place | None  # where it is drawn (event_location); None: nowhere


@dataclass(frozen=True, slots=True)
class MovementLine:
    """A feature of the movements layer."""

    event: Event
    line: Line
    length_km: float
    drawn_along: str  # "route" or "geodesic"


@dataclass(frozen=True, eq=False)
class Layers(Mapping[str, str]):
    """The layers: the features each holds, in file order, the exact bytes of each GeoJSON
    file and of each QGIS style.  As a mapping: GeoJSON file name ("routes.geojson") -> the
    file's text."""

    places: tuple[Place, ...]
    routes: tuple[RouteLine, ...]
    events: tuple[EventPoint, ...]
    movements: tuple[MovementLine, ...]
    route_status: tuple[RoutePeriod, ...]
    encoded: dict[str, bytes]  # GeoJSON file name -> the file's bytes (UTF-8), in FIELDS order
    styles: dict[str, bytes]  # style file name ("routes.qml") -> its bytes

    @property
    def counts(self) -> dict[str, int]:
        """layer name ("routes") -> number of features."""
        return {name: len(getattr(self, name)) for name in LAYER_NAMES}

    @property
    def texts(self) -> dict[str, str]:
        """GeoJSON file name -> GeoJSON text."""
        return dict(self)

    @property
    def files(self) -> dict[str, bytes]:
        """Every file of layers/: the GeoJSON layers and their styles."""
        return {**self.encoded, **self.styles}

    def __getitem__(self, name: str) -> str:
        return self.encoded[name].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self.encoded)

    def __len__(self) -> int:
        return len(self.encoded)
