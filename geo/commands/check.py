"""``geo check``: warnings about drawn routes (length, land under sea legs, countries)."""

from __future__ import annotations

import sys

import click

from geo.commands.options import data_option


@click.command()
@data_option
@click.option(
    "--cache",
    "cache_file",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Path cache to draw from (default: the committed geo/data/paths.json).",
)
def check(data, cache_file):
    """Check each drawn route against its sources and the map, and each event against the
    sources it cites.

    Warns when a route's drawn length is more than 15 % off its reported_length, when
    more than 2 % of a sea leg lies on land (GSHHG) beyond 3 km of its ports, when a rail
    or road line enters a country none of its stops is in (Natural Earth 1:110m, with a
    10 km tolerance at borders), and when a leg is drawn straight because `geo paths` has
    not routed it. Warns too when a source has no type; when "confirmed" rests on neither an
    official source nor two independent ones; when an event reported as happened cites only
    sources published before its date, or is dated more precisely than they allow; when a
    republisher is cited without its original; and when two movements count the same people
    without same_people_as. One line per warning, with the entry's file:line (and column for
    the fact rules) and what to do. Exit status: 0 no warning, 1 warnings, 2 invalid input.

    \b
    Example:
      $ geo check
      routes.yaml:640: route khasan-rajin-railway: drawn 35.8 km but reported 54 km (-34%; ...)
      routes.yaml:2071:5: events[2023-08-28-second-flight].sources: reported as happened on ...
    """
    from geo.checks import check_routes
    from geo.factcheck import check_facts
    from geo.pathcache import PathCache
    from geo.validate import load_dataset

    dataset = load_dataset(data)
    paths = PathCache.read(cache_file) if cache_file else None
    findings = [*check_routes(dataset, paths), *check_facts(dataset)]
    for finding in sorted(findings, key=lambda f: f.line):
        click.echo(str(finding))
    if findings:
        sys.exit(1)
    click.echo(f"{data}: {len(dataset.routes)} routes and {len(dataset.events)} events checked, "
               "no warning")
