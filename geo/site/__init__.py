"""The static map website: ``write_site(dataset, layers, out_dir)`` builds ``site/``.

The page is a folium (Leaflet) map whose every script and style is served from the site
itself; our own JavaScript in ``static/`` draws the data, which reaches the page as a
generated ``data.js``.  Modules: ``payload`` (Dataset + the layers' features -> the data the
page reads), ``basemap`` (offline Natural Earth outline), ``elements/`` (our map and its
scripts as folium elements), ``page`` (folium figure + HTML page), ``assets`` (copying
Leaflet and our files, writing the output directory atomically), ``build`` (all of them in
order).
"""

from __future__ import annotations

from geo.fields import LAYER_FILES
from geo.site.build import write_site

__all__ = ["LAYER_FILES", "write_site"]
