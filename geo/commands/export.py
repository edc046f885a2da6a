"""``geo export``: the layers for GIS tools, Google Earth, kepler.gl and spreadsheets."""

from __future__ import annotations

import click

from geo.commands.options import data_option

FORMATS = ("gpkg", "csv", "kml", "fgb", "parquet", "kepler")


@click.command()
@data_option
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(FORMATS),
    help="The file format (see above).",
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
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Every layer as it stood on that day: routes with their status then, events up to it.",
)
@click.option(
    "--excel",
    is_flag=True,
    help="csv, kepler: start each file with a UTF-8 byte order mark, for Excel.",
)
def export(data, fmt, out_dir, as_of, excel):
    """Export the layers built from routes.yaml; the key of every feature is its `id`.

    \b
    gpkg     layers.gpkg, one layer per GeoJSON layer; fid is a stable hash of the id;
             start/end are Date fields; licence in the metadata (QGIS, ogrinfo).
    csv      <layer>.csv + .csvt (column types for GDAL/QGIS) + README.txt; points as
             lon/lat, lines as WKT; cells a spreadsheet would run as a formula start with '.
    kml      <layer>.kml for Google Earth: a TimeSpan per dated feature, plain-text
             descriptions, lines following the ground.
    fgb      <layer>.fgb, FlatGeobuf with a spatial index (QGIS, GDAL, web).
    parquet  <layer>.parquet, GeoParquet 1.1 (geopandas, DuckDB, QGIS 3.32+; needs pyarrow).
    kepler   <layer>-kepler.csv for kepler.gl: a timestamp column for time playback and
             from_/to_ lon/lat for its arc layer.

    \b
    Examples:
      geo export --format gpkg --out /tmp/dprk
      geo export --format csv --excel --as-of 2020-06-01
    """
    from geo.export import export as write_export
    from geo.layers import render_layers
    from geo.validate import load_dataset

    dataset = load_dataset(data)
    day = as_of.date() if as_of else None
    if day:
        from geo.asof import dataset_as_of

        dataset = dataset_as_of(dataset, day)
    layers = render_layers(dataset)
    written = write_export(
        layers, fmt, out_dir, excel=excel, as_of=day.isoformat() if day else None
    )
    for path in written:
        click.echo(f"wrote {path}")
    counts = ", ".join(f"{n} {name}" for name, n in layers.counts.items())
    click.echo(f"({counts}{f', as of {day}' if day else ''})")
