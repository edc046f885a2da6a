"""``geo edit``: change fields of one entry in place; every other line stays as it is."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

import click

from geo.commands.editing import (
    EditCommand,
    Report,
    find_entry,
    gazetteer_for,
    resolve,
    run_edit,
)
from geo.commands.options import file_options
from geo.commands.sources import did_you_mean
from geo.commands.values import (
    PLACE_FIELDS,
    bad,
    choices,
    field_definition,
    in_schema_order,
    parse_day,
    parse_field,
    parse_id,
    parse_text,
)
from geo.edit import RoutesFile, Update
from geo.references import SECTIONS


@dataclass(frozen=True)
class Changes:
    """What to change: fields to set (dotted path -> value) and unset, things to add."""

    set: dict
    unset: tuple
    add_sources: tuple
    add_alt_names: tuple
    add_status: dict | None


@click.command(cls=EditCommand)
@click.argument("kind", type=click.Choice(list(SECTIONS)))
@click.argument("entry_id", metavar="ID")
@click.option("--set", "assignments", multiple=True, metavar="FIELD=VALUE",
              help="Give FIELD this value (repeatable); FIELD may be nested: people.min. "
                   "Lists take commas: via=Khasan,Tumangang.")
@click.option("--unset", multiple=True, metavar="FIELD", help="Remove an optional field.")
@click.option("--add-source", multiple=True, metavar="SOURCE_ID",
              help="Cite this source too (for a route: in its latest status).")
@click.option("--add-alt-name", multiple=True, metavar="TEXT", help="Another name of a place.")
@click.option("--add-status", type=click.Choice(choices("status_change", "status")),
              help="Append a status to a route's history (with --since and --add-source).")
@click.option("--since", metavar="DATE", help="Date of --add-status.")
@file_options
def edit(kind, entry_id, assignments, unset, add_source, add_alt_name, add_status, since,
         output):  # fmt: skip
    """Change fields of the KIND (source, place, route or event) entry ID and keep the rest:
    its other fields, their quoting and its comments stay exactly as they are. Place fields
    (place, from, to, via) are resolved through the gazetteer like add-event's.

    \b
    Examples:
      geo edit event 2024-02-05-workers-rail-khasan-vladivostok --set people.min=300
      geo edit route tumen-road-bridge --set operator="Russian Railways" --unset notes
      geo edit route tumen-road-bridge --add-status operating --since 2026-11-02 \\
        --add-source SOURCE_ID
    """
    changes = Changes(_parsed_assignments(kind, assignments), _checked_unset(kind, unset),
                      tuple(parse_id("--add-source", s) for s in add_source),
                      tuple(parse_text("--add-alt-name", a) for a in add_alt_name),
                      _status(kind, add_status, since, add_source))  # fmt: skip
    if not (changes.set or changes.unset or add_source or add_alt_name or add_status):
        raise bad("--set", "nothing to change: give --set, --unset or an --add-… option")
    run_edit(output, functools.partial(_edited, kind, entry_id, changes))


def _parsed_assignments(kind: str, assignments) -> dict:
    out = {}
    for item in assignments:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise bad("--set", f"'{item}' is not FIELD=VALUE (e.g. --set confidence=confirmed)")
        path = tuple(name.strip().split("."))
        if path == ("id",):
            raise bad("--set id", "ids are never changed: other entries point at them")
        out[path] = text if path[-1] in PLACE_FIELDS else parse_field(kind, path, text)
    return out


def _checked_unset(kind: str, fields) -> tuple:
    paths = tuple(tuple(f.split(".")) for f in fields)
    for path in paths:
        field_definition(kind, path)
    return paths


def _status(kind: str, status: str | None, since: str | None, sources) -> dict | None:
    if status is None:
        return None
    if kind != "route" or not since or not sources:
        raise bad("--add-status", "applies to a route, with --since and --add-source")
    day = parse_day("--since", since, future_ok=status == "planned")
    return {"since": day.text, "status": status, "sources": list(sources)}


def _edited(kind: str, entry_id: str, changes: Changes, current: RoutesFile):
    key, old = find_entry(current, kind, entry_id)
    entry = copy.deepcopy(old)
    known = current.sources()
    for sid in changes.add_sources:
        if sid not in known:
            raise bad("--add-source", f"unknown source '{sid}'{did_you_mean(sid, list(known))}")
    resolved = []
    for path, value in changes.set.items():
        if path[-1] in PLACE_FIELDS:
            value, found = _places(current, path, value)
            resolved += found
        _put(entry, path, value)
    for path in changes.unset:
        _drop(entry, path)
    _add(entry, kind, changes)
    if entry == old:
        raise bad("--set", f"{kind} '{entry_id}' already has these values; nothing to change")
    entry = in_schema_order(kind, entry, old)
    op = Update((SECTIONS[kind],), key, entry)
    return [op], Report(kind, entry_id, entry, resolved=resolved, replaced=True)


def _places(current: RoutesFile, path: tuple, text: str):
    gazetteer = gazetteer_for(current)
    option = f"--set {'.'.join(path)}"
    found = [resolve(gazetteer, option, name.strip()) for name in text.split(",") if name.strip()]
    ids = [r.place.id for r in found]
    return (ids if path[-1] == "via" else ids[0] if len(ids) == 1 else text), found


def _put(entry: dict, path: tuple, value) -> None:
    for part in path[:-1]:
        entry = entry.setdefault(part, {})
    entry[path[-1]] = value


def _drop(entry: dict, path: tuple) -> None:
    for part in path[:-1]:
        entry = entry.get(part) or {}
    entry.pop(path[-1], None)


def _add(entry: dict, kind: str, changes: Changes) -> None:
    if changes.add_status:
        entry.setdefault("status", []).append(changes.add_status)
    elif changes.add_sources:
        target = entry["status"][-1] if kind == "route" and entry.get("status") else entry
        cited = target.setdefault("sources", [])
        cited.extend(s for s in changes.add_sources if s not in cited)
    if changes.add_alt_names:
        names = entry.setdefault("alt_names", [])
        names.extend(a for a in changes.add_alt_names if a not in names)
