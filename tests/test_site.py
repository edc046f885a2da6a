"""The built site without a browser: files, self-hosting, CSP, escaping, reproducibility."""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
from pathlib import Path

import pytest
from browser_util import TILE_HOST, build_site
from site_fixtures import XSS_SUMMARY, XSS_TITLE, hostile_routes

from geo.dates import parse_date
from geo.errors import GeoError
from geo.site import LAYER_FILES
from geo.site.payload import date_label, first_view, http_url, js_assignment

DATA = Path(__file__).parent / "data"


class Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>/<style>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = tag

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None

    def handle_data(self, data):
        if self._open and data.strip():
            self.inline.append((self._open, data))


def parse(html_text: str) -> Tags:
    tags = Tags()
    tags.feed(html_text)
    return tags


def read_js_assignment(path: Path, name: str):
    text = path.read_text(encoding="utf-8")
    prefix = f"window.{name} = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("small") / "site"
    layers = build_site(DATA / "small.yaml", out)
    return out, layers


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    out = folder / "site"
    build_site(hostile_routes(folder / "routes.yaml"), out)
    return out


# ---------------------------------------------------------------- files


def test_site_holds_page_scripts_leaflet_and_the_four_layers(small_site):
    site, layers = small_site
    for name in (
        "index.html",
        "map.js",
        "data.js",
        "basemap.js",
        "assets/app.js",
        "assets/app.css",
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/images/layers.png",
    ):
        assert (site / name).is_file(), name
    for name in LAYER_FILES:
        assert (site / "data" / name).read_bytes() == layers[name].encode("utf-8"), name


def test_every_script_and_style_the_page_loads_exists_in_the_site(small_site):
    site, _ = small_site
    tags = parse((site / "index.html").read_text(encoding="utf-8"))
    urls = [a["src"] for t, a in tags.tags if t == "script"]
    urls += [a["href"] for t, a in tags.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert "leaflet/leaflet.js" in urls and "data.js" in urls and "map.js" in urls
    for url in urls:
        assert not re.match(r"^([a-z]+:)?//", url), f"{url} is not served from the site"
        assert (site / url).is_file(), url
    assert urls.index("data.js") < urls.index("assets/app.js") < urls.index("map.js")


def test_page_has_no_inline_script_or_style_and_no_cdn_leftovers(small_site):
    site, _ = small_site
    page = (site / "index.html").read_text(encoding="utf-8")
    tags = parse(page)
    assert tags.inline == []
    assert all("style" not in attrs for _, attrs in tags.tags)
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in tags.tags)
    generated = page + (site / "map.js").read_text(encoding="utf-8")
    for unwanted in (
        "jquery",
        "bootstrap",
        "font-awesome",
        "fontawesome",
        "awesome-markers",
        "cdn.jsdelivr",
        "cdnjs",
        "googleapis",
        "L_NO_TOUCH",
    ):
        assert unwanted not in generated.lower(), unwanted


def test_content_security_policy_allows_scripts_only_from_the_site(small_site):
    site, _ = small_site
    tags = parse((site / "index.html").read_text(encoding="utf-8"))
    metas = [
        a
        for t, a in tags.tags
        if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert len(metas) == 1
    policy = dict(
        (d.split()[0], d.split()[1:])
        for d in (p.strip() for p in metas[0]["content"].split(";"))
        if d
    )
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert f"https://{TILE_HOST}" in policy["img-src"]
    assert not any("unsafe" in v for values in policy.values() for v in values)
    assert f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png" in (site / "map.js").read_text(
        encoding="utf-8"
    )


def test_map_script_is_generated_by_folium_with_fixed_ids(small_site):
    site, _ = small_site
    script = (site / "map.js").read_text(encoding="utf-8")
    assert "L.map(" in script and "L.tileLayer(" in script and "preferCanvas" in script
    assert "GeoMap.start(map_geo, tile_layer_base);" in script
    assert not re.search(
        r"_[0-9a-f]{32}", script + (site / "index.html").read_text(encoding="utf-8")
    )
    assert "OpenStreetMap" in script  # the tile provider's attribution


def test_building_a_site_leaves_folium_class_defaults_alone(small_site, tmp_path):
    import folium

    before_js, before_css = list(folium.Map.default_js), list(folium.Map.default_css)
    build_site(DATA / "small.yaml", tmp_path / "site")
    assert folium.Map.default_js == before_js and folium.Map.default_css == before_css
    assert any("jquery" in url for _, url in folium.Map.default_js)  # folium's own list, untouched


def test_page_text_explains_downloads_and_the_data_edition(small_site):
    site, _ = small_site
    page = (site / "index.html").read_text(encoding="utf-8")
    for name in LAYER_FILES:
        assert f'href="data/{name}"' in page
    assert 'Data as of <strong id="data-as-of">November 2026</strong>' in page
    assert "<title>North Korea–Russia–China movements map</title>" in page
    assert '<output id="date-output" for="date-slider">30 November 2026</output>' in page
    for confidence in ("Confirmed", "Reported", "Rumoured"):
        assert f'conf-{confidence.lower()}">{confidence}</span>' in page
    assert 'value="workers"' in page and 'value="air"' in page and 'value="rumoured"' in page


# ---------------------------------------------------------------- data


def test_payload_counts_match_the_layers(small_site):
    site, layers = small_site
    data = read_js_assignment(site / "data.js", "GEO_DATA")
    features = {
        name: json.loads(layers[f"{name}.geojson"])["features"]
        for name in ("routes", "places", "events", "movements")
    }
    counts = data["meta"]["counts"]
    assert counts["routes"] == len(features["routes"]) == len(data["routes"]) == 2
    assert counts["places"] == len(features["places"]) == len(data["places"]) == 5
    assert counts["events"] == sum(1 for f in features["events"] if f["geometry"]) == 3
    assert counts["movements"] == len(features["movements"]) == len(data["movements"]) == 2


def test_payload_keeps_dates_at_their_precision_and_status_history(small_site):
    site, _ = small_site
    data = read_js_assignment(site / "data.js", "GEO_DATA")
    events = {e["id"]: e for e in data["events"]}
    assert [e["id"] for e in data["events"]] == [
        "t-2017-12-22-policy",
        "t-2019-09-flight",
        "t-2024-02-05-rail",
    ]
    assert events["t-2019-09-flight"]["label"] == "about September 2019"
    assert events["t-2019-09-flight"]["start"] == "2019-09-01"
    assert events["t-2024-02-05-rail"]["people"] == {
        "text": "more than 300",
        "min": 300,
        "max": None,
    }
    air = next(r for r in data["routes"] if r["id"] == "t-air")
    assert [(h["since"], h["status"]) for h in air["history"]] == [
        ("2018-01-01", "operating"),
        ("2020-02-01", "suspended"),
        ("2023-08-25", "operating"),
    ]
    assert air["lines"][0][0] == [39.2241, 125.67]  # [lat, lon] for Leaflet


def test_period_and_data_date_come_from_the_data_not_the_clock(small_site, monkeypatch):
    site, _ = small_site
    meta = read_js_assignment(site / "data.js", "GEO_DATA")["meta"]
    assert meta["period"] == {
        "start": "2013-01-01",
        "end": "2026-11-30",
    }  # newest: the source, 2026-11
    assert meta["data_as_of"] == {"date": "2026-11-01", "label": "November 2026"}
    hist = meta["histogram"]
    assert hist["first_month"] == "2013-01" and len(hist["counts"]) == 14 * 12 - 1
    assert sum(hist["counts"]) == 3
    assert hist["counts"][(2024 - 2013) * 12 + 1] == 1  # February 2024


def test_two_builds_are_byte_identical(small_site, tmp_path):
    site, _ = small_site
    again = tmp_path / "site"
    build_site(DATA / "small.yaml", again)
    assert tree(again) == tree(site)


def test_offline_base_layer_is_small_and_covers_the_three_countries(small_site):
    site, _ = small_site
    assert (site / "basemap.js").stat().st_size < 150_000
    basemap = read_js_assignment(site / "basemap.js", "GEO_BASEMAP")
    codes = {f["properties"]["iso_a3"] for f in basemap["features"]}
    assert {"RUS", "PRK", "CHN", "KOR", "MNG"} <= codes
    for feature in basemap["features"]:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_shipped_basemap_is_what_natural_earth_gives():
    from geo.site.basemap import basemap, natural_earth_basemap

    assert basemap() == natural_earth_basemap()


def _place(lat: float, lon: float) -> dict:
    return {"lat": lat, "lon": lon}


PYONGYANG, DANDONG = _place(39.01944, 125.73806), _place(40.117, 124.383)
VLADIVOSTOK = _place(43.115, 131.88528)
MOSCOW, KUALA_LUMPUR = _place(55.752, 37.6178), _place(3.1412, 101.6865)


def test_first_view_frames_the_places_within_1500_km_of_pyongyang():
    places = [MOSCOW, PYONGYANG, KUALA_LUMPUR, VLADIVOSTOK, DANDONG]
    assert first_view([], places, []) == [[39.01944, 124.383], [43.115, 131.88528]]


def test_first_view_falls_back_to_every_place_then_routes_then_events():
    assert first_view([], [MOSCOW, PYONGYANG, KUALA_LUMPUR], []) == [
        [3.1412, 37.6178],
        [55.752, 125.73806],
    ]  # one place in the core: all places
    assert first_view([], [MOSCOW, KUALA_LUMPUR], []) == [[3.1412, 37.6178], [55.752, 101.6865]]
    route = {"lines": [[[42.4, 130.6], [42.2, 130.3]]]}
    assert first_view([route], [], []) == [[42.2, 130.3], [42.4, 130.6]]
    event = {"lat": 40.1, "lon": 124.4}
    assert first_view([], [], [event, {"lat": None, "lon": None}]) == [[40.1, 124.4], [40.1, 124.4]]
    assert first_view([], [], []) is None


# ---------------------------------------------------------------- escaping


def test_data_js_cannot_break_out_of_its_script(hostile_site):
    text = (hostile_site / "data.js").read_text(encoding="utf-8")
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    data = read_js_assignment(hostile_site / "data.js", "GEO_DATA")
    hostile = next(e for e in data["events"] if e["id"] == "t-2024-03-01-hostile")
    assert hostile["title"] == XSS_TITLE
    assert hostile["summary"] == XSS_SUMMARY


def test_page_html_never_contains_text_from_routes_yaml_unescaped(hostile_site):
    page = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert "onerror" not in page and "<svg" not in page and "Evil" not in page


def test_js_assignment_escapes_every_dangerous_character():
    text = js_assignment("X", {"a": "</script><b>&\u2028\u2029"})
    assert text == 'window.X = {"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\\u2029"};\n'


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/a", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("//example.org", False),
        ("ftp://x", False),
        ("", False),
    ],
)
def test_only_http_urls_become_links(url, ok):
    assert http_url(url) == (url if ok else None)


@pytest.mark.parametrize(
    "text, label",
    [
        ("2024-02-05", "5 February 2024"),
        ("2019-09~", "about September 2019"),
        ("2019?", "2019 (uncertain)"),
        ("2017-08%", "about August 2017 (uncertain)"),
    ],
)
def test_date_labels_keep_the_precision_written(text, label):
    assert date_label(parse_date(text)) == label


# ---------------------------------------------------------------- output directory and errors


def test_rebuild_replaces_the_previous_site(small_site, tmp_path):
    out = tmp_path / "site"
    build_site(DATA / "small.yaml", out)
    (out / "stale.txt").write_text("old", encoding="utf-8")
    build_site(DATA / "small.yaml", out)
    assert not (out / "stale.txt").exists()
    assert (out / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_refuses_to_replace_a_directory_that_is_not_a_site(tmp_path):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "thesis.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(GeoError, match="not a site built by geo"):
        build_site(DATA / "small.yaml", out)
    assert (out / "thesis.txt").read_text(encoding="utf-8") == "precious"


def test_geo_build_writes_the_site(geo, small_routes):
    project = small_routes.parent
    result = geo("build", "--data", "routes.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "data" / "routes.geojson").read_bytes() == (
        project / "layers" / "routes.geojson"
    ).read_bytes()
    assert "open file://" in result.stdout


def test_bundled_data_builds_a_site(bundled_routes, tmp_path):
    layers = build_site(bundled_routes, tmp_path / "site")
    data = read_js_assignment(tmp_path / "site" / "data.js", "GEO_DATA")
    assert data["meta"]["counts"]["routes"] == len(json.loads(layers["routes.geojson"])["features"])
    assert data["meta"]["counts"]["places"] == len(json.loads(layers["places.geojson"])["features"])
    end = dt.date.fromisoformat(data["meta"]["period"]["end"])
    assert (end + dt.timedelta(days=1)).day == 1  # the period ends on a month end
