"""The static map website: ``write_site(dataset, layers, out_dir)`` builds ``site/``.

The page is a folium (Leaflet) map whose every script and style is served from the site
itself; our own JavaScript in ``static/`` draws the data, which reaches the page as a
generated ``data.js``.  Modules: ``payload`` (Dataset + layers -> the data the page reads),
``basemap`` (offline Natural Earth outline), ``page`` (folium map + HTML page),
``assets`` (copying Leaflet and our files, writing the output directory atomically).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from geo.model import Dataset

if TYPE_CHECKING:
    from geo.layers import Layers

LAYER_FILES = ("places.geojson", "routes.geojson", "events.geojson", "movements.geojson")


def write_site(
    dataset: Dataset,
    layers: Mapping[str, str],
    out_dir: Path,
    *,
    built: Layers | None = None,
    layer_files: dict[str, Path] | None = None,
    events: Callable[[], bytes] | None = None,
) -> None:
    """Write the website for *dataset* into *out_dir* (replaced as a whole).

    *layers* maps each name in LAYER_FILES to the exact GeoJSON text of that layer; the
    files are copied byte for byte into ``out_dir/data/`` for download.  The output is
    reproducible: the same inputs give the same bytes.

    What geo build already has spares the work of a large archive: *built*, the
    geo.layers.Layers the texts come from, gives the feature counts and the geometry of the
    routes and movements (or the site's movement lines, made by the worker that wrote that
    layer), so the large layers' text is not read back; *layer_files* are the layers as
    written, copied rather than encoded and written again; *events* gives
    geo.site.payload.events_json(dataset), computed meanwhile.
    """
    from geo.gcpause import paused_gc
    from geo.site.build import build_site  # deferred: pulls in folium and shapely

    with paused_gc():  # see geo.gcpause
        build_site(
            dataset,
            layers,
            Path(out_dir),
            built=built,
            layer_files=layer_files,
            events=events,
        )
