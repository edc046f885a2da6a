"""CSV for spreadsheets and GDAL, and the kepler.gl CSV, written by GDAL's CSV driver.

- Safe to open in a spreadsheet: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return gets a leading ``'`` (OWASP's rule against formula injection), so it is
  shown as text, never run.  Numeric columns are not touched: -2.5 stays a number.
- Dates are ``YYYY-MM-DD``; points have ``lon``/``lat`` columns after ``id``, lines a ``WKT``
  column first; lists and nested records are JSON text.
- A ``.csvt`` beside each CSV gives GDAL (and QGIS) the column types: Integer, Real, Date...
- ``excel``: a UTF-8 byte order mark, without which Excel reads Korean or Russian names as
  mojibake.
- README.txt (README-kepler.txt) says what the files are, their licence and attribution.

The kepler.gl CSV adds a ``timestamp`` column (``start`` as ``YYYY-MM-DDT00:00:00``, which
kepler.gl types as a timestamp and offers time playback on), and for layers with ``from`` and
``to`` places the ``from_lon``, ``from_lat``, ``to_lon``, ``to_lat`` columns of its arc layer.
"""

from __future__ import annotations

from pathlib import Path

from geo.export_ogr import columns
from geo.export_tables import About, Table, wkb

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSVT_TYPES = {
    "string": "String",
    "integer": "Integer64",
    "real": "Real",
    "boolean": "Integer(Boolean)",
    "date": "Date",
    "string_list": "String",
    "json": "String",
}


def safe_cell(text: str) -> str:
    """*text* as a spreadsheet shows it but never evaluates it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(tables: list[Table], directory: Path, about: About, bom: bool) -> list[str]:
    written = []
    for table in tables:
        written += _write_table(table, directory, f"{table.name}.csv", bom, extra=None)
    return [*written, _readme(tables, directory, about, kepler=False)]


def write_kepler(tables: list[Table], directory: Path, about: About, bom: bool) -> list[str]:
    places = _place_coordinates(tables)
    written = []
    for table in tables:
        extra = _kepler_columns(table, places)
        written += _write_table(table, directory, f"{table.name}-kepler.csv", bom, extra=extra)
    return [*written, _readme(tables, directory, about, kepler=True)]


def _write_table(table: Table, directory: Path, name: str, bom: bool, extra) -> list[str]:
    """Write one CSV and its .csvt; *extra* is (names, arrays, csvt types) put after ``id``."""
    import numpy as np
    from pyogrio.raw import write

    names, arrays, masks = columns(table, dates_as_text=True, text=safe_cell)
    types = [CSVT_TYPES[kind] for _, kind in table.fields]
    inserted = []
    if table.geometry_type == "Point":
        lon = [g["coordinates"][0] if g else np.nan for g in table.geometries]
        lat = [g["coordinates"][1] if g else np.nan for g in table.geometries]
        inserted.append((["lon", "lat"], [lon, lat], ["CoordX", "CoordY"]))
    if extra:
        inserted.append(extra)
    at = 1
    for more_names, more_arrays, more_types in inserted:
        count = len(more_names)
        names[at:at] = more_names
        arrays[at:at] = [
            np.array(a, dtype=np.float64 if t != "String" else object)
            for a, t in zip(more_arrays, more_types, strict=True)
        ]
        masks[at:at] = [None] * count
        types[at:at] = more_types
        at += count
    options: dict = {"layer_options": {"WRITE_BOM": "YES" if bom else "NO"}}
    geometry = None
    if table.geometry_type != "Point":
        geometry = wkb(table.geometries)
        options["layer_options"]["GEOMETRY"] = "AS_WKT"
        options.update(geometry_type="Unknown", crs="EPSG:4326")
        types.insert(0, "WKT")
    path = directory / name
    write(str(path), geometry, arrays, names, field_mask=masks, driver="CSV", **options)
    csvt = path.with_suffix(".csvt")
    csvt.write_text(",".join(f'"{t}"' for t in types) + "\n", encoding="ascii")
    return [name, csvt.name]


def _place_coordinates(tables: list[Table]) -> dict[str, tuple[float, float]]:
    """place id -> (lon, lat), from the point layer that has a row per place."""
    places = next((t for t in tables if t.name == "places"), None)
    if places is None:
        return {}
    return {
        row["id"]: tuple(g["coordinates"][:2])
        for row, g in zip(places.rows, places.geometries, strict=True)
        if g
    }


def _kepler_columns(table: Table, places: dict[str, tuple[float, float]]):
    names, arrays, types = [], [], []
    fields = dict(table.fields)
    if fields.get("start") == "date":
        names.append("timestamp")
        arrays.append([f"{r['start']}T00:00:00" if r["start"] else None for r in table.rows])
        types.append("String")
    if fields.get("from") == "string" and fields.get("to") == "string":
        for end in ("from", "to"):
            coords = [places.get(row[end] or "") for row in table.rows]
            for axis, label in ((0, "lon"), (1, "lat")):
                names.append(f"{end}_{label}")
                arrays.append([c[axis] if c else float("nan") for c in coords])
                types.append("Real")
    return (names, arrays, types) if names else None


def _readme(tables: list[Table], directory: Path, about: About, kepler: bool) -> str:
    suffix = "-kepler.csv" if kepler else ".csv"
    lines = [
        "Sourced map of routes and movements between North Korea, Russia and China:",
        "the layers as CSV (UTF-8), one file per layer, exported by `geo export`.",
        "",
        *(f"{t.name}{suffix}: {len(t.rows)} rows, key column `id`" for t in tables),
        "",
        "Points have lon/lat columns (WGS84), lines a WKT column; dates are YYYY-MM-DD;",
        "lists and nested records are JSON text. A text cell that would start with",
        "=, +, -, @, a tab or a carriage return starts with ' so no spreadsheet runs it.",
        "Each .csvt file gives GDAL and QGIS the column types.",
    ]
    if kepler:
        lines.append("kepler.gl: `timestamp` drives time playback; from_/to_ lon/lat draw arcs.")
    lines += ["", *about.lines(), ""]
    name = "README-kepler.txt" if kepler else "README.txt"
    (directory / name).write_text("\n".join(lines), encoding="utf-8")
    return name
