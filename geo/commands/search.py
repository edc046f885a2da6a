"""``geo search``: find entries of routes.yaml by a word of their title, summary or names."""

from __future__ import annotations

import json

import click

from geo.commands.options import data_option


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@data_option
def search(text, as_json, data):
    """Find TEXT in the titles, summaries, names, other names (alt_names), outlets and notes
    of routes.yaml's entries, ignoring case and accents. One line per entry: kind, id, the
    field and the text found.

    \b
    Example:
      geo search "road bridge"
    """
    from geo.edit import RoutesFile
    from geo.listing import search as find

    hits = find(RoutesFile.read(data).data, text)
    if as_json:
        out = [{"kind": k, "id": i, "field": f, "text": t} for k, i, f, t in hits]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for kind, entry_id, field, found in hits:
        shown = found if len(found) <= 90 else found[:87] + "..."
        click.echo(f"{kind}\t{entry_id}\t{field}: {' '.join(shown.split())}")
    click.echo(f"{len(hits)} match{'es' if len(hits) != 1 else ''}", err=True)
