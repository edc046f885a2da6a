"""GeoParquet 1.1, one file per layer, written with pyarrow.

The GDAL in pyogrio's wheel has no (Geo)Parquet driver, and geopandas is not a runtime
dependency, so the file is built here: a WKB ``geometry`` column and the ``geo`` metadata of the
GeoParquet spec (no ``crs``: the default, OGC:CRS84, is longitude/latitude on WGS84).  Columns
are typed from FIELDS: dates are date32, lists of ids list<string>, nested records JSON text.
pyarrow is the optional ``parquet`` extra: without it this format says how to install it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geo.errors import GeoError
from geo.export_tables import About, Table, json_text, wkb

PYARROW = "pyarrow==26.0.1"


def _arrow_type(pa, kind: str):
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "real": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "string_list": pa.list_(pa.string()),
        "json": pa.string(),
    }[kind]


def _values(values: list, kind: str) -> list:
    if kind == "date":
        return [dt.date.fromisoformat(v) if v else None for v in values]
    if kind == "json":
        return [json_text(v) for v in values]
    return values


def _geo_metadata(table: Table) -> dict:
    import shapely
    from shapely.geometry import shape

    shapes = [shape(g) for g in table.geometries if g]
    kinds = ["Point"] if table.geometry_type == "Point" else ["LineString", "MultiLineString"]
    column: dict = {"encoding": "WKB", "geometry_types": kinds}
    if shapes:
        column["bbox"] = [round(v, 6) for v in shapely.total_bounds(shapes).tolist()]
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


def write_parquet(tables: list[Table], directory: Path, about: About) -> list[str]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise GeoError(
            f"--format parquet needs pyarrow; install it with: pip install {PYARROW}"
        ) from None
    written = []
    for table in tables:
        arrays = [pa.array(_values([r[f] for r in table.rows], k), _arrow_type(pa, k))
                  for f, k in table.fields]  # fmt: skip
        names = [f for f, _ in table.fields]
        arrays.append(pa.array(list(wkb(table.geometries)), pa.binary()))
        names.append("geometry")
        metadata = {
            "geo": json.dumps(_geo_metadata(table)),
            **{key.lower(): value for key, value in about.metadata().items()},
        }
        arrow_table = pa.Table.from_arrays(arrays, names=names).replace_schema_metadata(metadata)
        name = f"{table.name}.parquet"
        pq.write_table(arrow_table, directory / name, compression="zstd")
        written.append(name)
    return written
