"""``geo list``: the sources, places, routes or events of routes.yaml, by date or place."""

from __future__ import annotations

import json

import click

from geo.commands.options import data_option
from geo.commands.values import parse_day
from geo.references import SECTIONS


@click.command("list")
@click.argument("kind", type=click.Choice(list(SECTIONS)))
@click.option("--since", metavar="DATE", help="Only entries dated DATE or later (YYYY[-MM[-DD]]).")
@click.option("--place", metavar="PLACE",
              help="Only entries at, from, to or through this place (name or id).")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
@data_option
def list_entries(kind, since, place, as_json, data):
    """List the KIND (source, place, route or event) entries of routes.yaml, one a line:
    id, date, and what it is.

    \b
    Examples:
      geo list event --since 2024 --place Vladivostok
      geo list route --json
    """
    from geo.edit import RoutesFile
    from geo.listing import entry_date, select

    since_date = parse_day("--since", since, future_ok=True) if since else None
    current = RoutesFile.read(data)
    place_id = None
    if place:
        from geo.commands.editing import gazetteer_for, resolve

        place_id = resolve(gazetteer_for(current), "--place", place).place.id
    chosen = select(current.data, kind, since_date, place_id)
    if as_json:
        out = [{"id": i, **e} if kind == "source" else e for i, e in chosen]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for entry_id, entry in chosen:
        when = entry_date(kind, entry)
        what = entry.get("title") or entry.get("name") or ""
        click.echo(f"{entry_id}\t{when.text if when else '-'}\t{what}")
    click.echo(f"{len(chosen)} {SECTIONS[kind] if len(chosen) != 1 else kind}", err=True)
