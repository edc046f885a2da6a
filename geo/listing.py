"""What geo list and geo search show: entries of routes.yaml picked by date, place or text.

Works on the plain data geo.load reads; a place filter is a place id (the command resolves
the name the user typed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from geo.dates import DateError, FuzzyDate, parse_date
from geo.references import SECTIONS

SEARCHED = ("title", "summary", "name", "alt_names", "outlet", "notes")


def entries(data: dict, kind: str) -> Iterator[tuple[str, dict]]:
    value = data.get(SECTIONS[kind]) if isinstance(data, dict) else None
    if isinstance(value, dict):
        yield from ((str(k), v) for k, v in value.items() if isinstance(v, dict))
    elif isinstance(value, list):
        yield from ((str(e.get("id")), e) for e in value if isinstance(e, dict))


def _date(value) -> FuzzyDate | None:
    try:
        return parse_date(value)
    except DateError:
        return None


def entry_date(kind: str, entry: dict) -> FuzzyDate | None:
    """An entry's date: an event's date, a source's publication, a route's latest status."""
    if kind == "route":
        history = [s for s in entry.get("status") or [] if isinstance(s, dict)]
        return _date(history[-1].get("since")) if history else None
    return _date(entry.get({"event": "date", "source": "published"}.get(kind, "")))


def places_of(entry: dict) -> set[str]:
    found = {entry.get(k) for k in ("place", "from", "to")} | set(entry.get("via") or ())
    return {p for p in found if isinstance(p, str)}


def select(data: dict, kind: str, since: FuzzyDate | None = None,
           place: str | None = None) -> list[tuple[str, dict]]:  # fmt: skip
    """The *kind* entries dated *since* or later (an entry with no date is left out then)
    and at *place* (an event there, from or to it, or on a route through it)."""
    routes = {rid: places_of(r) for rid, r in entries(data, "route")}
    out = []
    for entry_id, entry in entries(data, kind):
        if since is not None:
            when = entry_date(kind, entry)
            if when is None or when.end < since.start:
                continue
        if place is not None:
            at = places_of(entry) | routes.get(entry.get("route"), set())
            if place not in at and entry_id != place:
                continue
        out.append((entry_id, entry))
    return out


def folded(text: str) -> str:
    """*text* for matching: case, accents and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def search(data: dict, text: str) -> list[tuple[str, str, str, str]]:
    """(kind, id, field, the text found) for every entry whose title, summary, name, other
    names, outlet or notes contain *text* (the first such field of each entry)."""
    needle = folded(text)
    found = []
    for kind in SECTIONS:
        for entry_id, entry in entries(data, kind):
            hit = next(_matches(entry, needle), None)
            if hit is not None:
                found.append((kind, entry_id, *hit))
    return found


def _matches(entry: dict, needle: str) -> Iterator[tuple[str, str]]:
    for field in SEARCHED:
        values = entry.get(field)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and needle in folded(value):
                yield field, value
