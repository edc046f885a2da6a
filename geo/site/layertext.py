"""Read the GeoJSON layers the site is built from, without decoding what it does not need.

The page needs each feature's id and geometry, and one or two properties; json.loads would
decode every property of every feature (3 s for the 100,000 events of a large archive, most
of it text the page takes from the Dataset instead).  geo.layers writes one feature per
line, ``{"type":"Feature","id":…,"geometry":…,"properties":{…}}``, so a layer in that
layout is read line by line: the id and geometry are decoded (each distinct geometry once:
thousands of events share a point or a line) and a property only when asked for.  Any
other layout is decoded in full with json.loads, as GeoJSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from geo.errors import GeoError

_HEAD = '{"type":"FeatureCollection","features":[\n'
_TAIL = "\n]}\n"
_FEATURE = '{"type":"Feature","id":'
_GEOMETRY = ',"geometry":'
_PROPERTIES = ',"properties":'
_decode = json.JSONDecoder().raw_decode


@dataclass(frozen=True)
class Feature:
    id: str | None
    geometry: dict | None  # shared between features with the same geometry: do not modify
    _properties: dict | None = None  # decoded properties (a layer read in full)
    _text: str = field(default="", repr=False)  # the properties object as text (one-line layout)
    rounded: bool = False  # coordinates written by geo.layers, at 6 decimals already

    def prop(self, key: str):
        """A top-level property, or None.  In the one-line layout the key is found in the
        text: its first occurrence is the top-level one (see read_layer), and a quote inside
        a JSON string is escaped, so '"key":' cannot occur inside a value."""
        if self._properties is not None:
            return self._properties.get(key)
        at = self._text.find(f'"{key}":')
        if at < 0:
            return None
        return _decode(self._text, at + len(key) + 3)[0]


def read_layer(name: str, text, by_line: bool = True) -> list[Feature]:
    """The features of layer *name*; GeoError if it is not a GeoJSON FeatureCollection.

    *by_line*: read geo.layers' one-line layout lazily.  Only for layers whose properties
    have their nested objects last (events, movements), so that a key's first occurrence in
    the text is the top-level one; small layers are simply decoded in full.
    """
    if by_line and isinstance(text, str) and text.startswith(_HEAD) and text.endswith(_TAIL):
        features = _read_lines(text)
        if features is not None:
            return features
    return _read_json(name, text)


def count_features(name: str, text) -> int:
    """How many features layer *name* has, without reading them when it is in the one-line
    layout; GeoError if it is not a GeoJSON FeatureCollection."""
    if isinstance(text, str) and text.startswith(_HEAD) and text.endswith(_TAIL):
        body = text[len(_HEAD) : -len(_TAIL)]
        if not body:
            return 0
        lines = body.count("\n") + 1
        if body.startswith(_FEATURE) and body.count("\n" + _FEATURE) == lines - 1:
            return lines
    return len(_read_json(name, text))


def _read_lines(text: str) -> list[Feature] | None:
    body = text[len(_HEAD) : -len(_TAIL)]
    if not body:
        return []
    geometries: dict[str, object] = {}
    out = []
    try:
        for line in body.split("\n"):
            if line.endswith(","):
                line = line[:-1]
            if not line.startswith(_FEATURE) or not line.endswith("}}"):
                return None
            fid, end = _decode(line, len(_FEATURE))
            if not line.startswith(_GEOMETRY, end):
                return None
            start = end + len(_GEOMETRY)
            props = line.find(_PROPERTIES, start)  # geometries hold numbers and type names only
            if props < 0:
                return None
            key = line[start:props]
            geometry = geometries.get(key)
            if geometry is None:
                geometry = geometries[key] = json.loads(key)
            text = line[props + len(_PROPERTIES) : -1]
            out.append(
                Feature(None if fid is None else str(fid), geometry, None, text, rounded=True)
            )
    except ValueError:
        return None  # not the layout after all: json.loads says what is wrong
    return out


def _read_json(name: str, text) -> list[Feature]:
    try:
        layer = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise GeoError(
            f"site: layer {name} is not valid GeoJSON text ({exc}); rebuild the layers"
        ) from exc
    if not isinstance(layer, dict) or layer.get("type") != "FeatureCollection":
        raise GeoError(f"site: layer {name} is not a GeoJSON FeatureCollection; rebuild the layers")
    out = []
    for feature in layer.get("features", []):
        properties = feature.get("properties") or {}
        fid = feature.get("id")
        if fid is None:
            fid = properties.get("id")
        out.append(Feature(None if fid is None else str(fid), feature.get("geometry"), properties))
    return out
