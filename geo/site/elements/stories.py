"""The story player: the "Stories" button, the list of stories and the step panel
(static/story.js, static/story.css)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import (
    DESCRIBE,
    I18N,
    PERMALINK,
    STORY,
    STORY_CSS,
    STRINGS,
    SYMBOLS,
    UTIL,
)


class Stories(JSCSSMixin, MacroElement):
    """Its scripts only: GeoMap.start (static/app.js) attaches it to the app."""

    default_js = [UTIL, STRINGS, I18N, SYMBOLS, DESCRIBE, PERMALINK, STORY]
    default_css = [STORY_CSS]
