"""The Leaflet map: folium.Map without inline <style>/<script> and without jQuery."""

from __future__ import annotations

import folium
from folium.template import Template

from geo.site.elements.scripts import LEAFLET_CSS, LEAFLET_JS


class SiteMap(folium.Map):
    """The map, with a fixed name (``map_geo``) so that two builds write the same bytes, and
    the self-hosted Leaflet as its only assets."""

    default_js = [LEAFLET_JS]
    default_css = [LEAFLET_CSS]

    _template = Template("""
        {% macro html(this, kwargs) %}
        <div class="folium-map" id="{{ this.get_name() }}"></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.map(
            {{ this.get_name()|tojson }},
            {
                center: {{ this.location|tojson }},
                crs: L.CRS.{{ this.crs }},
                ...{{ this.options|tojavascript }}
            }
        );
        {%- if this.control_scale %}
        L.control.scale({imperial: false}).addTo({{ this.get_name() }});
        {%- endif %}
        {% endmacro %}
    """)

    def get_name(self) -> str:
        return "map_geo"
