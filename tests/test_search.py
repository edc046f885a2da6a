"""The search box (issue 16, item 3): events, places in every script and routes, from the
page's own data; keyboard selection moves the map, the date and the selection; one frame per
keystroke at 10,000 events."""

from __future__ import annotations

import statistics
import subprocess
import sys

import pytest
from test_site_browser import _served, state

pytestmark = pytest.mark.browser

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
KHASAN_RAIL = "2024-02-05-workers-rail-khasan-vladivostok"  # at Khasan station (하산역)


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory, bundled_routes):
    yield from _served(tmp_path_factory, "search-bundled", bundled_routes)


@pytest.fixture()
def page(browser, bundled_site):
    from browser_util import PageWatch, wait_ready

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.watch = PageWatch(page, tiles="stub")
    page.goto(bundled_site.url + "#date=2013-06-01")
    wait_ready(page)
    yield page
    assert page.watch.page_errors == []
    context.close()


def results(page) -> list[dict]:
    return page.evaluate("""() => GeoMap.app.search.results.map(r => ({type: r.type,
        id: r.type === 'event' ? GEO_DATA.events[r.k].id
          : r.type === 'place' ? GEO_DATA.places[r.k].id : GEO_DATA.routes[r.k].id}))""")


def shows(page, event_id: str) -> bool:
    """Whether the map's view holds the event's point."""
    return page.evaluate("""id => {
        const ev = GEO_DATA.events.find(e => e.id === id);
        return geoApp.map.getBounds().contains([ev.lat, ev.lon]);
    }""", event_id)


def choose_by_keyboard(page, wanted_id: str) -> None:
    """Arrow down to the result *wanted_id*, checking the combobox's active option, then Enter."""
    found = [r["id"] for r in results(page)[:30]]
    assert wanted_id in found
    for _ in range(found.index(wanted_id) + 1):
        page.keyboard.press("ArrowDown")
    active = page.get_attribute("#search-input", "aria-activedescendant")
    assert page.get_attribute(f"#{active}", "aria-selected") == "true"
    page.keyboard.press("Enter")


def test_a_korean_place_alias_finds_the_place_and_its_events(page):
    page.click("#search-input")
    page.keyboard.type("하산")
    assert page.get_attribute("#search-input", "aria-expanded") == "true"
    found = results(page)
    assert {"type": "place", "id": "khasan-station"} in found
    assert {"type": "event", "id": KHASAN_RAIL} in found
    assert page.locator("#search-results [role=option]").count() >= 2
    choose_by_keyboard(page, KHASAN_RAIL)
    s = state(page)
    assert s["selected"] == KHASAN_RAIL
    assert s["date"] == "2024-02-05"  # the date moved from 2013 to the event's
    assert s["popup"] == KHASAN_RAIL
    assert shows(page, KHASAN_RAIL)
    assert page.get_attribute("#search-input", "aria-expanded") == "false"
    page.wait_for_timeout(400)
    assert f"event={KHASAN_RAIL}" in page.evaluate("location.hash")


def test_rajin_in_hangul_finds_rajin_and_moves_the_map_there(page):
    page.click("#search-input")
    page.keyboard.type("라진")
    assert {"type": "place", "id": "rajin"} in results(page)
    assert any(r["type"] == "event" for r in results(page))
    choose_by_keyboard(page, "rajin")
    view = state(page)["view"]
    assert abs(view["lat"] - 42.26) < 0.5 and abs(view["lon"] - 130.28) < 0.5
    assert page.locator(".leaflet-popup-content .popup-place").count() == 1


def test_a_word_of_a_summary_finds_its_event(page):
    # a word that appears in one event's summary only, found from the page's own data
    event_id, word = page.evaluate("""() => {
        const count = new Map(), where = new Map();
        GEO_DATA.events.filter(e => e.start >= GEO_DATA.meta.period.start).forEach(e => new Set(e.summary.toLowerCase().match(/[a-z]{7,}/g) || [])
            .forEach(w => { count.set(w, (count.get(w) || 0) + 1); where.set(w, e.id); }));
        const titles = GEO_DATA.events.map(e => e.title.toLowerCase()).join(' ');
        const w = [...count].find(([w, n]) => n === 1 && !titles.includes(w))[0];
        return [where.get(w), w];
    }""")
    page.click("#search-input")
    page.keyboard.type(word.upper())  # case does not matter
    assert {"type": "event", "id": event_id} in results(page)
    choose_by_keyboard(page, event_id)
    s = state(page)
    assert s["selected"] == event_id
    start = page.evaluate("id => GEO_DATA.events.find(e => e.id === id).start", event_id)
    assert s["date"] == start
    if page.evaluate("id => GEO_DATA.events.find(e => e.id === id).lat !== null", event_id):
        assert shows(page, event_id)


def test_a_route_and_an_accent_free_query(page):
    page.click("#search-input")
    page.keyboard.type("Хасан")
    assert {"type": "place", "id": "khasan-station"} in results(page)
    page.fill("#search-input", "")
    page.keyboard.type("rajin")
    routes = [r["id"] for r in results(page) if r["type"] == "route"]
    assert routes
    choose_by_keyboard(page, routes[0])
    assert page.locator(".leaflet-popup-content .popup-route").count() == 1
    assert page.evaluate("GeoMap.search.normalise('Tümen RÍVER')") == "tumen river"


def test_escape_closes_the_list_and_nothing_found_is_said(page):
    page.click("#search-input")
    page.keyboard.type("zzzqqq")
    assert results(page) == []
    assert page.inner_text("#search-status") != ""
    page.fill("#search-input", "")
    page.keyboard.type("rail")
    assert page.get_attribute("#search-input", "aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert page.get_attribute("#search-input", "aria-expanded") == "false"


@pytest.fixture(scope="module")
def site_10k(tmp_path_factory):
    folder = tmp_path_factory.mktemp("r10k")
    routes = folder / "routes.yaml"
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--events", "10000", "--out", str(routes)],
        check=True, cwd=ROOT, capture_output=True,
    )
    yield from _served(tmp_path_factory, "search-10k", routes)


def test_each_keystroke_takes_less_than_a_frame_at_10000_events(browser, site_10k):
    from browser_util import PageWatch, wait_ready

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        PageWatch(page, tiles="stub")
        page.goto(site_10k.url)
        wait_ready(page, timeout=60000)
        page.click("#search-input")  # the index is built here, once
        for query in ("workers vladivostok", "하산", "Хасан", "travel by rail", "students"):
            page.fill("#search-input", "")
            page.keyboard.type(query)
            assert results(page), query
        timings = page.evaluate("GeoMap.app.search.timings")
        keystrokes = timings
        print(f"search at 10k events: median {statistics.median(keystrokes):.2f} ms, "
              f"max {max(keystrokes):.2f} ms over {len(keystrokes)} queries, "
              f"index {page.evaluate('GeoMap.app.search.indexMs'):.0f} ms")
        assert statistics.median(keystrokes) < 16
    finally:
        context.close()
