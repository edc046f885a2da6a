"""Assemble the site: payload, offline base layer, page, our assets and Leaflet, atomically."""

from __future__ import annotations

import json
from pathlib import Path

from geo.errors import GeoError
from geo.model import Dataset
from geo.site import LAYER_FILES
from geo.site.assets import SiteWriter, copy_leaflet, copy_static
from geo.site.basemap import basemap
from geo.site.page import render_page
from geo.site.payload import build_payload, js_assignment


def parse_layers(layers: dict[str, str]) -> dict[str, dict]:
    missing = [name for name in LAYER_FILES if name not in layers]
    if missing:
        raise GeoError(
            f"site: layers missing {', '.join(missing)}; build the layers before the site"
        )
    parsed = {}
    for name in LAYER_FILES:
        try:
            parsed[name] = json.loads(layers[name])
        except (TypeError, ValueError) as exc:
            raise GeoError(
                f"site: layer {name} is not valid GeoJSON text ({exc}); rebuild the layers"
            ) from exc
        if not isinstance(parsed[name], dict) or parsed[name].get("type") != "FeatureCollection":
            raise GeoError(
                f"site: layer {name} is not a GeoJSON FeatureCollection; rebuild the layers"
            )
    return parsed


def build_site(dataset: Dataset, layers: dict[str, str], out_dir: Path) -> None:
    parsed = parse_layers(layers)
    payload = build_payload(dataset, parsed)
    sizes = {name: len(layers[name].encode("utf-8")) for name in LAYER_FILES}
    features = {name: len(parsed[name].get("features", [])) for name in LAYER_FILES}
    html, map_script = render_page(dataset, payload, sizes, features)
    with SiteWriter(out_dir) as site:
        site.write_text("index.html", html)
        site.write_text("map.js", map_script)
        site.write_text("data.js", js_assignment("GEO_DATA", payload))
        site.write_text("basemap.js", js_assignment("GEO_BASEMAP", basemap()))
        for name in LAYER_FILES:
            site.write_text(f"data/{name}", layers[name])
        copy_static(site.root / "assets")
        copy_leaflet(site.root / "leaflet")
