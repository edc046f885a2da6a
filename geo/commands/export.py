"""``geo export``: the layers as GeoPackage, CSV or KML for GIS tools and spreadsheets."""

from __future__ import annotations

import click

from geo.commands.options import data_option


@click.command()
@data_option
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["gpkg", "csv", "kml"]),
    help="gpkg: one GeoPackage with four layers; csv: one file per layer; kml: one file per layer.",
)
@click.option(
    "--out",
    "out_dir",
    default="export",
    show_default=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Directory to write into (created if needed).",
)
def export(data, fmt, out_dir):
    """Export the places, routes, events and movements layers built from routes.yaml.

    \b
    gpkg  export/layers.gpkg: layers places, routes, events, movements; start/end are Date
          fields, lines are MultiLineString (QGIS: drag the file in, pick the layers).
    csv   export/places.csv, routes.csv, ...: points as lon/lat columns, lines as a WKT
          column; dates as YYYY-MM-DD; lists and nested records as JSON text.
    kml   export/places.kml, ...: for Google Earth; labels are the name (or title).

    \b
    Example:
      geo export --format gpkg --out /tmp/dprk
    """
    from geo.export import export as write_export
    from geo.layers import render_layers
    from geo.validate import load_dataset

    layers = render_layers(load_dataset(data))
    for path in write_export(layers, fmt, out_dir):
        click.echo(f"wrote {path}")
    counts = ", ".join(f"{n} {name}" for name, n in layers.counts.items())
    click.echo(f"({counts})")
