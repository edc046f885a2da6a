"""Hands the Leaflet map and its tile layer to our page script (static/app.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

from geo.site.elements.scripts import (
    APP,
    APP_CSS,
    DESCRIBE,
    EVENTLIST,
    I18N,
    LEGEND,
    MAPLAYERS,
    PERMALINK,
    SEARCH,
    STRINGS,
    SYMBOLS,
    TIMELINE,
    UTIL,
)


class StartApp(JSCSSMixin, MacroElement):
    """``GeoMap.start(map, tiles)``: our script, which uses every other part, takes over."""

    default_js = [
        UTIL, STRINGS, I18N, SYMBOLS, DESCRIBE, LEGEND, TIMELINE, EVENTLIST, MAPLAYERS, PERMALINK,
        SEARCH, APP,
    ]
    default_css = [APP_CSS]

    _template = Template("""
        {% macro script(this, kwargs) %}
        GeoMap.start({{ this._parent.get_name() }}, {{ this.tiles.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, tiles):
        super().__init__()
        self.tiles = tiles
