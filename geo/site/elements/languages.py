"""The page's languages: the string tables and the switch (static/strings.js, static/i18n.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import I18N, SEARCH_CSS, STRINGS, UTIL


class Languages(JSCSSMixin, MacroElement):
    """Its scripts only, added before every script that shows text (they read G.t as they
    load); geo.site.elements.startapp translates the page and builds the switch."""

    default_js = [UTIL, STRINGS, I18N]
    default_css = [SEARCH_CSS]
