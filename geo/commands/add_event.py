"""``geo add-event``: a dated, sourced event, put on the map by a place, a from/to pair or a
route, into routes.yaml (in date order when the file keeps its events so)."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import click

from geo.commands.editing import (
    EditCommand,
    Report,
    add_or_replace,
    gazetteer_for,
    resolve,
    run_edit,
)
from geo.commands.options import file_options, replace_option, source_options
from geo.commands.prompts import prompt_mode, run_answered
from geo.commands.questions import event_questions
from geo.commands.sources import (
    SourceRequest,
    cite,
    date_or_none,
    did_you_mean,
    parse_sources,
    source_params,
)
from geo.commands.values import (
    ask,
    bad,
    choices,
    default_id,
    interactive,
    missing,
    parse_day,
    parse_id,
    parse_text,
)
from geo.dates import FuzzyDate
from geo.edit import Op, RoutesFile
from geo.people import read_people

PLACE_KEYS = (("place", "--place"), ("from", "--from"), ("to", "--to"))


@dataclass(frozen=True)
class EventRequest:
    """The checked options of one add-event."""

    event_id: str | None
    date: FuzzyDate
    end_date: FuzzyDate | None
    texts: dict  # title, summary
    places: dict  # place, from, to: the names given
    route_id: str | None
    people: dict | None
    people_given: bool  # min/max given as numbers, not read from the words
    fields: dict  # group, direction, confidence, notes: in the file's order
    sources: SourceRequest
    replace: str | None  # None, "merge" (--replace) or "all" (--replace-all)


@click.command(cls=EditCommand)
@click.option("--id", "event_id", metavar="ID",
              help="Event id [default: date and a slug of --title].")
@click.option("--date", metavar="DATE",
              help="When, at the precision the source gives: 2024, 2024-02, 2024-02-05 "
                   "(append ~ if approximate, ? if uncertain).")
@click.option("--end-date", metavar="DATE", help="Last day, for an event spanning several days.")
@click.option("--title", metavar="TEXT", help="One line: what happened.")
@click.option("--summary", metavar="TEXT", help="A few sentences in your own words.")
@click.option("--kind", type=click.Choice(choices("event", "kind")), default="movement",
              show_default=True)
@click.option("--place", metavar="PLACE", help="Where it happened (a place name or id)...")
@click.option("--from", "origin", metavar="PLACE", help="...or where a movement started...")
@click.option("--to", "destination", metavar="PLACE", help="...and where it went...")
@click.option("--route", "route_id", metavar="ROUTE", help="...and/or the route id it used.")
@click.option("--people", "people_text", metavar="TEXT",
              help="How many people, in the source's words.")
@click.option("--people-min", type=click.IntRange(min=0), help="Lower bound of that number.")
@click.option("--people-max", type=click.IntRange(min=0), help="Upper bound of that number.")
@click.option("--group", type=click.Choice(choices("event", "group")), help="Who moved.")
@click.option("--direction", type=click.Choice(choices("event", "direction")), help="Which way.")
@click.option("--confidence", type=click.Choice(choices("event", "confidence")),
              default="reported", show_default=True)
@click.option("--note", metavar="TEXT", help="A note on the event.")
@source_options
@replace_option
@file_options
def add_event(event_id, date, end_date, title, summary, kind, place, origin, destination,
              route_id, people_text, people_min, people_max, group, direction, confidence, note,
              given_sources, replace, output):  # fmt: skip
    """Add a dated, sourced event to routes.yaml: a place, a from/to pair or a route puts
    it on the map; places are resolved through the gazetteer like add-route's --via.
    In a file that lists its events in date order, the new one goes in its place.

    \b
    Example:
      geo add-event --date 2025-06-25 \\
        --title "First Pyongyang-Moscow through car reaches Moscow" \\
        --summary "The first direct car reached Moscow, reportedly empty." \\
        --kind service --from "Pyongyang station" --to Moscow \\
        --route pyongyang-moscow-through-car --group passengers \\
        --direction to_russia --source newspravda-2025-06-25-train-arrives-moscow
    """
    if prompt_mode(output):
        current = RoutesFile.read(output.file)
        return run_answered(event_questions(current), "A new event for routes.yaml.", _params)
    ask_missing = interactive()
    date_value = parse_day("--date", date) if date else None
    end_value = parse_day("--end-date", end_date) if end_date else None
    texts = {k: parse_text(f"--{k}", v) if v is not None else None
             for k, v in (("title", title), ("summary", summary))}  # fmt: skip
    for option, value in (("--route", route_id), ("--id", event_id)):
        if value is not None:
            parse_id(option, value)
    people = _people(people_text, people_min, people_max)
    places = {"place": place, "from": origin, "to": destination}
    located = any(places.values()) or route_id
    if not ask_missing:
        _require(date_value, texts, located)
    sources = parse_sources(given_sources, ask_missing=ask_missing)
    if ask_missing and (date_value is None or None in texts.values() or not located):
        date_value = _ask(output.file, date_value, texts, places if not located else None)
    if end_value and end_value.end < date_value.start:
        raise bad("--end-date", f"{end_value.text} is before --date {date_value.text}")
    fields = {"kind": kind, "group": group, "direction": direction, "confidence": confidence}
    given = people_min is not None or people_max is not None
    request = EventRequest(event_id, date_value, end_value, texts, places, route_id, people,
                           given, fields | {"notes": note}, sources, replace)  # fmt: skip
    run_edit(output, functools.partial(_event_entry, request))


def _params(answers: dict) -> dict:
    source = source_params(answers)
    numbers = {k: int(answers[k]) if answers.get(k) else None for k in ("people_min", "people_max")}
    return {**answers, **source, **numbers}


def _people(text: str | None, low: int | None, high: int | None) -> dict | None:
    """The people mapping: the source's words, and min/max as given or else as
    geo.people reads the words (shown for confirmation in the report)."""
    if (low is not None or high is not None) and not text:
        raise bad(
            "--people", "give the source's words for the number too (e.g. --people 'more than 300')"
        )
    if low is not None and high is not None and high < low:
        raise bad("--people-max", f"{high} is smaller than --people-min {low}")
    if not text:
        return None
    people = {"min": low, "max": high, "text": text.strip()}
    if low is None and high is None and (reading := read_people(text)) is not None:
        people |= reading.as_fields()
    return {k: v for k, v in people.items() if v is not None}


def people_note(people: dict | None, given: bool) -> str | None:
    """What the report says about a people range read from the words (not given as numbers)."""
    if not people or given or ("min" not in people and "max" not in people):
        return None
    reading = read_people(people["text"])
    return (f"people: {reading.rule}, by the rule in routes.yaml's header; "
            "check it, or give --people-min/--people-max")  # fmt: skip


def duplicates(current: RoutesFile, entry: dict) -> list[str]:
    """Warnings about events that may report the same thing: same date and route or place,
    or a title that reads almost the same."""
    import difflib

    out = []
    title = entry["title"].casefold()
    keys = ("place", "from", "to", "route")
    for other in current.items("events"):
        if other.get("id") == entry["id"]:
            continue
        same_date = other.get("date") == entry["date"]
        shared = [f"{k} {entry[k]}" for k in keys if entry.get(k) and other.get(k) == entry[k]]
        ratio = difflib.SequenceMatcher(None, title, str(other.get("title", "")).casefold())
        why = ("the same date and " + ", ".join(shared)) if same_date and shared else (
            "a similar title" if ratio.ratio() >= 0.8 else "")
        if why:
            line = current.line_of("events", other["id"])
            out.append(f"possible duplicate: event '{other['id']}' (line {line}) has {why}")
    return out


def _require(date: FuzzyDate | None, texts: dict, located) -> None:
    for option, value in (("--date", date), ("--title", texts["title"]),
                          ("--summary", texts["summary"])):  # fmt: skip
        if value is None:
            raise missing(option)
    if not located:
        raise missing("--place", " (or --from/--to, or --route: an event needs a location)")


def _ask(file: str, date: FuzzyDate | None, texts: dict, places: dict | None) -> FuzzyDate:
    """Ask for the date, title, summary and place not given (*texts*, *places* filled in)."""
    before = RoutesFile.read(file)
    date = date or ask("Date (YYYY, YYYY-MM or YYYY-MM-DD)", lambda s: parse_day("--date", s))
    texts["title"] = texts["title"] or ask("Title", lambda s: parse_text("--title", s))
    texts["summary"] = texts["summary"] or ask(
        "Summary (in your own words)", lambda s: parse_text("--summary", s)
    )
    if places is not None:
        gazetteer = gazetteer_for(before)
        places["place"] = ask(
            "Place (name or id)", lambda s: resolve(gazetteer, "--place", s).place.id
        )
    return date


def _event_entry(request: EventRequest, current: RoutesFile) -> tuple[list[Op], Report]:
    """The new event (and any new source) for the file as it is under the lock."""
    gazetteer = gazetteer_for(current)
    given = request.places
    located = {k: resolve(gazetteer, o, given[k]) for k, o in PLACE_KEYS if given[k]}
    if "from" in located and "to" in located and located["from"].place.id == located["to"].place.id:
        raise bad("--to", f"--from and --to are the same place ({located['to'].place.id})")
    routes = current.ids("routes")
    if request.route_id and request.route_id not in routes:
        hint = did_you_mean(request.route_id, routes)
        raise bad("--route", f"unknown route '{request.route_id}'{hint}")
    citation = cite(current, request.sources)
    date = request.date
    eid = request.event_id or default_id("--title", date.text.rstrip("~?%"), request.texts["title"])
    entry: dict = {"id": eid, "date": date.text}
    if request.end_date:
        entry["end_date"] = request.end_date.text
    entry.update(request.texts, kind=request.fields["kind"])
    entry.update({k: r.place.id for k, r in located.items()})
    rest = {"route": request.route_id, "people": request.people}
    rest |= {k: v for k, v in request.fields.items() if k not in ("kind", "notes")}
    rest |= {"sources": citation.ids, "notes": request.fields["notes"]}
    entry.update({k: v.strip() if isinstance(v, str) else v for k, v in rest.items() if v})
    op, replaced = add_or_replace(
        current, "events", eid, entry, request.replace, _date_position(current, date)
    )
    resolved = list(located.values())
    notes = citation.notes + duplicates(current, entry)
    note = people_note(request.people, request.people_given)
    report = Report("event", eid, entry, citation.new, resolved, notes + ([note] if note else []),
                    replaced)  # fmt: skip
    return citation.ops + [op], report


def _date_position(current: RoutesFile, date: FuzzyDate) -> int | None:
    """Where a new event goes when the file keeps its events in date order (after those of
    the same date); None when it does not."""
    raw = current.data.get("events")
    events = raw if isinstance(raw, list) else []
    dates = [date_or_none(e.get("date")) if isinstance(e, dict) else None for e in events]
    if not dates or None in dates:
        return None
    starts = [d.start for d in dates]
    if starts != sorted(starts):
        return None
    return bisect.bisect_right(starts, date.start)
