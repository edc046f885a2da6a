"""Our map as folium elements, one per module, the way folium's plugins are written: each a
class with its Jinja ``_template`` macros (if it writes any code) and the scripts and styles it
needs in ``default_js``/``default_css``, all served from the site itself.

``figure`` the page's folium Figure; ``sitemap`` the Leaflet map; ``tiles`` the tile layer;
``mapdata`` the generated data; ``legend``, ``timeslider``, ``eventlist``, ``maplayers``,
``permalink`` the parts of our page script (geo/site/static); ``startapp`` hands the map to it;
``scripts`` the (name, URL) of each of our files.
"""

from __future__ import annotations

import sys

if "pandas" not in sys.modules:
    # folium imports pandas when it is installed, only to accept DataFrames, which we never
    # pass: that is most of a small build's time. folium is imported without it (its own
    # ImportError fallback); pandas stays importable for anything that needs it later.
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        import folium  # noqa: F401
    finally:
        del sys.modules["pandas"]
