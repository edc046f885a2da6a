"""Assemble the site: payload, offline base layer, page, our assets and Leaflet, atomically."""

from __future__ import annotations

from pathlib import Path

from geo.errors import GeoError
from geo.forked import Forked
from geo.model import Dataset
from geo.site import LAYER_FILES
from geo.site.assets import SiteWriter, copy_leaflet, copy_static
from geo.site.basemap import basemap
from geo.site.layertext import Feature, count_features, read_layer
from geo.site.page import render_page
from geo.site.payload import js_assignment, payload_without_events, with_events


def parse_layers(layers: dict[str, str]) -> tuple[dict[str, list[Feature]], dict[str, int]]:
    """The features the page needs (routes, places, movements) and every layer's feature
    count; GeoError naming the first layer that is missing or broken."""
    missing = [name for name in LAYER_FILES if name not in layers]
    if missing:
        raise GeoError(
            f"site: layers missing {', '.join(missing)}; build the layers before the site"
        )
    features, counts = {}, {}
    for name in LAYER_FILES:
        if name == "events.geojson":  # the page places events from the Dataset (see payload)
            counts[name] = count_features(name, layers[name])
        else:
            features[name] = read_layer(name, layers[name], by_line=name == "movements.geojson")
            counts[name] = len(features[name])
    return features, counts


PARALLEL_FROM = 5000  # events from which data.js is written on a second core (geo.forked)


def build_site(dataset: Dataset, layers: dict[str, str], out_dir: Path) -> None:
    parsed, features = parse_layers(layers)
    payload = payload_without_events(dataset, parsed)
    sizes = {name: len(layers[name].encode("utf-8")) for name in LAYER_FILES}
    with SiteWriter(out_dir) as site:

        def write_data() -> str:
            site.write_text("data.js", js_assignment("GEO_DATA", with_events(payload, dataset)))
            return ""

        # the events' part of data.js (60 MB at 100,000 events) is built and encoded while
        # the page is rendered: the page needs only the payload's meta
        data = Forked(write_data, worth_it=len(dataset.events) >= PARALLEL_FROM)
        try:
            html, map_script = render_page(dataset, payload, sizes, features)
            site.write_text("index.html", html)
            site.write_text("map.js", map_script)
            site.write_text("basemap.js", js_assignment("GEO_BASEMAP", basemap()))
            for name in LAYER_FILES:
                site.write_text(f"data/{name}", layers[name])
            copy_static(site.root / "assets")
            copy_leaflet(site.root / "leaflet")
        finally:
            data.result()
