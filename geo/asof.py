"""The Dataset as it stood on a given day (``geo export --as-of``), before the layers are drawn.

Routes keep only the status changes that had begun by that day (so their status, status
periods and operating span are those of the day; a route with no status yet is left out),
events only those that had begun, and places only those still used, plus the local places of
routes.yaml.  Sources are kept whole: an event of 2018 reported in 2024 is still an event of
2018.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from geo.model import Dataset, Event, Route


def dataset_as_of(dataset: Dataset, day: dt.date) -> Dataset:
    """A copy of *dataset* with what existed on *day*; *dataset* is not changed."""
    routes = [r for r in (_route_as_of(r, day) for r in dataset.routes) if r is not None]
    events = [e for e in dataset.events if e.date.start <= day]
    used = _used_place_ids(routes, events)
    places = {
        pid: place
        for pid, place in dataset.places.items()
        if pid in used or place.origin == "local"
    }
    return dataclasses.replace(dataset, routes=routes, events=events, places=places)


def _route_as_of(route: Route, day: dt.date) -> Route | None:
    changes = tuple(c for c in route.status if c.since.start <= day)
    return dataclasses.replace(route, status=changes) if changes else None


def _used_place_ids(routes: list[Route], events: list[Event]) -> set[str]:
    used = {stop.id for route in routes for stop in route.stops}
    for e in events:
        used.update(p.id for p in (e.place, e.origin, e.destination) if p is not None)
    return used
