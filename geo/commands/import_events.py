"""``geo import``: the events of a CSV file into routes.yaml, every row checked first."""

from __future__ import annotations

import functools

import click

from geo.commands.add_event import EventRequest, _event_entry, _people
from geo.commands.editing import EditCommand, confirmed, show_written
from geo.commands.options import SourceOptions, file_options
from geo.commands.sources import parse_sources
from geo.commands.values import bad, choices, parse_day, parse_id, parse_text
from geo.edit import RoutesFile, edit_file, with_op
from geo.errors import DataError


@click.command(cls=EditCommand)
@click.argument("csv_file", metavar="EVENTS.CSV", type=click.Path(dir_okay=False))
@file_options
def import_events(csv_file, output):
    """Add the events of EVENTS.CSV to routes.yaml, as add-event would add each row.

    Every row is checked (values, places, routes, sources, the whole resulting file)
    before anything is written; a bad row is reported as EVENTS.CSV:LINE:COL: column:
    message, all at once, and nothing changes. --dry-run prints the diff.

    \b
    Columns (header row, any order; empty cells are left out):
      id, date, end_date, title, summary, kind, place, from, to, route, people,
      people_min, people_max, group, direction, confidence, notes, source (ids
      separated by ';'), source_url, source_outlet, source_title, source_date,
      source_language (a new source: rows with the same source_url share it)
    \b
    Example:
      geo import new-events.csv --dry-run
    """
    from geo.csvimport import read_rows

    rows = read_rows(csv_file)
    requests, problems = [], []
    for row in rows:
        try:
            requests.append((row, _request(row.values)))
        except click.UsageError as exc:
            problems.append(_problem(csv_file, row, exc))
    build = functools.partial(_imported, csv_file, requests)
    if problems:  # the other rows are still checked against the file, to report all at once
        try:
            edit_file(output.file, build, dry_run=True)
        except DataError as exc:
            problems += exc.problems
        raise DataError(problems)
    if not confirmed(output, build):
        return
    edit, notes = edit_file(output.file, build, dry_run=output.dry_run)
    message = f"Added {len(requests)} event(s) from {csv_file} to {output.file}."
    show_written(output, edit, message, notes, {"added": len(requests)})


def _problem(csv_file: str, row, exc: click.UsageError):
    """The row's problem, at the column its option names (--from -> from)."""
    message = exc.format_message()
    option, _, rest = message.partition(": ")
    column = option.removeprefix("--").replace("-", "_").replace("source_id", "source")
    if column not in row.columns:
        column, rest = "", message
    return row.problem(csv_file, column, rest)


def _request(values: dict) -> EventRequest:
    get = values.get
    for column in ("date", "title", "summary"):
        if column not in values:
            raise bad(f"--{column}", "is empty; every row needs a date, a title and a summary")
    if not any(get(k) for k in ("place", "from", "to", "route")):
        raise bad("--place", "give a place, a from/to pair or a route")
    fields = {k: _choice(k, get(k)) for k in ("kind", "group", "direction", "confidence")}
    fields["kind"] = fields["kind"] or "movement"
    fields["confidence"] = fields["confidence"] or "reported"
    numbers = [_count(f"--people-{k}", get(f"people_{k}")) for k in ("min", "max")]
    sources = SourceOptions(
        tuple(s.strip() for s in (get("source") or "").split(";") if s.strip()),
        get("source_url"), get("source_outlet"), get("source_title"), get("source_date"),
        get("source_language"), None,
    )  # fmt: skip
    return EventRequest(
        parse_id("--id", values["id"]) if "id" in values else None,
        parse_day("--date", values["date"]),
        parse_day("--end-date", values["end_date"]) if "end_date" in values else None,
        {k: parse_text(f"--{k}", values[k]) for k in ("title", "summary")},
        {k: get(k) for k in ("place", "from", "to")},
        parse_id("--route", values["route"]) if "route" in values else None,
        _people(get("people"), *numbers),
        any(n is not None for n in numbers),
        fields | {"notes": get("notes")},
        parse_sources(sources),
        None,
    )


def _choice(column: str, value: str | None) -> str | None:
    allowed = choices("event", column)
    if value is not None and value not in allowed:
        raise bad(f"--{column}", f"'{value}' is not one of: {', '.join(allowed)}")
    return value


def _count(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.replace(",", "").isdigit():
        raise bad(option, f"'{value}' is not a whole number: give digits only, e.g. 1500")
    return int(value.replace(",", ""))


def _imported(csv_file: str, requests: list, current: RoutesFile):
    """The events of every row, each added to the file as the rows before it left it."""
    ops, notes, problems, view = [], [], [], current
    for row, request in requests:
        try:
            row_ops, report = _event_entry(request, view)
        except click.UsageError as exc:
            problems.append(_problem(csv_file, row, exc))
            continue
        for op in row_ops:
            view = with_op(view, op)
        ops += row_ops
        notes += [f"line {row.line}: {n}" for n in [f"event '{report.id}'", *report.notes]]
    if problems:
        raise DataError(problems)
    return ops, notes
