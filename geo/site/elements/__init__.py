"""Our map as folium elements, one per module, the way folium's plugins are written: each a
class with its Jinja ``_template`` macros (if it writes any code) and the scripts and styles it
needs in ``default_js``/``default_css``, all served from the site itself.

``figure`` the page's folium Figure; ``sitemap`` the Leaflet map; ``tiles`` the tile layer;
``mapdata`` the generated data; ``legend``, ``timeslider``, ``eventlist``, ``maplayers``,
``permalink`` the parts of our page script (geo/site/static); ``startapp`` hands the map to it;
``scripts`` the (name, URL) of each of our files.
"""
