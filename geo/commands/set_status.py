"""``geo set-status``: a dated, sourced status appended to a route's history."""

from __future__ import annotations

import functools

import click

from geo.commands.editing import EditCommand, Report, run_edit
from geo.commands.options import file_options, source_options
from geo.commands.sources import SourceRequest, cite, date_or_none, did_you_mean, parse_sources
from geo.commands.values import ask, bad, choices, interactive, missing, parse_day, parse_text
from geo.dates import FuzzyDate
from geo.edit import Append, Op, RoutesFile


@click.command(cls=EditCommand)
@click.argument("route_id", metavar="ROUTE")
@click.argument("status", type=click.Choice(choices("status_change", "status")))
@click.option(
    "--since", metavar="DATE", help="Date the status took effect (YYYY, YYYY-MM or YYYY-MM-DD)."
)
@click.option("--note", metavar="TEXT", help="A note on this change.")
@source_options
@file_options
def set_status(route_id, status, since, note, given_sources, output):
    """Append a dated, sourced STATUS to ROUTE's status history (the history is kept in
    date order, so --since may not be earlier than the route's latest status).

    \b
    Example: the day the Tumen road bridge opens, citing the report of it:
      geo set-status tumen-road-bridge operating --since YYYY-MM-DD \\
        --source-url URL --source-outlet OUTLET --source-title TITLE \\
        --source-date YYYY-MM-DD
    """
    ask_missing = interactive()
    if note is not None:
        parse_text("--note", note)
    future_ok = status == "planned"
    if since is not None:
        since_date = parse_day("--since", since, future_ok=future_ok)
    elif ask_missing:
        since_date = ask(
            "Since (YYYY, YYYY-MM or YYYY-MM-DD)",
            lambda s: parse_day("--since", s, future_ok=future_ok),
        )
    else:
        raise missing("--since")
    sources = parse_sources(given_sources, ask_missing=ask_missing)
    change = functools.partial(_status_entry, route_id, status, since_date, note, sources)
    run_edit(output, change)


def _status_entry(
    route_id: str,
    status: str,
    since: FuzzyDate,
    note: str | None,
    sources: SourceRequest,
    current: RoutesFile,
) -> tuple[list[Op], Report]:
    index = current.index_of("routes", route_id)
    if index is None:
        known = did_you_mean(route_id, current.ids("routes"))
        raise bad("ROUTE", f"unknown route '{route_id}'{known}")
    route = current.data["routes"][index]
    history = [s for s in route.get("status") or [] if isinstance(s, dict)]
    latest = history[-1] if history else {}
    latest_since = date_or_none(latest.get("since"))
    if latest_since and since.start < latest_since.start:
        raise bad(
            "--since",
            f"{since.text} is before the route's latest status ({latest.get('status')} "
            f"since {latest_since.text}); the history is kept in date order",
        )
    citation = cite(current, sources)
    entry: dict = {"since": since.text, "status": status, "sources": citation.ids}
    if note:
        entry["notes"] = note.strip()
    report = Report("status of route", route_id, entry, citation.new, [], citation.notes)
    if latest_since:
        report.notes.append(
            f"{route.get('name', route_id)}: {latest.get('status')} since {latest_since.text}"
            f" -> {status} since {since.text}"
        )
    return citation.ops + [Append(("routes", index, "status"), entry)], report
