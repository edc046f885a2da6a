"""A QGIS style (.qml) for each layer, written next to it, so that a layer dragged into QGIS
draws with the map's colours (geo.symbols) and, for the dated layers, has its Temporal
Controller settings on: ``start`` to ``end``, QGIS's default limits (begin included, end
excluded).  QGIS loads ``routes.qml`` by itself when it opens ``routes.geojson``.

The files are plain text built from fixed templates, the same bytes for the same symbols; only
what QGIS 3.22 needs is written (it fills in its defaults for the rest)."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from geo.symbols import (
    CONFIDENCE_FILL_OPACITY,
    EVENT_COLOR,
    EVENT_RADIUS,
    EVENT_WEIGHT,
    MODE_COLORS,
    MOVEMENT_STYLE,
    PLACE_FILL,
    PLACE_RADIUS,
    PLACE_STROKE,
    PLACE_WEIGHT,
    STATUS_ORDER,
    STATUS_STYLES,
    LineStyle,
    route_color,
)

_HEAD = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
_TEMPORAL = (
    '  <temporal enabled="1" mode="2" startField="start" endField="end" limitMode="0"'
    ' accumulate="0" fixedDuration="0" durationUnit="min" durationField=""'
    ' startExpression="" endExpression="">\n'
    "    <fixedRange>\n      <start></start>\n      <end></end>\n    </fixedRange>\n"
    "  </temporal>\n"
)
_GEOMETRY_TYPE = {"point": 0, "line": 1}


def layer_styles() -> dict[str, bytes]:
    """file name ("routes.qml") -> the style's bytes, for every layer."""
    styles = {
        "places": _document(_single("places", _place_symbol()), "point", temporal=False),
        "routes": _document(_rules("routes", _route_rules()), "line", temporal=True),
        "events": _document(_rules("events", _event_rules()), "point", temporal=True),
        "movements": _document(_single("movements", _line_symbol(MOVEMENT_STYLE)), "line", True),
        "route_status": _document(_rules("route_status", _route_rules()), "line", temporal=True),
    }
    return {f"{name}.qml": text.encode("utf-8") for name, text in styles.items()}


def _document(renderer: str, geometry: str, temporal: bool) -> str:
    categories = "Symbology|Temporal" if temporal else "Symbology"
    return "".join(
        (
            _HEAD,
            f'<qgis styleCategories="{categories}" version="3.22.0">\n',
            _TEMPORAL if temporal else "",
            renderer,
            f"  <layerGeometryType>{_GEOMETRY_TYPE[geometry]}</layerGeometryType>\n",
            "</qgis>\n",
        )
    )


def _single(name: str, symbol: str) -> str:
    return (
        '  <renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0"'
        ' enableorderby="0">\n'
        f"    <symbols>\n{symbol.format(name='0')}    </symbols>\n"
        "  </renderer-v2>\n"
    )


def _rules(name: str, rules: list[tuple[str, str, str]]) -> str:
    """A rule-based renderer: (filter expression, legend label, symbol) per rule."""
    lines = [
        '  <renderer-v2 type="RuleRenderer" symbollevels="0" forceraster="0" enableorderby="0">\n',
        f'    <rules key="{name}-rules">\n',
    ]
    for k, (expression, label, _) in enumerate(rules):
        lines.append(
            f"      <rule key=\"{name}-{k}\" symbol=\"{k}\" filter={quoteattr(expression)}"
            f" label={quoteattr(label)}/>\n"
        )
    lines.append("    </rules>\n    <symbols>\n")
    lines.extend(symbol.format(name=str(k)) for k, (_, _, symbol) in enumerate(rules))
    lines.append("    </symbols>\n  </renderer-v2>\n")
    return "".join(lines)


def _route_rules() -> list[tuple[str, str, str]]:
    """One rule per status, per mode where the colour is the mode's (as on the map)."""
    rules = []
    for status in STATUS_ORDER:
        style = STATUS_STYLES[status]
        test = f"\"status\" = '{status}'"
        if style.color:
            rules.append((test, style.label, _line_symbol(style)))
            continue
        for mode in MODE_COLORS:
            color = route_color(mode, status)
            line = LineStyle(style.label, color, style.dash, style.width, style.opacity, style.cap)
            rules.append(
                (f"{test} AND \"mode\" = '{mode}'", f"{style.label}, {mode}", _line_symbol(line))
            )
    return rules


def _event_rules() -> list[tuple[str, str, str]]:
    rules = []
    for confidence, fill_opacity in CONFIDENCE_FILL_OPACITY.items():
        symbol = _marker_symbol(
            EVENT_RADIUS * 2,
            _rgba(EVENT_COLOR, fill_opacity),
            _rgba(EVENT_COLOR, 1),
            EVENT_WEIGHT,
            "dot" if confidence == "rumoured" else "solid",
        )
        rules.append((f"\"confidence\" = '{confidence}'", confidence.capitalize(), symbol))
    return rules


def _place_symbol() -> str:
    return _marker_symbol(
        PLACE_RADIUS * 2, _rgba(PLACE_FILL, 1), _rgba(PLACE_STROKE, 1), PLACE_WEIGHT, "solid"
    )


def _options(options: dict[str, str]) -> str:
    items = "".join(
        f'            <Option name="{k}" type="QString" value={quoteattr(v)}/>\n'
        for k, v in options.items()
    )
    return f'          <Option type="Map">\n{items}          </Option>\n'


def _symbol(kind: str, alpha: float, layer_class: str, options: dict[str, str]) -> str:
    """A symbol with one layer; '{name}' is left for the renderer to fill in."""
    return (
        f'      <symbol name="{{name}}" type="{kind}" alpha="{_number(alpha)}"'
        ' clip_to_extent="1" force_rhr="0">\n'
        f'        <layer class="{layer_class}" enabled="1" locked="0" pass="0">\n'
        + _options(options).replace("{", "{{").replace("}", "}}")
        + "        </layer>\n      </symbol>\n"
    )


def _line_symbol(style: LineStyle) -> str:
    options = {
        "capstyle": "round" if style.cap == "round" else "flat",
        "joinstyle": "round",
        "line_color": _rgba(style.color or MODE_COLORS["rail"], 1),
        "line_style": "solid",
        "line_width": _number(style.width),
        "line_width_unit": "Pixel",
        "use_custom_dash": "1" if style.dash else "0",
        "customdash": style.dash.replace(" ", ";") if style.dash else "5;2",
        "customdash_unit": "Pixel",
    }
    return _symbol("line", style.opacity, "SimpleLine", options)


def _marker_symbol(size: float, fill: str, stroke: str, stroke_width: float, dash: str) -> str:
    options = {
        "name": "circle",
        "color": fill,
        "outline_color": stroke,
        "outline_style": dash,
        "outline_width": _number(stroke_width),
        "outline_width_unit": "Pixel",
        "size": _number(size),
        "size_unit": "Pixel",
    }
    return _symbol("marker", 1, "SimpleMarker", options)


def _rgba(color: str, opacity: float) -> str:
    """'#c2185b' at 0.45 -> '194,24,91,115', QGIS's colour text."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(opacity * 255)}"


def _number(value: float) -> str:
    return f"{value:g}"
