"""Embed and share (issue 16, item 4): the Share panel's address and <iframe> snippet, and the
framed page (#embed=1) in a 600x400 frame: no scrollbars, the map and the slider in view, a
compact list and a link to the full page."""

from __future__ import annotations

import html
import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory, bundled_routes):
    from test_site_browser import _served

    yield from _served(tmp_path_factory, "embed-bundled", bundled_routes)


def _context(browser, **kwargs):
    from browser_util import PageWatch

    ctx = browser.new_context(reduced_motion="reduce", **kwargs)
    page = ctx.new_page()
    return ctx, page, PageWatch(page, tiles="block")


def _share(browser, url):
    """Open *url*, then the Share panel; returns (context, page, link, snippet)."""
    from browser_util import wait_ready

    ctx, page, watch = _context(browser, viewport={"width": 1280, "height": 800})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.split("/index")[0])
    page.goto(url)
    wait_ready(page)
    page.click("#share-button")
    assert page.is_visible("#share-panel")
    assert not watch.page_errors
    return ctx, page, page.input_value("#share-link"), page.input_value("#share-snippet")


def test_share_gives_the_permalink_and_an_iframe_snippet(browser, bundled_site):
    url = bundled_site.url + "#date=2024-02-06&event=2024-02-05-workers-rail-khasan-vladivostok"
    ctx, page, link, snippet = _share(browser, url)
    assert link == page.evaluate("location.href")
    assert "#date=2024-02-06&event=2024-02-05-workers-rail-khasan-vladivostok" in link
    m = re.fullmatch(r'<iframe src="([^"]+)" width="600" height="400" style="border:0" '
                     r'loading="lazy" title="[^"<>]+"></iframe>', snippet)  # fmt: skip
    assert m, snippet
    assert html.unescape(m.group(1)) == link + "&embed=1"
    page.click('.share-copy[data-copies="share-link"]')
    page.wait_for_function("() => document.querySelector('.share-status').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.click('.share-copy[data-copies="share-snippet"]')
    page.wait_for_function("s => navigator.clipboard.readText().then(t => t === s)", arg=snippet)
    ctx.close()


def test_the_snippet_of_a_story_step_keeps_the_step(browser, bundled_site):
    ctx, page, link, snippet = _share(browser, bundled_site.url + "#story=workers-rail-khasan&step=3")
    assert link.endswith("#story=workers-rail-khasan&step=3")
    assert "#story=workers-rail-khasan&amp;step=3&amp;embed=1" in snippet
    ctx.close()


def _framed(browser, site, snippet: str):
    """A page of another site holding *snippet*, as a newsroom's article would."""
    from browser_util import wait_ready

    host = site.dir / "article.html"
    host.write_text(f"<!DOCTYPE html><title>Article</title><p>Our map:</p>{snippet}", "utf-8")
    ctx, page, watch = _context(browser, viewport={"width": 900, "height": 700})
    page.goto(site.url.replace("index.html", "article.html"))
    frame = page.wait_for_selector("iframe").content_frame()
    wait_ready(frame)
    return ctx, page, frame, watch


def test_the_embed_view_fits_a_600_by_400_frame(browser, bundled_site):
    ctx, page, link, snippet = _share(browser, bundled_site.url + "#date=2024-02-06")
    ctx.close()
    ctx, page, frame, watch = _framed(browser, bundled_site, snippet)
    sizes = frame.evaluate("""() => {
        const root = document.scrollingElement, box = s => document.querySelector(s).getBoundingClientRect().toJSON();
        return {scroll: [root.scrollWidth, root.scrollHeight], client: [root.clientWidth, root.clientHeight],
                inner: [innerWidth, innerHeight], map: box('.folium-map'), slider: box('#date-slider'),
                list: box('#event-list'), link: box('#embed-full')};
    }""")
    assert sizes["inner"] == [600, 400]
    assert sizes["scroll"] == sizes["client"] == [600, 400], "the framed page scrolls"
    for name in ("map", "slider", "link"):
        b = sizes[name]
        assert b["top"] >= 0 and b["left"] >= 0 and b["bottom"] <= 400 and b["right"] <= 600, (name, b)
    assert sizes["map"]["height"] >= 180 and sizes["map"]["width"] == 600
    assert sizes["slider"]["height"] > 0 and sizes["list"]["top"] < 400  # the compact list starts in view
    for hidden in (".site-header", "#filters", "#downloads", "#about", ".ev-summary"):
        assert not frame.is_visible(hidden), hidden
    assert frame.evaluate("geoApp.state().date") == "2024-02-06"
    full = frame.get_attribute("#embed-full", "href")
    assert "index.html#date=2024-02-06&" in full and "embed" not in full
    assert frame.get_attribute("#embed-full", "target") == "_blank"
    assert not watch.page_errors and not watch.console_errors
    ctx.close()


def test_a_framed_page_stays_framed_as_its_date_changes(browser, bundled_site):
    from browser_util import wait_ready

    ctx, page, watch = _context(browser, viewport={"width": 600, "height": 400})
    page.goto(bundled_site.url + "#date=2024-02-06&embed=1")
    wait_ready(page)
    page.evaluate("geoApp.setDate('2019-09-05')")
    page.wait_for_function("() => location.hash.startsWith('#date=2019-09-05&') && location.hash.endsWith('&embed=1')")
    page.focus("#date-slider")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.hash.startsWith('#date=2019-10-05') && location.hash.endsWith('&embed=1')")
    assert page.evaluate("document.scrollingElement.scrollHeight") == 400
    ctx.close()
