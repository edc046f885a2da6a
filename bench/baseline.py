"""The obvious way to turn routes.yaml into GeoJSON layers and a time-slider map.

What a competent analyst would write without this tool: load the YAML with PyYAML's C
loader, look places up in a dict (curated gazetteer plus the file's own places), build one
GeoDataFrame per layer and write it with ``GeoDataFrame.to_file(driver="GeoJSON")``, and
make the map with folium's stock ``TimestampedGeoJson`` plugin.  It shares our geometry
code (great circles, waypoints, the antimeridian) so that the comparison is about loading
and writing, and it does *less* than ``geo build``: no schema, no date or reference checks,
no line numbers.

    python -m bench.baseline routes.yaml OUT_DIR      # prints its phase times as JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.measure import Laps

STATUS_COLOURS = {"air": "#1f77b4", "rail": "#d62728", "sea": "#2ca02c", "road": "#9467bd"}


def _places(raw: dict) -> dict:
    from geo.gazetteer import curated_places
    from geo.model import Place

    places = {p.id: p for p in curated_places()}
    for p in raw.get("places") or []:
        places[p["id"]] = Place(
            id=p["id"],
            name=p["name"],
            lat=float(p["lat"]),
            lon=float(p["lon"]),
            kind=p["kind"],
            country=p["country"],
            origin="local",
        )
    return places


def _lookup(places: dict, ref):
    if ref is None:
        return None
    if ref in places:
        return places[ref]
    from geo.gazetteer import Gazetteer

    place = Gazetteer(tuple(places.values())).resolve(str(ref)).place
    places[ref] = place
    return place


def _text(value) -> str:
    return value if isinstance(value, str) else str(value)


def _route(r: dict, places: dict):
    from geo.dates import parse_date
    from geo.model import Route, StatusChange, Waypoint

    stops = tuple(_lookup(places, ref) for ref in r["via"])
    status = tuple(
        StatusChange(parse_date(_text(s["since"])), s["status"], tuple(s.get("sources") or ()))
        for s in r["status"]
    )
    waypoints = tuple(
        Waypoint(
            after=_lookup(places, w["after"]).id,
            lat=float(w["lat"]),
            lon=float(w["lon"]),
            sources=tuple(w.get("sources") or ()),
        )
        for w in r.get("waypoints") or ()
    )
    return Route(
        id=r["id"],
        name=r["name"],
        mode=r["mode"],
        stops=stops,
        status=status,
        waypoints=waypoints,
        operator=r.get("operator"),
        service=r.get("service"),
        notes=r.get("notes"),
    )


def _shape(parts):
    from shapely.geometry import LineString, MultiLineString

    if not parts:
        return None
    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def build(data: Path, out: Path) -> dict[str, float]:
    """Write out/layers/*.geojson and out/site/index.html from *data*; return phase times."""
    laps = Laps()
    lap = laps.lap

    import yaml

    with open(data, encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=yaml.CSafeLoader)
    lap("load")

    import geopandas as gpd
    from shapely.geometry import Point

    from geo.dates import parse_date
    from geo.geometry import geodesic_path, route_path, stop_positions

    places = _places(raw)
    routes = {r["id"]: _route(r, places) for r in raw.get("routes") or []}
    paths = {rid: route_path(r) for rid, r in routes.items()}
    place_rows = [
        {
            "id": p.id,
            "name": p.name,
            "kind": p.kind,
            "country": p.country,
            "geometry": Point(p.lon, p.lat),
        }
        for p in places.values()
    ]
    route_rows = [
        {
            "id": r.id,
            "name": r.name,
            "mode": r.mode,
            "operator": r.operator,
            "via": [s.id for s in r.stops],
            "status": r.status[-1].status,
            "status_since": r.status[-1].since.text,
            "length_km": round(paths[r.id].length_km(), 1),
            "geometry": _shape(paths[r.id].parts()),
        }
        for r in routes.values()
    ]
    event_rows, movement_rows, timed = [], [], []
    lines: dict[tuple, object] = {}
    sources = raw.get("sources") or {}
    for e in raw.get("events") or []:
        date = parse_date(_text(e["date"]))
        end = parse_date(_text(e["end_date"])) if e.get("end_date") else date
        place, origin, dest = (_lookup(places, e.get(k)) for k in ("place", "from", "to"))
        where = (
            place
            or dest
            or origin
            or (routes[e["route"]].stops[0] if e.get("route") in routes else None)
        )
        people, amount = e.get("people") or {}, e.get("amount") or {}
        props = {
            "id": e["id"],
            "date": date.text,
            "date_precision": date.precision,
            "start": date.start.isoformat(),
            "end": end.end.isoformat(),
            "title": e["title"],
            "summary": e["summary"],
            "kind": e["kind"],
            "confidence": e["confidence"],
            "group": e.get("group"),
            "direction": e.get("direction"),
            "people_min": people.get("min"),
            "people_max": people.get("max"),
            "people_text": people.get("text"),
            "amount_value": amount.get("value"),
            "amount_currency": amount.get("currency"),
            "route": e.get("route"),
            "place": place and place.id,
            "from": origin and origin.id,
            "to": dest and dest.id,
            "location_name": where and where.name,
            "sources": json.dumps(
                [{"id": s, **(sources.get(s) or {})} for s in e["sources"]], ensure_ascii=False
            ),
        }
        point = Point(where.lon, where.lat) if where else None
        event_rows.append({**props, "geometry": point})
        if point is not None:
            timed.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [where.lon, where.lat]},
                    "properties": {
                        "times": [props["start"]],
                        "popup": props["title"],
                        "icon": "circle",
                        "iconstyle": {"radius": 4, "color": "#b30000", "fillOpacity": 0.6},
                    },
                }
            )
        if origin and dest:
            key = (e.get("route"), origin.id, dest.id)
            if key not in lines:
                route = routes.get(e.get("route"))
                positions = stop_positions(route, origin, dest) if route else None
                path = (
                    paths[route.id].between(*positions)
                    if positions
                    else geodesic_path(origin, dest)
                )
                lines[key] = (_shape(path.parts()), round(path.length_km(), 1))
            shape, length = lines[key]
            movement_rows.append(
                {
                    "id": e["id"],
                    "date": date.text,
                    "start": props["start"],
                    "end": props["end"],
                    "title": e["title"],
                    "group": e.get("group"),
                    "people_min": people.get("min"),
                    "from": origin.id,
                    "to": dest.id,
                    "length_km": length,
                    "geometry": shape,
                }
            )
    lap("prepare")

    layers = out / "layers"
    layers.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("places", place_rows),
        ("routes", route_rows),
        ("events", event_rows),
        ("movements", movement_rows),
    ):
        frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
        frame.to_file(layers / f"{name}.geojson", driver="GeoJSON")
    lap("layers")

    import folium
    from folium.plugins import TimestampedGeoJson

    m = folium.Map(location=[45.0, 130.0], zoom_start=4)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": row["geometry"].__geo_interface__,
                    "properties": {"name": row["name"], "mode": row["mode"]},
                }
                for row in route_rows
                if row["geometry"] is not None
            ],
        },
        style_function=lambda f: {
            "color": STATUS_COLOURS.get(f["properties"]["mode"], "#333"),
            "weight": 2,
        },
    ).add_to(m)
    # auto_play off: the benchmark moves the time itself; every other option is the default
    TimestampedGeoJson(
        {"type": "FeatureCollection", "features": timed}, period="P1M", auto_play=False
    ).add_to(m)
    site = out / "site"
    site.mkdir(parents=True, exist_ok=True)
    m.save(str(site / "index.html"))
    lap("site")
    return laps.times


def main(argv=None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        raise SystemExit("usage: python -m bench.baseline ROUTES_YAML OUT_DIR")
    print(json.dumps(build(Path(args[0]), Path(args[1]))))


if __name__ == "__main__":
    main()
