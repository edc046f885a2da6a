"""The HTML page: a folium map whose generated script becomes ``map.js``, inside our page shell.

folium renders a page full of CDN links and inline <script>/<style> blocks.  Here the map
and our elements (geo.site.elements) list only the site's own files, their templates write no
inline styles or scripts, and their names are fixed so two builds are byte-identical.  The
page then needs no 'unsafe-inline' at all: the Content-Security-Policy allows scripts and
styles only from the site itself, and images also from the tile server.
"""

from __future__ import annotations

from importlib import resources
from urllib.parse import urlsplit

from geo.attribution import DATA_LICENSE_URL, OSM_COPYRIGHT_URL, SOURCES
from geo.model import CONFIDENCES, MODES

TITLE = "North Korea–Russia–China movements map"
DESCRIPTION = (
    "How North Korean workers, students, tourists, sailors and cash move between North Korea, "
    "Russia and China: routes, their status over time, and dated events, each with its sources."
)
TILE_PROVIDER = "OpenStreetMap.Mapnik"
GROUPS = (
    "workers",
    "students",
    "tourists",
    "sailors",
    "officials",
    "diplomats",
    "passengers",
    "leaders",
    "traders",
    "cash",
    "cargo",
    "general",
)
# The rail and road lines drawn on the map are OpenStreetMap data (ODbL), whatever the tiles.
TRACKS_ATTRIBUTION = (
    f'Tracks © <a href="{OSM_COPYRIGHT_URL}">OpenStreetMap</a> contributors (ODbL); '
    'places: <a href="https://www.geonames.org">GeoNames</a>; '
    f'data <a href="{DATA_LICENSE_URL}">CC BY 4.0</a>'
)

LAYER_INFO = {
    "routes.geojson": "Every route as a line (air routes as great-circle arcs), with its mode, "
    "operator, length and dated status history.",
    "events.geojson": "Every dated event as a point, with its date as written and as a full-date "
    "start/end for GIS time sliders, the people involved, confidence and sources.",
    "movements.geojson": "One line per reported movement of people or cash, from where it started "
    "to where it ended, with its date and the numbers reported.",
    "places.geojson": "The stations, ports, airports, bridges and cities used by routes and "
    "events, with their names in other scripts.",
    "route_status.geojson": "Every route once per status period (planned, operating, suspended…), "
    "dated and coloured as on this map, for QGIS's time controller.",
}


def tile_provider():
    import xyzservices.providers as providers

    return providers.query_name(TILE_PROVIDER)


def tile_origin(provider) -> str:
    """scheme://host of the tile server (its only outside origin), for the CSP."""
    parts = urlsplit(provider.build_url(fill_subdomain=False))
    host = parts.hostname or ""
    if "{s}" in host:
        host = host.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def content_security_policy(tiles: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: {tiles}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render_map(payload: dict) -> tuple[str, str, str]:
    """Build the folium map and our elements on it; return (head links, map <div>, map
    script)."""
    from geo.site.elements.eventlist import EventList
    from geo.site.elements.figure import SiteFigure
    from geo.site.elements.languages import Languages
    from geo.site.elements.legend import Legend
    from geo.site.elements.mapdata import MapData
    from geo.site.elements.maplayers import MapLayers
    from geo.site.elements.permalink import Permalink
    from geo.site.elements.search import Search
    from geo.site.elements.share import Share
    from geo.site.elements.sitemap import SiteMap
    from geo.site.elements.startapp import StartApp
    from geo.site.elements.stories import Stories
    from geo.site.elements.tiles import BaseTiles
    from geo.site.elements.timeslider import TimeSlider

    bounds = payload["meta"]["bounds"] or [[35.0, 100.0], [55.0, 140.0]]
    center = [
        round((bounds[0][0] + bounds[1][0]) / 2, 6),
        round((bounds[0][1] + bounds[1][1]) / 2, 6),
    ]
    m = SiteMap(
        location=center,
        zoom_start=4,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        min_zoom=2,
        max_zoom=12,
        world_copy_jump=False,
        zoom_snap=0.5,
    )
    figure = SiteFigure()
    figure.add_child(m)
    provider = tile_provider()
    tiles = BaseTiles(
        tiles=provider,
        name="tiles",
        attr=f"{provider.html_attribution} | {TRACKS_ATTRIBUTION}",
        max_zoom=min(12, provider.get("max_zoom", 19)),
    )
    elements = (
        MapData(), Languages(), Legend(), TimeSlider(), EventList(), MapLayers(), Permalink(),
        Search(),
    )
    elements += (Stories(), Share())
    for element in (tiles, *elements, StartApp(tiles)):
        element.add_to(m)
    figure.render()
    return figure.header.render(), figure.html.render(), figure.script.render()


def render_page(
    dataset, payload: dict, layer_sizes: dict[str, int], layer_features: dict[str, int]
) -> tuple[str, str]:
    """Return (index.html, map.js).  layer_sizes/layer_features: bytes and features per file.

    Every script loads with ``defer``, in the order written: folium's links in <head> (Leaflet,
    then the data and our scripts, see geo.site.elements.scripts), map.js last."""
    import jinja2

    head, map_div, map_script = render_map(payload)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("geo.site") / "templates")),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    groups_present = {e.group for e in dataset.events if e.group}
    modes_present = {r.mode for r in dataset.routes}
    downloads = [
        {
            "file": name,
            "description": LAYER_INFO[name],
            "bytes": layer_sizes[name],
            "features": layer_features[name],
        }
        for name in (
            "routes.geojson",
            "route_status.geojson",
            "events.geojson",
            "movements.geojson",
            "places.geojson",
        )
    ]
    html = env.get_template("index.html.j2").render(
        title=TITLE,
        description=DESCRIPTION,
        csp=content_security_policy(tile_origin(tile_provider())),
        head=_markup(_deferred(head)),
        map_div=_markup(map_div),
        groups=[g for g in GROUPS if g in groups_present],
        has_ungrouped=any(e.group is None for e in dataset.events),
        modes=[m for m in MODES if m in modes_present],
        confidences=CONFIDENCES,
        downloads=downloads,
        meta=payload["meta"],
        period_end_label=_day_label(payload["meta"]["period"]["end"]),
        period_days=_days_between(
            payload["meta"]["period"]["start"], payload["meta"]["period"]["end"]
        ),
        source_count=len(dataset.sources),
        event_count=len(dataset.events),
        route_count=len(dataset.routes),
        data_sources=SOURCES,
    )
    return html, _normalise_script(map_script)


def _days_between(start: str, end: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def _day_label(iso: str) -> str:
    import datetime as dt

    from geo.site.payload import MONTHS

    day = dt.date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _deferred(head: str) -> str:
    """folium's <script src> tags with ``defer``, like the page's own: every script is then
    fetched at once and run in document order once the page is parsed, instead of one
    after the other (a blocking script in <head> stops the parser until it has run)."""
    return head.replace("<script src=", "<script defer src=")


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


def _normalise_script(script: str) -> str:
    lines = [line.strip() for line in script.splitlines()]
    body = "\n".join(line for line in lines if line)
    header = "/* Generated by folium: the Leaflet map and its tile layer. */"
    return f"{header}\n(function () {{\n{body}\n}}());\n"
