"""The generated data the page draws: the offline outline and geo.site.payload."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import BASEMAP, DATA


class MapData(JSCSSMixin, MacroElement):
    """Its data only: the page script (geo.site.elements.startapp) reads it."""

    default_js = [BASEMAP, DATA]
