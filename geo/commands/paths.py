"""``geo paths``: compute the network legs the routes need and store them in the path cache."""

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
    help="Path cache to read and write (default: the committed geo/data/paths.json).",
)
@click.option("--check", is_flag=True, help="Compute nothing; exit 1 if a leg is missing.")
@click.option("--prune", is_flag=True, help="Also drop the legs no route uses any more.")
def paths(data, cache_file, check, prune):
    """Route each rail, road and sea leg on its network and store the result.

    Rail legs take the shortest path on OpenStreetMap's railways and road legs over 5 km
    on its highways (scgraph-data), sea legs a shortest path at sea on the GSHHG land mask
    (roaring-landmask). `geo build` reads the stored legs and draws a missing one straight,
    so run this after adding or moving a stop or waypoint (about a minute when the land mask
    must load). The file is replaced atomically and its text is the same for the same legs.

    \b
    Example:
      geo paths routes.yaml && geo build
    """
    from geo.legs import fill, missing_legs
    from geo.pathcache import BUNDLED, PathCache
    from geo.validate import load_dataset

    dataset = load_dataset(data)
    cache = PathCache.read(cache_file or BUNDLED)
    if check:
        missing = missing_legs(dataset, cache)
        for leg in missing:
            click.echo(f"{data}: route {leg.route}: {leg.key}: not in {cache.file}")
        if missing:
            sys.exit(1)
        click.echo(f"{cache.file}: all {len(cache.legs)} legs present")
        return
    before = cache.text()
    done = fill(dataset, cache, prune=prune, progress=lambda leg: click.echo(f"routing {leg.key}"))
    if cache.text() != before:
        cache.write()
    click.echo(f"{cache.file}: {len(done)} legs computed, {len(cache.legs)} stored")
