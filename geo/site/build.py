"""Assemble the site: payload, offline base layer, page, our assets and Leaflet, atomically."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import GeoError
from geo.model import Dataset
from geo.site import LAYER_FILES
from geo.site.assets import SiteWriter, copy_leaflet, copy_static
from geo.site.basemap import basemap
from geo.site.layertext import Feature, count_features, read_layer
from geo.site.page import render_page

if TYPE_CHECKING:
    from geo.layers import Layers
from geo.site.payload import (
    data_js,
    events_json,
    js_assignment,
    payload_without_events,
    split_movements_part,
)


def parse_layers(
    layers: Mapping[str, str], built: Layers | None = None
) -> tuple[dict[str, list[Feature]], dict[str, int]]:
    """The features the page needs (routes, places, movements) and every layer's feature
    count; GeoError naming the first layer that is missing or broken.  *built*: what
    geo.layers made the texts from; its counts and the movements' decoded geometry are
    used instead of reading the large layers' text."""
    missing = [name for name in LAYER_FILES if name not in layers]
    if missing:
        raise GeoError(
            f"site: layers missing {', '.join(missing)}; build the layers before the site"
        )
    features, counts = {}, {}
    for name in LAYER_FILES:
        if name == "events.geojson":  # the page places events from the Dataset (see payload)
            counts[name] = built.counts["events"] if built else count_features(name, layers[name])
        elif name == "routes.geojson" and built is not None:
            features[name] = [
                Feature(rid, geometry, {"length_km": length})
                for rid, (geometry, length) in built.route_geometry.items()
            ]
            counts[name] = len(features[name])
        elif name == "movements.geojson" and built is not None:
            if built.movement_geometry is None:  # drawn by a worker
                if built.movements_extra is not None:  # with the site's lines: see build_site
                    counts[name] = built.counts["movements"]
                    continue
                features[name] = read_layer(name, layers[name])
                counts[name] = len(features[name])
                continue
            features[name] = [
                Feature(fid, geometry, rounded=True)
                for fid, geometry in built.movement_geometry.items()
            ]
            counts[name] = len(features[name])
        else:
            features[name] = read_layer(name, layers[name], by_line=name == "movements.geojson")
            counts[name] = len(features[name])
    return features, counts


def build_site(
    dataset: Dataset,
    layers: Mapping[str, str],
    out_dir: Path,
    built: Layers | None = None,
    layer_files: dict[str, Path] | None = None,
    events: Callable[[], bytes] | None = None,
) -> None:
    parsed, features = parse_layers(layers, built)
    movements = None
    if "movements.geojson" not in parsed:  # parse_layers leaves them to movements_extra
        movements_count, movements = split_movements_part(built.movements_extra)
    payload = payload_without_events(
        dataset, parsed, movements_count if movements is not None else None
    )
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
        site.write_bytes(
            "data.js", data_js(payload, events() if events else events_json(dataset), movements)
        )
