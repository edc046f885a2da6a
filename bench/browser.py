"""The map in headless Chromium: time to first render and the cost of one slider step, for our
page and for folium's stock TimestampedGeoJson page on the same events, plus page weight.

Both pages are served from 127.0.0.1; map tiles are answered with a blank PNG, so nothing
leaves the machine.  The stock page loads jQuery, jQuery UI, Leaflet.TimeDimension,
iso8601-js-period and moment from CDNs: the benchmark fetches them once with ``npm pack``
into bench/results/vendor/ (never committed) and rewrites the page's CDN links to those
copies.  Leaflet is XStatic-Leaflet's 1.9.3, the version folium links.

First render: from navigation start until the page has drawn its data (our page:
``geoApp`` ready; the stock page: its first marker or path in the map) and two frames
have passed.  A slider step: the main-thread time from moving the date one month, in a task
of its own as an input event would be, through the next frame: the step's own script, that
frame's callbacks (canvas redraw, list) and its style and layout ("step"), then also its
paint and commit ("painted": with --disable-gpu, canvases are copied to the compositor in
software).  The wait for the frame is not counted.  "Complete" adds the frame after it,
where our list places the items below the fold.

Input to next paint, as INP measures it: Chromium's Event Timing API (a PerformanceObserver
on "event" entries) times real key presses on our slider (ArrowRight, one month each) and
real clicks on the stock page's forward button, from the input's timestamp to the next
paint after its handlers, in 8 ms steps; an interaction's time is its longest entry.  The
API reports only entries of 16 ms or more, so an interaction it does not report counts as
16 ms (an upper bound).  A drag: the mouse held on our slider's thumb and moved 2 px at a
time across it; "drag_frame_ms" are the intervals between the frames painted meanwhile.

    python -m bench.browser
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from bench.build import data_file
from bench.measure import RESULTS, ROOT, run, stats

sys.path.insert(0, str(ROOT / "tests"))
# the browser tests' helpers: the same Chromium flags, local server and blank tile
from browser_util import CHROMIUM_ARGS, blank_png, serve  # noqa: E402

SCALES = (1_000, 10_000)
STEPS = 100
LOADS = 5  # page loads per page for the first-render time
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
FIRST_STEP = "2017-09-01"  # 100 monthly steps from here end in December 2025

# CDN URL (as folium writes it) -> (npm package spec, file inside the package)
VENDOR = {
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": (
        "jquery@3.7.1",
        "dist/jquery.min.js",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    # jQuery UI 1.10.2 (what folium links) has no built file on npm; 1.13.3 is the oldest that does
    "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js": (
        "jquery-ui-dist@1.13.3",
        "jquery-ui.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js": (
        "iso8601-js-period@0.2.1",
        "iso8601.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js": (
        "leaflet-timedimension@1.1.1",
        "dist/leaflet.timedimension.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css": (  # noqa: E501
        "leaflet-timedimension@1.1.1",
        "dist/leaflet.timedimension.control.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": (
        "moment@2.18.1",
        "min/moment.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap@5.2.2",
        "dist/js/bootstrap.bundle.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap@5.2.2",
        "dist/css/bootstrap.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (  # noqa: E501
        "leaflet.awesome-markers@2.0.5",
        "dist/leaflet.awesome-markers.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (  # noqa: E501
        "leaflet.awesome-markers@2.0.5",
        "dist/leaflet.awesome-markers.css",
    ),
}
LEAFLET = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet.css",
}


# ---------------------------------------------------------------- pages


def fetch_vendor(vendor: Path, log=print) -> dict[str, str]:
    """npm-pack each package the stock page needs (once); return CDN URL -> local path."""
    vendor.mkdir(parents=True, exist_ok=True)
    local: dict[str, str] = {}
    for url, (spec, inner) in VENDOR.items():
        target = vendor / spec.replace("/", "_") / inner
        if not target.exists():
            try:
                _npm_unpack(spec, vendor / spec.replace("/", "_"))
            except (OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
                log(f"  could not fetch {spec} ({exc}); the stock page runs without {url}")
                continue
        if target.exists():
            local[url] = f"vendor/{spec.replace('/', '_')}/{inner}"
    from geo.site.assets import leaflet_dir

    leaflet = vendor / "leaflet"
    if not leaflet.exists():
        shutil.copytree(leaflet_dir(), leaflet)
    for url, name in LEAFLET.items():
        local[url] = f"vendor/leaflet/{name}"
    return local


def _npm_unpack(spec: str, dest: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            timeout=120,
        )
        (tgz,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tgz) as tar:
            for member in tar.getmembers():
                if not member.isfile() or ".." in Path(member.name).parts:
                    continue
                out = dest / Path(*Path(member.name).parts[1:])  # drop "package/"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tar.extractfile(member).read())


def build_ours(data: Path, out: Path) -> None:
    from geo.layers import render_layers
    from geo.site import write_site
    from geo.validate import load_dataset

    dataset = load_dataset(data)
    shutil.rmtree(out, ignore_errors=True)
    write_site(dataset, render_layers(dataset), out)


def build_stock(data: Path, out: Path, local: dict[str, str]) -> list[str]:
    """The baseline's TimestampedGeoJson page with its CDN links pointed at local copies;
    returns the links left pointing outside (they are blocked when the page loads)."""
    with tempfile.TemporaryDirectory() as tmp:
        run(
            [sys.executable, "-m", "bench.baseline", str(data), tmp],
            env={"GEO_MAX_FILE_MB": "128", "PYTHONPATH": str(ROOT)},
        )
        html = (Path(tmp) / "site" / "index.html").read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    depth = "../"  # pages live in pages/<name>/, vendor in pages/vendor/
    for url, path in local.items():
        html = html.replace(f'"{url}"', f'"{depth}{path}"')
    (out / "index.html").write_text(html, encoding="utf-8")
    return sorted(set(re.findall(r'(?:src|href)="(https?://[^"]+)"', html)))


# ---------------------------------------------------------------- serving


# ---------------------------------------------------------------- in the page

READY_OURS = "() => window.geoApp && window.geoApp.ready === true"
READY_STOCK = (
    "() => document.querySelectorAll('.leaflet-overlay-pane path, .leaflet-marker-pane > *')"
    ".length > 0"
)
AFTER_TWO_FRAMES = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now();
}"""

INPUTS = 60  # real inputs timed with the Event Timing API
EVENT_TIMING_START = """() => {
  window.__eventTiming = new Map();
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      if (!e.interactionId) continue;
      const was = window.__eventTiming.get(e.interactionId) || 0;
      window.__eventTiming.set(e.interactionId, Math.max(was, e.duration));
    }
  }).observe({type: 'event', durationThreshold: 16, buffered: false});
}"""
EVENT_TIMING_TAKE = "() => Object.fromEntries(window.__eventTiming)"
STOCK_TO_FIRST_STEP = """iso => {
  const map = Object.values(window).find(v => v && v instanceof L.Map && v.timeDimension);
  map.timeDimension.setCurrentTime(Date.parse(iso + 'T00:00:00Z'));
}"""
FRAMES_START = """() => {
  window.__frames = [];
  window.__framesOn = true;
  const tick = ts => {
    window.__frames.push(ts);
    if (window.__framesOn) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
FRAMES_TAKE = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  window.__framesOn = false;
  const f = window.__frames, out = [];
  for (let k = 1; k < f.length; k++) out.push(f[k] - f[k - 1]);
  return out;
}"""

STEP_LOOP = """async ({dates, stock}) => {
  const frame = () => new Promise(r => requestAnimationFrame(ts => r(ts)));
  // a frame callback that lays the page out: [frame start, when style and layout are done]
  const laidOut = () => new Promise(r => requestAnimationFrame(ts => {
    document.body.getBoundingClientRect();
    r([ts, performance.now()]);
  }));
  // a task posted now runs after the current frame has been rendered (style, layout, paint)
  const task = () => new Promise(r => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => r(performance.now());
    channel.port2.postMessage(0);
  });
  let move;
  if (stock) {
    const map = Object.values(window).find(v => v && v instanceof L.Map && v.timeDimension);
    const td = map.timeDimension;
    move = iso => new Promise(resolve => {
      let done = false;
      td.once('timeload', () => { done = true; resolve(); });
      td.setCurrentTime(Date.parse(iso + 'T00:00:00Z'));
      if (done) resolve();
    });
  } else {
    move = iso => { window.geoApp.setDate(iso); };
  }
  const out = [];
  for (const iso of dates) {
    await frame();
    await task();                       // a fresh task just after a frame, like an input event
    const t0 = performance.now();
    await move(iso);
    const t1 = performance.now();       // the step's own script
    const [f1, laid] = await laidOut(); // the next frame: the page's callbacks, then ours (layout),
    const t2 = await task();            // then its paint and commit
    const start = Math.max(f1, t1);
    const step = (t1 - t0) + (laid - start);
    const painted = (t1 - t0) + (t2 - start);
    const f2 = await frame();           // the frame after: what the page left for it
    const t3 = await task();
    out.push([step, painted, painted + (t3 - f2)]);
  }
  return out;
}"""


def monthly(first: str, n: int) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}-01")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def measure_page(browser, url: str, stock: bool, steps: int, loads: int, png: bytes) -> dict:
    ready = READY_STOCK if stock else READY_OURS
    renders, weight, errors = [], {}, []
    for i in range(loads):
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        responses = []
        _route_offline(page, png)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if i == 0:
            page.on("response", lambda response, out=responses: out.append(response))
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function(ready, timeout=120_000, polling="raf")
        renders.append(page.evaluate(AFTER_TWO_FRAMES))
        if i == 0:
            weight = _weight(responses)
        if i == loads - 1 and steps:
            pairs = page.evaluate(STEP_LOOP, {"dates": monthly(FIRST_STEP, steps), "stock": stock})
            inputs = input_to_paint(page, stock, min(steps, INPUTS))
            drag = None if stock else drag_frames(page)
        context.close()
    out = {
        "first_render_ms": _rounded(stats(renders).to_dict()),
        "page_weight": weight,
        "errors": errors[:5],
    }
    if steps:
        out["step_ms"] = _rounded(stats([p[0] for p in pairs]).to_dict())
        out["step_painted_ms"] = _rounded(stats([p[1] for p in pairs]).to_dict())
        out["step_complete_ms"] = _rounded(stats([p[2] for p in pairs]).to_dict())
        out["input_to_paint_ms"] = _rounded(stats(inputs).to_dict())
        if drag:
            out["drag_frame_ms"] = _rounded(stats(drag).to_dict())
    return out


def input_to_paint(page, stock: bool, n: int) -> list[float]:
    """Event Timing durations of *n* real slider key presses (ours) or forward-button clicks
    (stock), one interaction each, with two frames between them."""
    page.evaluate(EVENT_TIMING_START)
    if stock:
        target = page.locator(".timecontrol-forward").first
        page.evaluate(STOCK_TO_FIRST_STEP, FIRST_STEP)
    else:
        page.evaluate("iso => { geoApp.setDate(iso); }", FIRST_STEP)
        page.focus("#date-slider")
    page.evaluate(AFTER_TWO_FRAMES)
    for _ in range(n):
        if stock:
            target.click()
        else:
            page.keyboard.press("ArrowRight")
        page.evaluate(AFTER_TWO_FRAMES)
    page.wait_for_timeout(300)  # the observer reports after the paint
    by_interaction = page.evaluate(EVENT_TIMING_TAKE)
    durations = sorted(by_interaction.values())
    return durations + [16.0] * max(0, n - len(durations))


def drag_frames(page, moves: int = 120) -> list[float]:
    """Frame intervals while the slider's thumb is dragged *moves* times by 2 px."""
    page.evaluate("iso => { geoApp.setDate(iso); }", FIRST_STEP)
    box = page.locator("#date-slider").bounding_box()
    x0 = box["x"] + box["width"] * 0.3
    y = box["y"] + box["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    page.evaluate(FRAMES_START)
    for k in range(moves):
        page.mouse.move(x0 + 2 * (k + 1), y)
    page.mouse.up()
    return page.evaluate(FRAMES_TAKE)


def _route_offline(page, png: bytes) -> None:
    """Tiles get a blank PNG and every other outside request is refused.  Requests to
    127.0.0.1 are not intercepted at all: interception sends each one through Playwright's
    connection, one after the other, and would make script loading look far slower."""

    def outside(url: str) -> bool:
        return urlsplit(url).hostname != "127.0.0.1"

    def handle(route):
        if "tile" in (urlsplit(route.request.url).hostname or ""):
            return route.fulfill(status=200, content_type="image/png", body=png)
        return route.abort("blockedbyclient")

    page.route(outside, handle)


def _weight(responses) -> dict:
    """Bytes the page loaded from 127.0.0.1 (everything but tiles), raw and gzip-compressed."""
    raw = compressed = files = 0
    for response in responses:
        if urlsplit(response.url).hostname != "127.0.0.1":
            continue
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            continue
        files += 1
        raw += len(body)
        compressed += len(gzip.compress(body, compresslevel=6))
    return {"files": files, "raw_kb": round(raw / 1024, 1), "gzip_kb": round(compressed / 1024, 1)}


def _rounded(d: dict) -> dict:
    return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in d.items()}


# ---------------------------------------------------------------- all of it


def bench(scales=SCALES, steps: int = STEPS, loads: int = LOADS, log=print) -> dict:
    from playwright.sync_api import sync_playwright

    pages = RESULTS / "work" / "pages"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir(parents=True)
    local = fetch_vendor(RESULTS / "vendor", log)
    shutil.copytree(RESULTS / "vendor", pages / "vendor")
    build_ours(ROOT / "routes.yaml", pages / "bundled")
    outside: list[str] = []
    for n in scales:
        data = data_file(n)
        build_ours(data, pages / f"ours-{n}")
        outside = build_stock(data, pages / f"stock-{n}", local)
    png = blank_png()
    result: dict = {
        "vendor": sorted({spec for spec, _ in VENDOR.values()}),
        "stock_links_left_outside": outside,
    }
    with serve(pages) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result["chromium"] = browser.version
        log("  bundled map ...")
        result["bundled"] = measure_page(browser, base + "bundled/index.html", False, 0, loads, png)
        for n in scales:
            for kind in ("ours", "stock"):
                log(f"  {kind} page, {n} events ...")
                result[f"{kind}-{n}"] = measure_page(
                    browser, f"{base}{kind}-{n}/index.html", kind == "stock", steps, loads, png
                )
                page = result[f"{kind}-{n}"]
                step = page.get("step_ms", {})
                inp = page.get("input_to_paint_ms", {})
                log(
                    f"    first render {page['first_render_ms']['median']:.0f} ms, "
                    f"step median {step.get('median', 0):.2f} ms, p95 {step.get('p95', 0):.2f} ms, "
                    f"input to paint p95 {inp.get('p95', 0):.0f} ms"
                )
        browser.close()
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--loads", type=int, default=LOADS)
    parser.add_argument("--events", type=int, action="append")
    args = parser.parse_args(argv)
    result = bench(tuple(args.events or SCALES), args.steps, args.loads)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "browser.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
