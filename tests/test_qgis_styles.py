"""The QGIS styles (.qml) beside the layers: the map's own colours (geo/site/static/symbols.js),
one per layer, valid XML, the same bytes on every build.  (tests/test_qgis.py loads them in QGIS.)"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from geo.fields import FIELDS
from geo.qml import layer_styles
from geo.symbols import (
    CONFIDENCE_FILL_OPACITY,
    EVENT_COLOR,
    MODE_COLORS,
    MOVEMENT_STYLE,
    PLACE_FILL,
    STATUS_STYLES,
)

ROOT = Path(__file__).resolve().parent.parent
SYMBOLS_JS = (ROOT / "geo" / "site" / "static" / "symbols.js").read_text(encoding="utf-8")


def _js_entry(name: str) -> str:
    """The text of `name: { ... }` in symbols.js."""
    found = re.search(rf"\b{name}: \{{([^}}]*)\}}", SYMBOLS_JS)
    assert found, name
    return found.group(1)


def _js_value(entry: str, key: str) -> str | None:
    found = re.search(rf"\b{key}: (\"[^\"]*\"|[0-9.]+|null)", entry)
    assert found, (entry, key)
    value = found.group(1)
    return None if value == "null" else value.strip('"')


def test_mode_and_status_styles_are_those_of_the_website():
    for mode, color in MODE_COLORS.items():
        assert _js_value(_js_entry(mode), "color") == color, mode
    for status, style in STATUS_STYLES.items():
        entry = _js_entry(status)
        assert _js_value(entry, "color") == style.color, status
        assert _js_value(entry, "dashArray") == style.dash, status
        assert float(_js_value(entry, "weight")) == style.width, status
        assert float(_js_value(entry, "opacity")) == style.opacity, status
    for confidence, opacity in CONFIDENCE_FILL_OPACITY.items():
        assert float(_js_value(_js_entry(confidence), "fillOpacity")) == opacity
    assert f'EVENT_COLOR = "{EVENT_COLOR}"' in SYMBOLS_JS
    assert f'fillColor: "{PLACE_FILL}"' in SYMBOLS_JS
    movement = re.search(r"MOVEMENT_STYLE = \{([^}]*)\}", SYMBOLS_JS).group(1)
    assert float(_js_value(movement, "weight")) == MOVEMENT_STYLE.width
    assert float(_js_value(movement, "opacity")) == MOVEMENT_STYLE.opacity


def test_one_style_per_layer_valid_xml_and_deterministic():
    styles = layer_styles()
    assert sorted(styles) == sorted(f"{name}.qml" for name in FIELDS)
    assert styles == layer_styles()
    for name, data in styles.items():
        root = ET.fromstring(data.decode("utf-8").split("\n", 1)[1])
        assert root.tag == "qgis", name
        temporal = root.find("temporal")
        if name == "places.qml":
            assert temporal is None
        else:
            assert (temporal.get("startField"), temporal.get("endField")) == ("start", "end")
            assert temporal.get("limitMode") == "0", "QGIS's default: begin in, end out"


def test_route_styles_colour_each_status_and_mode_as_the_map_does():
    root = ET.fromstring(layer_styles()["route_status.qml"].decode("utf-8").split("\n", 1)[1])
    rules = {r.get("filter"): r.get("symbol") for r in root.iter("rule")}
    symbols = {s.get("name"): s for s in root.iter("symbol")}

    def option(symbol, key):
        return next(o.get("value") for o in symbol.iter("Option") if o.get("name") == key)

    operating_rail = symbols[rules["\"status\" = 'operating' AND \"mode\" = 'rail'"]]
    assert option(operating_rail, "line_color") == "43,111,234,255"  # #2b6fea
    assert operating_rail.get("alpha") == "0.9"
    suspended = symbols[rules["\"status\" = 'suspended'"]]
    assert option(suspended, "line_color") == "139,26,26,255"  # #8b1a1a
    assert (option(suspended, "use_custom_dash"), option(suspended, "customdash")) == ("1", "1;7")


def test_the_committed_styles_are_those_the_build_writes():
    for name, data in layer_styles().items():
        assert (ROOT / "layers" / name).read_bytes() == data, f"layers/{name}: run `geo build`"
