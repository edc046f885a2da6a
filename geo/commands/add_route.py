"""``geo add-route``: a route, its stops resolved through the gazetteer, into routes.yaml."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click

from geo.commands.editing import (
    EditCommand,
    Report,
    Resolved,
    add_or_replace,
    gazetteer_for,
    resolve,
    run_edit,
)
from geo.commands.options import file_options, replace_option, source_options
from geo.commands.prompts import Question, choice_check, prompt_mode, run_answered
from geo.commands.sources import (
    SourceRequest,
    cite,
    parse_sources,
    source_date,
    source_params,
    source_questions,
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
    parse_point,
    parse_text,
)
from geo.dates import FuzzyDate
from geo.edit import Op, RoutesFile
from geo.model import Place


@dataclass(frozen=True)
class RouteRequest:
    """The checked options of one add-route."""

    route_id: str | None
    name: str
    mode: str
    via: list[str]
    points: list[tuple[float, float]]
    status: str | None
    since: FuzzyDate | None
    extra: dict  # operator, service, notes as given
    sources: SourceRequest
    replace: str | None  # None, "merge" (--replace) or "all" (--replace-all)


@click.command(cls=EditCommand)
@click.option("--id", "route_id", metavar="ID", help="Route id [default: a slug of --name].")
@click.option("--name", metavar="TEXT", help="Route name, e.g. 'Pyongyang-Khabarovsk through car'.")
@click.option("--mode", type=click.Choice(choices("route", "mode")),
              help="How people travel on it.")
@click.option("--via", multiple=True, metavar="PLACE",
              help="A stop, in order (repeat, at least 2): a place name, 'Name, CC' or an id.")
@click.option("--waypoint", multiple=True, metavar="LAT,LON",
              help="A point the line bends through (repeatable); it goes on the leg it fits best.")
@click.option("--status", type=click.Choice(choices("status_change", "status")),
              help="Status of the route since --since [default: operating; with --replace: "
                   "the history is kept].")
@click.option("--since", metavar="DATE", help="Date of that status [default: the source's date].")
@click.option("--operator", metavar="TEXT", help="Airline, railway or shipping company.")
@click.option("--service", metavar="TEXT", help="Flight or train numbers, e.g. JS271/JS272.")
@click.option("--note", metavar="TEXT", help="A note on the route.")
@source_options
@replace_option
@file_options
def add_route(route_id, name, mode, via, waypoint, status, since, operator, service, note,
              given_sources, replace, output):  # fmt: skip
    """Add a route to routes.yaml. Every --via is resolved through the gazetteer
    (routes.yaml's places:, then the curated list, then GeoNames cities) and written as
    the id it resolved to; an unknown or ambiguous name is an error with suggestions.
    The whole file is validated before it is written (atomically, under a lock), and
    nothing else in it changes: comments, order and quoting stay as they were.

    \b
    Example: the Beijing-Pyongyang international train, citing a source in the file:
      geo add-route --name "Beijing-Pyongyang train K27/K28" --mode rail \\
        --via Beijing --via Dandong --via "Sino-Korean Friendship Bridge" \\
        --via Sinuiju --via "Pyongyang station" --service K27/K28 \\
        --status operating --since 2026-03-12 \\
        --source cna-2026-03-pyongyang-beijing-first-train
    \b
    prints what each stop resolved to:
      Added route 'beijing-pyongyang-train-k27-k28' to routes.yaml (line 885).
        Beijing -> beijing: Beijing (CN, city) [curated]
        Dandong -> dandong: Dandong (CN, city) [curated]
        ...
    \b
    A source that is not in the file yet is given by its link instead of --source:
      --source-url https://example.org/news/123 --source-outlet "Example News" \\
      --source-title "Train resumes" --source-date 2026-03-13
    \b
    Preview with --dry-run (prints the diff, writes nothing); afterwards run
    `geo build` (or pass --build). On a terminal, missing options are asked for.
    """
    if prompt_mode(output):
        current = RoutesFile.read(output.file)
        return run_answered(_questions(current), "A new route for routes.yaml.", _params)
    ask_missing = interactive()
    points = [parse_point("--waypoint", w) for w in waypoint]
    name = parse_text("--name", name) if name is not None else None
    if route_id is not None:
        parse_id("--id", route_id)
    for option, value in (("--operator", operator), ("--service", service), ("--note", note)):
        if value is not None:
            parse_text(option, value)
    extra = {"operator": operator, "service": service, "notes": note}
    since_date = parse_day("--since", since, future_ok=status == "planned") if since else None
    if not ask_missing:
        _require(name, mode, via)
    sources = parse_sources(given_sources, ask_missing=ask_missing)
    via = list(via)
    if ask_missing and (not name or not mode or len(via) < 2):
        name, mode, via = _ask(output.file, name, mode, via)
    if ask_missing and status is None:
        statuses = choices("status_change", "status")
        status = ask(f"Status ({', '.join(statuses)})", choice_check("--status", statuses))
    request = RouteRequest(
        route_id, name, mode, via, points, status, since_date, extra, sources, replace
    )
    run_edit(output, functools.partial(_route_entry, request))


def _questions(current: RoutesFile) -> list[Question]:
    """Prompt mode: every field of a route, in the file's order."""
    gazetteer = gazetteer_for(current)

    def stop(text: str) -> None:
        click.echo(f"  {resolve(gazetteer, '--via', text).describe()}", err=True)

    statuses = choices("status_change", "status")
    return [
        Question("name", "Name", "The route's name, e.g. 'Pyongyang-Khabarovsk through car'.",
                 lambda s: parse_text("--name", s), required=True),
        Question("id", "Id", "Lower-case letters, digits and hyphens; the default is made "
                 "from the name.", lambda s: parse_id("--id", s),
                 lambda a: default_id("--name", a["name"])),
        Question("mode", "Mode", f"How people travel on it: {', '.join(choices('route', 'mode'))}.",
                 choice_check("--mode", choices("route", "mode")), required=True),
        Question("via", "Stop", "The stops in order (at least 2): a place name, 'Name, CC' "
                 "or an id; each is looked up at once.", stop, required=True, many=True),
        Question("waypoint", "Waypoint", "Points the line bends through, as LAT,LON (e.g. "
                 "42.4150,130.6410); only when a source documents the track.",
                 lambda s: parse_point("--waypoint", s), many=True),
        Question("operator", "Operator", "Airline, railway or shipping company.",
                 lambda s: parse_text("--operator", s)),
        Question("service", "Service", "Flight or train numbers, e.g. JS271/JS272.",
                 lambda s: parse_text("--service", s)),
        Question("note", "Note", "A note on the route.", lambda s: parse_text("--note", s)),
        *source_questions(current),
        Question("status", "Status", f"Its status now, as the source reports it: "
                 f"{', '.join(statuses)}. There is no default: say what the source says.",
                 choice_check("--status", statuses), required=True),
        Question("since", "Since", "Date of that status (YYYY, YYYY-MM or YYYY-MM-DD); the "
                 "default is the source's date.",
                 lambda s: parse_day("--since", s, future_ok=True),
                 lambda a: source_date(current, a), required=True),
    ]  # fmt: skip


def _params(answers: dict) -> dict:
    source = source_params(answers)
    listed = {k: tuple(answers.pop(k) or ()) for k in ("via", "waypoint")}
    listed["route_id"] = answers.pop("id")
    return {**answers, **source, **listed}


def _require(name, mode, via) -> None:
    for option, value in (("--name", name), ("--mode", mode)):
        if not value:
            raise missing(option)
    if not via:
        raise missing("--via", " (give at least two stops)")
    if len(via) < 2:
        raise bad("--via", f"a route needs at least 2 stops (got 1: '{via[0]}')")


def _ask(file: str, name, mode, via: list[str]) -> tuple[str, str, list[str]]:
    before = RoutesFile.read(file)
    name = name or ask("Route name", lambda s: parse_text("--name", s))
    mode = mode or click.prompt("Mode", type=click.Choice(choices("route", "mode")))
    if len(via) < 2:
        via = _ask_stops(before, via)
    return name, mode, via


def _ask_stops(current: RoutesFile, given: list[str]) -> list[str]:
    """Ask for stops after the *given* ones, resolving each answer at once (with suggestions)."""
    gazetteer = gazetteer_for(current)
    names = [resolve(gazetteer, "--via", name).place.id for name in given]
    while True:
        n = len(names) + 1
        label = f"Stop {n} (place name or id{'; empty to finish' if n > 2 else ''})"
        text = click.prompt(label, default="", show_default=False).strip()
        if not text:
            if n > 2:
                return names
            continue
        try:
            r = resolve(gazetteer, "--via", text)
        except click.UsageError as exc:
            click.echo(f"  {exc.format_message()}", err=True)
            continue
        click.echo(f"  {r.describe()}", err=True)
        names.append(r.place.id)


def _route_entry(request: RouteRequest, current: RoutesFile) -> tuple[list[Op], Report]:
    """The new route (and any new source) for the file as it is under the lock."""
    stops = _stops(gazetteer_for(current), request.via)
    citation = cite(current, request.sources)
    rid = request.route_id or default_id("--name", request.name)
    first = request.since or citation.published
    if first is None:
        raise bad("--since", "give the date of the status (the source's own date is not usable)")
    places = [s.place for s in stops]
    entry: dict = {"id": rid, "name": request.name, "mode": request.mode}
    entry["via"] = [p.id for p in places]
    if request.points:
        waypoints = assign_waypoints(places, request.points)
        entry["waypoints"] = [{**w, "sources": citation.ids} for w in waypoints]
    entry.update({k: v.strip() for k, v in request.extra.items() if v})
    status = request.status or "operating"
    entry["status"] = [{"since": first.text, "status": status, "sources": citation.ids}]
    keep_history = request.replace == "merge" and request.status is None and not request.since
    if keep_history and current.index_of("routes", rid) is not None:
        del entry["status"]
    op, replaced = add_or_replace(current, "routes", rid, entry, request.replace)
    notes = list(citation.notes)
    if "status" not in entry:
        notes.append("status history kept as it was (give --status and --since to add one)")
    elif request.status is None:
        notes.append(f"status: {status} (the default; give --status if it is not)")
    if "status" in entry and not request.since:
        notes.append(
            f"status: {status} since {first.text} (the source's date; set it with --since)"
        )
    for w in entry.get("waypoints", []):
        notes.append(f"waypoint {w['lat']},{w['lon']} after {w['after']}")
    report = Report("route", rid, entry, citation.new, stops, notes, replaced)
    return citation.ops + [op], report


def _stops(gazetteer, names: list[str]) -> list[Resolved]:
    stops = [resolve(gazetteer, "--via", name) for name in names]
    for a, b in zip(stops, stops[1:], strict=False):
        if a.place.id == b.place.id:
            raise bad(
                "--via",
                f"'{a.given}' and '{b.given}' are the same place ({a.place.id}) back to back",
            )
    return stops


def assign_waypoints(stops: list[Place], points: list[tuple[float, float]]) -> list[dict]:
    """Put each waypoint after the stop of the leg it bends least (then in order along the leg)."""
    from geo.geometry import distance_km  # only with --waypoint: it needs pyproj

    placed = []
    for n, (lat, lon) in enumerate(points):
        point = Place(id="", name="", lat=lat, lon=lon, kind="site", country="")
        detours = []
        for i, (a, b) in enumerate(zip(stops, stops[1:], strict=False)):
            detour = distance_km(a, point) + distance_km(point, b) - distance_km(a, b)
            detours.append((round(detour, 6), i))
        _, leg = min(detours)
        placed.append((leg, distance_km(stops[leg], point), n, lat, lon))
    return [
        {"after": stops[leg].id, "lat": lat, "lon": lon} for leg, _, _, lat, lon in sorted(placed)
    ]
