"""Property values the layers share: a route's status periods and operating span, where an
event is drawn, an event's dates and counts, a cited source."""

from __future__ import annotations

import datetime as dt

from geo.dates import FuzzyDate
from geo.model import Dataset, Event, Place, Route, Source


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


def event_location(event: Event, routes_by_id: dict[str, Route]) -> Place | None:
    """Where an event is drawn: its place, else its destination, else its origin, else its
    route's first stop."""
    if event.location:
        return event.location
    route = routes_by_id.get(event.route or "")
    return route.stops[0] if route else None


def when_properties(date: FuzzyDate, end_date: FuzzyDate | None, with_end_date: bool) -> dict:
    props = {
        "date": date.text,
        "date_precision": date.precision,
        "approximate": date.approximate,
        "uncertain": date.uncertain,
    }
    last_day = (end_date or date).end
    props["start"] = date.start.isoformat()
    props["end"] = (last_day + dt.timedelta(days=1)).isoformat()
    props["final_day"] = last_day.isoformat()
    if with_end_date:  # after start/end: QGIS pre-selects the first Date field named like "end"
        props["end_date"] = end_date.text if end_date else None
    return props


def count_properties(event: Event) -> dict:
    people, amount = event.people, event.amount
    return {
        "people_min": people.min if people else None,
        "people_max": people.max if people else None,
        "people_text": people.text if people else None,
        "amount_value": amount.value if amount else None,
        "amount_currency": amount.currency if amount else None,
        "amount_text": amount.text if amount else None,
    }


def source_properties(sid: str, source: Source | None) -> dict:
    if source is None:
        return {"id": sid, "outlet": None, "title": None, "date": None, "url": None}
    return {
        "id": sid,
        "outlet": source.outlet,
        "title": source.title,
        "date": source.published.text,
        "url": source.url,
    }


def data_version(dataset: Dataset) -> FuzzyDate | None:
    """The newest publication date of a source: what "data as of" means, without the clock
    (the latest of the earliest days they can mean; on a tie, the most precise)."""
    precision = ("year", "month", "day")
    return max(
        (s.published for s in dataset.sources.values()),
        key=lambda d: (d.start, precision.index(d.precision), d.text),
        default=None,
    )


def open_end(dataset: Dataset) -> dt.date:
    """The exclusive ``end`` of what is still going on (a current status): the day after the
    data's as-of date (data_version), or after the newest status change if that is later, so
    that no period ends before it begins."""
    version = data_version(dataset)
    days = [c.since.start for r in dataset.routes for c in r.status]
    if version is not None:
        days.append(version.start)
    return max(days, default=dt.date(1970, 1, 1)) + dt.timedelta(days=1)


def exclusive_end(last_day: dt.date | None, open_ended: dt.date) -> dt.date:
    """``end`` for QGIS's default limits: the day after the last day, or *open_ended*."""
    return last_day + dt.timedelta(days=1) if last_day else open_ended
