"""Which entries of routes.yaml refer to which: sources cited or copied, places and routes used,
events counting the same people.

Works on the plain data geo.load reads (dicts and lists), so that geo remove can refuse to
leave a dangling reference and drop the sources nothing cites any more.
"""

from __future__ import annotations

from collections.abc import Iterator

SECTIONS = {"source": "sources", "place": "places", "route": "routes", "event": "events"}


def _entries(data: dict, section: str) -> Iterator[tuple[str, dict]]:
    value = data.get(section) if isinstance(data, dict) else None
    if isinstance(value, dict):
        yield from ((k, v) for k, v in value.items() if isinstance(v, dict))
    elif isinstance(value, list):
        yield from ((e.get("id"), e) for e in value if isinstance(e, dict))


def cited(value) -> Iterator[str]:
    """Every source id cited in *value* (any ``sources:`` list, at any depth)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                yield from (s for s in item if isinstance(s, str))
            else:
                yield from cited(item)
    elif isinstance(value, list):
        for item in value:
            yield from cited(item)


def _uses(kind: str, entry: dict, target: str) -> bool:
    if kind == "source":  # cited, or the original a republisher copies
        return target in cited(entry) or entry.get("original") == target
    if kind == "route":
        return entry.get("route") == target
    if kind == "event":
        linked = entry.get("same_people_as")
        return isinstance(linked, list) and target in linked
    places = [entry.get(k) for k in ("place", "from", "to")]
    places += list(entry.get("via") or [])
    places += [w.get("after") for w in entry.get("waypoints") or [] if isinstance(w, dict)]
    return target in places


def referrers(data: dict, kind: str, target: str) -> list[tuple[str, str]]:
    """(kind, id) of every entry that refers to the *kind* entry *target*."""
    found = []
    for other, section in SECTIONS.items():
        if other == "source" and kind != "source":
            continue
        for entry_id, entry in _entries(data, section):
            if not (other == kind and entry_id == target) and _uses(kind, entry, target):
                found.append((other, str(entry_id)))
    return found


def unused_sources(data: dict) -> list[str]:
    """The sources no entry cites, in file order."""
    used = set()
    for section in ("places", "routes", "events"):
        for _, entry in _entries(data, section):
            used.update(cited(entry))
    return [sid for sid, _ in _entries(data, "sources") if sid not in used]
