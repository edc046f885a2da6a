"""An event reported in advance and not since (`reported_as: announced`) looks announced on the
page: an "Announced" badge in the list and the popup, and a white dot in a dashed ring on the
map, where an event that happened has a filled dot."""

from __future__ import annotations

import pytest
from browser_util import PageWatch, build_site, serve, wait_ready
from conftest import DATA

pytestmark = pytest.mark.browser

ANNOUNCED = """  - id: t-2024-03-01-announced
    date: "2024-03-01"
    title: A flight announced in advance
    summary: A test service that a schedule announced and no report confirmed.
    kind: service
    place: t-vvo
    confidence: reported
    reported_as: announced
    sources: [ref-facts]
"""


@pytest.fixture(scope="module")
def announced_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("announced")
    routes = folder / "routes.yaml"
    routes.write_text((DATA / "small.yaml").read_text(encoding="utf-8") + ANNOUNCED,
                      encoding="utf-8")
    build_site(routes, folder / "site")
    with serve(folder / "site") as base:
        yield base + "index.html"


@pytest.fixture()
def page(browser, announced_site):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, tiles="stub")
    page.goto(announced_site + "#date=2024-03-02")
    wait_ready(page)
    yield page
    context.close()
    assert watch.page_errors == []


def dot_centre(page, lat: float, lon: float) -> list[int]:
    """RGBA of the event canvas at the centre of the dot drawn at (lat, lon)."""
    return page.evaluate("""([lat, lon]) => {
        geoApp.map.setView([lat, lon], 8, {animate: false});
        const p = geoApp.map.latLngToContainerPoint([lat, lon]);
        const box = geoApp.map.getContainer().getBoundingClientRect();
        const canvas = document.querySelector('canvas.geo-event-dots');
        const area = canvas.getBoundingClientRect();
        const x = (box.left + p.x - area.left) * canvas.width / area.width;
        const y = (box.top + p.y - area.top) * canvas.height / area.height;
        return Array.from(canvas.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data);
    }""", [lat, lon])


def test_the_list_badges_the_announced_event_only(page):
    item = page.locator('#event-list li[data-id="t-2024-03-01-announced"]')
    assert item.locator(".conf-announced").inner_text().strip().lower() == "announced"
    assert item.locator(".conf-reported").count() == 1  # its confidence is still shown
    happened = page.locator('#event-list li[data-id="t-2024-02-05-rail"]')
    assert happened.count() == 1 and happened.locator(".conf-announced").count() == 0


def test_the_popup_of_an_announced_event_says_so(page):
    page.click('#event-list li[data-id="t-2024-03-01-announced"] button')
    popup = page.locator(".leaflet-popup-content")
    popup.locator("h2").wait_for()
    assert popup.locator("h2").inner_text() == "A flight announced in advance"
    assert popup.locator(".conf-announced").count() == 1
    page.click(".leaflet-popup-close-button")
    page.click('#event-list li[data-id="t-2024-02-05-rail"] button')
    popup.locator("h2").wait_for()
    assert popup.locator("h2").inner_text() == "Workers arrive by rail"
    assert popup.locator(".conf-announced").count() == 0


def test_the_announced_dot_is_hollow_and_the_happened_one_filled(page):
    page.wait_for_function("() => geoApp.state().recentEvents.includes('t-2024-03-01-announced')")
    page.click("#legend-box summary")  # fold the legend: nothing over the map
    r, g, b, a = dot_centre(page, 43.399, 132.148)  # Vladivostok airport: the announced event
    assert (r, g, b, a) == (255, 255, 255, 255), "a white disc inside the ring"
    r, g, b, a = dot_centre(page, 42.42806, 130.64528)  # Khasan: the rail arrival, reported
    assert a > 0 and (r, g, b) != (255, 255, 255), "a filled, coloured disc"
    legend = page.locator('#legend li[data-key="event-announced"]')
    assert legend.count() == 1 and "Announced" in legend.text_content()
