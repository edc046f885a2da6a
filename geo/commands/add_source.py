"""``geo add-source``: a source on its own, to cite from later edits."""

from __future__ import annotations

import functools

import click

from geo.commands.editing import EditCommand, Report, run_edit
from geo.commands.options import SourceOptions, file_options
from geo.commands.sources import SourceRequest, cite, parse_sources
from geo.commands.values import bad, interactive, missing
from geo.edit import Op, RoutesFile


@click.command(cls=EditCommand)
@click.option("--url", metavar="URL", help="Its http(s) link.")
@click.option("--outlet", metavar="TEXT", help="Its publisher, e.g. 'NK News'.")
@click.option("--title", metavar="TEXT", help="Its headline as published.")
@click.option("--date", metavar="DATE", help="Its publication date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--language", metavar="CODE", help="ISO 639 code of its language (en, ko, ru).")
@click.option("--id", "source_id", metavar="ID", help="Its id [default: outlet-date].")
@file_options
def add_source(url, outlet, title, date, language, source_id, output):
    """Add a source to routes.yaml's sources:, to cite later with --source ID.

    \b
    Example:
      geo add-source --url https://example.org/news/123 --outlet "Example News" \\
        --title "Train resumes" --date 2026-03-13 --language en
    """
    given = SourceOptions((), url, outlet, title, date, language, source_id)
    ask_missing = interactive()
    if url is None and not ask_missing:
        raise missing("--url")
    try:
        request = parse_sources(given, ask_missing=ask_missing)
    except click.UsageError as exc:  # the same checks as --source-url and the others
        raise click.UsageError(exc.format_message().replace("--source-", "--")) from None
    run_edit(output, functools.partial(_source_entry, request))


def _source_entry(request: SourceRequest, current: RoutesFile) -> tuple[list[Op], Report]:
    citation = cite(current, request)
    if not citation.ops:
        raise bad("--url", f"{request.new.url} is already in the file as '{citation.ids[0]}'")
    sid = citation.ids[0]
    return citation.ops, Report("source", sid, citation.new[sid])
