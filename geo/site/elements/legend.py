"""The legend of symbols and line widths (static/legend.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import LEGEND, SYMBOLS, UTIL


class Legend(JSCSSMixin, MacroElement):
    """Its scripts only: geo.site.elements.startapp starts them."""

    default_js = [UTIL, SYMBOLS, LEGEND]
