"""``geo snapshot``: the map at a date, an event or a story step, as a PNG.

Builds the site into a temporary directory, opens it from disk in headless Chromium through
Playwright (an optional extra: ``pip install playwright``), with the page in its framed
form for a map alone (``#…&embed=map``: map, date and any story text), and photographs it
once the page says it is drawn.  Tile requests are refused, so the picture shows the offline
outline and is the same on every machine; nothing leaves the computer.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import click

from geo.commands.editing import EditCommand
from geo.commands.options import data_option
from geo.commands.values import bad, parse_day, parse_id
from geo.errors import GeoError

# The flags the browser tests start Chromium with (tests/browser_util.py CHROMIUM_ARGS).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
_SIZE = re.compile(r"^([1-9][0-9]{2,3})x([1-9][0-9]{2,3})$")
_OUTSIDE = re.compile(r"^(?!file:)[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@click.command(cls=EditCommand)
@data_option
@click.option("--date", metavar="DATE", help="The map date, YYYY-MM-DD [default: the newest].")
@click.option("--event", "event_id", metavar="ID", help="An event to open, centred.")
@click.option("--story", "story_id", metavar="ID", help="A story, shown at --step.")
@click.option("--step", type=click.IntRange(min=1), metavar="N", help="The step (1 = first).")
@click.option("--size", default="1200x800", show_default=True, metavar="WxH",
              help="Width and height of the picture in pixels (100 to 9999).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="The PNG file to write.")
@click.option("--timeout", default=30.0, show_default=True, metavar="SECONDS",
              help="How long to wait for the page to be drawn.")
def snapshot(data, date, event_id, story_id, step, size, out, timeout):  # fmt: skip
    """Write the map as a PNG, for an article's illustration: at --date (and with --event
    open), or at a story's step. Needs Playwright and Chromium ($CHROMIUM, default
    /usr/bin/chromium).

    \b
    Examples:
      geo snapshot --date 2024-02-06 --event 2024-02-05-workers-rail-khasan-vladivostok \\
        --out rail.png
      geo snapshot --story workers-rail-khasan --step 4 --size 1600x1000 --out step4.png
    """
    width, height = _size(size)
    fragment = _fragment(date, event_id, story_id, step)
    browser_api = _playwright()
    from geo.layers import render_layers
    from geo.site import write_site
    from geo.validate import load_dataset

    dataset = load_dataset(data)
    _check_ids(dataset, event_id, story_id, step)
    with tempfile.TemporaryDirectory(prefix="geo-snapshot-") as tmp:
        site = Path(tmp) / "site"
        write_site(dataset, render_layers(dataset), site)
        png = _photograph(browser_api, site / "index.html", fragment, (width, height), timeout)
    from geo.lockfile import write_atomic

    target = Path(out)
    write_atomic(target, png)
    click.echo(f"Wrote {target} ({width}x{height}, {len(png) // 1024} KB)")


def _size(size: str) -> tuple[int, int]:
    m = _SIZE.match(size.strip())
    if not m:
        raise bad("--size", f"'{size}' is not WIDTHxHEIGHT in pixels, e.g. 1200x800")
    return int(m.group(1)), int(m.group(2))


def _fragment(date, event_id, story_id, step) -> str:
    if story_id is None:
        if step is not None:
            raise bad("--step", "give the story too (--story ID)")
        parts = [f"date={parse_day('--date', date).start.isoformat()}"] if date else []
        if event_id:
            parts.append(f"event={parse_id('--event', event_id)}")
        return "#" + "&".join(parts + ["embed=map"])
    if date or event_id:
        raise bad("--story", "a story step sets its own date and events; leave out --date/--event")
    return f"#story={parse_id('--story', story_id)}&step={step or 1}&embed=map"


def _check_ids(dataset, event_id, story_id, step) -> None:
    from geo.commands.sources import did_you_mean

    if event_id and not any(e.id == event_id for e in dataset.events):
        hint = did_you_mean(event_id, [e.id for e in dataset.events])
        raise bad("--event", f"no event '{event_id}' in {dataset.file}{hint}")
    if story_id:
        story = next((s for s in dataset.stories if s.id == story_id), None)
        if story is None:
            hint = did_you_mean(story_id, [s.id for s in dataset.stories])
            raise bad("--story", f"no story '{story_id}' in {dataset.file}{hint}")
        if step and step > len(story.steps):
            raise bad("--step", f"story '{story_id}' has {len(story.steps)} steps")


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise GeoError(
            "geo snapshot needs Playwright: pip install playwright "
            "(or pip install 'geo-dprk-routes[snapshot]')"
        ) from None
    return sync_playwright


def _photograph(sync_playwright, index: Path, fragment: str, size, timeout: float) -> bytes:
    chromium = os.environ.get("CHROMIUM", DEFAULT_CHROMIUM)
    if not Path(chromium).exists():
        raise GeoError(f"Chromium not found at {chromium}: install it or set CHROMIUM=/path")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            # tiles (and anything else off the disk) refused, so nothing leaves; the site's
            # own files are not intercepted, each would be a round trip through Python
            page.route(_OUTSIDE, lambda r: r.abort("blockedbyclient"))
            page.goto(index.resolve().as_uri() + fragment)
            try:
                page.wait_for_function("() => window.geoApp && window.geoApp.ready === true",
                                       timeout=timeout * 1000)  # fmt: skip
            except Exception as exc:  # Playwright's TimeoutError, or the page failed
                raise GeoError(f"the map did not finish drawing within {timeout:g} s") from exc
            page.evaluate(_TWO_FRAMES)
            return page.screenshot(type="png")
        finally:
            browser.close()
