"""Where the page finds each of our scripts and styles in the site, as the (name, URL) pairs
folium's ``default_js``/``default_css`` hold.  An element lists every file it needs, those of
the scripts it builds on first: folium adds each file once, where it is first listed, so the
scripts load in an order where each finds the ones it uses."""

from __future__ import annotations

LEAFLET_JS = ("leaflet", "leaflet/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "leaflet/leaflet.css")
BASEMAP = ("geo_basemap", "basemap.js")  # generated: the offline outline
DATA = ("geo_data", "data.js")  # generated: geo.site.payload
UTIL = ("geo_util", "assets/util.js")
STRINGS = ("geo_strings", "assets/strings.js")  # the interface strings, per language
I18N = ("geo_i18n", "assets/i18n.js")
SYMBOLS = ("geo_symbols", "assets/symbols.js")
DESCRIBE = ("geo_describe", "assets/describe.js")
LEGEND = ("geo_legend", "assets/legend.js")
TIMELINE = ("geo_timeline", "assets/timeline.js")
EVENTLIST = ("geo_eventlist", "assets/eventlist.js")
MAPLAYERS = ("geo_maplayers", "assets/maplayers.js")
PERMALINK = ("geo_permalink", "assets/permalink.js")
STORY = ("geo_story", "assets/story.js")
SHARE = ("geo_share", "assets/share.js")
STORY_CSS = ("geo_story_css", "assets/story.css")
SEARCH = ("geo_search", "assets/search.js")
SEARCH_CSS = ("geo_search_css", "assets/search.css")
APP = ("geo_app", "assets/app.js")
APP_CSS = ("site_css", "assets/app.css")
