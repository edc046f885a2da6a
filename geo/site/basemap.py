"""The offline base layer: Natural Earth country outlines, so the map reads without tiles.

The data is Natural Earth's 1:110m admin-0 countries (public domain), as shipped in the
pyogrio wheel's test fixtures.  Europe, Africa's north and all of Asia are kept (the routes span
Moscow to Vladivostok; a few events are as far as South-East Asia), rounded to 0.01 degrees
so the file stays near 100 KB.

The outline is made once, by ``python -c "from geo.site.basemap import main; main()"``, and
shipped in ``geo/site/data/basemap.json``: a build only reads it (tests/test_site.py checks
that it is what the pinned pyogrio's Natural Earth gives).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from geo.errors import GeoError

# west, south, east, north: the Atlantic to the Pacific, the Arctic coast to Indonesia.
EXTENT = (-30.0, -15.0, 180.0, 84.0)
TOLERANCE = 0.04  # degrees, ~4 km: invisible below zoom 7
GRID = 0.01  # coordinates rounded to 0.01 degrees
ATTRIBUTION = "Made with Natural Earth"


def natural_earth_path() -> Path:
    import pyogrio

    return (
        Path(pyogrio.__file__).parent
        / "tests"
        / "fixtures"
        / "naturalearth_lowres"
        / "naturalearth_lowres.shp"
    )


@cache
def basemap() -> dict:
    """Country polygons clipped to EXTENT, as a GeoJSON FeatureCollection ([lon, lat])."""
    return json.loads((resources.files("geo.site") / "data" / "basemap.json").read_bytes())


def natural_earth_basemap() -> dict:
    """basemap() made from Natural Earth's shapefile."""
    import pyogrio.raw
    import shapely

    path = natural_earth_path()
    if not path.exists():
        raise GeoError(
            f"offline base layer: {path} not found; "
            "reinstall pyogrio==0.13.0 (its wheel ships Natural Earth)"
        )
    meta, _fids, wkb, fields = pyogrio.raw.read(path, columns=["name", "iso_a3"])
    names = list(fields[0])
    codes = list(fields[1])
    rows = sorted(zip(names, codes, shapely.from_wkb(wkb), strict=True), key=lambda row: row[0])
    features = []
    for name, code, geometry in rows:
        clipped = shapely.clip_by_rect(geometry, *EXTENT)
        if clipped.is_empty:
            continue
        simple = shapely.set_precision(shapely.simplify(clipped, TOLERANCE), GRID)
        if simple.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": str(name), "iso_a3": str(code)},
                "geometry": json.loads(shapely.to_geojson(simple)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    """Write geo/site/data/basemap.json."""
    path = Path(__file__).parent / "data" / "basemap.json"
    path.parent.mkdir(exist_ok=True)
    text = json.dumps(natural_earth_basemap(), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {path}\n")
