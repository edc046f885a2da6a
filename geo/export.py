"""``geo export``: the layers in the formats GIS tools, Google Earth, kepler.gl and spreadsheets
open with no set-up.  This module turns a :class:`~geo.layers.Layers` into one table per layer
and writes the files of one format into the output directory; each format has its module:

- ``geo.export_ogr``: GeoPackage and FlatGeobuf, written by GDAL through pyogrio;
- ``geo.export_csv``: CSV (GDAL) made safe for spreadsheets, with ``.csvt`` and README.txt,
  and the kepler.gl CSV;
- ``geo.export_kml``: KML by GDAL's LIBKML driver, with a TimeSpan per dated feature;
- ``geo.export_parquet``: GeoParquet by pyarrow (the GDAL in pyogrio's wheel has no Parquet
  driver).

Every table takes its layers, columns and types from :data:`geo.fields.FIELDS`, so a new layer
or field is exported with no change here.  The key of every feature in every format is its
string ``id``; the GeoPackage ``fid`` is :func:`stable_fid` of it, so adding a feature changes no
other feature's id.  Files are written into a staging directory and then moved into place one by
one, each in one step (old or new, never half).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from geo.errors import GeoError
from geo.export_tables import About, Table, tables
from geo.layers import Layers

FORMATS = ("gpkg", "csv", "kml", "fgb", "parquet", "kepler")


def export(
    layers: Layers,
    fmt: str,
    out_dir: str | os.PathLike,
    *,
    excel: bool = False,
    as_of: str | None = None,
) -> list[Path]:
    """Write *layers* in format *fmt* into *out_dir*; return the files written, in order.

    *excel* adds a UTF-8 byte order mark to CSV files (Excel needs it for non-Latin text);
    *as_of* is the day the layers were cut at, recorded in the files' metadata.
    """
    if fmt not in FORMATS:
        raise GeoError(f"unknown export format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise GeoError(f"cannot write {out}: it is a file, not a directory")
    about = About.of(layers, as_of)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out))
        try:
            names = _write(tables(layers), fmt, staging, about, excel)
            for name in names:
                os.replace(staging / name, out / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise GeoError(f"cannot write {out}: {exc.strerror or exc}") from exc
    except RuntimeError as exc:  # GDAL's errors, as pyogrio raises them
        raise GeoError(f"cannot write {out}: {exc}") from exc
    return [out / name for name in names]


def _write(tables: list[Table], fmt: str, directory: Path, about: About, excel: bool):
    """Write the files of *fmt* into *directory*; return their names."""
    if fmt in ("gpkg", "fgb"):
        from geo.export_ogr import write_fgb, write_gpkg

        return (write_gpkg if fmt == "gpkg" else write_fgb)(tables, directory, about)
    if fmt in ("csv", "kepler"):
        from geo.export_csv import write_csv, write_kepler

        if fmt == "csv":
            return write_csv(tables, directory, about, bom=excel)
        return write_kepler(tables, directory, about, bom=excel)
    if fmt == "kml":
        from geo.export_kml import write_kml

        return write_kml(tables, directory, about)
    from geo.export_parquet import write_parquet

    return write_parquet(tables, directory, about)
