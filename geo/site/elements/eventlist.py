"""The list of events beside the map (static/eventlist.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import DESCRIBE, EVENTLIST, SYMBOLS, UTIL


class EventList(JSCSSMixin, MacroElement):
    """Its scripts only: geo.site.elements.startapp starts them."""

    default_js = [UTIL, SYMBOLS, DESCRIBE, EVENTLIST]
