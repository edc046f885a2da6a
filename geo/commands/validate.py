"""``geo validate``: check routes.yaml and list every problem with its line."""

from __future__ import annotations

import click

from geo.commands.options import LEFT_FOR_EXIT


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--data", "data", metavar="FILE", type=click.Path(dir_okay=False),
              help="The routes.yaml to check (same as FILE) [default: routes.yaml].")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when the file is valid.")
def validate(file, data, quiet):
    """Check FILE (or --data FILE; default: routes.yaml) and list every problem at once.

    Checks YAML syntax, unknown or misspelt fields, types, dates (real calendar days, not in
    the future for events), coordinates, duplicate ids, references to sources, routes and
    places (each place must resolve in the gazetteer), status histories in date order, and
    http(s)-only links. Exit status: 0 valid, 2 problems found.

    \b
    Example:
      $ geo validate routes.yaml
      routes.yaml:88:11: events[3].date: '2024-02-30' is not a calendar day (2024-02 has 29 days)
    """
    from geo.validate import load_dataset

    if file and data and file != data:
        raise click.UsageError(f"two files given: {file} and --data {data}; give one")
    file = file or data or "routes.yaml"
    ds = load_dataset(file)
    LEFT_FOR_EXIT.append(ds)  # see geo.cli.entry()
    if not quiet:
        click.echo(
            f"{file}: OK: {len(ds.sources)} sources, {len(ds.places)} places, "
            f"{len(ds.routes)} routes, {len(ds.events)} events"
        )
