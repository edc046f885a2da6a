"""geo snapshot (issue 16, item 4): a PNG of the map from the bundled data, written in under
10 s, whose pixels show the routes in the colours the site draws them with."""

from __future__ import annotations

import base64
import datetime as dt
import re
import time
from pathlib import Path

import pytest

from geo.validate import load_dataset

pytestmark = pytest.mark.browser
STATIC = Path(__file__).resolve().parent.parent / "geo" / "site" / "static"
SYMBOLS_JS = STATIC / "symbols.js"
STORY_JS = STATIC / "story.js"


def symbol_colours() -> dict[str, tuple[int, int, int]]:
    """Each mode's colour as symbols.js draws an operating route of that mode: its colour at
    the operating opacity over the offline outline's land fill (what a picture without tiles
    shows)."""
    text = SYMBOLS_JS.read_text("utf-8")
    modes = re.findall(r'(\w+): \{ label: "[^"]*", short: "[^"]*", color: "#([0-9a-f]{6})" \}', text)
    opacity = float(re.search(r"operating: \{[^}]*opacity: ([0-9.]+)", text).group(1))
    land = _land()
    return {
        mode: tuple(round(opacity * c + (1 - opacity) * b) for c, b in zip(bytes.fromhex(hex_), land, strict=True))
        for mode, hex_ in modes
    }


def _land() -> bytes:
    """The offline outline's land fill (symbols.js BASEMAP_STYLE)."""
    text = SYMBOLS_JS.read_text("utf-8")
    return bytes.fromhex(re.search(r'BASEMAP_STYLE = \{[^}]*fillColor: "#([0-9a-f]{6})"', text).group(1))




_COUNT = """([src, colours, tolerance, right, bottom]) => new Promise((done, fail) => {
    const img = new Image();
    img.onerror = fail;
    img.onload = () => {
        const canvas = document.createElement('canvas');
        canvas.width = img.width; canvas.height = img.height;
        const g = canvas.getContext('2d');
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, img.width - right, img.height - bottom).data;
        done({size: [img.width, img.height], counts: colours.map(([r, gr, b]) => {
            let n = 0;
            for (let i = 0; i < d.length; i += 4) {
                if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - gr) + Math.abs(d[i + 2] - b) <= tolerance) n++;
            }
            return n;
        })});
    };
    img.src = src;
})"""


def count_colours(browser, png: bytes, colours: list, tolerance: int = 30) -> tuple[list[int], list[int]]:
    """(width and height, pixels near each colour) of *png*, decoded by Chromium, outside the
    legend (top right, under 300 px wide) and the time bar (the bottom 100 px)."""
    page = browser.new_page()
    try:
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        got = page.evaluate(_COUNT, [src, [list(c) for c in colours], tolerance, 300, 100])
    finally:
        page.close()
    return got["size"], got["counts"]


def test_snapshot_flags_match_the_browser_tests():
    from browser_util import CHROMIUM_ARGS

    from geo.commands.snapshot import CHROMIUM_ARGS as SNAPSHOT_ARGS

    assert SNAPSHOT_ARGS == CHROMIUM_ARGS


def test_snapshot_writes_the_routes_in_their_colours_in_under_10_s(geo, browser, bundled_routes, tmp_path, chromium_path):
    out = tmp_path / "map.png"
    start = time.monotonic()
    result = geo("snapshot", "--data", bundled_routes, "--date", "2024-02-06", "--size", "1200x800",
                 "--out", out, env={"CHROMIUM": chromium_path})  # fmt: skip
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert elapsed < 10, f"geo snapshot took {elapsed:.1f} s"
    day = dt.date(2024, 2, 6)
    operating = {r.mode for r in load_dataset(bundled_routes).routes if r.status_on(day) == "operating"}
    assert operating == {"rail", "air"}  # the ferry and the road bridges are not running then
    colours = symbol_colours()
    modes = sorted(colours)
    size, counts = count_colours(browser, out.read_bytes(), [colours[m] for m in modes])
    assert size == [1200, 800]
    found = dict(zip(modes, counts, strict=True))
    for mode in modes:
        if mode in operating:
            assert found[mode] >= 40, f"no operating {mode} route {colours[mode]} in the picture: {found}"
        else:
            assert found[mode] < 10, f"{mode} drawn as operating: {found}"


def test_a_story_step_snapshot_shows_its_routes_in_focus(geo, browser, bundled_routes, tmp_path, chromium_path):
    out = tmp_path / "step.png"
    result = geo("snapshot", "--data", bundled_routes, "--story", "workers-rail-khasan", "--step", "3",
                 "--size", "800x600", "--out", out, env={"CHROMIUM": chromium_path})  # fmt: skip
    assert result.returncode == 0, result.stderr
    style = re.search(r'HALO_STYLE = \{ color: "#([0-9a-f]{6})", weight: \d+, opacity: ([0-9.]+)', STORY_JS.read_text("utf-8"))
    land = _land()
    opacity = float(style.group(2))
    halo = tuple(round(opacity * c + (1 - opacity) * b) for c, b in zip(bytes.fromhex(style.group(1)), land, strict=True))
    # step 3 puts the Khasan–Rajin railway (suspended in February 2020) in focus
    size, counts = count_colours(browser, out.read_bytes(), [halo], tolerance=40)
    assert size == [800, 600] and counts[0] >= 60, counts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2024-02-06", "--size", "big"], "--size: 'big' is not WIDTHxHEIGHT"),
        (["--step", "2"], "--step: give the story too (--story ID)"),
        (["--story", "workers-rail-khasan", "--step", "99"], "--step: story 'workers-rail-khasan' has 7 steps"),
        (["--story", "workers-rail-kasan"], "did you mean 'workers-rail-khasan'?"),
        (["--event", "no-such-event"], "--event: no event 'no-such-event'"),
    ],
)  # fmt: skip
def test_snapshot_refuses_bad_options_in_one_line(geo, bundled_routes, tmp_path, args, message):
    out = tmp_path / "x.png"
    result = geo("snapshot", "--data", bundled_routes, *args, "--out", out)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()


def test_without_playwright_snapshot_says_how_to_install_it(geo, bundled_routes, tmp_path):
    blocker = tmp_path / "blocker"
    (blocker / "playwright").mkdir(parents=True)
    (blocker / "playwright" / "__init__.py").write_text("raise ImportError('no playwright')\n")
    import os

    path = os.pathsep.join([str(blocker), str(Path(__file__).resolve().parent.parent)])
    result = geo("snapshot", "--data", bundled_routes, "--out", tmp_path / "x.png", env={"PYTHONPATH": path})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: geo snapshot needs Playwright: pip install playwright "
        "(or pip install 'geo-dprk-routes[snapshot]')"
    ]
