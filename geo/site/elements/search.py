"""The search box over events, places and routes (static/search.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import DESCRIBE, I18N, SEARCH, SEARCH_CSS, STRINGS, UTIL


class Search(JSCSSMixin, MacroElement):
    """Its scripts only: geo.site.elements.startapp starts it with the app."""

    default_js = [UTIL, STRINGS, I18N, DESCRIBE, SEARCH]
    default_css = [SEARCH_CSS]
