"""The tile layer (the only thing the page loads from outside the site)."""

from __future__ import annotations

import folium


class BaseTiles(folium.TileLayer):
    """folium's TileLayer with a fixed name (``tile_layer_base``): builds are reproducible."""

    def get_name(self) -> str:
        return "tile_layer_base"
