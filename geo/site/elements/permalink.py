"""The map state (date, view, filters) kept in the address (static/permalink.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import PERMALINK, UTIL


class Permalink(JSCSSMixin, MacroElement):
    """Its scripts only: geo.site.elements.startapp starts them."""

    default_js = [UTIL, PERMALINK]
