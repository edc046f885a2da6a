"""The "Share" panel (address and <iframe> snippet) and the framed page, #embed=1
(static/share.js; styles in static/story.css)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement

from geo.site.elements.scripts import I18N, PERMALINK, SHARE, STORY, STORY_CSS, STRINGS, UTIL


class Share(JSCSSMixin, MacroElement):
    """Its scripts only: GeoMap.start (static/app.js) attaches it to the app.  After
    story.js, whose header row of actions it shares."""

    default_js = [UTIL, STRINGS, I18N, PERMALINK, STORY, SHARE]
    default_css = [STORY_CSS]
