"""``geo check``'s fact rules: is each claim carried by the sources it cites?

Six checks over a validated Dataset, each giving one-line warnings at the entry's line and column
(docs/routes-yaml.md, "Confidence, dates and the same people", explains them with examples):

- typed: every source says what kind of source it is (``type``);
- confidence: ``confirmed`` rests on an official source, on a wire's own report of an official
  act or statement, or on two independent sources, all published on or after the event's first
  possible day; an announced event is never confirmed;
- announced: an event reported as happened cites at least one source that may have been
  published on or after its date (else every source is an announcement);
- precision: an event reported as happened does not end after its latest source was published
  (a timetable's arrival, a notice's closing day: an end the sources could not have seen);
- republisher: a copy is cited next to its original;
- same people: two movements of the same group and direction, at a shared place or route, with
  overlapping dates, are linked by ``same_people_as`` (or folded into one event).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.load import format_path
from geo.model import SOURCE_TYPES, Dataset, Event, Source

# acts, statements and figures that an agency's own report, quoting the body first-hand,
# confirms: "confirmed" then means the act was done or the words said, not that they are true
OFFICIAL_ACTS = frozenset({"statement", "policy", "agreement", "estimate"})


@dataclass(frozen=True, order=True)
class FactWarning:
    file: str
    line: int
    col: int
    entry: str  # sources.ID, events[ID] or routes[ID].status[N], with the field
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.entry}: {self.message}"


def check_facts(dataset: Dataset) -> list[FactWarning]:
    """Every fact warning for *dataset*, in file order."""
    out: list[FactWarning] = []

    def warn(section: str, entry_id: str, fields: tuple, message: str) -> None:
        line, col = dataset.locate(section, entry_id, *fields)
        name = f"sources.{entry_id}" if section == "sources" else f"{section}[{entry_id}]"
        entry = f"{name}.{format_path(fields)}" if fields else name
        out.append(FactWarning(dataset.file, line, col, entry, message))

    for source in dataset.sources.values():
        if source.type is None:
            warn("sources", source.id, (), f"no type; add type: one of {', '.join(SOURCE_TYPES)}")
    for event in dataset.events:
        for fields, message in event_problems(dataset.sources, event):
            warn("events", event.id, fields, message)
    for route in dataset.routes:
        for j, change in enumerate(route.status):
            for message in copies_without_original(dataset.sources, change.sources):
                warn("routes", route.id, ("status", j, "sources"), message)
    for first, second in same_people_twice(dataset.events):
        line, _ = dataset.locate("events", first.id)
        warn("events", second.id, (), (
            f"counts the same {second.group} as '{first.id}' (line {line}): same direction, "
            "place or route and overlapping dates; fold one into the other, or link them with "
            f"same_people_as: [{first.id}]"))
    return sorted(out)


def event_problems(sources: dict[str, Source], event: Event) -> list[tuple[tuple, str]]:
    """(field path, message) of each rule *event* breaks, the same-people rule aside."""
    cited = [sources[s] for s in event.sources]
    out = [(("sources",), m) for m in copies_without_original(sources, event.sources)]
    happened = event.reported_as == "happened"
    if happened and all(s.published.end < event.date.start for s in cited):
        latest = max(cited, key=lambda s: s.published.end)
        out.append((("sources",), (
            f"reported as happened on {event.date.text}, but every source was published before "
            f"it (latest: {latest.id}, {latest.published.text}), so they announce it; cite a "
            "report from on or after that date, or set reported_as: announced")))
    elif happened and event.end_date and all(s.published.end < event.end_date.start
                                             for s in cited):
        latest = max(cited, key=lambda s: s.published.end)
        out.append((("end_date",), (
            f"ends on {event.end_date.text}, after its latest source was published "
            f"({latest.id}, {latest.published.text}): the end is announced, not reported; "
            "end it no later than the source's date, drop end_date, or cite a report of the end")))
    if event.confidence == "confirmed":
        reason = unconfirmed(sources, event)
        if reason:
            out.append((("confidence",), f"\"confirmed\" {reason}"))
    return out


def unconfirmed(sources: dict[str, Source], event: Event) -> str | None:
    """Why *event* may not be ``confirmed``, or None when it may."""
    if event.reported_as == "announced":
        return "but reported as announced; set confidence: reported until a report that it " \
               "happened is cited"
    counting = [sources[s] for s in event.sources if sources[s].published.end >= event.date.start]
    if any(s.type == "official" for s in counting):
        return None
    if event.kind in OFFICIAL_ACTS and any(s.type == "wire" and not s.carries for s in counting):
        return None
    keys = sorted({independence_key(sources, s) for s in counting})
    if len(keys) >= 2:
        return None
    rests = f"rests on one source ({keys[0]})" if keys else "rests on no source published " \
                                                            "on or after its date"
    return (f"{rests}; cite the official text or a second independent source, or set "
            "confidence: reported")


def independence_key(sources: dict[str, Source], source: Source, depth: int = 0) -> str:
    """Sources with the same key are one report: a republisher counts as its original, a
    paper running an agency's copy as the agency, anything else as its outlet."""
    if source.type == "republisher" and source.original in sources and depth < 20:
        return independence_key(sources, sources[source.original], depth + 1)
    if source.carries:
        return source.carries
    if source.type == "reference":
        return source.id
    outlet = re.split(r"[,(]", source.outlet)[0].strip()
    return outlet.removeprefix("The ").strip() or source.outlet


def copies_without_original(sources: dict[str, Source], cited: tuple[str, ...]) -> list[str]:
    return [
        f"cites the republisher '{sid}' without its original '{sources[sid].original}'; "
        f"add '{sources[sid].original}' to these sources (it counts as one source with its copy)"
        for sid in cited
        if sources[sid].type == "republisher" and sources[sid].original
        and sources[sid].original not in cited
    ]


def same_people_twice(events: list[Event]) -> list[tuple[Event, Event]]:
    """Pairs (earlier in the file, later) of unlinked movements that may count the same
    people: same group and direction, a shared place or route, overlapping dates."""
    linked = _link_groups(events)
    order = {e.id: i for i, e in enumerate(events)}
    buckets: dict[tuple, list[Event]] = {}  # (group, direction, place or route) -> events
    for e in events:
        if e.people and e.group and e.is_movement:
            for spot in sorted(_spots(e)):
                buckets.setdefault((e.group, e.direction, spot), []).append(e)
    pairs: set[tuple[int, int]] = set()
    for bucket in buckets.values():
        bucket.sort(key=lambda e: e.date.start)
        running: list[Event] = []  # the bucket's events whose span may reach the next one's
        for e in bucket:
            running = [r for r in running if _last_day(r) >= e.date.start]
            pairs.update(tuple(sorted((order[r.id], order[e.id]))) for r in running
                         if linked[r.id] != linked[e.id])
            running.append(e)
    return [(events[a], events[b]) for a, b in sorted(pairs)]


def _spots(event: Event) -> set[str]:
    places = {p.id for p in (event.place, event.origin, event.destination) if p}
    return places | ({f"route:{event.route}"} if event.route else set())


def _last_day(event: Event):
    return (event.end_date or event.date).end


def _link_groups(events: list[Event]) -> dict[str, str]:
    """Event id -> a representative of its same-people group (linking is transitive)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for event in events:
        for other in event.same_people_as:
            a, b = root(event.id), root(other)
            if a != b:
                parent[a] = b
    return {e.id: root(e.id) for e in events}
