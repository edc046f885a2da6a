"""The date slider, its month histogram and play button (static/timeline.js)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import TIMELINE, UTIL


class TimeSlider(JSCSSMixin, MacroElement):
    """Its scripts only: geo.site.elements.startapp starts them."""

    default_js = [UTIL, TIMELINE]
