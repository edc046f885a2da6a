"""The data's licence and what it is built from: written into every layer (FeatureCollection
members), shown on the site, and explained in LICENSE-DATA.md."""

from __future__ import annotations

DATA_LICENSE = "CC-BY-4.0"
DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"

# (what, by whom, licence): in the order a reader needs them
SOURCES = (
    ("Events, routes and statuses", "geo-dprk-routes, from the sources cited", "CC BY 4.0"),
    ("Place coordinates", "GeoNames (geonames.org)", "CC BY 4.0"),
    ("Rail and road track geometry", "OpenStreetMap contributors, via scgraph-data", "ODbL 1.0"),
    ("Sea paths' land mask", "GSHHG (Wessel and Smith 1996), via roaring-landmask", "LGPL"),
    ("Country outlines", "Natural Earth", "public domain"),
)

ATTRIBUTION = (
    "geo-dprk-routes (CC BY 4.0), from the sources each feature cites; places: GeoNames "
    "(CC BY 4.0); rail and road tracks: © OpenStreetMap contributors (ODbL), via scgraph-data; "
    "sea paths: GSHHG land mask; outlines: Natural Earth"
)
