"""The rules of ``stories:`` that a schema cannot express, and the Story objects they build.

A step may only highlight events and focus routes the file has, and only events the map shows
on the step's date (an event dated after it would not be drawn yet).  A step that frames its
events ("fit", the default) needs something to frame: an event with a place, or a route.
Problems are added to the caller's list with their line, like geo.rules' own.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from geo.model import Event, MapView, Story, StoryStep


class StoryRules:
    """Reads ``stories:`` with the helpers of a geo.rules.Rules pass: *add(path, message)*,
    *date(path, value)*, *cite(path, ids)*, *unique_ids(section)*."""

    def __init__(self, rules, events: list[Event], event_ids: set[str], route_ids: set[str]):
        self.add: Callable = rules.add
        self.date: Callable = rules.date
        self.cite: Callable = rules.cite
        self.rules = rules
        self.events = {e.id: e for e in events}
        self.event_ids = event_ids  # declared, even those with problems of their own
        self.route_ids = route_ids

    def read(self, items: list) -> list[Story]:
        self.rules.unique_ids("stories")
        out = []
        for i, raw in enumerate(items):
            if not isinstance(raw, dict):
                continue
            steps = [
                self.step(("stories", i, "steps", j), s)
                for j, s in enumerate(_list(raw.get("steps")))
                if isinstance(s, dict)
            ]
            if not (isinstance(raw.get("id"), str) and isinstance(raw.get("title"), str)):
                continue
            if steps and None not in steps:
                summary = raw.get("summary") if isinstance(raw.get("summary"), str) else None
                out.append(Story(raw["id"], raw["title"], tuple(steps), summary))  # type: ignore[arg-type]
        return out

    def step(self, path: tuple, raw: dict) -> StoryStep | None:
        date = self.date(path + ("date",), raw.get("date"))
        sources = self.cite(path + ("sources",), raw.get("sources"))
        events = self.ids(path + ("events",), raw.get("events"), self.event_ids, "event")
        routes = self.ids(path + ("routes",), raw.get("routes"), self.route_ids, "route")
        if date is not None:
            for k, eid in enumerate(events):
                event = self.events.get(eid)
                if event is not None and event.date.start > date.end:
                    self.add(
                        path + ("events", k),
                        f"event '{eid}' is dated {event.date.text}, "
                        f"after this step's date {date.text}: the map would not show it yet",
                    )
        view = raw.get("view", "fit")
        located = any(self.events[e].location for e in events if e in self.events)
        if view == "fit" and not located and not routes:
            self.add(
                path,
                "nothing to fit the map to: name events that have a place, or "
                "routes, or give view: {lat, lon, zoom}",
            )
        text = raw.get("text")
        if date is None or not isinstance(text, str):
            return None
        title = raw.get("title") if isinstance(raw.get("title"), str) else None
        return StoryStep(
            date=date,
            text=text,
            sources=sources,
            events=events,
            routes=routes,
            view=_view(view),
            title=title,
        )

    def ids(self, path: tuple, value, known: set[str], kind: str) -> tuple[str, ...]:
        out = []
        for k, item in enumerate(_list(value)):
            if not isinstance(item, str):
                continue
            if item not in known:
                close = difflib.get_close_matches(item, sorted(known), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.add(path + (k,), f"unknown {kind} '{item}'{hint}")
            elif item in out:
                self.add(path + (k,), f"{kind} '{item}' is named twice in this step")
            out.append(item)
        return tuple(out)


def _view(value) -> MapView | None:
    if not isinstance(value, dict):
        return None
    try:
        return MapView(float(value["lat"]), float(value["lon"]), float(value["zoom"]))
    except (KeyError, TypeError, ValueError):
        return None  # reported by the schema pass


def _list(value) -> list:
    return value if isinstance(value, list) else []
