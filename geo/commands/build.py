"""``geo build``: write layers/ and site/ from routes.yaml, or check that layers/ is current."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from geo.commands.options import LEFT_FOR_EXIT, data_option, layers_option, site_option


@click.command()
@data_option
@layers_option
@site_option()
@click.option("--no-site", is_flag=True, help="Write only the layers.")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 listing the layer files that differ from what --data gives.",
)
def build(data, layers_dir, site_dir, no_site, check):
    """Write the GeoJSON layers (places, routes, events, movements) and the map website.

    Each output directory is built beside its target and swapped in at once, so an
    interrupted build leaves the previous outputs intact. The layers are byte-for-byte
    reproducible: --check (used in CI) rebuilds them in memory and compares.

    \b
    Examples:
      geo build                      # layers/ and site/ from routes.yaml
      geo build --check              # is the committed layers/ up to date?
      geo build --data my.yaml --layers /tmp/layers --no-site

    Exit status: 0 done (or up to date), 1 --check found differences, 2 error.
    """
    from geo import build as pipeline

    if check:
        problems = pipeline.stale_layers(data, layers_dir)
        if problems:
            for line in problems:
                click.echo(line)
            click.echo(
                f"{layers_dir} is out of date with {data}: run `geo build` and commit it", err=True
            )
            # not click's Exit: geo.cli.main runs click with standalone_mode=False, which
            # turns Exit into a return value that main() does not pass on
            sys.exit(1)
        click.echo(f"{layers_dir}: up to date with {data}")
        return

    result = pipeline.run(data, layers_dir, None if no_site else site_dir)
    LEFT_FOR_EXIT.append(result.dataset)  # see geo.cli.entry
    counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.counts.items())
    click.echo(f"wrote {result.layers_dir}/: {counts}")
    if result.site_dir is not None:
        index = (Path(result.site_dir) / "index.html").resolve()
        click.echo(f"wrote {result.site_dir}/: open {index.as_uri()} (or run: geo serve)")
