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
    """Check each drawn route against its sources and the map.

    Warns when a route's drawn length is more than 15 % off its reported_length, when
    more than 2 % of a sea leg lies on land (GSHHG) beyond 3 km of its ports, when a rail
    or road line enters a country none of its stops is in (Natural Earth 1:110m, with a
    10 km tolerance at borders), and when a leg is drawn straight because `geo paths` has
    not routed it. One line per warning, with the route's file:line. Exit status: 0 no
    warning, 1 warnings, 2 invalid input.

    \b
    Example:
      $ geo check
      routes.yaml:640: route khasan-rajin-railway: drawn 35.8 km but reported 54 km (-34%; ...)
    """
    from geo.checks import check_routes
    from geo.pathcache import PathCache
    from geo.validate import load_dataset

    dataset = load_dataset(data)
    paths = PathCache.read(cache_file) if cache_file else None
    findings = check_routes(dataset, paths)
    for finding in findings:
        click.echo(str(finding))
    if findings:
        sys.exit(1)
    click.echo(f"{data}: {len(dataset.routes)} routes checked, no warning")
