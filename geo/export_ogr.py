"""GeoPackage and FlatGeobuf, written by GDAL through pyogrio's raw interface with the column
types of FIELDS (not GDAL's guess from the GeoJSON: a column null everywhere is still a Date).

:func:`columns` is shared with the CSV writer, which keeps dates as ISO text and makes text
cells safe for spreadsheets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geo.export_tables import About, Table, json_text, stable_fids, wkb

GEOPACKAGE_NAME = "layers.gpkg"


def _identity(text: str) -> str:
    return text


def columns(table: Table, *, dates_as_text: bool = False, text: Callable = _identity):
    """(names, numpy arrays, masks) for pyogrio, typed from the table's fields.

    *text* is applied to every text cell (strings, lists and records as JSON text)."""
    import numpy as np

    names, arrays, masks = [], [], []
    for field, kind in table.fields:
        values = [row[field] for row in table.rows]
        missing = np.array([v is None for v in values], dtype=bool)
        mask = missing if missing.any() else None
        if kind == "date" and not dates_as_text:
            array = np.array([v or "NaT" for v in values], dtype="datetime64[D]")
            mask = None
        elif kind == "integer":
            array = np.array([v or 0 for v in values], dtype=np.int64)
        elif kind == "real":
            array = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
            mask = None
        elif kind == "boolean":
            array = np.array([bool(v) for v in values], dtype=bool)
        elif kind in ("string_list", "json"):
            array = np.array([text(json_text(v)) for v in values], dtype=object)
            mask = None
        else:
            array = np.array([None if v is None else text(v) for v in values], dtype=object)
            mask = None
        names.append(field)
        arrays.append(array)
        masks.append(mask)
    return names, arrays, masks


def _multi(table: Table) -> bool:
    return table.geometry_type != "Point"


def write_gpkg(tables: list[Table], directory: Path, about: About) -> list[str]:
    """One GeoPackage with a layer per table; ``fid`` is the stable id of each feature, and
    the licence and attribution are in its metadata (gpkg_metadata) and layer descriptions."""
    import numpy as np
    from pyogrio.raw import write

    path = directory / GEOPACKAGE_NAME
    for i, table in enumerate(tables):
        names, arrays, masks = columns(table)
        fids = np.array(stable_fids(table), dtype=np.int64)
        write(
            str(path),
            wkb(table.geometries),
            [fids, *arrays],
            ["fid", *names],
            field_mask=[None, *masks],
            layer=table.name,
            driver="GPKG",
            geometry_type="MultiLineString" if _multi(table) else "Point",
            promote_to_multi=_multi(table),
            crs="EPSG:4326",
            append=i > 0,
            layer_metadata=about.metadata(),
            # 1.2: GeoPackage 1.4 files make GDAL < 3.7 (Debian 12's QGIS) warn on opening
            dataset_options={"VERSION": "1.2"} if i == 0 else None,
            layer_options={"IDENTIFIER": table.name, "DESCRIPTION": about.one_line()},
        )
    return [GEOPACKAGE_NAME]


def write_fgb(tables: list[Table], directory: Path, about: About) -> list[str]:
    """One FlatGeobuf file per table, with a spatial index unless a feature has no geometry;
    the key is the ``id`` column."""
    from pyogrio.raw import write

    written = []
    for table in tables:
        names, arrays, masks = columns(table)
        name = f"{table.name}.fgb"
        write(
            str(directory / name),
            wkb(table.geometries),
            arrays,
            names,
            field_mask=masks,
            layer=table.name,
            driver="FlatGeobuf",
            geometry_type="MultiLineString" if _multi(table) else "Point",
            promote_to_multi=_multi(table),
            crs="EPSG:4326",
            layer_options={
                "TITLE": table.name,
                "DESCRIPTION": about.one_line(),
                # FlatGeobuf's index cannot hold a feature without a geometry
                "SPATIAL_INDEX": "YES" if all(table.geometries) else "NO",
            },
        )
        written.append(name)
    return written
