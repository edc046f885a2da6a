"""KML for Google Earth, one file per layer, written by GDAL's LIBKML driver.

- Each Placemark's id is the feature's ``id`` (LIBKML takes it from the ``id`` field), its
  ``<name>`` the title or name, its ``<description>`` the summary or notes.
- A dated feature has one ``<TimeSpan>`` with ``<begin>``/``<end>`` from ``start``/``end``
  (LIBKML_BEGIN_FIELD / LIBKML_END_FIELD), so Google Earth's time slider shows it.
- Lines are ``<tessellate>1</tessellate>`` (LIBKML's ``tessellate`` field), so they follow
  the ground instead of cutting through it.
- Plain text only: Google Earth renders descriptions and data as HTML, and LIBKML wraps text
  in CDATA as it is, so every text value is HTML-escaped here (``<b>`` shows as ``<b>``, and
  no text can close a CDATA section).
- The Document's description carries the licence and attribution.
"""

from __future__ import annotations

import html
from pathlib import Path

from geo.export_ogr import columns
from geo.export_tables import About, Table, wkb


def _plain(text: str) -> str:
    return html.escape(text, quote=False)


def _config(table: Table) -> dict[str, str]:
    """LIBKML's config options naming the fields it turns into KML elements."""
    fields = dict(table.fields)
    label = next((f for f in ("title", "name", "id") if f in fields), "id")
    config = {"LIBKML_NAME_FIELD": label, "LIBKML_TESSELLATE_FIELD": "tessellate"}
    description = next((f for f in ("summary", "notes") if f in fields), None)
    if description:
        config["LIBKML_DESCRIPTION_FIELD"] = description
    if fields.get("start") == "date":
        config["LIBKML_BEGIN_FIELD"] = "start"
    if fields.get("end") == "date":
        config["LIBKML_END_FIELD"] = "end"
    return config


def write_kml(tables: list[Table], directory: Path, about: About) -> list[str]:
    import numpy as np
    import pyogrio
    from pyogrio.raw import write

    written = []
    for table in tables:
        names, arrays, masks = columns(table, dates_as_text=True, text=_plain)
        if table.geometry_type != "Point":
            names.append("tessellate")
            arrays.append(np.ones(len(table.rows), dtype=np.int32))
            masks.append(None)
        config = _config(table)
        name = f"{table.name}.kml"
        pyogrio.set_gdal_config_options(config)
        try:
            write(
                str(directory / name),
                wkb(table.geometries),
                arrays,
                names,
                field_mask=masks,
                layer=table.name,
                driver="LIBKML",
                geometry_type="Point" if table.geometry_type == "Point" else "Unknown",
                crs="EPSG:4326",
                dataset_options={"NAME": table.name, "DESCRIPTION": _plain(about.text())},
            )
        finally:
            pyogrio.set_gdal_config_options(dict.fromkeys(config))
        written.append(name)
    return written
