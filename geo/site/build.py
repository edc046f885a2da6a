"""Assemble the site: payload, offline base layer, page, our assets and Leaflet, atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geo.errors import GeoError
from geo.model import Dataset
from geo.site import LAYER_FILES
from geo.site.assets import SiteWriter, copy_leaflet, copy_static
from geo.site.basemap import basemap
from geo.site.layertext import Feature, count_features, read_layer
from geo.site.page import render_page
from geo.site.payload import data_js, events_json, js_assignment, payload_without_events


def parse_layers(
    layers: dict[str, str], movement_geometry: dict[str, dict | None] | None = None
) -> tuple[dict[str, list[Feature]], dict[str, int]]:
    """The features the page needs (routes, places, movements) and every layer's feature
    count; GeoError naming the first layer that is missing or broken.  *movement_geometry*:
    the movements' geometry by event id as geo.layers decoded it, read instead of the text."""
    missing = [name for name in LAYER_FILES if name not in layers]
    if missing:
        raise GeoError(
            f"site: layers missing {', '.join(missing)}; build the layers before the site"
        )
    features, counts = {}, {}
    for name in LAYER_FILES:
        if name == "events.geojson":  # the page places events from the Dataset (see payload)
            counts[name] = count_features(name, layers[name])
        elif name == "movements.geojson" and movement_geometry is not None:
            features[name] = [
                Feature(fid, geometry, rounded=True) for fid, geometry in movement_geometry.items()
            ]
            counts[name] = len(features[name])
        else:
            features[name] = read_layer(name, layers[name], by_line=name == "movements.geojson")
            counts[name] = len(features[name])
    return features, counts


def build_site(
    dataset: Dataset,
    layers: dict[str, str],
    out_dir: Path,
    movement_geometry: dict[str, dict | None] | None = None,
    layer_files: dict[str, Path] | None = None,
    events: Callable[[], bytes] | None = None,
) -> None:
    parsed, features = parse_layers(layers, movement_geometry)
    payload = payload_without_events(dataset, parsed)
    if layer_files is not None:
        sizes = {name: layer_files[name].stat().st_size for name in LAYER_FILES}
    else:
        sizes = {name: len(layers[name].encode("utf-8")) for name in LAYER_FILES}
    with SiteWriter(out_dir) as site:
        html, map_script = render_page(dataset, payload, sizes, features)
        site.write_text("index.html", html)
        site.write_text("map.js", map_script)
        site.write_text("basemap.js", js_assignment("GEO_BASEMAP", basemap()))
        for name in LAYER_FILES:
            if layer_files is not None:
                site.copy_file(f"data/{name}", layer_files[name])
            else:
                site.write_text(f"data/{name}", layers[name])
        copy_static(site.root / "assets")
        copy_leaflet(site.root / "leaflet")
        site.write_bytes("data.js", data_js(payload, events() if events else events_json(dataset)))
