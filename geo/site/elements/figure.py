"""The folium Figure the map is rendered in."""

from __future__ import annotations

from branca.element import Element, Figure


class SiteFigure(Figure):
    """A Figure whose header starts empty: the page declares its charset itself, first, with
    its Content-Security-Policy (a Figure starts its header with a second charset tag)."""

    def __init__(self):
        super().__init__()
        self.header = Element()
