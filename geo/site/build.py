"""Assemble the site from the layers stage's features: payload, offline base layer, page, our
assets and Leaflet, written atomically."""

from __future__ import annotations

from pathlib import Path

from geo.fields import LAYER_FILES
from geo.layers import Layers
from geo.model import Dataset
from geo.site.assets import SiteWriter, copy_leaflet, copy_static
from geo.site.basemap import basemap
from geo.site.page import render_page
from geo.site.payload import data_js, js_assignment, payload


def write_site(dataset: Dataset, layers: Layers, out_dir: Path) -> None:
    """Write the website for *dataset* into *out_dir* (replaced as a whole).

    *layers* is what geo.layers.render_layers made of *dataset*: the page draws its
    features, and its files are copied byte for byte into ``out_dir/data/`` for download.
    The output is reproducible: the same inputs give the same bytes.
    """
    data = payload(dataset, layers)
    sizes = {name: len(layers.encoded[name]) for name in LAYER_FILES}
    counts = {f"{name}.geojson": n for name, n in layers.counts.items()}
    html, map_script = render_page(dataset, data, sizes, counts)
    with SiteWriter(Path(out_dir)) as site:
        site.write_text("index.html", html)
        site.write_text("map.js", map_script)
        site.write_text("basemap.js", js_assignment("GEO_BASEMAP", basemap()))
        for name in LAYER_FILES:
            site.write_bytes(f"data/{name}", layers.encoded[name])
        copy_static(site.root / "assets")
        copy_leaflet(site.root / "leaflet")
        site.write_bytes("data.js", data_js(data))
