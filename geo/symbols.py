"""How the map draws routes, events, movements and places, for the layers' style fields and
their QGIS styles: the same values as geo/site/static/symbols.js (tests/test_qgis_styles.py
holds the two together), so a layer dragged into QGIS looks like the map."""

from __future__ import annotations

from dataclasses import dataclass

MODE_COLORS = {"air": "#6a3d9a", "rail": "#1f5fa8", "sea": "#00796b", "road": "#8a4b0f"}


@dataclass(frozen=True)
class LineStyle:
    """A line as Leaflet draws it: colour (None: the mode's), width and dashes in pixels."""

    label: str
    color: str | None
    dash: str | None  # Leaflet's dashArray, "4 6": 4 px drawn, 6 px gap
    width: float
    opacity: float
    cap: str = "butt"


STATUS_STYLES = {
    "planned": LineStyle("Planned", "#6b6b6b", "4 6", 2, 0.85),
    "under_construction": LineStyle("Under construction", "#d35400", "10 6", 2.5, 0.95),
    "operating": LineStyle("Operating", None, None, 3, 0.9),
    "suspended": LineStyle("Suspended", "#8b1a1a", "1 7", 3, 0.8, "round"),
    "closed": LineStyle("Closed", None, None, 2, 0.3),
}
STATUS_ORDER = ("operating", "under_construction", "planned", "suspended", "closed")

EVENT_COLOR = "#c2185b"
CONFIDENCE_FILL_OPACITY = {"confirmed": 0.95, "reported": 0.45, "rumoured": 0.0}
EVENT_RADIUS = 7  # px: an event in the period the map shows
EVENT_WEIGHT = 2
MOVEMENT_STYLE = LineStyle("Movement", EVENT_COLOR, None, 2, 0.85, "round")
PLACE_RADIUS = 4
PLACE_FILL = "#2b2b2b"
PLACE_STROKE = "#ffffff"
PLACE_WEIGHT = 1.5


def route_color(mode: str, status: str) -> str:
    """The colour of a route with *status*: its own, or the mode's (operating, closed)."""
    return STATUS_STYLES[status].color or MODE_COLORS.get(mode, MODE_COLORS["rail"])
