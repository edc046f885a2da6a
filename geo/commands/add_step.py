"""``geo add-step``: a step appended to (or inserted in) a story of routes.yaml.

The step options are shared with ``geo add-story``, whose first step they describe.  A step
cites its own sources; given none, it cites the sources of the events it highlights.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click

from geo.commands.editing import EditCommand, Report, run_edit
from geo.commands.options import SourceOptions, file_options, source_options
from geo.commands.sources import SourceRequest, cite, date_or_none, did_you_mean, parse_sources
from geo.commands.values import bad, definition, missing, parse_day, parse_id, parse_text
from geo.dates import FuzzyDate
from geo.edit import Append, Insert, Op, RoutesFile


@dataclass(frozen=True)
class StepRequest:
    """The checked options of one story step."""

    date: FuzzyDate
    text: str
    title: str | None
    events: tuple[str, ...]
    routes: tuple[str, ...]
    view: dict | str | None  # None: the default, fit
    sources: SourceRequest


def step_options(f):
    """The options of a step: --date, --event, --route, --view, --step-title, --text."""
    options = [
        click.option("--date", metavar="DATE",
                     help="The map date of the step: 2019, 2019-12 or 2019-12-22."),
        click.option("--event", "events", multiple=True, metavar="EVENT_ID",
                     help="An event to highlight (repeatable); none may be dated after --date."),
        click.option("--route", "routes", multiple=True, metavar="ROUTE_ID",
                     help="A route to put in focus (repeatable)."),
        click.option("--view", metavar="fit|LAT,LON,ZOOM",
                     help="fit: frame the events (the default); or a centre and zoom, "
                          "e.g. 42.8,131.2,7."),
        click.option("--step-title", metavar="TEXT", help="A short title for the step."),
        click.option("--text", metavar="TEXT", help="What the reader sees, in your own words."),
    ]  # fmt: skip
    for option in reversed(options):
        f = option(f)
    return f


def parse_step(date, events, routes, view, step_title, text,
               given_sources: SourceOptions) -> StepRequest:  # fmt: skip
    """The step options checked, before routes.yaml is read."""
    if date is None:
        raise missing("--date")
    if text is None:
        raise missing("--text")
    for option, values in (("--event", events), ("--route", routes)):
        for value in values:
            parse_id(option, value)
    return StepRequest(
        date=parse_day("--date", date), text=parse_text("--text", text),
        title=parse_text("--step-title", step_title) if step_title is not None else None,
        events=tuple(dict.fromkeys(events)), routes=tuple(dict.fromkeys(routes)),
        view=parse_view(view), sources=parse_sources(given_sources, required=False),
    )  # fmt: skip


def parse_view(value: str | None) -> dict | str | None:
    if value is None or value.strip() == "fit":
        return None if value is None else "fit"
    parts = [p.strip() for p in value.split(",")]
    try:
        lat, lon, zoom = (float(p) for p in parts)
    except ValueError:
        raise bad("--view", f"'{value}' is not fit or LAT,LON,ZOOM (e.g. 42.8,131.2,7)") from None
    limits = definition("story_step", "view")["oneOf"][1]["properties"]
    for name, number in (("lat", lat), ("lon", lon), ("zoom", zoom)):
        node = limits[name]
        if "$ref" in node:
            node = definition(node["$ref"].rsplit("/", 1)[1])
        if not node["minimum"] <= number <= node["maximum"]:
            raise bad("--view", f"{name} {number:g} is out of range "
                                f"({node['minimum']} to {node['maximum']})")  # fmt: skip
    return {"lat": lat, "lon": lon, "zoom": int(zoom) if zoom.is_integer() else zoom}


def step_entry(request: StepRequest, current: RoutesFile) -> tuple[dict, list[Op], Report]:
    """The step as routes.yaml holds it, the operations adding any new source, and the
    report's sources and notes; checked against the file as it is under the lock."""
    events = {e["id"]: e for e in current.items("events") if isinstance(e.get("id"), str)}
    for eid in request.events:
        if eid not in events:
            raise bad("--event", f"unknown event '{eid}'{did_you_mean(eid, list(events))}")
        when = date_or_none(events[eid].get("date"))
        if when and when.start > request.date.end:
            raise bad(
                "--event",
                f"event '{eid}' is dated {when.text}, after --date "
                f"{request.date.text}: the map would not show it yet",
            )
    routes = current.ids("routes")
    for rid in request.routes:
        if rid not in routes:
            raise bad("--route", f"unknown route '{rid}'{did_you_mean(rid, routes)}")
    if request.view is None and not request.events and not request.routes:
        raise bad("--view", "give LAT,LON,ZOOM, or --event/--route for the map to frame")
    notes: list[str] = []
    sources, ops, new = list(request.sources.ids), [], {}
    if request.sources.ids or request.sources.new:
        citation = cite(current, request.sources)
        sources, ops, notes, new = citation.ids, citation.ops, citation.notes, citation.new
    else:
        for eid in request.events:
            sources += [s for s in events[eid].get("sources") or [] if s not in sources]
        if not sources:
            raise missing("--source", " (a step with no events must cite its own sources)")
        notes.append("sources: those of the events (" + ", ".join(sources) + ")")
    entry: dict = {"date": request.date.text}
    if request.title:
        entry["title"] = request.title
    entry |= {"events": list(request.events), "routes": list(request.routes)}
    entry = {k: v for k, v in entry.items() if v}
    if request.view is not None:
        entry["view"] = request.view
    entry |= {"text": request.text, "sources": sources}
    return entry, ops, Report("step", "", entry, new, [], notes)


@click.command(cls=EditCommand)
@click.argument("story_id", metavar="STORY")
@step_options
@click.option(
    "--at",
    "position",
    type=click.IntRange(min=1),
    metavar="N",
    help="Insert as step N (1 = first) instead of after the last step.",
)
@source_options
@file_options
def add_step(story_id, date, events, routes, view, step_title, text, position, given_sources,
             output):  # fmt: skip
    """Add a step to STORY: the map at --date, framing the --event(s) it highlights (or
    --view LAT,LON,ZOOM), with --text in your own words. Without --source, the step cites
    the sources of its events.

    \b
    Example:
      geo add-step workers-rail-khasan --date 2025-01-24 \\
        --event 2025-01-24-vladivostok-rajin-test-train --route khasan-rajin-railway \\
        --text "A first test train ran from Vladivostok to Rajin."
    """
    request = parse_step(date, events, routes, view, step_title, text, given_sources)
    run_edit(output, functools.partial(_step, story_id, request, position))


def _step(story_id: str, request: StepRequest, position: int | None,
          current: RoutesFile) -> tuple[list[Op], Report]:  # fmt: skip
    index = current.index_of("stories", story_id)
    if index is None:
        hint = did_you_mean(story_id, current.ids("stories"))
        raise bad("STORY", f"unknown story '{story_id}'{hint}")
    entry, ops, report = step_entry(request, current)
    steps = current.data["stories"][index].get("steps")
    count = len(steps) if isinstance(steps, list) else 0
    path = ("stories", index, "steps")
    if position is None or position > count:
        op: Op = Append(path, entry)
        number = count + 1
    else:
        op, number = Insert(path, position - 1, entry), position
    report.kind, report.id = f"step {number} of story", story_id
    return ops + [op], report
