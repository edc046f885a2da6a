"""The reader's map, second pass (issue 15): one test per point a first-time reader tripped over.

Headless Chromium through Playwright, tiles answered locally or refused, as in
test_site_browser.py.  The accessibility check injects axe-core (tests/vendor/axe.min.js,
MPL-2.0, or the file named by $AXE_JS).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import re
from pathlib import Path

import pytest
from test_site_browser import DATA, _served, set_view, state

pytestmark = pytest.mark.browser

AXE_JS = Path(os.environ.get("AXE_JS", Path(__file__).parent / "vendor" / "axe.min.js"))
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    yield from _served(tmp_path_factory, "reader-small", DATA / "small.yaml")


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory, bundled_routes):
    yield from _served(tmp_path_factory, "reader-bundled", bundled_routes)


_STUDENTS = """
  - id: t-2018-04-students
    date: "2018-04"
    title: Students leave for Vladivostok
    summary: A group of students travels by air.
    kind: movement
    from: t-fnj
    to: t-vvo
    people: {min: 20, text: "about 20"}
    group: students
    direction: to_russia
    confidence: reported
    sources: [s1]
"""


@pytest.fixture(scope="module")
def students_site(tmp_path_factory):
    """small.yaml plus a routeless air trip of students."""
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    source = re.search(r"^sources:\n  ([a-z0-9-]+):", text, re.M).group(1)
    folder = tmp_path_factory.mktemp("students")
    routes = folder / "routes.yaml"
    routes.write_text(text.rstrip("\n") + "\n" + _STUDENTS.replace("[s1]", f"[{source}]"), "utf-8")
    yield from _served(tmp_path_factory, "students-site", routes)


@pytest.fixture()
def open_map(browser):
    """open_map(url, tiles="stub", width=1280, height=800) -> page, map ready."""
    from browser_util import PageWatch, wait_ready

    contexts, watches = [], []

    def opener(url: str, tiles: str = "stub", width: int = 1280, height: int = 800):
        context = browser.new_context(
            viewport={"width": width, "height": height}, reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        watches.append(PageWatch(page, tiles=tiles))
        page.goto(url)
        wait_ready(page)
        return page

    yield opener
    for context in contexts:
        context.close()
    for watch in watches:
        assert watch.page_errors == [], "uncaught errors in the page"


def long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def next_frames(page, n: int = 2) -> None:
    page.evaluate(
        """n => new Promise(done => {
            const f = k => k ? requestAnimationFrame(() => f(k - 1)) : done();
            f(n);
        })""",
        n,
    )


def rect(page, selector: str) -> dict | None:
    return page.evaluate(
        """sel => {
            const e = document.querySelector(sel);
            if (!e || !e.getClientRects().length) return null;
            const r = e.getBoundingClientRect();
            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
        }""",
        selector,
    )


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and a["right"] > b["left"]
        and a["top"] < b["bottom"]
        and a["bottom"] > b["top"]
    )


def inside(inner: dict, outer: dict, slack: float = 1) -> bool:
    return (
        inner["left"] >= outer["left"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["top"] >= outer["top"] - slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


# ---------------------------------------------------------------- 1. the events line


def status_and_date(page) -> tuple[str, str]:
    return tuple(
        page.evaluate(
            "['events-status', 'date-output'].map(i => document.getElementById(i).textContent)"
        )
    )


def test_1_events_line_follows_every_date_change_and_play(open_map, bundled_site):
    page = open_map(bundled_site.url + "#date=2020-06-30")
    page.focus("#date-slider")
    for key in ["Shift+ArrowRight"] * 3 + ["ArrowLeft"] * 2:
        page.keyboard.press(key)
        status, shown = status_and_date(page)
        assert f"up to {shown}," in status, (key, status, shown)
    assert state(page)["date"] == "2023-04-30"
    assert "up to 30 April 2023" in page.inner_text("#events-status")
    page.evaluate("geoApp.setDate('2013-01-01')")
    page.click("#play")
    seen = set()
    for _ in range(60):
        status, shown = status_and_date(page)
        assert f"up to {shown}," in status, (status, shown)
        seen.add(shown)
        if len(seen) >= 4:
            break
        page.wait_for_timeout(150)
    page.click("#play")
    assert len(seen) >= 4, seen


# ---------------------------------------------------------------- 2. reaching exact dates


def test_2_date_field_event_steps_and_day_of_month(open_map, small_site):
    page = open_map(small_site.url)
    field = page.locator(".date-readout input[type=date]")
    assert field.count() == 1
    assert field.input_value() == state(page)["date"]
    field.fill("2024-02-05")
    field.dispatch_event("change")
    assert state(page)["date"] == "2024-02-05"
    assert page.get_attribute("#date-slider", "aria-valuetext") == "5 February 2024"

    starts = sorted({e.date.start.isoformat() for e in small_site.dataset.events})
    page.focus("#date-slider")
    page.keyboard.press("Home")
    landed = []
    for _ in starts:
        page.keyboard.press(".")
        landed.append(state(page)["date"])
    assert landed == starts  # each press lands on the next day with an event
    page.keyboard.press(",")
    assert state(page)["date"] == starts[-2]
    assert field.input_value() == starts[-2]

    page.evaluate("geoApp.setDate('2024-01-31')")
    page.focus("#date-slider")
    walk = []
    for key in ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft", "ArrowLeft", "ArrowLeft"]:
        page.keyboard.press(key)
        walk.append(state(page)["date"])
    assert walk == [
        "2024-02-29",
        "2024-03-31",
        "2024-04-30",
        "2024-03-31",
        "2024-02-29",
        "2024-01-31",
    ]


# ---------------------------------------------------------------- 3. events at one place


SUNAN = (39.2241, 125.67)


def badge_point(page, event_id: str) -> list[float]:
    """Client coordinates of the count drawn beside the dot of *event_id*."""
    return page.evaluate(
        """id => { const ev = GEO_DATA.events.find(e => e.id === id);
            const p = geoApp.map.latLngToContainerPoint([ev.lat, ev.lon]);
            const box = geoApp.map.getContainer().getBoundingClientRect();
            return [box.left + p.x + 9, box.top + p.y - 9]; }""",
        event_id,
    )


def test_3_events_at_one_place_show_a_count_that_opens_their_list(open_map, small_site):
    page = open_map(small_site.url)
    page.evaluate("geoApp.setDate('2019-12-01')")
    set_view(page, *SUNAN, 9)
    next_frames(page)
    assert state(page)["stacks"] == [{"event": "t-2019-09-flight", "count": 2}]
    x, y = badge_point(page, "t-2019-09-flight")
    pixel = page.evaluate(
        """([x, y]) => { const c = document.querySelector('canvas.geo-event-dots');
            const r = c.getBoundingClientRect(), k = c.width / r.width;
            const px = Math.round((x - r.left) * k) - 1, py = Math.round((y - r.top) * k) - 3;
            return Array.from(c.getContext('2d').getImageData(px, py, 1, 1).data); }""",
        [x, y],
    )
    assert max(pixel[:3]) < 80 and pixel[3] > 200, pixel  # the dark count disc
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "2 events here" in popup.inner_text()
    items = page.locator(".leaflet-popup-content .here-list li")
    assert items.count() == 2
    other = page.locator(".leaflet-popup-content .here-open")
    assert other.count() == 1
    shown = state(page)["selected"]
    other.click()
    page.wait_for_function("prev => geoApp.state().selected !== prev", arg=shown)
    assert {shown, state(page)["selected"]} == {"t-2019-09-flight", "t-2017-12-22-policy"}

    page.evaluate("""() => { const k = GEO_DATA.places.findIndex(p => p.id === 't-fnj');
        GeoMap.app.layers.placeMarkers[k].openPopup(); }""")
    page.wait_for_function("() => document.querySelector('.popup-place')")
    text = page.inner_text(".popup-place")
    assert "2 events here" in text
    assert "Workers fly home" in text and "A policy event" in text
    assert page.locator(".popup-place .here-open").count() == 2


# ---------------------------------------------------------------- 4. phone


def test_4_phone_list_choice_brings_the_map_and_popup_into_view(open_map, bundled_site):
    page = open_map(bundled_site.url, tiles="block", **PHONE)
    page.locator("#tiles-note").wait_for()
    item = page.locator("#event-list li.ev").nth(3)
    item.scroll_into_view_if_needed()
    assert rect(page, ".map-wrap")["bottom"] < 0 or rect(page, ".map-wrap")["top"] < 0
    item.locator("button.ev-open").click()
    page.locator(".leaflet-popup-content h2").wait_for()
    page.wait_for_timeout(400)  # autopan
    wrap, popup = rect(page, ".map-wrap"), rect(page, ".leaflet-popup-content-wrapper")
    assert wrap["top"] >= -1 and wrap["bottom"] <= PHONE["height"] + 1, wrap
    assert inside(popup, rect(page, "#map_geo") if rect(page, "#map_geo") else wrap), (popup, wrap)
    assert not overlap(popup, rect(page, ".leaflet-control-zoom")), popup
    page.click(".leaflet-popup-close-button")

    page.click("#legend-box summary")
    assert page.evaluate("document.getElementById('legend-box').open")
    next_frames(page)
    assert not overlap(rect(page, "#legend-box"), rect(page, "#tiles-note"))
    assert not overlap(
        rect(page, ".leaflet-control-attribution"), rect(page, ".leaflet-control-scale")
    )
    assert not overlap(rect(page, "#tiles-note"), rect(page, ".leaflet-control-attribution"))


# ---------------------------------------------------------------- 5. first view and palette

# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear RGB.
MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(lab1, lab2) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbar - 30))
        + 0.24 * math.cos(math.radians(2 * hbar))
        + 0.32 * math.cos(math.radians(3 * hbar + 6))
        - 0.20 * math.cos(math.radians(4 * hbar - 63))
    )
    s_l = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    r_t = (
        -math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2))))
        * 2
        * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
    )
    return math.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)
    )


def test_ciede2000_matches_the_published_test_pairs():
    """Sharma, Wu and Dalal (2005), pairs 1, 7 and 17 of their table."""
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def label_visible(page, text: str) -> bool:
    return page.evaluate(
        """text => { const box = geoApp.map.getContainer().getBoundingClientRect();
            return [...document.querySelectorAll('.place-label')].some(e => {
                if (!e.textContent.includes(text)) return false;
                if (e.classList.contains('label-hidden')) return false;
                const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                return r.width > 0 && s.visibility === 'visible' && s.display !== 'none'
                    && r.left >= box.left && r.right <= box.right
                    && r.top >= box.top && r.bottom <= box.bottom;
            }); }""",
        text,
    )


def test_5_first_view_legend_labels_movement_lines_and_palette(open_map, bundled_site):
    page = open_map(bundled_site.url)
    assert page.evaluate("document.getElementById('legend-box').open")
    for name in ("Khasan", "Tumangang", "Amur Oblast"):
        assert label_visible(page, name), name
    air = [r.id for r in bundled_site.dataset.routes if r.mode == "air"]
    arc = page.evaluate("id => geoApp.routeStyle(id)", air[0])
    dashes = page.evaluate("""() => Object.values(GeoMap.app.layers.movementLines)
        .filter(l => geoApp.map.hasLayer(l)).map(l => l.options.dashArray)""")
    assert dashes and all(d and d != arc["dashArray"] for d in dashes), (dashes, arc)
    assert page.get_attribute('#legend li[data-key="movement"] line', "stroke-dasharray")

    colours = page.evaluate("Object.values(GeoMap.symbols.MODES).map(m => m.color)")
    assert len(colours) == 4 and arc["color"] in colours
    worst = {}
    for name, matrix in [("normal", None), *MACHADO.items()]:
        labs = []
        for colour in colours:
            rgb = _linear(colour)
            if matrix:
                rgb = [sum(matrix[i][j] * rgb[j] for j in range(3)) for i in range(3)]
            labs.append(_lab(rgb))
        worst[name] = min(ciede2000(a, b) for a, b in itertools.combinations(labs, 2))
    assert min(worst.values()) >= 15, worst


# ---------------------------------------------------------------- 6. filters


def test_6_filters_apply_to_every_event_live_in_the_url_and_reset(open_map, students_site):
    page = open_map(students_site.url)
    assert page.locator('input[name="group"][value="students"]').count() == 1
    page.click("#filters summary")
    for mode in page.evaluate(
        "[...document.querySelectorAll('input[name=mode]')].map(b => b.value)"
    ):
        if mode != "rail":
            page.uncheck(f'input[name="mode"][value="{mode}"]')
    listed = state(page)["listed"]
    assert listed == ["t-2024-02-05-rail"], listed  # routeless events (policy, students) too
    page.wait_for_function(
        "() => location.hash.includes('modes=rail') && !location.hash.includes('modes=rail,')"
    )
    url = page.evaluate("location.href")

    again = open_map(url)
    assert state(again)["listed"] == ["t-2024-02-05-rail"]
    assert again.is_checked('input[name="mode"][value="rail"]')
    assert not again.is_checked('input[name="mode"][value="other"]')
    again.click("#filters summary")
    again.click("#reset-filters")
    assert len(state(again)["listed"]) == len(students_site.dataset.events)
    again.wait_for_function("() => !location.hash.includes('modes=')")

    fresh = open_map(students_site.url)
    for _ in range(3):
        fresh.keyboard.press("Tab")
        if fresh.evaluate("document.activeElement.id") == "skip-filters":
            break
    else:
        pytest.fail("no way to the filters in the first three Tab presses")
    fresh.keyboard.press("Enter")
    assert fresh.evaluate("document.activeElement.matches('#filters > summary')")
    assert fresh.evaluate("document.getElementById('filters').open")
    fresh.keyboard.press("Tab")
    assert fresh.evaluate("document.activeElement.closest('#filter-form') !== null")


# ---------------------------------------------------------------- 7. hidden routes, lang, print


def test_7_hidden_route_popup_lang_headings_and_print(open_map, small_site, bundled_site):
    page = open_map(small_site.url)
    page.evaluate("geoApp.setDate('2017-06-01')")  # before the flight's first recorded status
    assert state(page)["routeWidths"]["t-air"] == 0
    assert page.locator('#route-list li[data-id="t-air"]').is_hidden()
    page.click('#route-list-hidden li[data-id="t-air"] button')
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Status on 1 June 2017: not yet recorded" in popup.inner_text()
    assert "Test flight FNJ-VVO" in popup.inner_text()
    headings = page.evaluate(
        """[...document.querySelectorAll('.leaflet-popup-content :is(h1,h2,h3,h4,h5,h6)')]
            .map(h => h.tagName)"""
    )
    assert headings[0] == "H2" and all(h in ("H2", "H3") for h in headings), headings

    page = open_map(bundled_site.url)
    page.evaluate("""() => { const k = GEO_DATA.places.findIndex(p => p.id === 'tumangang');
        GeoMap.app.layers.placeMarkers[k].openPopup(); }""")
    page.locator(".popup-place").wait_for()
    langs = page.evaluate(
        "[...document.querySelectorAll('.popup-place [lang]')].map(e => [e.lang, e.textContent])"
    )
    assert ["ru", "Туманган"] in langs and ["ko", "두만강"] in langs, langs
    assert page.evaluate("document.querySelector('.popup-place h2').textContent") == "Tumangang"

    page.close()
    page = open_map(bundled_site.url + "#date=2024-06-30")
    page.emulate_media(media="print")
    next_frames(page)
    visible = len(state(page)["visibleEvents"])
    assert len(state(page)["listed"]) == visible > 50  # every event up to the date, not 50
    for selector in (
        ".leaflet-control-zoom",
        "#play",
        "#date-slider",
        "#filters",
        "#downloads",
        ".skip-link",
    ):
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator(".map-wrap").is_visible() and page.locator("#events-status").is_visible()
    assert page.inner_text("#date-output") == "30 June 2024"
    page.emulate_media(media="screen")
    for fmt in ("A4", "Letter"):
        pdf = page.pdf(format=fmt)
        assert pdf.startswith(b"%PDF")
    small = open_map(small_site.url)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", small.pdf(format="A4")))
    assert pages == 1, pages  # three events: the map and the list fit one page


# ---------------------------------------------------------------- 8. a cheap slider step


def test_8_drag_moves_are_applied_once_per_frame_and_the_list_is_not_rebuilt(
    open_map, bundled_site
):
    page = open_map(bundled_site.url + "#date=2019-01-01")
    next_frames(page)
    before = state(page)["steps"]
    page.evaluate("""() => { const slider = document.getElementById('date-slider');
        const start = Date.parse(geoApp.state().period.start);
        for (let k = 0; k < 30; k++) {
            const day = Math.round((Date.parse('2019-01-01') - start) / 86400000);
            slider.value = String(day + 10 * k);
            slider.dispatchEvent(new Event('input', {bubbles: true}));
        } }""")
    next_frames(page)
    after = state(page)
    assert after["steps"] - before <= 2, after["steps"] - before
    assert after["date"] == (dt.date(2019, 1, 1) + dt.timedelta(days=290)).isoformat()

    # a one-day step with no event on either day touches no list item, only the status line
    starts = {e.date.start for e in bundled_site.dataset.events}
    day = dt.date(2019, 10, 20)
    while day in starts or day + dt.timedelta(days=1) in starts:
        day += dt.timedelta(days=1)
    page.evaluate("d => geoApp.setDate(d)", day.isoformat())
    next_frames(page)
    page.evaluate("""() => { window.__mutations = 0;
        new MutationObserver(list => { window.__mutations += list.length; })
            .observe(document.getElementById('event-list'),
                     {childList: true, subtree: true, attributes: true}); }""")
    page.focus("#date-slider")
    page.evaluate("d => geoApp.setDate(d)", (day + dt.timedelta(days=1)).isoformat())
    next_frames(page)
    assert page.evaluate("window.__mutations") == 0
    assert long_date((day + dt.timedelta(days=1)).isoformat()) in page.inner_text("#events-status")


# ---------------------------------------------------------------- axe-core


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
            target: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.skipif(not AXE_JS.exists(), reason=f"axe-core not found at {AXE_JS}")
@pytest.mark.parametrize("width, height", [(1280, 800), (375, 812)])
def test_axe_finds_no_serious_violation_with_a_popup_and_the_legend_open(
    bundled_site, browser, width, height
):
    from browser_util import PageWatch, wait_ready

    # the CSP forbids inline scripts: axe comes in through Playwright, with the CSP bypassed
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    try:
        page = context.new_page()
        watch = PageWatch(page, tiles="stub")
        page.goto(bundled_site.url + "#date=2024-02-06")
        wait_ready(page)
        if not page.evaluate("document.getElementById('legend-box').open"):
            page.click("#legend-box summary")
        page.evaluate("id => geoApp.select(id)", state(page)["visibleEvents"][0])
        page.locator(".leaflet-popup-content h2").wait_for()
        assert page.evaluate("document.getElementById('legend-box').open")
        assert axe_violations(page) == []
        assert watch.page_errors == []
    finally:
        context.close()
