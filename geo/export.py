"""``geo export``: the four layers as GeoPackage, CSV or KML, written by GDAL through pyogrio.

Column types come from :data:`geo.layers.FIELDS`, not from GDAL's guess on reading the
GeoJSON back, so they are the same whatever the data: ``start``/``end`` are real Date
fields in a GeoPackage even when every route is still operating (a GeoJSON column that is
null everywhere reads as text).  CSV and KML have no date type: dates stay ``YYYY-MM-DD``
text there (GDAL would write ``YYYY/MM/DD``).  Lists and nested records are JSON text.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from geo.errors import GeoError
from geo.fields import FIELDS, GEOMETRY
from geo.layers import Layers

FORMATS = ("gpkg", "csv", "kml")
GEOPACKAGE_NAME = "layers.gpkg"


def export(layers: Layers, fmt: str, out_dir: str | os.PathLike) -> list[Path]:
    """Write *layers* in format *fmt* into *out_dir*; return the files written.

    gpkg: one ``layers.gpkg`` holding four layers.  csv: one file per layer, points as
    ``lon``/``lat`` columns, lines as a ``WKT`` column.  kml: one file per layer.
    """
    if fmt not in FORMATS:
        raise GeoError(f"unknown export format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise GeoError(f"cannot write {out}: it is a file, not a directory")
    tables = {name: _table(layers.encoded[f"{name}.geojson"]) for name in FIELDS}
    try:
        out.mkdir(parents=True, exist_ok=True)
        if fmt == "gpkg":
            return [_write_geopackage(tables, out / GEOPACKAGE_NAME)]
        return [
            _write_single(name, table, out / f"{name}.{fmt}", fmt) for name, table in tables.items()
        ]
    except OSError as exc:
        raise GeoError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _table(text: bytes) -> tuple[list[dict | None], list[dict]]:
    features = json.loads(text)["features"]
    return [f["geometry"] for f in features], [f["properties"] for f in features]


def _columns(name: str, props: list[dict], fmt: str):
    """(field names, numpy arrays, masks) typed from FIELDS for driver *fmt*."""
    import numpy as np

    names, arrays, masks = [], [], []
    for field, kind in FIELDS[name]:
        values = [p[field] for p in props]
        missing = np.array([v is None for v in values], dtype=bool)
        mask = missing if missing.any() else None
        if kind == "date":
            if fmt == "gpkg":
                array = np.array([v or "NaT" for v in values], dtype="datetime64[D]")
                mask = None
            else:
                array = np.array(values, dtype=object)
        elif kind == "integer":
            array = np.array([v or 0 for v in values], dtype=np.int64)
        elif kind == "real":
            array = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
            mask = None
        elif kind == "boolean":
            array = np.array([bool(v) for v in values], dtype=bool)
        elif kind in ("string_list", "json"):
            array = np.array(
                [json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in values],
                dtype=object,
            )
            mask = None
        else:
            array = np.array(values, dtype=object)
            mask = None
        names.append(field)
        arrays.append(array)
        masks.append(mask)
    return names, arrays, masks


def _wkb(geometries: list[dict | None]):
    import numpy as np
    import shapely
    from shapely.geometry import shape

    return np.array([shapely.to_wkb(shape(g)) if g else None for g in geometries], dtype=object)


def _staging(path: Path) -> Path:
    """A temporary name beside *path* with the same extension (GDAL picks drivers by it)."""
    return path.with_name(f".{path.stem}.{os.getpid()}-{secrets.token_hex(4)}{path.suffix}")


def _write_geopackage(tables: dict, path: Path) -> Path:
    from pyogrio.raw import write

    tmp = _staging(path)
    try:
        for i, (name, (geometries, props)) in enumerate(tables.items()):
            names, arrays, masks = _columns(name, props, "gpkg")
            multi = GEOMETRY[name] == "LineString"
            write(
                str(tmp),
                _wkb(geometries),
                arrays,
                names,
                field_mask=masks,
                layer=name,
                driver="GPKG",
                geometry_type="MultiLineString" if multi else "Point",
                promote_to_multi=multi,
                crs="EPSG:4326",
                append=i > 0,
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_single(name: str, table, path: Path, fmt: str) -> Path:
    import numpy as np
    from pyogrio.raw import write

    geometries, props = table
    names, arrays, masks = _columns(name, props, fmt)
    options: dict = {"driver": "CSV" if fmt == "csv" else "KML", "layer": name}
    point = GEOMETRY[name] == "Point"
    if fmt == "csv" and point:
        lons = np.array(
            [g["coordinates"][0] if g else np.nan for g in geometries], dtype=np.float64
        )
        lats = np.array(
            [g["coordinates"][1] if g else np.nan for g in geometries], dtype=np.float64
        )
        names[1:1], arrays[1:1], masks[1:1] = ["lon", "lat"], [lons, lats], [None, None]
        geometry = None
    else:
        geometry = _wkb(geometries)
        options.update(geometry_type="Point" if point else "Unknown", crs="EPSG:4326")
    if fmt == "csv" and not point:
        options["layer_options"] = {"GEOMETRY": "AS_WKT"}
    if fmt == "kml":
        label = "title" if "title" in names else "name"
        description = next((f for f in ("summary", "notes") if f in names), None)
        options["dataset_options"] = {
            "NameField": label,
            **({"DescriptionField": description} if description else {}),
        }
    tmp = _staging(path)
    try:
        write(str(tmp), geometry, arrays, names, field_mask=masks, **options)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
