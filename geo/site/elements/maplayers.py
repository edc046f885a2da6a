"""Routes, places, events and movements drawn on the map (static/maplayers.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import DESCRIBE, MAPLAYERS, SYMBOLS, UTIL


class MapLayers(JSCSSMixin, MacroElement):
    """Its scripts only: geo.site.elements.startapp starts them."""

    default_js = [UTIL, SYMBOLS, DESCRIBE, MAPLAYERS]
